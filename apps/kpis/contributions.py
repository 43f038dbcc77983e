"""What the KPIs add to the dashboard and to a partner's page."""

from django.utils import timezone

from apps.core.periods import last_month
from apps.core.policy import role_of
from apps.core.roles import Role

from . import selectors


def dashboard_panel(user):
    """Directors and officers: their areas' KPIs still to enter or approve for last month."""
    if role_of(user) not in (Role.DIRECTOR, Role.OFFICER):
        return None
    returns = selectors.my_returns_count(user=user, period=last_month())
    if returns.is_empty:
        return None
    return {"returns": returns, "overdue": timezone.localdate() > returns.deadline}


def partner_section(user, partner):
    """The partner's latest approved scorecard."""
    period = selectors.latest_approved_period(user=user, partner=partner)
    if period is None:
        return {"rows": [], "by_service": [], "partner": partner, "period": None}
    card = selectors.kpi_scorecard(user=user, partner=partner, period=period)
    return {"rows": card.rows, "by_service": card.by_service, "partner": partner, "period": period}


def service_section(user, service):
    """The KPIs that measure the service, on its catalogue page."""
    return {"service": service, "kpis": list(selectors.service_kpis(user=user, service=service))}
