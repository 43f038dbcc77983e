import math

import django_otp
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
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


@transaction.atomic
def sso_user_for(provider, *, subject: str, claims: dict) -> User:
    """The portal user of a person a partner's provider has signed in, created on their first sign-in.

    A new user is a partner officer of the provider's partner and nothing more. Refused: an email
    whose domain the provider may not sign in, an unverified email, a user of another role or
    partner, and anyone whose portal account is disabled.
    """
    from .models import ExternalIdentity
    from .oidc import SignInRefused

    email = (claims.get("email") or "").strip()
    domain = email.rpartition("@")[2].lower()
    if not email or "@" not in email or not provider.domains.filter(domain=domain).exists():
        raise SignInRefused(
            f"{provider.name} may not sign in people with an email address at “{domain or 'no domain'}”."
        )
    if claims.get("email_verified") is False:
        raise SignInRefused("Your council has not verified your email address.")

    identity = ExternalIdentity.objects.select_related("user").filter(provider=provider, subject=subject).first()
    if identity is not None:
        user = identity.user
    else:
        try:
            # Two first sign-ins of one person at once: the second finds what the first made.
            with transaction.atomic():
                user = _first_sign_in(provider, subject=subject, email=email, claims=claims)
        except IntegrityError:
            user = ExternalIdentity.objects.select_related("user").get(provider=provider, subject=subject).user
        except ValidationError as exc:  # an email too long for a user name, say
            raise SignInRefused("Your council account cannot be used for a portal account.") from exc
    # Whoever signs in through a partner's provider is that partner's officer, always.
    if user.role != Role.PARTNER_OFFICER or user.partner_id != provider.partner_id:
        raise SignInRefused("Your portal account does not belong to this council: ask the oneSource performance team.")
    if not user.is_active:
        raise SignInRefused("Your portal account has been deactivated: ask the oneSource performance team.")
    return user


def _first_sign_in(provider, *, subject, email, claims) -> User:
    from .models import ExternalIdentity
    from .oidc import SignInRefused

    user = User.objects.filter(username__iexact=email).first()
    if user is not None and ExternalIdentity.objects.filter(user=user).exists():
        raise SignInRefused("This portal account signs in through another account.")
    if user is None:
        user = user_create(
            username=email.lower(),
            role=Role.PARTNER_OFFICER,
            partner=provider.partner,
            email=email.lower(),
            first_name=(claims.get("given_name") or "")[:150],
            last_name=(claims.get("family_name") or "")[:150],
        )
    ExternalIdentity.objects.create(user=user, provider=provider, subject=subject)
    return user


def deactivate_unused_users(*, days: int, now=None) -> int:
    """Deactivate everyone but admins who has not signed in for ``days`` days (or since being created)."""
    from datetime import timedelta

    from django.db.models import Q
    from django.utils import timezone

    cutoff = (now or timezone.now()) - timedelta(days=days)
    unused = (
        User.objects.filter(is_active=True)
        .exclude(role=Role.ADMIN)
        .filter(Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff))
    )
    count = 0
    for user in unused:
        user.is_active = False
        user.save(update_fields=["is_active"])
        count += 1
    return count


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
