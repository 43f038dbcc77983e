"""What the agreements add to the dashboard and to a partner's page."""

from apps.core.policy import role_of
from apps.core.roles import STAFF_ROLES

from . import selectors


def dashboard_panel(user):
    """A partner officer: their agreement awaiting signature. Staff: reviews due and drafts to sign."""
    awaiting = list(selectors.awaiting_signature(user=user)[:10])
    reviews = list(selectors.reviews_due(user=user)[:10]) if role_of(user) in STAFF_ROLES else []
    if not awaiting and not reviews:
        return None
    return {"awaiting": awaiting, "reviews": reviews}


def partner_section(user, partner):
    """The partner's agreement in force and its compliance in the latest month measured."""
    agreement = selectors.current_agreement(user=user, partner=partner)
    if agreement is None:
        return {"partner": partner, "agreement": None}
    end = selectors.default_month(agreement)
    compliance = selectors.agreement_compliance(agreement=agreement, end=end, months=1)
    return {"partner": partner, "agreement": agreement, "compliance": compliance}


def service_section(user, service):
    """On a service's catalogue page: its standards and what it costs, for a council choosing it."""
    return {
        "service": service,
        "standards": selectors.service_standards(user=user, service=service),
        **selectors.service_charges(user=user, service=service),
    }
