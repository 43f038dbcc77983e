from django import forms
from django.contrib.auth import forms as auth_forms

from apps.core.forms import GovukFormMixin

from .services import TwoFactorThrottled


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


class TwoFactorCodeForm(GovukFormMixin, forms.Form):
    """A code from the user's authenticator app (or, where ``recovery`` is on, a recovery code),
    checked by ``check(code)``, which answers the device that took it or None."""

    code = forms.CharField(
        label="Code from your authenticator app",
        max_length=32,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "spellcheck": "false",
                "autofocus": True,
                "class": "govuk-input--width-10",
            }
        ),
    )

    def __init__(self, *args, check, recovery=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.check = check
        self.device = None
        if recovery:
            self.fields[
                "code"
            ].help_text = (
                "The 6-digit code your app shows now. Lost your phone? Enter one of your recovery codes instead."
            )
        else:
            self.fields["code"].help_text = "The 6-digit code your app shows now."
        self.fields["code"].error_messages["required"] = "Enter the code from your authenticator app"

    def clean_code(self):
        code = self.cleaned_data["code"]
        try:
            self.device = self.check(code)
        except TwoFactorThrottled as throttled:
            raise forms.ValidationError(throttled.message) from throttled
        if self.device is None:
            raise forms.ValidationError(
                "The code is not right: enter the code your authenticator app shows now, or an unused recovery code"
            )
        return code
