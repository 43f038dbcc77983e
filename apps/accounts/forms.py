from django.contrib.auth import forms as auth_forms

from apps.core.forms import GovukFormMixin


class LoginForm(GovukFormMixin, auth_forms.AuthenticationForm):
    pass


class PasswordChangeForm(GovukFormMixin, auth_forms.PasswordChangeForm):
    pass
