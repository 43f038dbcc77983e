from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

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
