"""The API's credentials, and how they respect two-factor sign-in.

* A browser session counts only once the second step is done: a session signed in with a password
  alone is anonymous to the API, as it is to the pages.
* A token is handed out (``/api/v1/auth/token/``) only with a current code as well as the password, to
  anyone who has two-factor on; a role that must use it and has not set it up gets no token, and a
  token it holds from before is refused. Setting up two-factor ends the tokens handed out before it.
"""

from drf_spectacular.authentication import SessionScheme
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication, TokenAuthentication

from apps.core.policy import must_use_two_factor

from .middleware import pending_step
from .selectors import has_two_factor

SET_UP_FIRST = "Set up two-factor sign-in in the portal (Your account, Two-factor sign-in) before using the API."


class TwoFactorSessionAuthentication(SessionAuthentication):
    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None and pending_step(request._request) is not None:
            return None
        return result


class TwoFactorTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if must_use_two_factor(user) and not has_two_factor(user):
            raise exceptions.AuthenticationFailed(SET_UP_FIRST)
        return user, token


class TwoFactorSessionScheme(SessionScheme):
    """The OpenAPI schema describes the session as the session cookie it is."""

    target_class = TwoFactorSessionAuthentication
