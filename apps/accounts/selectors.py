"""Reading accounts: which identity provider signs in a work email."""

from .models import IdentityProvider


def provider_for_email(email: str) -> IdentityProvider | None:
    domain = email.rpartition("@")[2].strip().lower()
    if not domain:
        return None
    return IdentityProvider.objects.filter(is_active=True, domains__domain=domain).select_related("partner").first()
