"""Reads of the risk register, each in a fixed number of queries."""

from __future__ import annotations

from collections import Counter

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from apps.catalogue.models import Service
from apps.core.policy import role_of
from apps.core.roles import Role
from apps.delivery.models import Activity
from apps.kpis.models import KPI
from apps.partners.models import Partner
from apps.savings.models import SavingLine, SavingsUpdate, Status
from apps.slas.models import Agreement
from apps.transformation.models import Project

from .models import MitigatingAction, Risk, RiskAssessment, partners_linked
from .scoring import BANDS, IMPACT_LABELS, LIKELIHOOD_LABELS, SCALE, band_label, score, score_rag
from .services import can_record_risk

#: Principal risks shown on the dashboard panel.
PANEL_SIZE = 10
#: A saving line whose latest update says this asks for a linked risk.
STATUSES_NEEDING_A_RISK = (Status.AT_RISK, Status.NOT_ACHIEVABLE)
STAFF_LINKS = (("projects", Project), ("services", Service), ("kpis", KPI))


def risk_list(*, user):
    return (
        Risk.objects.visible_to(user)
        .select_related("area", "owner", "objective")
        .annotate(open_actions=Count("actions", filter=_open_actions_q(), distinct=True))
        .order_by("-residual_score", "title")
    )


def _open_actions_q():
    return Q(actions__status__in=MitigatingAction.OPEN_STATUSES)


def risk_detail(*, user, pk: int) -> Risk:
    """Raises Risk.DoesNotExist when the user may not see it. Linked rows are those the user may see."""
    return (
        Risk.objects.visible_to(user)
        .select_related("area", "owner", "objective")
        .prefetch_related(
            "controls",
            Prefetch("actions", queryset=MitigatingAction.objects.select_related("owner")),
            Prefetch("assessments", queryset=RiskAssessment.objects.select_related("assessed_by")),
            Prefetch("saving_lines", queryset=SavingLine.objects.visible_to(user)),
            Prefetch("activities", queryset=Activity.objects.visible_to(user).select_related("objective__plan")),
            Prefetch("agreements", queryset=Agreement.objects.visible_to(user).select_related("partner")),
            Prefetch("partners", queryset=Partner.objects.visible_to(user)),
            *_staff_only_links(user),
        )
        .get(pk=pk)
    )


def _staff_only_links(user):
    """Projects, services and KPIs are oneSource's own: a partner officer is not shown them here."""
    if role_of(user) == Role.PARTNER_OFFICER:
        return [Prefetch(name, queryset=model.objects.none()) for name, model in STAFF_LINKS]
    return [name for name, _ in STAFF_LINKS]


def assessment_trend(risk: Risk) -> list[dict]:
    """The risk's residual and inherent scores, oldest first, for the trend chart and its table."""
    rows = sorted(risk.assessments.all(), key=lambda a: (a.assessed_on, a.created_at))
    return [
        {
            "assessed_on": a.assessed_on,
            "inherent": a.inherent_score,
            "residual": a.residual_score,
            "rag": a.residual_rag,
            "note": a.note,
            "by": a.assessed_by,
        }
        for a in rows
    ]


def trend_chart(trend: list[dict], *, width: int = 480, height: int = 160) -> dict | None:
    """Points of an SVG line of the residual score over the assessments (25 at the top)."""
    if len(trend) < 2:
        return None
    left, right, top, bottom = 30, 10, 10, 20
    step = (width - left - right) / (len(trend) - 1)
    plot = height - top - bottom

    def y(value):
        return round(top + plot * (25 - value) / 24, 1)

    points = [(round(left + i * step, 1), y(row["residual"])) for i, row in enumerate(trend)]
    return {
        "width": width,
        "height": height,
        "points": " ".join(f"{x},{py}" for x, py in points),
        "dots": [{"x": x, "y": py, "row": row} for (x, py), row in zip(points, trend, strict=True)],
        "gridlines": [{"value": v, "y": y(v)} for v in (1, 5, 15, 25)],
    }


def heat_map(queryset, *, basis: str = "residual") -> dict:
    """Counts of risks in each cell of the 5 × 5 grid (impact across, likelihood up), one query."""
    counts = Counter(
        {
            (row[f"{basis}_likelihood"], row[f"{basis}_impact"]): row["n"]
            for row in queryset.order_by()
            .values(f"{basis}_likelihood", f"{basis}_impact")
            .annotate(n=Count("pk", distinct=True))
        }
    )
    cell, left, top = 90, 130, 10
    rows = []
    for likelihood in reversed(SCALE):
        cells = []
        for impact in SCALE:
            value = score(likelihood, impact)
            cells.append(
                {
                    "likelihood": likelihood,
                    "impact": impact,
                    "score": value,
                    "rag": score_rag(value),
                    "count": counts.get((likelihood, impact), 0),
                    "x": left + (impact - 1) * cell,
                    "y": top + (5 - likelihood) * cell,
                }
            )
        rows.append({"likelihood": likelihood, "label": LIKELIHOOD_LABELS[likelihood], "cells": cells})
    return {
        "basis": basis,
        "rows": rows,
        "impacts": [{"value": i, "label": IMPACT_LABELS[i], "x": left + (i - 1) * cell + cell // 2} for i in SCALE],
        "likelihoods": [
            {"value": v, "label": LIKELIHOOD_LABELS[v], "y": top + (5 - v) * cell + cell // 2} for v in SCALE
        ],
        "total": sum(counts.values()),
        "cell": cell,
        "width": left + 5 * cell + 10,
        "height": top + 5 * cell + 60,
        "axis_y": top + 5 * cell + 25,
        "axis_label_y": top + 5 * cell + 50,
        "bands": [{"low": low, "high": high, "rag": rag, "label": label} for low, high, rag, label in BANDS],
    }


def principal_risks(*, user):
    """Open principal risks the user may see, highest residual score first."""
    return risk_list(user=user).open().filter(is_principal=True)


def dashboard_panel(user):
    today = timezone.localdate()
    risks = list(principal_risks(user=user)[:PANEL_SIZE])
    overdue = None
    if role_of(user) in (Role.ADMIN, Role.DIRECTOR, Role.OFFICER):
        overdue = Risk.objects.editable_by(user).review_overdue(today).count()
    if not risks and not overdue:
        return None
    for risk in risks:
        risk.band = band_label(risk.residual_rag)
    return {"risks": risks, "reviews_overdue": overdue}


def risks_linked_to(*, user, field: str, ids) -> dict[int, list[Risk]]:
    """Open risks the user may see that are linked to the rows ``ids`` through ``field``, by row id."""
    through = getattr(Risk, field).through
    column = f"{getattr(Risk, field).rel.model._meta.model_name}_id"
    visible = Risk.objects.visible_to(user).open().values("pk")
    found: dict[int, list[Risk]] = {}
    for link in through.objects.filter(**{f"{column}__in": ids}, risk_id__in=visible).select_related("risk"):
        found.setdefault(getattr(link, column), []).append(link.risk)
    return found


def report_sections(*, period_end, scopes) -> dict:
    """The principal risks for the monthly reports of some scopes (``None`` for oneSource, or partners),
    by scope: oneSource's report carries them all, a partner's report those tied to the partner's own
    rows (``partners_linked``). Scores are those of the latest assessment made by the month's end (a
    risk not yet assessed by then is left out). Three queries whatever the number of scopes."""
    scopes = list(dict.fromkeys(scopes))
    risks = list(Risk.objects.open().filter(is_principal=True).select_related("owner", "area"))
    linked = partners_linked([r.pk for r in risks], [p.pk for p in scopes if p is not None])
    latest = {}
    for assessment in RiskAssessment.objects.filter(
        risk_id__in=[r.pk for r in risks], assessed_on__lte=period_end
    ).order_by("risk_id", "assessed_on", "created_at"):
        latest[assessment.risk_id] = assessment
    rows = []
    for risk in risks:
        assessment = latest.get(risk.pk)
        if assessment is None:
            continue
        rag = score_rag(assessment.residual_score)
        rows.append(
            {
                "id": risk.pk,
                "reference": risk.reference,
                "title": risk.title,
                "category": risk.get_category_display(),
                "area": risk.area.code if risk.area else "oneSource",
                "owner": str(risk.owner),
                "inherent_score": assessment.inherent_score,
                "residual_score": assessment.residual_score,
                "target_score": risk.target_score,
                "rag": str(rag),
                "band": band_label(rag),
                "assessed_on": assessment.assessed_on.isoformat(),
                "review_on": risk.review_on.isoformat(),
            }
        )
    rows.sort(key=lambda row: (-row["residual_score"], row["title"]))

    def section(partner) -> dict:
        shown = [r for r in rows if partner is None or partner.pk in linked.get(r["id"], ())]
        counts = {str(rag): sum(1 for row in shown if row["rag"] == rag) for _, _, rag, _ in BANDS}
        return {"shown": True, "principal": shown, "rag_counts": counts}

    return {scope: section(scope) for scope in scopes}


def saving_line_section(user, line):
    """On a saving line's page: the risks behind it, and a prompt to record one when the line's
    latest update says it is at risk or not achievable and no open risk is linked yet."""
    risks = list(risk_list(user=user).open().filter(saving_lines=line))
    latest = SavingsUpdate.objects.filter(line=line).order_by("-line_version").first()
    needs_risk = latest is not None and latest.status in STATUSES_NEEDING_A_RISK and not risks
    if not risks and not needs_risk:
        return None
    return {
        "line": line,
        "risks": risks,
        "needs_risk": needs_risk,
        "status": latest.get_status_display() if latest else "",
        "may_record": can_record_risk(user),
    }


def activity_section(user, activity):
    """On an activity's page: the open risks to it (shown first when the activity is overdue)."""
    risks = list(risk_list(user=user).open().filter(activities=activity))
    if not risks:
        return None
    return {"activity": activity, "risks": risks, "overdue": activity.overdue_on(timezone.localdate())}
