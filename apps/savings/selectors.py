"""Reads of the savings tracker: one fixed set of queries per page, whatever the number of lines.

Figures are added up in Python from a single query of year targets annotated with each line's
latest update for that year, so every total on a page, in the API and in the Excel export comes
from the same rows and agrees to the penny.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Exists, Max, Min, OuterRef, Prefetch, Subquery
from django.utils import timezone

from apps.core.periods import FinancialYear, fy_label
from apps.core.policy import role_of
from apps.core.roles import Role
from apps.transformation.models import Project

from .models import (
    STATUSES_OF_CONCERN,
    PartnerShare,
    Programme,
    Rephasing,
    SavingLine,
    SavingsUpdate,
    Status,
    YearTarget,
)

ZERO = Decimal("0.00")
PENNY = Decimal("0.01")
FIRST_YEAR = 2014  # oneSource began in April 2014


def reporting_year(today: dt.date | None = None) -> int:
    """The year directors update: this financial year, or the nearest year that has targets.

    Savings still open after the programmes' last year are reported against that last year.
    """
    current = FinancialYear.of(today or timezone.localdate()).start_year
    bounds = YearTarget.objects.aggregate(first=Min("financial_year"), last=Max("financial_year"))
    if bounds["last"] is None:
        return current
    return min(max(current, bounds["first"]), bounds["last"])


@dataclass
class Figures:
    target: Decimal = ZERO
    forecast: Decimal = ZERO
    achieved: Decimal = ZERO

    def add(self, target, forecast, achieved) -> None:
        self.target += target
        self.forecast += forecast
        self.achieved += achieved

    @property
    def variance(self) -> Decimal:
        """Forecast less target: below zero is a shortfall."""
        return self.forecast - self.target

    @property
    def variance_percent(self) -> Decimal | None:
        if not self.target:
            return None
        return (self.variance * 100 / self.target).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class LineYear:
    """A line's target for one year with the latest update for it (or none yet)."""

    line: SavingLine
    year: int
    target: Decimal
    forecast: Decimal
    achieved: Decimal
    status: str | None
    commentary: str
    updated_in: dt.date | None
    slipped_out: Decimal = ZERO  # target moved from this year to a later one

    @property
    def year_label(self) -> str:
        return fy_label(self.year)

    @property
    def status_label(self) -> str:
        return Status(self.status).label if self.status else "No update yet"

    @property
    def variance(self) -> Decimal:
        return self.forecast - self.target

    @property
    def is_concern(self) -> bool:
        return self.status in STATUSES_OF_CONCERN or self.slipped_out > 0


def allocate(amount: Decimal, shares: list[tuple[int, Decimal]]) -> dict[int, Decimal]:
    """Split ``amount`` by percentage shares, in pence, so the parts add up exactly to it.

    Each part is rounded down to the penny and the pence left over go to the largest remainders.
    """
    pence = int((amount / PENNY).to_integral_value())
    exact = [(key, Decimal(pence) * pct / 100) for key, pct in shares]
    parts = {key: int(value) for key, value in exact}
    left = pence - sum(parts.values())
    by_remainder = sorted(exact, key=lambda item: (-(item[1] - int(item[1])), str(item[0])))
    for key, _ in by_remainder[: max(left, 0)]:
        parts[key] += 1
    return {key: Decimal(value) * PENNY for key, value in parts.items()}


def _latest(field_name: str):
    latest = SavingsUpdate.objects.filter(line=OuterRef("line"), financial_year=OuterRef("financial_year")).order_by(
        "-line_version"
    )
    return Subquery(latest.values(field_name)[:1])


def line_years(lines) -> list[LineYear]:
    """Every year target of ``lines`` (a queryset) with its latest update; two queries."""
    targets = (
        YearTarget.objects.filter(line__in=lines)
        .select_related("line__programme", "line__area", "line__owner")
        .annotate(
            u_forecast=_latest("forecast"),
            u_achieved=_latest("achieved"),
            u_status=_latest("status"),
            u_commentary=_latest("commentary"),
            u_period=_latest("period"),
        )
        .order_by("line__programme__display_order", "line__area__display_order", "line__reference", "financial_year")
    )
    slipped = defaultdict(lambda: ZERO)
    for move in Rephasing.objects.filter(line__in=lines).values("line_id", "from_year", "amount"):
        slipped[(move["line_id"], move["from_year"])] += move["amount"]
    rows = []
    for target in targets:
        # Until the first update the forecast is the target: nothing has been reported against it.
        rows.append(
            LineYear(
                line=target.line,
                year=target.financial_year,
                target=target.amount,
                forecast=target.amount if target.u_forecast is None else target.u_forecast,
                achieved=ZERO if target.u_achieved is None else target.u_achieved,
                status=target.u_status,
                commentary=target.u_commentary or "",
                updated_in=target.u_period,
                slipped_out=slipped[(target.line_id, target.financial_year)],
            )
        )
    return rows


@dataclass
class Tracker:
    year: int | None
    status: str | None
    rows: list[LineYear]
    total: Figures
    by_programme: list[tuple[Programme, Figures]]
    by_area: list[tuple[object, Figures]]
    by_partner: list[tuple[object, Figures]]
    by_year: list[tuple[str, Figures]]
    cumulative: Figures
    headline: Decimal
    run_rate: Figures
    slippage: Decimal
    partner_view: object = None
    concerns: list[LineYear] = field(default_factory=list)

    @property
    def year_label(self) -> str:
        return fy_label(self.year) if self.year is not None else ""


def tracker(*, user, lines, year: int | None = None, status: str | None = None) -> Tracker:
    """The tracker of ``lines`` (already visible to ``user`` and filtered), for one year or all.

    ``cumulative`` and ``run_rate`` cover every year since April 2014 whatever the year chosen:
    they answer "how far towards £14.8m", and "how much is saved every year from now on".
    """
    all_rows = line_years(lines)
    rows = [r for r in all_rows if (year is None or r.year == year) and (status is None or r.status == status)]
    rows.sort(key=lambda r: (not r.is_concern,))  # stable: concerns first, otherwise in line order

    line_ids = {r.line.pk for r in all_rows}
    shares_by_line = defaultdict(list)
    partners = {}
    for share in PartnerShare.objects.filter(line_id__in=line_ids).select_related("partner"):
        shares_by_line[share.line_id].append((share.partner_id, share.percentage))
        partners[share.partner_id] = share.partner
    # Shares are split over every partner so that the pence add up, but shown only where visible.
    shown_partners = set(
        PartnerShare.objects.visible_to(user).filter(line_id__in=line_ids).values_list("partner_id", flat=True)
    )

    total = Figures()
    by_programme, by_area, by_year, by_partner = {}, {}, {}, defaultdict(Figures)
    for r in rows:
        total.add(r.target, r.forecast, r.achieved)
        by_programme.setdefault(r.line.programme, Figures()).add(r.target, r.forecast, r.achieved)
        by_area.setdefault(r.line.area, Figures()).add(r.target, r.forecast, r.achieved)
        by_year.setdefault(r.year, Figures()).add(r.target, r.forecast, r.achieved)
        split = [allocate(amount, shares_by_line[r.line.pk]) for amount in (r.target, r.forecast, r.achieved)]
        for partner_id in split[0]:
            by_partner[partner_id].add(split[0][partner_id], split[1][partner_id], split[2][partner_id])

    cumulative, run_rate = Figures(), Figures()
    for r in all_rows:
        cumulative.add(r.target, r.forecast, r.achieved)
        if r.line.is_recurring:
            run_rate.add(r.target, r.forecast, r.achieved)
    programme_ids = {r.line.programme_id for r in all_rows}
    programmes = Programme.objects.visible_to(user)
    headline = sum(
        (p.total for p in (programmes.filter(pk__in=programme_ids) if programme_ids else programmes)),
        ZERO,
    )
    partner_view = partners.get(user.partner_id) if role_of(user) == Role.PARTNER_OFFICER else None
    return Tracker(
        year=year,
        status=status,
        rows=rows,
        total=total,
        by_programme=sorted(by_programme.items(), key=lambda item: (item[0].display_order, item[0].name)),
        by_area=sorted(by_area.items(), key=lambda item: (item[0].display_order, item[0].name)),
        by_partner=sorted(
            ((partners[pid], figures) for pid, figures in by_partner.items() if pid in shown_partners),
            key=lambda item: item[0].name,
        ),
        by_year=[(fy_label(y), by_year[y]) for y in sorted(by_year)],
        cumulative=cumulative,
        headline=headline,
        run_rate=run_rate,
        slippage=sum((r.slipped_out for r in rows), ZERO),
        partner_view=partner_view,
        concerns=[r for r in rows if r.is_concern],
    )


def line_list(*, user):
    """Lines visible to the user, with what a list shows, and the latest status of each."""
    latest = SavingsUpdate.objects.filter(line=OuterRef("pk")).order_by("-line_version")
    return (
        SavingLine.objects.visible_to(user)
        .select_related("programme", "area", "owner", "project")
        .annotate(latest_status=Subquery(latest.values("status")[:1]))
    )


def project_section(user, project):
    """The savings lines a transformation project must deliver, with their latest status."""
    lines = list(line_list(user=user).filter(project=project).order_by("reference"))
    labels = dict(Status.choices)
    for line in lines:
        line.latest_status_label = labels.get(line.latest_status, "No update yet")
    return {"project": project, "lines": lines}


def line_detail(*, user, reference: str) -> SavingLine:
    """The line with its visible shares, targets, updates and re-phasings; DoesNotExist if hidden.

    ``project_visible`` says whether the user may see its transformation project (a partner officer may not).
    """
    return (
        SavingLine.objects.visible_to(user)
        .select_related("programme", "area", "owner", "project")
        .annotate(project_visible=Exists(Project.objects.visible_to(user).filter(pk=OuterRef("project"))))
        .prefetch_related(
            Prefetch(
                "shares",
                queryset=PartnerShare.objects.visible_to(user).select_related("partner"),
                to_attr="shown_shares",
            ),
            Prefetch("updates", queryset=SavingsUpdate.objects.select_related("recorded_by"), to_attr="all_updates"),
            Prefetch("rephasings", queryset=Rephasing.objects.select_related("recorded_by"), to_attr="all_rephasings"),
        )
        .get(reference=reference)
    )


def history(line: SavingLine) -> list[dict]:
    """Updates and re-phasings of a line (from ``line_detail``), newest first."""
    entries = [{"kind": "update", "version": u.line_version, "item": u} for u in line.all_updates]
    entries += [{"kind": "rephasing", "version": m.line_version, "item": m} for m in line.all_rephasings]
    return sorted(entries, key=lambda e: -e["version"])


def my_savings(*, user, year: int):
    """The lines a director may update that have a target in ``year``, with their latest update."""
    lines = SavingLine.objects.editable_by(user).filter(
        pk__in=YearTarget.objects.filter(financial_year=year).values("line")
    )
    return [r for r in line_years(lines) if r.year == year]


def dashboard_panel(user):
    """A director's lines that have no update yet for this month."""
    if role_of(user) != Role.DIRECTOR:
        return None
    from .services import reporting_period

    year = reporting_year()
    period = reporting_period(year)
    lines = my_savings(user=user, year=year)
    if not lines:
        return None
    rows = [r for r in lines if r.updated_in != period]
    return {"rows": rows, "year": fy_label(year), "period": period}


def partner_section(user, partner):
    """The partner's share of the savings since April 2014."""
    lines = SavingLine.objects.visible_to(user).filter(shares__partner=partner)
    summary = tracker(user=user, lines=lines)
    mine = dict(summary.by_partner).get(partner)
    if mine is None:
        return None
    return {"partner": partner, "share": mine, "line_count": len({r.line.pk for r in summary.rows})}
