"""The one signal receiver: the catalogue announces an accepted request, the agreements act on it."""

from . import services


def add_commissioned_service(sender, *, request, user, **kwargs):
    # Runs inside the accepting transaction: the service is on the draft, or the acceptance fails.
    services.agreement_add_commissioned_service(user=user, request=request)
