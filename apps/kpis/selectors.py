"""Reads of KPIs, targets and measurements: restricted to what the user may see, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import NamedTuple

from django.core.paginator import Page, Paginator
from django.db.models import Count, Max, Q, Sum

from apps.catalogue.models import Subscription
from apps.core.periods import FinancialYear, add_months, nth_working_day
from apps.core.policy import has_area, role_of
from apps.core.rag import Rag
from apps.core.roles import STAFF_ROLES, Role
from apps.partners.models import Partner

from .models import KPI, Measurement, Target


def _current_on(day: dt.date) -> Q:
    return Q(starts_on__lte=day) & (Q(ends_on__isnull=True) | Q(ends_on__gte=day))


def partners_measured(*, kpi: KPI, period: dt.date):
    """The partners that take the KPI's service (or any service of its area) in that month."""
    subscriptions = Subscription.objects.filter(_current_on(period))
    if kpi.service_id:
        subscriptions = subscriptions.filter(service_id=kpi.service_id)
    else:
        subscriptions = subscriptions.filter(service__area_id=kpi.area_id)
    return Partner.objects.filter(pk__in=subscriptions.values("partner_id")).order_by("name")


def kpi_aggregate(kpi: KPI, measurements: Iterable) -> Decimal | None:
    """One figure for many measurements (several partners, several months, or both), honestly.

    A rate is Σnumerator / Σdenominator, never the mean of the partners' or months' percentages, so
    a large partner weighs as much as its caseload. A KPI whose rule is "latest" (a balance, or a
    cumulative or rolling rate) first keeps each partner's latest month. Then values follow their
    rule: a sum (balances and counts add up across partners) or a mean.
    """
    rows = [m for m in measurements if m.result is not None]
    if kpi.aggregation == KPI.Aggregation.LATEST:
        latest = {}
        for row in sorted(rows, key=lambda m: m.period):
            latest[row.partner_id] = row
        rows = list(latest.values())
    if not rows:
        return None
    return _by_rule(kpi, rows, len(rows))


def _by_rule(kpi: KPI, figures, count: int) -> Decimal | None:
    """Figures (or sums of figures) that all have a result, made one by the KPI's rule: Σnumerator /
    Σdenominator for a rate, else the sum of the values, or their mean over ``count`` figures."""
    if kpi.is_rate:
        return kpi.rate_value(sum(f.numerator for f in figures), sum(f.denominator for f in figures))
    total = sum(f.value for f in figures)
    return total / count if kpi.aggregation == KPI.Aggregation.MEAN else total


def target_for(*, kpi: KPI, partner: Partner | None, period: dt.date) -> Target | None:
    """The target for that partner and month: the partner's own for the year, else the one for all partners."""
    year = FinancialYear.of(period).start_year
    targets = Target.objects.filter(kpi=kpi, financial_year=year).filter(
        Q(partner__isnull=True) | Q(partner=partner) if partner else Q(partner__isnull=True)
    )
    return min(targets.select_related("kpi"), key=lambda t: t.partner_id is None, default=None)


class Taken(NamedTuple):
    """A subscription reduced to what ``SubscriptionBook.takes`` asks of it."""

    service_id: int
    area_id: int
    starts_on: dt.date
    ends_on: dt.date | None

    def in_force_on(self, period: dt.date) -> bool:
        return self.starts_on <= period and (self.ends_on is None or self.ends_on >= period)


class SubscriptionBook:
    """Which partner takes which service when, read in one query, answering ``takes(kpi, partner_id, period)``."""

    def __init__(self, subscriptions: Iterable[tuple[int, Taken]]):
        self._by_partner: dict[int, list[Taken]] = {}
        for partner_id, taken in subscriptions:
            self._by_partner.setdefault(partner_id, []).append(taken)

    @classmethod
    def between(
        cls,
        first: dt.date,
        last: dt.date,
        partner_ids: Iterable[int] | None = None,
        kpis: Iterable[KPI] | None = None,
    ) -> SubscriptionBook:
        """The subscriptions in force at some time from ``first`` to ``last``: of some partners only, or
        only those that some KPIs measure (``takes`` answers for those KPIs alone), if given."""
        overlapping = Subscription.objects.filter(starts_on__lte=last).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=first)
        )
        if partner_ids is not None:
            overlapping = overlapping.filter(partner_id__in=list(partner_ids))
        if kpis is not None:
            # A KPI of a service measures that service, whatever area the service sits in; one without
            # a service measures every service of its area.
            kpis = list(kpis)
            overlapping = overlapping.filter(
                Q(service_id__in={kpi.service_id for kpi in kpis if kpi.service_id})
                | Q(service__area_id__in={kpi.area_id for kpi in kpis if not kpi.service_id})
            )
        rows = overlapping.values_list("partner_id", "service_id", "service__area_id", "starts_on", "ends_on")
        return cls((partner_id, Taken(*taken)) for partner_id, *taken in rows)

    @property
    def partner_ids(self) -> list[int]:
        return list(self._by_partner)

    def taken_on(self, period: dt.date) -> Callable[[KPI, int], bool]:
        """``takes`` for one month, answered from two sets: for grids of thousands of cells."""
        current = [
            (partner_id, s)
            for partner_id, subscriptions in self._by_partner.items()
            for s in subscriptions
            if s.in_force_on(period)
        ]
        services = {(partner_id, s.service_id) for partner_id, s in current}
        areas = {(partner_id, s.area_id) for partner_id, s in current}

        def takes(kpi: KPI, partner_id: int) -> bool:
            if kpi.service_id:
                return (partner_id, kpi.service_id) in services
            return (partner_id, kpi.area_id) in areas

        return takes

    def takes(self, kpi: KPI, partner_id: int, period: dt.date) -> bool:
        return any(
            s.in_force_on(period) and (s.service_id == kpi.service_id if kpi.service_id else s.area_id == kpi.area_id)
            for s in self._by_partner.get(partner_id, ())
        )


class TargetBook:
    """Every target of some KPIs, read in one query, answering ``get(kpi, partner, period)``."""

    def __init__(self, targets: Iterable[Target]):
        self._targets = {(t.kpi_id, t.financial_year, t.partner_id): t for t in targets}

    @classmethod
    def for_kpis(cls, kpi_ids, years) -> TargetBook:
        return cls(Target.objects.filter(kpi_id__in=kpi_ids, financial_year__in=years).select_related("kpi"))

    def get(self, kpi_id: int, partner_id: int | None, period: dt.date) -> Target | None:
        year = FinancialYear.of(period).start_year
        return self._targets.get((kpi_id, year, partner_id)) or self._targets.get((kpi_id, year, None))


@dataclass(frozen=True)
class Cell:
    """A figure as shown: its result, formatted, and its RAG rating against the target."""

    period: dt.date | None
    result: Decimal | None
    target: Target | None
    kpi: KPI

    @cached_property
    def rag(self) -> Rag:
        if self.target is None:
            return Rag.GREY
        return self.target.rate(self.result)

    @cached_property
    def text(self) -> str:
        return self.kpi.format(self.result)


@dataclass
class TrendLine:
    label: str
    partner: Partner | None
    cells: list[Cell]
    summary: dict[str, Cell]


@dataclass
class KPITrend:
    kpi: KPI
    months: list[dt.date]
    lines: list[TrendLine]
    partners: Page | None = None

    @property
    def end(self) -> dt.date:
        return self.months[-1]


FIGURE_FIELDS = ("partner_id", "period", "numerator", "denominator", "value")


@dataclass(frozen=True, slots=True)
class Figure:
    """An approved figure reduced to what aggregating it needs: no model instance for each of thousands."""

    kpi: KPI
    partner_id: int
    period: dt.date
    numerator: Decimal | None
    denominator: Decimal | None
    value: Decimal | None

    @property
    def result(self) -> Decimal | None:
        return self.kpi.result_of(self)


SUMMARY_LABELS = {
    "this_month": "This month",
    "last_month": "Last month",
    "same_month_last_year": "Same month last year",
    "year_to_date": "Year to date",
}


@dataclass(frozen=True, slots=True)
class MonthTotals:
    """Every partner's figures of one month added up in SQL: what a oneSource figure is made of."""

    period: dt.date
    numerator: Decimal | None
    denominator: Decimal | None
    value: Decimal | None
    count: int


def totals_aggregate(kpi: KPI, totals: Iterable[MonthTotals]) -> Decimal | None:
    """``kpi_aggregate`` of the figures behind some months' totals, for a KPI whose rule is not "latest"."""
    totals = [t for t in totals if t.count]
    if not totals:
        return None
    return _by_rule(kpi, totals, sum(t.count for t in totals))


def _month_totals(kpi: KPI, figures) -> list[MonthTotals]:
    """The figures with a result, added up month by month in one query."""
    has_result = Q(numerator__isnull=False, denominator__gt=0) if kpi.is_rate else Q(value__isnull=False)
    return [
        MonthTotals(**row)
        for row in figures.filter(has_result)
        .order_by()
        .values("period")
        .annotate(numerator=Sum("numerator"), denominator=Sum("denominator"), value=Sum("value"), count=Count("pk"))
    ]


def _line(kpi, label, partner, rows, months, book, aggregate=kpi_aggregate) -> TrendLine:
    partner_id = partner.pk if partner else None
    by_month = {}
    for row in rows:
        by_month.setdefault(row.period, []).append(row)

    def cell(period, selected):
        return Cell(period, aggregate(kpi, selected), book.get(kpi.pk, partner_id, period), kpi)

    cells = [cell(month, by_month.get(month, [])) for month in months]
    end = months[-1]
    year = FinancialYear.of(end)
    ytd_rows = [row for row in rows if row.period in year and row.period <= end]
    summary = {
        "this_month": cells[-1],
        "last_month": cells[-2],
        "same_month_last_year": cells[0],
        "year_to_date": cell(end, ytd_rows),
    }
    return TrendLine(label, partner, cells, summary)


PARTNERS_PER_PAGE = 25


def kpi_trend(
    *, user, kpi: KPI, end: dt.date, page: int | str = 1, targets: Iterable[Target] | None = None
) -> KPITrend:
    """Thirteen months to ``end``, per partner the user may see and for oneSource as a whole.

    Only approved figures count: they are what partners, the committee and reports see. A partner
    officer gets their own partner's line and no oneSource-wide line, which would hold other
    partners' figures. Partners come a page of ``PARTNERS_PER_PAGE`` at a time, by name; the oneSource
    line is computed from every partner's figures on every page. ``targets``, when the caller has
    read them already (``kpi_targets``), saves reading them again.
    """
    months = [add_months(end, n) for n in range(-12, 1)]
    approved = Measurement.objects.visible_to(user).approved().filter(kpi=kpi, period__gte=months[0], period__lte=end)
    measured = partners_measured(kpi=kpi, period=end).values("pk")
    partners = Paginator(
        list(
            Partner.objects.visible_to(user)
            .filter(Q(pk__in=approved.values("partner_id")) | Q(pk__in=measured))
            .only("pk", "name", "short_name", "slug")
            .order_by("name", "pk")
        ),
        PARTNERS_PER_PAGE,
    ).get_page(page)
    years = {FinancialYear.of(m).start_year for m in months}
    if targets is None:
        book = TargetBook.for_kpis([kpi.pk], years)
    else:
        book = TargetBook(t for t in targets if t.kpi_id == kpi.pk and t.financial_year in years)
    # oneSource's line adds up every partner's figures month by month in SQL; a KPI whose rule is "latest"
    # needs each partner's latest month of the year, so then every figure is read, once, for both.
    onesource = role_of(user) != Role.PARTNER_OFFICER
    every_figure = onesource and kpi.aggregation == KPI.Aggregation.LATEST
    shown = {partner.pk for partner in partners}
    read = approved if every_figure else approved.filter(partner__in=shown)
    figures = [Figure(kpi, *values) for values in read.order_by().values_list(*FIGURE_FIELDS)]
    rows_of = defaultdict(list)
    for figure in figures:
        rows_of[figure.partner_id].append(figure)
    lines = [_line(kpi, partner.short_name, partner, rows_of[partner.pk], months, book) for partner in partners]
    if onesource and lines:
        if every_figure:
            lines.append(_line(kpi, "oneSource", None, figures, months, book))
        else:
            totals = _month_totals(kpi, approved)
            lines.append(_line(kpi, "oneSource", None, totals, months, book, aggregate=totals_aggregate))
    return KPITrend(kpi, months, lines, partners)


def kpis_measured_for(partner: Partner, period: dt.date):
    """The active KPIs that measure a service the partner takes in that month."""
    services = Subscription.objects.filter(_current_on(period), partner=partner)
    return (
        KPI.objects.active()
        .filter(
            Q(service__in=services.values("service_id"))
            | Q(service__isnull=True, area__in=services.values("service__area_id"))
        )
        .select_related("area")
        .order_by("area__display_order", "code")
    )


def latest_approved_period(*, user, partner: Partner | None = None, kpi: KPI | None = None) -> dt.date | None:
    """The latest month with an approved figure the user may see, for a partner or a KPI."""
    rows = Measurement.objects.visible_to(user).approved()
    if partner is not None:
        rows = rows.filter(partner=partner)
    if kpi is not None:
        rows = rows.filter(kpi=kpi)
    return rows.aggregate(latest=Max("period"))["latest"]


@dataclass
class ScorecardRow:
    kpi: KPI
    month: Cell
    year_to_date: Cell
    commentary: str


def kpi_scorecard(*, user, partner: Partner, period: dt.date) -> list[ScorecardRow]:
    """Each KPI of the partner's services for one month: approved figure, year to date, target and RAG."""
    year = FinancialYear.of(period)
    kpis = list(kpis_measured_for(partner, period))
    rows = list(
        Measurement.objects.visible_to(user)
        .approved()
        .filter(partner=partner, kpi__in=[k.pk for k in kpis], period__gte=year.starts_on, period__lte=period)
        .select_related("kpi")
    )
    book = TargetBook.for_kpis([k.pk for k in kpis], [year.start_year])
    card = []
    for kpi in kpis:
        own = [row for row in rows if row.kpi_id == kpi.pk]
        this_month = next((row for row in own if row.period == period), None)
        target = book.get(kpi.pk, partner.pk, period)
        card.append(
            ScorecardRow(
                kpi,
                Cell(period, this_month.result if this_month else None, target, kpi),
                Cell(period, kpi_aggregate(kpi, own), target, kpi),
                this_month.commentary if this_month else "",
            )
        )
    return card


def filter_by_rag(queryset, colour: str):
    """The measurements whose RAG rating is ``colour``.

    The rating is computed by the one RAG rule (apps.core.rag) rather than restated in SQL, so the
    filter can never disagree with the pages; it reads the candidate figures and their targets once.
    """
    rows = list(queryset.select_related("kpi"))
    book = TargetBook.for_kpis({m.kpi_id for m in rows}, {FinancialYear.of(m.period).start_year for m in rows})
    wanted = [
        m.pk for m in rows if Cell(m.period, m.result, book.get(m.kpi_id, m.partner_id, m.period), m.kpi).rag == colour
    ]
    return queryset.filter(pk__in=wanted)


def measurement_list(*, user):
    return Measurement.objects.visible_to(user).select_related("kpi", "kpi__area", "partner")


def entry_kpis(*, user, period: dt.date):
    """The KPIs a user enters figures for in that month: those they own, else those of their areas.

    A quarterly KPI is due only in the last month of a quarter, an annual one only in March.
    """
    kpis = KPI.objects.active().select_related("area", "service")
    if role_of(user) != Role.ADMIN:
        owned = Q(data_owner=user) | Q(data_owner__isnull=True, area__in=user.service_areas.values("pk"))
        kpis = kpis.filter(owned)
    if period.month % 3 != 0:
        kpis = kpis.exclude(frequency=KPI.Frequency.QUARTERLY)
    if period.month != 3:
        kpis = kpis.exclude(frequency=KPI.Frequency.ANNUAL)
    return kpis.order_by("area__display_order", "code")


@dataclass
class GridRow:
    key: str
    kpi: KPI
    partner: Partner
    measurement: Measurement | None
    target: Target | None

    @property
    def cell(self) -> Cell:
        m = self.measurement
        return Cell(m.period if m else None, m.result if m else None, self.target, self.kpi)

    @property
    def is_locked(self) -> bool:
        return bool(self.measurement and self.measurement.is_locked)


GRID_ROWS_PER_PAGE = 50


def _grid_cells(*, user, period: dt.date, partner: Partner | None = None) -> list[tuple[KPI, Partner]]:
    """(KPI, partner) for every KPI the user enters × every partner that takes its service that month."""
    kpis = list(entry_kpis(user=user, period=period))
    taken = SubscriptionBook.between(period, period, None if partner is None else [partner.pk], kpis=kpis)
    partners = Partner.objects.filter(pk__in=taken.partner_ids).only("pk", "name", "short_name", "slug")
    partners = sorted(partners, key=lambda p: p.name)
    takes = taken.taken_on(period)
    return [(kpi, p) for kpi in kpis for p in partners if takes(kpi, p.pk)]


def _grid_rows(cells: list[tuple[KPI, Partner]], period: dt.date) -> list[GridRow]:
    """The grid's rows for those cells, with the figure stored for each."""
    kpis = {kpi.pk: kpi for kpi, _ in cells}
    stored = {}
    for m in Measurement.objects.filter(kpi__in=list(kpis), partner__in={p.pk for _, p in cells}, period=period):
        m.kpi = kpis[m.kpi_id]
        stored[m.kpi_id, m.partner_id] = m
    book = TargetBook.for_kpis(list(kpis), [FinancialYear.of(period).start_year])
    return [
        GridRow(
            f"c{kpi.pk}-{partner.pk}",
            kpi,
            partner,
            stored.get((kpi.pk, partner.pk)),
            book.get(kpi.pk, partner.pk, period),
        )
        for kpi, partner in cells
    ]


def entry_grid_page(*, user, period: dt.date, partner: Partner | None = None, page: int | str = 1) -> Page:
    """A page of the entry grid (``GRID_ROWS_PER_PAGE`` rows, by KPI then partner): what one form holds.

    At a hundred partners the whole grid would be thousands of fields, more than a browser should post.
    """
    cells = Paginator(_grid_cells(user=user, period=period, partner=partner), GRID_ROWS_PER_PAGE).get_page(page)
    cells.object_list = _grid_rows(list(cells.object_list), period)
    return cells


def approval_queue(*, user):
    """The submitted figures the user may approve: their areas' (an administrator: all)."""
    queryset = Measurement.objects.editable_by(user).filter(status=Measurement.Status.SUBMITTED)
    if role_of(user) not in (Role.ADMIN, Role.DIRECTOR):
        return queryset.none()
    return queryset.select_related("kpi", "kpi__area", "partner", "submitted_by").order_by(
        "period", "kpi__code", "partner__name"
    )


def kpi_targets(*, user, kpi: KPI):
    return (
        Target.objects.visible_to(user)
        .filter(kpi=kpi)
        .select_related("partner", "kpi")
        .order_by("-financial_year", "partner__name")
    )


def measurement_history(*, user, measurement: Measurement):
    """Every version of a figure, newest first, with who changed it: the audit trail.

    Outside oneSource only the approved versions are shown: drafts never reach partners or the committee;
    a director sees draft versions only in their own areas, as with the figures themselves.
    """
    history = measurement.history.select_related("history_user").order_by("-history_date", "-history_id")
    role = role_of(user)
    if role not in STAFF_ROLES:
        history = history.filter(status=Measurement.Status.APPROVED)
    elif role == Role.DIRECTOR and not has_area(user, measurement.kpi.area_id):
        history = history.exclude(status=Measurement.Status.DRAFT)
    return history


def return_deadline(period: dt.date) -> dt.date:
    """A month's figures are due by the 5th working day of the month after."""
    return nth_working_day(add_months(period, 1), 5)


@dataclass
class Returns:
    period: dt.date
    deadline: dt.date
    to_enter: list[GridRow]
    to_approve: list[Measurement]

    @property
    def is_empty(self) -> bool:
        return not self.to_enter and not self.to_approve


def my_returns(*, user, period: dt.date) -> Returns:
    """What the user must still enter, submit or approve for a month."""
    open_statuses = {Measurement.Status.DRAFT, Measurement.Status.RETURNED}
    cells = _grid_cells(user=user, period=period)
    figures = Measurement.objects.filter(kpi__in={kpi.pk for kpi, _ in cells}, period=period)
    closed = set(figures.exclude(status__in=open_statuses).values_list("kpi_id", "partner_id"))
    cells = [(kpi, partner) for kpi, partner in cells if (kpi.pk, partner.pk) not in closed]
    to_enter = _grid_rows(cells, period) if cells else []
    to_approve = list(approval_queue(user=user).filter(period=period))
    return Returns(period, return_deadline(period), to_enter, to_approve)
