"""The one access policy of the portal.

Every page, API endpoint, export and report asks this module what a user may see and change,
through the ``visible_to(user)`` and ``editable_by(user)`` methods of ``PolicyQuerySet``. A model
takes part by giving its queryset two lookups:

``partner_lookup``
    the path from the model to the partner a row belongs to (``"pk"`` on Partner itself,
    ``"partner"`` on a Contact, ``"agreement__partner"`` on a schedule). ``None`` means the rows are
    shared by all partners (the service catalogue, the delivery plan).
``area_lookup``
    the path to the oneSource service area responsible for the row, or ``None``.

The rules, per role (DESIGN.md "Who uses it"):

* admin: everything, may change everything.
* director: sees everything; changes rows of their own service areas.
* officer: sees rows of their own service areas, and every row not tied to an area.
* partner_officer: sees only rows of their own partner, and shared rows.
* committee_member: sees everything that is not a draft; changes nothing.

Models with a workflow narrow this further by overriding ``visible_to``/``editable_by`` and
calling ``super()`` first, so the role rules above always apply.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from .roles import TWO_FACTOR_ROLES, Role


def role_of(user) -> str | None:
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    return user.role


def is_admin(user) -> bool:
    return role_of(user) == Role.ADMIN


def reader_scope(user) -> str | None:
    """What a reader sees is decided by their role and partner alone: the name of that scope, or None.

    Every committee member sees the same rows; a partner officer sees those of their own partner.
    Staff see rows of their own service areas and their own work, so they have no shared scope.
    """
    role = role_of(user)
    if role == Role.COMMITTEE_MEMBER:
        return "committee"
    if role == Role.PARTNER_OFFICER and user.partner_id is not None:
        return f"partner-{user.partner_id}"
    return None


def must_use_two_factor(user) -> bool:
    """Admins and directors sign in with a second factor. Only the demo may turn this off
    (``TWO_FACTOR_ENFORCED``, refused in production by the settings)."""
    from django.conf import settings

    return settings.TWO_FACTOR_ENFORCED and role_of(user) in TWO_FACTOR_ROLES


def area_ids(user):
    """A subquery of the user's service area ids: filters stay one SQL statement."""
    return user.service_areas.values("pk")


def has_area(user, area_id) -> bool:
    return user.service_areas.filter(pk=area_id).exists()


class PolicyQuerySet(models.QuerySet):
    partner_lookup: str | None = None
    area_lookup: str | None = None

    def _for_partner(self, user):
        if self.partner_lookup is None:
            return self
        return self.filter(**{self.partner_lookup: user.partner_id})

    def _for_areas(self, user):
        return self.filter(**{f"{self.area_lookup}__in": area_ids(user)})

    def visible_to(self, user):
        role = role_of(user)
        if role is None:
            return self.none()
        if role in (Role.ADMIN, Role.DIRECTOR, Role.COMMITTEE_MEMBER):
            return self
        if role == Role.OFFICER:
            return self if self.area_lookup is None else self._for_areas(user)
        if role == Role.PARTNER_OFFICER:
            if user.partner_id is None:
                return self.none()
            return self._for_partner(user)
        return self.none()

    def editable_by(self, user):
        role = role_of(user)
        if role == Role.ADMIN:
            return self
        if role == Role.DIRECTOR and self.area_lookup is not None:
            return self._for_areas(user)
        return self.none()

    def partner_q(self, user) -> Q:
        """The partner restriction alone, for aggregate queries that join this model."""
        if role_of(user) == Role.PARTNER_OFFICER and self.partner_lookup:
            return Q(**{self.partner_lookup: user.partner_id})
        return Q()


class _System:
    """The portal itself, for work no person does (monthly reports): it may read every row.

    What such work produces is restricted again when people read it (a report by its scope).
    """

    role = Role.ADMIN
    is_authenticated = True
    is_active = True
    partner_id = None
    pk = None
    username = "onesource-system"

    def __str__(self):
        return "oneSource (automatic)"


SYSTEM = _System()
