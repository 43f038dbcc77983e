from django import forms
from django.contrib.auth import forms as auth_forms

from apps.core.forms import GovukFormMixin


class LoginForm(GovukFormMixin, auth_forms.AuthenticationForm):
    pass


class PasswordChangeForm(GovukFormMixin, auth_forms.PasswordChangeForm):
    pass


class CouncilEmailForm(GovukFormMixin, forms.Form):
    """The work email of someone signing in with their council account: its domain picks the provider."""

    email = forms.EmailField(
        label="Work email address",
        max_length=254,
        help_text="For example, name@havering.gov.uk",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )

    def clean_email(self):
        from .selectors import provider_for_email

        email = self.cleaned_data["email"].strip()
        self.provider = provider_for_email(email)
        if self.provider is None:
            raise forms.ValidationError(
                "Your council does not sign in to oneSource with its own accounts yet: sign in with your "
                "user name and password"
            )
        return email
