from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import path

from . import views
from .forms import PasswordChangeForm
from .middleware import two_factor_exempt

app_name = "accounts"

urlpatterns = [
    path("login/", login_not_required(views.PortalLoginView.as_view()), name="login"),
    # Sign-in with a council account: the work email picks the council's provider; it sends the
    # browser back to the callback.
    path("sso/", views.sso_start, name="sso_start"),
    path("sso/callback/", views.SSOCallback.as_view(), name="sso_callback"),
    path("logout/", two_factor_exempt(views.LogoutView.as_view()), name="logout"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path("two-factor/code/", views.two_factor_verify, name="two_factor_verify"),
    path("two-factor/set-up/", views.two_factor_setup, name="two_factor_setup"),
    path("two-factor/recovery-codes/", views.two_factor_recovery_codes, name="two_factor_recovery_codes"),
    path("two-factor/turn-off/", views.two_factor_turn_off, name="two_factor_turn_off"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/password_change.html",
            form_class=PasswordChangeForm,
            success_url="/accounts/password/done/",
        ),
        name="password_change",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html"),
        name="password_change_done",
    ),
]
