"""Sign-in lockout (django-axes), keyed so that no one can clear another person's failed tries."""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt


class OwnAttemptsLockoutHandler(AxesDatabaseHandler):
    """A successful sign-in clears the failed tries at the signed-in user's own name, nothing else.

    django-axes would clear every attempt matching any lockout parameter, so signing in as oneself
    from an address cleared the tries at other people's names from that address too: four wrong
    guesses at someone else's password, one good sign-in of one's own, and again, without limit.
    The failures counted against the address stay as they are.
    """

    def reset_user_attempts(self, request, credentials=None) -> int:
        username = get_client_username(request, credentials)
        if not username:
            return 0
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return count
