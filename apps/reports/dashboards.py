"""What the monthly reports add to the dashboard at ``/``, by role.

Every figure comes from a published report's snapshot, so the dashboard and the report agree. A
published version never changes, so the panel drawn from it is kept in the cache under the version's
id (and, for the comparison across partners, the latest version published that month): the
dashboard reads the snapshot and draws its charts once per version, not once per request.
"""

from django.core.cache import cache
from django.db.models import Max, Subquery
from django.template.loader import render_to_string

from apps.core.policy import role_of
from apps.core.roles import Role

from . import charts, selectors
from .models import CommitteePack, PublishedReport

PANEL_TEMPLATE = "reports/panels/dashboard_body.html"
CACHE_SECONDS = 24 * 60 * 60


def _drawn(key: str, build) -> dict:
    """The panel's HTML from the cache, or drawn from ``build()``'s context and kept."""
    html = cache.get(key)
    if html is None:
        html = render_to_string(PANEL_TEMPLATE, {"panel": build()})
        cache.set(key, html, CACHE_SECONDS)
    return {"html": html}


def _snapshot(published) -> dict:
    return PublishedReport.objects.values_list("snapshot", flat=True).get(pk=published.pk)


def _partner_panel(user):
    published = (
        selectors.latest_published(user=user, partner=user.partner, with_snapshot=False) if user.partner_id else None
    )
    if published is None:
        return _drawn(
            f"reports-panel:partner:none:{user.partner_id}", lambda: {"kind": "partner", "partner": user.partner}
        )

    def build():
        snapshot = _snapshot(published)
        return {
            "kind": "partner",
            "partner": user.partner,
            "published": published,
            "snapshot": snapshot,
            "rag_chart": charts.rag_chart(snapshot, ident="dash-rag"),
            "sla_chart": charts.compliance_chart(snapshot, ident="dash-sla"),
        }

    return _drawn(f"reports-panel:partner:{published.pk}", build)


def _director_panel(user):
    published = selectors.latest_published(user=user, partner=None, with_snapshot=False)
    if published is None:
        return None
    areas = sorted(user.service_areas.values_list("code", flat=True))

    def build():
        snapshot = _snapshot(published)
        rows = [row for row in snapshot["kpis"]["rows"] if row["area"] in areas]
        return {
            "kind": "director",
            "published": published,
            "snapshot": snapshot,
            "rows": rows,
            "counts": {c: sum(1 for r in rows if r["rag"] == c) for c in ("green", "amber", "red", "grey")},
            "savings": [row for row in snapshot["savings"]["by_area"] if row["code"] in areas],
        }

    return _drawn(f"reports-panel:director:{published.pk}:{'-'.join(areas)}", build)


def _committee_panel(user):
    published = selectors.latest_published(user=user, partner=None, with_snapshot=False)
    if published is None:
        return _drawn(
            f"reports-panel:committee:none:{role_of(user)}",
            lambda: {"kind": "committee", "is_admin": role_of(user) == Role.ADMIN},
        )
    period = published.report.period
    # The comparison changes whenever another partner's report of the month is published, and the link
    # to the month's pack when it is built: both are read in one query and name the cached panel.
    ready_pack = CommitteePack.objects.filter(period=period, status=CommitteePack.Status.READY).values("built_at")
    state = PublishedReport.objects.filter(report__period=period).aggregate(
        newest=Max("pk"), pack_built_at=Max(Subquery(ready_pack[:1]))
    )
    newest, pack_built_at = state["newest"], state["pack_built_at"]

    def build():
        snapshot = _snapshot(published)
        return {
            "kind": "committee",
            "pack_month": period if pack_built_at else None,
            "published": published,
            "snapshot": snapshot,
            "comparison": selectors.partner_comparison(user=user, period=period),
            "rag_chart": charts.rag_chart(snapshot, ident="dash-rag"),
            "sla_chart": charts.compliance_chart(snapshot, ident="dash-sla"),
        }

    built = pack_built_at.timestamp() if pack_built_at else "none"
    return _drawn(f"reports-panel:committee:{published.pk}:{newest}:{built}", build)


def dashboard_panel(user):
    role = role_of(user)
    if role == Role.PARTNER_OFFICER:
        return _partner_panel(user)
    if role in (Role.DIRECTOR, Role.OFFICER):
        return _director_panel(user)
    if role in (Role.COMMITTEE_MEMBER, Role.ADMIN):
        return _committee_panel(user)
    return None
