"""Reads of the savings tracker: one fixed set of queries per page, whatever the number of lines.

Figures are added up in Python from a single query of year targets annotated with each line's
latest update for that year, so every total on a page, in the API and in the Excel export comes
from the same rows and agrees to the penny.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Exists, OuterRef, Prefetch, Subquery
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
    delivered_from,
)

ZERO = Decimal("0.00")
PENNY = Decimal("0.01")
FIRST_YEAR = 2014  # oneSource began in April 2014


def reporting_year(when: dt.date | None = None) -> int:
    """The financial year of the month being read (today's, or a report's month): November 2026 is 2026/27.

    Never another year: a year without targets is shown as such, and moving targets between years
    (re-phasing) changes no page's year.
    """
    return FinancialYear.of(when or timezone.localdate()).start_year


def step_figures(
    *, amount: Decimal, year: int, delivery_month: int | None, recurring: bool, in_year: int
) -> tuple[Decimal, Decimal]:
    """The run-rate and the cash that a saving of ``amount`` delivered in ``year`` gives in ``in_year``.

    A recurring saving delivered from 1 October 2016 at £100,000 a year: run-rate £100,000 a year from
    2016/17 on; cash £50,000 in 2016/17 (October to March, six months of twelve), then £100,000 a
    year. A one-off saving is cash in its own year only and adds nothing to the run-rate. Cash is in
    pence, rounded half up.
    """
    if in_year < year:
        return ZERO, ZERO
    if not recurring:
        return ZERO, (amount if in_year == year else ZERO)
    if in_year > year:
        return amount, amount
    start = delivered_from(year, delivery_month)
    months = 12 - FinancialYear(year).months().index(start)
    return amount, (amount * months / 12).quantize(PENNY, rounding=ROUND_HALF_UP)


def cumulative_cash(
    *, amount: Decimal, year: int, delivery_month: int | None, recurring: bool, through: int
) -> Decimal:
    """The cash a saving delivered in ``year`` has saved from then to the end of the year ``through``."""
    return sum(
        (
            step_figures(amount=amount, year=year, delivery_month=delivery_month, recurring=recurring, in_year=y)[1]
            for y in range(year, through + 1)
        ),
        ZERO,
    )


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
    """A line's target for one year with the latest update for it (or none yet).

    ``run_rate`` and ``cash`` are what the year's achieved saving gives as read in a given year
    (``with_reading``): the run-rate it adds by then, and the cash it has saved to the end of the
    last complete year before it.
    """

    line: SavingLine
    year: int
    target: Decimal
    forecast: Decimal
    achieved: Decimal
    status: str | None
    commentary: str
    updated_in: dt.date | None
    slipped_out: Decimal = ZERO  # target moved from this year to a later one
    delivery_month: int | None = None
    run_rate: Decimal = ZERO
    cash: Decimal = ZERO

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

    def with_reading(self, reading_year: int) -> LineYear:
        recurring = self.line.is_recurring
        run_rate = self.achieved if recurring and self.year <= reading_year else ZERO
        cash = cumulative_cash(
            amount=self.achieved,
            year=self.year,
            delivery_month=self.delivery_month,
            recurring=recurring,
            through=reading_year - 1,
        )
        return replace(self, run_rate=run_rate, cash=cash)

    def share(self, shares: list[tuple[int, Decimal]], partner_id: int) -> LineYear:
        """The partner's share of every figure of the row (``share_of`` each)."""
        return replace(
            self,
            **{name: share_of(getattr(self, name), shares, partner_id) for name in SHARED_FIGURES},
        )


#: The figures of a row that are split between the partners.
SHARED_FIGURES = ("target", "forecast", "achieved", "slipped_out", "run_rate", "cash")


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


def share_of(amount: Decimal, shares: list[tuple[int, Decimal]], partner_id: int) -> Decimal:
    """A partner's share of one amount of a line (its part of ``allocate``); nothing without a share.

    Every partner-scoped figure is made of these, so the partners' figures add up to the whole.
    """
    if not amount:
        return ZERO
    return allocate(amount, shares).get(partner_id, ZERO)


def _latest(field_name: str):
    latest = SavingsUpdate.objects.filter(line=OuterRef("line"), financial_year=OuterRef("financial_year")).order_by(
        "-line_version"
    )
    return Subquery(latest.values(field_name)[:1])


def line_years(lines, *, year: int | None = None) -> list[LineYear]:
    """Every year target of ``lines`` (a queryset) with its latest update, or those of one ``year``;
    two queries."""
    targets = YearTarget.objects.filter(line__in=lines)
    if year is not None:
        targets = targets.filter(financial_year=year)
    targets = (
        targets.select_related("line__programme", "line__area", "line__owner")
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
                delivery_month=target.delivery_month,
            )
        )
    return rows


@dataclass
class Tracker:
    """The savings of some lines for one scope (oneSource, or one partner's shares) and one year or all.

    ``commitment`` is the annual saving planned once delivered: for oneSource the programmes' totals,
    for a partner its share of the recurring targets. ``plan_commitment`` and ``plan_run_rate`` are the
    same two figures for the Strategic Plan's own programmes alone (its "total of £14.8 million" a
    year), so the plan's promise is read apart from the later, illustrative programmes. ``run_rate`` is
    the annual saving achieved to date (in the year read), ``cash`` the cumulative cash saved from
    April 2014 to the end of ``cash_until``. They are different measures and are never added.
    """

    year: int | None
    reading_year: int
    partner: object
    status: str | None
    rows: list[LineYear]
    total: Figures
    by_programme: list[tuple[Programme, Figures]]
    by_area: list[tuple[object, Figures]]
    by_partner: list[tuple[object, Figures]]
    by_year: list[tuple[str, Figures]]
    programmes: list[Programme]
    commitment: Decimal
    run_rate: Decimal
    plan_commitment: Decimal
    plan_run_rate: Decimal
    cash: Decimal
    slippage: Decimal
    years_with_targets: list[int]
    concerns: list[LineYear] = field(default_factory=list)

    @property
    def year_label(self) -> str:
        return fy_label(self.year) if self.year is not None else ""

    @property
    def reading_year_label(self) -> str:
        return fy_label(self.reading_year)

    @property
    def cash_until(self) -> int:
        """The last complete financial year before the one read."""
        return self.reading_year - 1

    @property
    def cash_period(self) -> str:
        """ "April 2014 – March 2026": the months the cumulative cash covers."""
        return f"April {FIRST_YEAR} – March {self.reading_year}"

    @property
    def has_cash(self) -> bool:
        return self.cash_until >= FIRST_YEAR

    @property
    def year_is_empty(self) -> bool:
        """The year asked for has no target in these lines: it is shown as such, not swapped for another."""
        return self.year is not None and self.year not in self.years_with_targets

    @property
    def years_with_targets_labels(self) -> list[tuple[int, str]]:
        return [(y, fy_label(y)) for y in self.years_with_targets]

    @property
    def plan_programmes(self) -> list[Programme]:
        return [p for p in self.programmes if not p.illustrative]

    @property
    def later_programmes(self) -> list[Programme]:
        return [p for p in self.programmes if p.illustrative]

    @property
    def scope_name(self) -> str:
        return f"{self.partner.short_name}'s share" if self.partner is not None else "oneSource"


def tracker(
    *,
    user,
    lines,
    year: int | None = None,
    status: str | None = None,
    partner=None,
    reading: dt.date | None = None,
) -> Tracker:
    """The tracker of ``lines`` (already visible to ``user`` and filtered), for one year or all.

    ``partner`` scopes every figure to that partner's shares (a partner officer is always scoped to
    their own partner). ``reading`` is the day read (today unless given): the run-rate achieved to
    date and the cumulative cash are as of its financial year, whatever ``year`` the tables show.
    """
    if role_of(user) == Role.PARTNER_OFFICER:
        partner = user.partner
    return trackers(user=user, lines=lines, scopes=[partner], year=year, status=status, reading=reading)[partner]


def trackers(
    *,
    user,
    lines,
    scopes,
    year: int | None = None,
    status: str | None = None,
    reading: dt.date | None = None,
) -> dict:
    """``tracker`` for many scopes of the same lines at once (``None`` for oneSource, or partners), by
    scope: a month's reports read the savings once for a batch of partners. The same five queries
    whatever the number of scopes; each scope's tracker is what ``tracker`` gives for it alone, as a
    partner's holds only the lines it shares."""
    scopes = list(dict.fromkeys(scopes))
    reading_year = reporting_year(reading)
    read_rows = [r.with_reading(reading_year) for r in line_years(lines)]
    line_ids = {r.line.pk for r in read_rows}
    shares_by_line = defaultdict(list)
    partners = {}
    for share in PartnerShare.objects.filter(line_id__in=line_ids).select_related("partner"):
        shares_by_line[share.line_id].append((share.partner_id, share.percentage))
        partners[share.partner_id] = share.partner
    programme_ids = {r.line.programme_id for r in read_rows}
    programmes = list(Programme.objects.visible_to(user).filter(pk__in=programme_ids)) if programme_ids else []
    # Shares are split over every partner so that the pence add up, but shown only where visible.
    shown = None
    if None in scopes:
        shown = set(
            PartnerShare.objects.visible_to(user).filter(line_id__in=line_ids).values_list("partner_id", flat=True)
        )
    read = _TrackerRead(read_rows, shares_by_line, partners, programmes, reading_year)
    return {
        scope: read.tracker(scope, year=year, status=status, shown_partners=shown if scope is None else {scope.pk})
        for scope in scopes
    }


@dataclass
class _TrackerRead:
    """What ``trackers`` reads once for all its scopes."""

    rows: list[LineYear]
    shares_by_line: dict[int, list[tuple[int, Decimal]]]
    partners: dict
    programmes: list[Programme]
    reading_year: int

    def tracker(self, partner, *, year: int | None, status: str | None, shown_partners: set[int]) -> Tracker:
        shares_by_line, all_rows = self.shares_by_line, self.rows
        partners = dict(self.partners)
        if partner is not None:
            all_rows = [
                r.share(shares_by_line[r.line.pk], partner.pk)
                for r in all_rows
                if any(pid == partner.pk for pid, _ in shares_by_line[r.line.pk])
            ]
        rows = [r for r in all_rows if (year is None or r.year == year) and (status is None or r.status == status)]
        rows.sort(key=lambda r: (not r.is_concern,))  # stable: concerns first, otherwise in line order

        total = Figures()
        by_programme, by_area, by_year, by_partner = {}, {}, {}, defaultdict(Figures)
        for r in rows:
            total.add(r.target, r.forecast, r.achieved)
            by_programme.setdefault(r.line.programme, Figures()).add(r.target, r.forecast, r.achieved)
            by_area.setdefault(r.line.area, Figures()).add(r.target, r.forecast, r.achieved)
            by_year.setdefault(r.year, Figures()).add(r.target, r.forecast, r.achieved)
            if partner is not None:
                by_partner[partner.pk].add(r.target, r.forecast, r.achieved)
                continue
            split = [allocate(amount, shares_by_line[r.line.pk]) for amount in (r.target, r.forecast, r.achieved)]
            for partner_id in split[0]:
                by_partner[partner_id].add(split[0][partner_id], split[1][partner_id], split[2][partner_id])
        if partner is not None:
            partners[partner.pk] = partner

        programme_ids = {r.line.programme_id for r in all_rows}
        programmes = [p for p in self.programmes if p.pk in programme_ids]
        if partner is None:
            commitment = sum((p.total for p in programmes), ZERO)
        else:
            commitment = sum((r.target for r in all_rows if r.line.is_recurring), ZERO)
        return Tracker(
            year=year,
            reading_year=self.reading_year,
            partner=partner,
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
            programmes=programmes,
            plan_commitment=sum((p.total for p in programmes if not p.illustrative), ZERO),
            plan_run_rate=sum((r.run_rate for r in all_rows if not r.line.programme.illustrative), ZERO),
            commitment=commitment,
            run_rate=sum((r.run_rate for r in all_rows), ZERO),
            cash=sum((r.cash for r in all_rows), ZERO),
            slippage=sum((r.slipped_out for r in rows), ZERO),
            years_with_targets=sorted({r.year for r in all_rows if r.target > 0}),
            concerns=[r for r in rows if r.is_concern],
        )


def _with_project_visibility(lines, user):
    """``project_visible``: whether the user may see the line's transformation project (a partner officer
    may not: projects are oneSource's own)."""
    return lines.annotate(project_visible=Exists(Project.objects.visible_to(user).filter(pk=OuterRef("project"))))


def line_list(*, user):
    """Lines visible to the user, with what a list shows, and the latest status of each."""
    latest = SavingsUpdate.objects.filter(line=OuterRef("pk")).order_by("-line_version")
    lines = (
        SavingLine.objects.visible_to(user)
        .select_related("programme", "area", "owner", "project")
        .annotate(latest_status=Subquery(latest.values("status")[:1]))
    )
    return _with_project_visibility(lines, user)


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
        _with_project_visibility(SavingLine.objects.visible_to(user), user)
        .select_related("programme", "area", "owner", "project")
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


def years_with_targets(lines) -> list[tuple[int, str]]:
    """The years in which ``lines`` have a target, to offer when the year read has none (one query)."""
    years = (
        YearTarget.objects.filter(line__in=lines, amount__gt=0)
        .values_list("financial_year", flat=True)
        .distinct()
        .order_by("financial_year")
    )
    return [(year, fy_label(year)) for year in years]


def my_savings(*, user, year: int):
    """The lines a director may update that have a target in ``year``, with their latest update."""
    lines = SavingLine.objects.editable_by(user).filter(
        pk__in=YearTarget.objects.filter(financial_year=year).values("line")
    )
    return line_years(lines, year=year)


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
    """The partner's shares of the savings: this year's figures, the run-rate to date and the cash saved."""
    lines = SavingLine.objects.visible_to(user).filter(shares__partner=partner)
    summary = tracker(user=user, lines=lines, year=reporting_year(), partner=partner)
    if not summary.years_with_targets:
        return None
    return {"partner": partner, "tracker": summary, "line_count": len({r.line.pk for r in summary.rows})}
