"""What a user's account holds, for their pages and the sign-in steps, and which identity provider signs
in a work email."""

from dataclasses import dataclass

from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.core.policy import must_use_two_factor

from .models import IdentityProvider


def provider_for_email(email: str) -> IdentityProvider | None:
    domain = email.rpartition("@")[2].strip().lower()
    if not domain:
        return None
    return IdentityProvider.objects.filter(is_active=True, domains__domain=domain).select_related("partner").first()


def has_two_factor(user) -> bool:
    """The user has a confirmed authenticator app, so signing in asks for its code."""
    return user.is_authenticated and TOTPDevice.objects.filter(user=user, confirmed=True).exists()


@dataclass(frozen=True)
class TwoFactorStatus:
    enrolled: bool
    required: bool
    recovery_codes_left: int

    @property
    def may_turn_off(self) -> bool:
        return self.enrolled and not self.required


def two_factor_status(user) -> TwoFactorStatus:
    return TwoFactorStatus(
        enrolled=has_two_factor(user),
        required=must_use_two_factor(user),
        recovery_codes_left=StaticToken.objects.filter(device__user=user, device__confirmed=True).count(),
    )
