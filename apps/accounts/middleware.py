"""The second step of signing in: no page until the code is given, or, for a role that must use
two-factor and has not set it up, until it is set up."""

from urllib.parse import urlencode

from django.shortcuts import redirect
from django_otp import DEVICE_ID_SESSION_KEY

from apps.core.policy import must_use_two_factor

from .selectors import has_two_factor

#: Set at sign-in when the user has an authenticator app, so the second step is asked without a
#: query on every page for the many users who have none.
CODE_DUE_SESSION_KEY = "two_factor_code_due"


def two_factor_exempt(view):
    """A page a user part-way through signing in may reach: the second step itself, signing out."""
    view.two_factor_exempt = True
    return view


def is_verified(request) -> bool:
    """The session went through the second step: ``django_otp.login`` recorded the device that took
    the code in it, and the session is flushed when someone else signs in, so the mark is this user's.

    The mark is trusted as it stands rather than the device being looked up again on every request
    (django-otp's OTPMiddleware), which would cost every page a query: a session stays verified until
    it ends (SESSION_COOKIE_AGE, 8 hours) even if the device is removed meanwhile."""
    return bool(request.session.get(DEVICE_ID_SESSION_KEY))


def pending_step(request) -> str | None:
    """``"verify"`` (asked for a code), ``"enrol"`` (must set up an app first) or None (signed in)."""
    user = request.user
    if not user.is_authenticated or is_verified(request):
        return None
    if must_use_two_factor(user):
        return "verify" if has_two_factor(user) else "enrol"
    return "verify" if request.session.get(CODE_DUE_SESSION_KEY) else None


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # The API answers for itself (apps/accounts/authentication.py); public pages stay public.
        if request.path_info.startswith("/api/") or not getattr(view_func, "login_required", True):
            return None
        if getattr(view_func, "two_factor_exempt", False):
            return None
        step = pending_step(request)
        if step is None:
            return None
        target = "accounts:two_factor_verify" if step == "verify" else "accounts:two_factor_setup"
        response = redirect(target)
        response["Location"] += "?" + urlencode({"next": request.get_full_path()})
        return response
