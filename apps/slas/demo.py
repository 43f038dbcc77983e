"""Illustrative signatures: Havering's and Bexley's agreements signed by both sides and in force,
Newham's signed by oneSource and waiting for Newham's officer."""

from apps.accounts.models import User

from . import services
from .models import Agreement

SIGNED_BY = {"havering": "officer.havering", "bexley": "officer.bexley", "newham": None}


def load(*, password: str) -> str:
    admin = User.objects.get(username="admin")
    signed = 0
    for slug, partner_officer in SIGNED_BY.items():
        agreement = Agreement.objects.drafts().filter(partner__slug=slug, version=1).first()
        if agreement is None:
            continue
        if agreement.owner_id is None:
            agreement.owner = admin
            agreement.save()
        if not agreement.is_signed_by_onesource:
            services.agreement_sign(user=admin, agreement=agreement)
            signed += 1
        if partner_officer and not agreement.is_signed_by_partner:
            services.agreement_sign(user=User.objects.get(username=partner_officer), agreement=agreement)
            signed += 1
    return f"{signed} signatures"
