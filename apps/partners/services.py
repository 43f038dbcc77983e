"""Writes to partners and their contacts. Forms and the API both call these."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.text import slugify

from apps.core.policy import is_admin

from .models import Contact, Partner

PARTNER_FIELDS = (
    "name",
    "short_name",
    "kind",
    "arrangement",
    "sector",
    "joined_on",
    "left_on",
    "customer_count",
    "notes",
)
CONTACT_FIELDS = ("name", "job_title", "responsibility", "email", "phone")


def _require_admin(user):
    if not is_admin(user):
        raise PermissionDenied("Only the oneSource performance team may change partners.")


@transaction.atomic
def partner_save(*, user, partner: Partner | None = None, **data) -> Partner:
    """Create a partner (``partner`` None) or change one. Validates the whole row first."""
    _require_admin(user)
    partner = partner or Partner()
    for name in PARTNER_FIELDS:
        if name in data:
            setattr(partner, name, data[name])
    if not partner.slug:
        partner.slug = slugify(partner.short_name or partner.name)
    partner.full_clean()
    partner.save()
    return partner


@transaction.atomic
def contact_save(*, user, partner: Partner, contact: Contact | None = None, **data) -> Contact:
    _require_admin(user)
    contact = contact or Contact(partner=partner)
    for name in CONTACT_FIELDS:
        if name in data:
            setattr(contact, name, data[name])
    contact.full_clean()
    contact.save()
    return contact


@transaction.atomic
def contact_delete(*, user, contact: Contact) -> None:
    _require_admin(user)
    contact.delete()
