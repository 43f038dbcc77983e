"""The API's credentials, and how they respect two-factor sign-in.

* A browser session counts only once the second step is done: a session signed in with a password
  alone is anonymous to the API, as it is to the pages.
* A token is handed out (``/api/v1/auth/token/``) only with a current code as well as the password, to
  anyone who has two-factor on; a role that must use it and has not set it up gets no token. Setting
  up two-factor ends the tokens handed out before it (services.two_factor_enrol), and so no admin or
  director without two-factor holds one: their tokens ended with migration 0004, and end when they
  become one or lose their authenticator (receivers.py). A token is then taken as it stands, with no
  further query on each request.
"""

from drf_spectacular.authentication import SessionScheme
from rest_framework.authentication import SessionAuthentication

from .middleware import pending_step


class TwoFactorSessionAuthentication(SessionAuthentication):
    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None and pending_step(request._request) is not None:
            return None
        return result


class TwoFactorSessionScheme(SessionScheme):
    """The OpenAPI schema describes the session as the session cookie it is."""

    target_class = TwoFactorSessionAuthentication
