import math

import django_otp
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from apps.core.policy import must_use_two_factor
from apps.core.roles import Role

from .models import User


@transaction.atomic
def user_create(
    *, username: str, role: str, password: str | None = None, partner=None, service_areas=(), **fields
) -> User:
    """Create a user of a role. Admins are the back office, so they get the Django admin."""
    is_admin = role == Role.ADMIN
    user = User(
        username=username,
        role=role,
        partner=partner,
        is_staff=is_admin,
        is_superuser=is_admin,
        **fields,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean()
    user.save()
    user.service_areas.set(service_areas)
    return user


RECOVERY_CODE_COUNT = 10


class TwoFactorThrottled(Exception):
    """Too many wrong codes in a row: the next try must wait (django-otp doubles the wait each time)."""

    def __init__(self, locked_until):
        super().__init__(locked_until)
        self.locked_until = locked_until

    @property
    def message(self) -> str:
        wait = 1
        if self.locked_until is not None:
            wait = max(1, math.ceil((self.locked_until - timezone.now()).total_seconds()))
        seconds = "second" if wait == 1 else "seconds"
        return f"Too many wrong codes in a row. Wait {wait} {seconds}, then enter the code again."


def _normalised(code: str) -> str:
    return "".join(str(code).split()).replace("-", "").lower()


def second_factor_check(*, user, code: str):
    """The device that accepts ``code``, or None: six digits are checked against the user's
    authenticator app, anything else against their recovery codes (a recovery code is then used up).

    Each wrong code counts against that device and makes the next try wait longer; a try during the
    wait is refused whatever the code, with ``TwoFactorThrottled``. Not atomic as a whole: a wrong
    code's count must be kept, not rolled back."""
    code = _normalised(code)
    if code.isdigit() and len(code) == 6:
        devices = TOTPDevice.objects.filter(user=user, confirmed=True)
    else:
        devices = StaticDevice.objects.filter(user=user, confirmed=True)
    for device in devices:
        allowed, info = device.verify_is_allowed()
        if not allowed:
            raise TwoFactorThrottled((info or {}).get("locked_until"))
        verified = django_otp.verify_token(user, device.persistent_id, code)
        if verified is not None:
            return verified
    return None


def totp_device_pending(*, user) -> TOTPDevice:
    """The authenticator app being set up: the same secret until it is confirmed, so that reloading
    the page does not change the QR code the user has just scanned."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


def two_factor_enrol(*, user, code: str) -> tuple[TOTPDevice, list[str]] | None:
    """Confirm the pending authenticator app with a code it shows; None when the code is wrong.

    On success it replaces any earlier app, issues fresh recovery codes (returned, to be shown once)
    and ends the user's API tokens, which were handed out on a password alone."""
    device = totp_device_pending(user=user)
    allowed, info = device.verify_is_allowed()
    if not allowed:
        raise TwoFactorThrottled((info or {}).get("locked_until"))
    if not device.verify_token(_normalised(code)):
        return None
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        Token.objects.filter(user=user).delete()
        return device, recovery_codes_issue(user=user)


@transaction.atomic
def recovery_codes_issue(*, user) -> list[str]:
    """A new set of recovery codes, each good for one sign-in; the earlier set stops working."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def two_factor_turn_off(*, user, code: str) -> bool:
    """Turn two-factor sign-in off for a user who may go without it, after a code proves they hold it."""
    if must_use_two_factor(user):
        raise PermissionDenied("Your role must sign in with two-factor authentication.")
    if second_factor_check(user=user, code=code) is None:
        return False
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
    return True
