"""What the monthly reports add to the dashboard at ``/``, by role.

Every figure comes from a published report's snapshot, so the dashboard and the report agree.
"""

from apps.core.policy import role_of
from apps.core.roles import Role

from . import charts, selectors


def _partner_panel(user):
    published = selectors.latest_published(user=user, partner=user.partner) if user.partner_id else None
    if published is None:
        return {"kind": "partner", "published": None, "partner": user.partner}
    snapshot = published.snapshot
    return {
        "kind": "partner",
        "partner": user.partner,
        "published": published,
        "snapshot": snapshot,
        "rag_chart": charts.rag_chart(snapshot, ident="dash-rag"),
        "sla_chart": charts.compliance_chart(snapshot, ident="dash-sla"),
    }


def _director_panel(user):
    published = selectors.latest_published(user=user, partner=None)
    if published is None:
        return None
    areas = set(user.service_areas.values_list("code", flat=True))
    snapshot = published.snapshot
    rows = [row for row in snapshot["kpis"]["rows"] if row["area"] in areas]
    savings = [row for row in snapshot["savings"]["by_area"] if row["code"] in areas]
    return {
        "kind": "director",
        "published": published,
        "snapshot": snapshot,
        "rows": rows,
        "counts": {c: sum(1 for r in rows if r["rag"] == c) for c in ("green", "amber", "red", "grey")},
        "savings": savings,
    }


def _committee_panel(user):
    published = selectors.latest_published(user=user, partner=None)
    if published is None:
        return {"kind": "committee", "published": None}
    snapshot = published.snapshot
    return {
        "kind": "committee",
        "published": published,
        "snapshot": snapshot,
        "comparison": selectors.partner_comparison(user=user, period=published.report.period),
        "rag_chart": charts.rag_chart(snapshot, ident="dash-rag"),
        "sla_chart": charts.compliance_chart(snapshot, ident="dash-sla"),
    }


def dashboard_panel(user):
    role = role_of(user)
    if role == Role.PARTNER_OFFICER:
        return _partner_panel(user)
    if role in (Role.DIRECTOR, Role.OFFICER):
        return _director_panel(user)
    if role in (Role.COMMITTEE_MEMBER, Role.ADMIN):
        return _committee_panel(user)
    return None
