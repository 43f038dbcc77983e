"""What follows from a change to a user, however it is made (a page, the Django admin, a command)."""

from django.contrib.auth import user_logged_in
from django.contrib.auth.models import update_last_login
from django.db.models.signals import post_delete, pre_save
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from apps.core.policy import must_use_two_factor

from .middleware import CODE_DUE_SESSION_KEY
from .models import User
from .selectors import has_two_factor


def record_sign_in(sender, user, **kwargs):
    """The time of the sign-in is kept, but not as a change in the audit trail: a sign-in changes nothing
    anyone needs to audit, and one row per sign-in would swamp the trail."""
    user.skip_history_when_saving = True
    try:
        update_last_login(sender, user, **kwargs)
    finally:
        del user.skip_history_when_saving


def note_code_due(sender, request, user, **kwargs):
    """A user with an authenticator app is asked for its code before any page (middleware.py)."""
    if request is not None and hasattr(request, "session"):
        request.session[CODE_DUE_SESSION_KEY] = has_two_factor(user)


def retire_api_tokens(sender, instance, update_fields=None, **kwargs):
    """A new password, or a deactivated account, ends the user's API token: whoever held the old
    credentials holds no working token either. The user asks for a new one with the new password."""
    if instance.pk is None or (update_fields is not None and set(update_fields) <= {"last_login"}):
        return
    if getattr(instance, "_password", None) is not None or not instance.is_active:
        Token.objects.filter(user_id=instance.pk).delete()
    elif must_use_two_factor(instance) and not has_two_factor(instance):
        # An admin or director holds a token only once they use two-factor (authentication.py).
        Token.objects.filter(user_id=instance.pk).delete()


def retire_api_tokens_without_two_factor(sender, instance, **kwargs):
    """An admin or director whose authenticator is removed (a lost phone, reset in the Django admin)
    keeps no API token either: they ask for one again once two-factor is set up again."""
    user = instance.user
    if must_use_two_factor(user) and not has_two_factor(user):
        Token.objects.filter(user_id=user.pk).delete()


def connect():
    user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")
    user_logged_in.connect(record_sign_in, dispatch_uid="update_last_login")
    user_logged_in.connect(note_code_due, dispatch_uid="note_code_due")
    pre_save.connect(retire_api_tokens, sender=User, dispatch_uid="retire_api_tokens")
    post_delete.connect(
        retire_api_tokens_without_two_factor, sender=TOTPDevice, dispatch_uid="retire_api_tokens_without_two_factor"
    )
