"""Password sign-in: Django's own, reading a signed-in user with their partner.

Every page's header names a partner officer's council, so the user is read with the partner in the
one query that reads the user on each request, rather than a second query for the partner.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


def read_user(user_id):
    """The user with that id, with their partner; None if there is none."""
    model = get_user_model()
    try:  # as Django's own backend reads it: by primary key, without the users' ordering
        return model._default_manager.select_related("partner").get(pk=user_id)
    except model.DoesNotExist:
        return None


class AccountBackend(ModelBackend):
    def get_user(self, user_id):
        user = read_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
