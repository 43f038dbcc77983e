from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import path

from . import views
from .forms import PasswordChangeForm

app_name = "accounts"

urlpatterns = [
    path("login/", login_not_required(views.PortalLoginView.as_view()), name="login"),
    # Sign-in with a council account: the work email picks the council's provider; it sends the
    # browser back to the callback.
    path("sso/", views.sso_start, name="sso_start"),
    path("sso/callback/", views.SSOCallback.as_view(), name="sso_callback"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
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
