from django import forms
from django.contrib.auth import forms as auth_forms

from apps.core.forms import GovukFormMixin

from .services import TwoFactorThrottled


class LoginForm(GovukFormMixin, auth_forms.AuthenticationForm):
    pass


class PasswordChangeForm(GovukFormMixin, auth_forms.PasswordChangeForm):
    pass


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
