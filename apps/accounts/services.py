from django.db import transaction

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
