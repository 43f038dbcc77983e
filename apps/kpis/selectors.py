"""Reads of KPIs, targets and measurements: restricted to what the user may see, in a fixed number of queries.

A KPI's figure, target, RAG rating and direction of travel for any scope (one partner, a group of
partners, oneSource as a whole), any month and any year to date are worked out here and nowhere else
(``ScopeFigures``, ``direction``): the KPI page, the entry grid, the scorecard and the monthly report
call them, and the dashboards, the committee pack and the API show the report's snapshot.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import NamedTuple

from django.core.paginator import Page, Paginator
from django.db.models import Max, Q

from apps.catalogue.models import Subscription, is_in_force
from apps.catalogue.selectors import SUBSCRIPTIONS
from apps.core import generations
from apps.core.periods import FinancialYear, add_months, frequencies_due_in, month_end, month_start, nth_working_day
from apps.core.policy import has_area, reader_scope, role_of
from apps.core.rag import Rag
from apps.core.roles import STAFF_ROLES, Role
from apps.partners.models import Partner

from . import published
from .models import KPI, Measurement, Target, rate_as_shown


def partners_measured(*, kpi: KPI, period: dt.date):
    """The partners that take the KPI's service (or any service of its area) in that month."""
    subscriptions = Subscription.objects.in_force_in(period)
    if kpi.service_id:
        subscriptions = subscriptions.filter(service_id=kpi.service_id)
    else:
        subscriptions = subscriptions.filter(service__area_id=kpi.area_id)
    return Partner.objects.filter(pk__in=subscriptions.values("partner_id")).order_by("name")


# A KPI's figure for a scope, a month and a year to date: the one rule ----------------------------------


def _by_rule(kpi: KPI, figures) -> Decimal | None:
    """Figures made one by the KPI's rule: Σnumerator / Σdenominator for a rate (so a large partner, or
    a busy month, weighs as much as its caseload), else the sum of the values, or their mean when the
    KPI's rule is the mean. Figures without a result are left out; none with a result make no figure."""
    figures = [f for f in figures if f.result is not None]
    if not figures:
        return None
    if len(figures) == 1:  # one partner's month: the same figure as the sums below, without them
        figure = figures[0]
        return kpi.rate_value(figure.numerator, figure.denominator) if kpi.is_rate else figure.value
    if kpi.is_rate:
        return kpi.rate_value(sum(f.numerator for f in figures), sum(f.denominator for f in figures))
    total = sum(f.value for f in figures)
    return total / len(figures) if kpi.aggregation == KPI.Aggregation.MEAN else total


def month_figure(kpi: KPI, figures: Iterable) -> Decimal | None:
    """A scope's figure for one month, from its partners' figures of that month, by the KPI's rule.

    A "latest" KPI (a balance, or a cumulative rate) adds up across partners as a sum or as Σ/Σ."""
    return _by_rule(kpi, figures)


def year_to_date_figures(kpi: KPI, figures: Iterable, end: dt.date) -> list:
    """The figures a year to date to ``end`` is made of: those with a result from April to ``end``.

    For a "latest" KPI, whose month figure is already a year to date, only those of the latest of
    those months with a figure: the year to date is that month's figure (for a group, that month's
    Σnumerator / Σdenominator or sum)."""
    starts = FinancialYear.of(end).starts_on
    rows = [f for f in figures if f.result is not None and starts <= f.period <= end]
    if kpi.aggregation == KPI.Aggregation.LATEST and rows:
        latest = max(f.period for f in rows)
        rows = [f for f in rows if f.period == latest]
    return rows


def year_to_date(kpi: KPI, figures: Iterable, end: dt.date) -> Decimal | None:
    return _by_rule(kpi, year_to_date_figures(kpi, figures, end))


def target_for(*, kpi: KPI, partner: Partner | None, period: dt.date) -> Target | None:
    """The target for that partner and month: the partner's own for the year, else the one for all partners."""
    year = FinancialYear.of(period).start_year
    targets = Target.objects.filter(kpi=kpi, financial_year=year, is_onesource=False).filter(
        Q(partner__isnull=True) | Q(partner=partner) if partner else Q(partner__isnull=True)
    )
    return min(targets.select_related("kpi"), key=lambda t: t.partner_id is None, default=None)


class Taken(NamedTuple):
    """A subscription reduced to what ``SubscriptionBook.takes`` asks of it."""

    service_id: int
    area_id: int
    starts_on: dt.date
    ends_on: dt.date | None


class SubscriptionBook:
    """Which partner takes which service when, read in one query, answering ``takes(kpi, partner_id, period)``."""

    def __init__(self, subscriptions: Iterable[tuple[int, Taken]]):
        self._by_partner: dict[int, list[Taken]] = {}
        self._months: dict[dt.date, tuple[dict, dict]] = {}
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
        """The subscriptions in force in some month from ``first`` to ``last``: of some partners only, or
        only those that some KPIs measure (``takes`` answers for those KPIs alone), if given."""
        overlapping = Subscription.objects.in_force_between(month_start(first), month_end(last))
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
        # Unordered: the book answers by partner and service, and a subscription's own order (by partner
        # name, area and service) would join and sort thousands of rows for nothing.
        rows = overlapping.order_by().values_list(
            "partner_id", "service_id", "service__area_id", "starts_on", "ends_on"
        )
        return cls((partner_id, Taken(*taken)) for partner_id, *taken in rows)

    @property
    def partner_ids(self) -> list[int]:
        return list(self._by_partner)

    def _month(self, period: dt.date) -> tuple[dict, dict]:
        """For one month, the partners taking each service and each area: read once, asked often."""
        period = month_start(period)
        if period not in self._months:
            services, areas = defaultdict(set), defaultdict(set)
            last = month_end(period)
            for partner_id, subscriptions in self._by_partner.items():
                for s in subscriptions:
                    if is_in_force(s.starts_on, s.ends_on, period, last):  # the catalogue's one test
                        services[s.service_id].add(partner_id)
                        areas[s.area_id].add(partner_id)
            self._months[period] = (services, areas)
        return self._months[period]

    def members(self, kpi: KPI, period: dt.date) -> set[int]:
        """The partners the KPI measures in that month: those taking its service (or a service of its area)."""
        services, areas = self._month(period)
        return services.get(kpi.service_id, set()) if kpi.service_id else areas.get(kpi.area_id, set())

    def takes(self, kpi: KPI, partner_id: int, period: dt.date) -> bool:
        return partner_id in self.members(kpi, period)


class TargetBook:
    """Every target of some KPIs, read in one query, answering ``get(kpi, partner, period)`` (a partner's
    target) and ``onesource(kpi, period)`` (one set for oneSource as a whole)."""

    def __init__(self, targets: Iterable[Target]):
        self._targets, self._onesource = {}, {}
        self._own: dict[tuple[int, int], dict[int, Target]] = defaultdict(dict)  # partners' own, by KPI and year
        self._years: dict[dt.date, int] = {}  # asked for thousands of figures of a few months
        for t in targets:
            if t.is_onesource:
                self._onesource[(t.kpi_id, t.financial_year)] = t
            else:
                self._targets[(t.kpi_id, t.financial_year, t.partner_id)] = t
                if t.partner_id is not None:
                    self._own[(t.kpi_id, t.financial_year)][t.partner_id] = t

    @classmethod
    def for_kpis(cls, kpi_ids, years, partner_ids: Iterable[int] | None = None) -> TargetBook:
        """The targets of those KPIs and years: every partner's, or only those that ``partner_ids`` are
        rated against (their own and those for every partner)."""
        targets = Target.objects.filter(kpi_id__in=list(kpi_ids), financial_year__in=list(years))
        if partner_ids is not None:
            targets = targets.filter(Q(partner__isnull=True) | Q(partner_id__in=list(partner_ids)))
        return cls(targets.select_related("kpi"))

    def __iter__(self):
        """Every target in the book."""
        yield from self._targets.values()
        yield from self._onesource.values()

    def _year(self, period: dt.date) -> int:
        if period not in self._years:
            self._years[period] = FinancialYear.of(period).start_year
        return self._years[period]

    def get(self, kpi_id: int, partner_id: int | None, period: dt.date) -> Target | None:
        year = self._year(period)
        return self._targets.get((kpi_id, year, partner_id)) or self._targets.get((kpi_id, year, None))

    def of_month(self, kpi_id: int, period: dt.date) -> tuple[dict[int, Target], Target | None]:
        """``get`` of one KPI and month for many partners at once: the partners' own targets by partner
        id, and the target for every other partner."""
        year = self._year(period)
        return self._own.get((kpi_id, year), {}), self._targets.get((kpi_id, year, None))

    def onesource(self, kpi_id: int, period: dt.date) -> Target | None:
        return self._onesource.get((kpi_id, self._year(period)))


@dataclass(frozen=True)
class Goal:
    """A target worked out for a group of partners from their targets, by the KPI's rule."""

    value: Decimal
    tolerance: Decimal
    derived: bool = True


def _combine(kpi: KPI, weighted: list[tuple]) -> Goal | None:
    """Targets made one by the KPI's rule: ``weighted`` holds (target, weight) pairs. A sum KPI adds
    the targets up (weights are 1); a rate weighs each by its denominator; a mean takes their mean. The
    amber tolerance follows the same rule. None when a pair has no target, or there are no pairs."""
    if not weighted or any(target is None for target, _ in weighted):
        return None
    value = sum(Decimal(target.value) * weight for target, weight in weighted)
    tolerance = sum(Decimal(target.tolerance) * weight for target, weight in weighted)
    if kpi.is_rate or kpi.aggregation == KPI.Aggregation.MEAN:
        weights = sum(Decimal(weight) for _, weight in weighted)
        if not weights:
            return None
        value, tolerance = value / weights, tolerance / weights
    return Goal(value, tolerance)


class _Weights:
    """(target, weight) pairs added up target by target: most partners share the target for every
    partner, so a group's target is a few products rather than one for each partner. Exact decimals:
    the same sums as pair by pair."""

    def __init__(self):
        self._by_target: dict[int, list] = {}

    def add(self, target: Target | None, weight) -> None:
        entry = self._by_target.get(id(target))
        if entry is None:
            self._by_target[id(target)] = [target, weight]
        else:
            entry[1] += weight

    def __bool__(self) -> bool:
        return bool(self._by_target)

    def pairs(self) -> list[tuple]:
        return [(target, weight) for target, weight in self._by_target.values()]


@dataclass(frozen=True)
class Scope:
    """Whose figures: one partner, a group of partners, or oneSource as a whole (neither)."""

    partner_id: int | None = None
    group: frozenset[int] | None = None

    @property
    def is_onesource(self) -> bool:
        return self.partner_id is None and self.group is None

    def includes(self, partner_id: int) -> bool:
        if self.partner_id is not None:
            return partner_id == self.partner_id
        return self.group is None or partner_id in self.group


ONESOURCE = Scope()


class Direction(StrEnum):
    """How a figure moved since an earlier one, by the KPI's polarity."""

    BETTER = "better"
    WORSE = "worse"
    SAME = "same"
    NONE = "none"

    @property
    def label(self) -> str:
        return {"better": "Improving", "worse": "Worsening", "same": "No change", "none": ""}[self.value]


def direction(kpi: KPI, now: Decimal | None, before: Decimal | None) -> Direction:
    """Improving or worsening by polarity, on the figures as displayed: equal as shown is no change.
    Without a figure then (or now) there is no direction at all, not "no change"."""
    if now is None or before is None:
        return Direction.NONE
    now, before = kpi.shown(now), kpi.shown(before)
    if now == before:
        return Direction.SAME
    better = now > before if kpi.higher_is_better else now < before
    return Direction.BETTER if better else Direction.WORSE


@dataclass(slots=True)
class Cell:
    """A figure as shown: its result, formatted, and its RAG rating against the target (a partner's
    ``Target``, or a ``Goal`` worked out for a group). Rating and text are worked out when first asked
    (a month's reports make hundreds of thousands of cells)."""

    period: dt.date | None
    result: Decimal | None
    target: Target | Goal | None
    kpi: KPI
    _rag: Rag | None = field(default=None, init=False, repr=False, compare=False)
    _text: str | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def rag(self) -> Rag:
        if self._rag is None:
            self._rag = rate_as_shown(self.kpi, self.result, self.target)
        return self._rag

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = self.kpi.format(self.result)
        return self._text

    @property
    def target_text(self) -> str:
        return self.kpi.format(self.target.value) if self.target else "No target"

    def direction_from(self, before: Cell) -> Direction:
        return direction(self.kpi, self.result, before.result)


FIGURE_FIELDS = ("partner_id", "period", "numerator", "denominator", "value")


class Figure(NamedTuple):
    """An approved figure reduced to what aggregating it needs: no model instance for each of thousands.
    (A tuple: hundreds of thousands are made for a month's reports, and a tuple is the cheapest to make.)"""

    kpi: KPI
    partner_id: int
    period: dt.date
    numerator: Decimal | None
    denominator: Decimal | None
    value: Decimal | None
    result: Decimal | None

    @classmethod
    def of(cls, kpi: KPI, partner_id, period, numerator, denominator, value) -> Figure:
        result = kpi.result_from(numerator, denominator, value)
        return cls(kpi, partner_id, period, numerator, denominator, value, result)


class ScopeFigures:
    """A scope's approved figures of some KPIs, with the targets and subscriptions that rating them needs.

    The one place where a KPI's figure, target and RAG rating for a scope (a partner, a group, oneSource),
    a month and a year to date are worked out:

    * the month's figure: ``month_figure`` of the scope's figures of that month;
    * the month's target: a partner's own (else the one for every partner); for a group, oneSource's own
      target where one is set, else one worked out by the KPI's rule from the partners' targets: a sum
      KPI (a count, a sum of money, a balance) adds up the targets of the partners in scope that month
      (those taking its service, ``SubscriptionBook.members``); a rate weighs the target of the partner
      of each figure by that figure's denominator, and a mean takes the mean of those targets (the
      partners in scope, equally, when there is no figure yet). The amber tolerance follows the same rule;
    * the year to date: ``year_to_date``, against the year-to-date target by the same rule: a sum KPI
      adds up the monthly targets of the months from April in which the scope takes the service, a rate
      or a mean weighs the targets over the figures of those months (a partner's own target, or
      oneSource's own, being a level, is its own year to date), and a "latest" KPI is rated against the
      target of its latest month.

    So with every partner meeting its target, oneSource meets the target worked out from theirs.
    """

    def __init__(
        self,
        scope: Scope,
        figures: Iterable[Figure],
        targets: TargetBook,
        taken: SubscriptionBook,
        *,
        scope_only: bool = False,
    ):
        """``scope_only``: ``figures`` are the scope's alone, already (as ``read_each`` gives them)."""
        self.scope = scope
        self.targets = targets
        self.taken = taken
        self._rows: dict[tuple[int, dt.date], list[Figure]] = defaultdict(list)
        self._by_kpi: dict[int, list[Figure]] = defaultdict(list)
        self._year_months: dict[dt.date, list[dt.date]] = {}
        rows, by_kpi, every = self._rows, self._by_kpi, scope.is_onesource or scope_only
        for figure in figures:
            if every or scope.includes(figure.partner_id):
                kpi_id = figure.kpi.id  # the primary key, without ``pk``'s lookup for each of many figures
                rows[(kpi_id, figure.period)].append(figure)
                by_kpi[kpi_id].append(figure)

    @classmethod
    def read(
        cls, kpis: Iterable[KPI], *, first: dt.date, last: dt.date, scope: Scope = ONESOURCE, approved=None
    ) -> ScopeFigures:
        """The scope's approved figures of ``kpis`` from ``first`` to ``last`` (and the financial year of
        ``first``, which a year to date needs), in three queries. ``approved``, if given, is the
        measurements to read from (already restricted to what a user may see)."""
        return cls.read_each(kpis, first=first, last=last, scopes=[scope], approved=approved)[scope]

    @classmethod
    def read_each(
        cls, kpis: Iterable[KPI], *, first: dt.date, last: dt.date, scopes: Iterable[Scope], approved=None
    ) -> dict[Scope, ScopeFigures]:
        """``read`` for many scopes at once (every partner and oneSource, for a month's reports): the
        same three queries whatever the number of scopes, each figure read and made once and shared by
        the scopes it belongs to."""
        kpis, scopes = list(kpis), list(dict.fromkeys(scopes))
        by_id = {kpi.pk: kpi for kpi in kpis}
        first = min(first, FinancialYear.of(last).starts_on)
        rows = (Measurement.objects.approved() if approved is None else approved).filter(
            kpi_id__in=list(by_id), period__gte=first, period__lte=last
        )
        partner_ids = None
        if not any(scope.is_onesource for scope in scopes):
            partner_ids = sorted(
                {scope.partner_id for scope in scopes if scope.partner_id is not None}
                | {p for scope in scopes if scope.partner_id is None for p in scope.group}
            )
            rows = rows.filter(partner_id__in=partner_ids)
        values = rows.order_by().values_list("kpi_id", *FIGURE_FIELDS)
        figures = [Figure.of(by_id[kpi_id], *fields) for kpi_id, *fields in values]
        years = range(FinancialYear.of(first).start_year, FinancialYear.of(last).start_year + 1)
        targets = list(
            Target.objects.filter(kpi_id__in=list(by_id), financial_year__in=years).filter(
                Q(partner__isnull=True) | Q(partner_id__in=partner_ids) if partner_ids is not None else Q()
            )
        )
        for target in targets:
            target.kpi = by_id[target.kpi_id]  # the KPIs already read, rather than a join per target
        book, taken = TargetBook(targets), SubscriptionBook.between(first, last, partner_ids, kpis=kpis)
        by_partner: dict[int, list[Figure]] = defaultdict(list)
        for figure in figures:
            by_partner[figure.partner_id].append(figure)
        return {
            scope: cls(scope, cls._figures_of(scope, figures, by_partner), book, taken, scope_only=True)
            for scope in scopes
        }

    @staticmethod
    def _figures_of(scope: Scope, figures: list[Figure], by_partner: dict[int, list[Figure]]) -> Iterable[Figure]:
        if scope.partner_id is not None:
            return by_partner.get(scope.partner_id, [])
        if scope.group is not None:
            return [f for p in sorted(scope.group) for f in by_partner.get(p, [])]
        return figures

    def figures(self, kpi: KPI, period: dt.date) -> list[Figure]:
        """The scope's approved figures of that month, with a result or not."""
        return self._rows.get((kpi.id, period), [])

    def reported(self, kpi: KPI, period: dt.date) -> set[int]:
        """The partners with an approved figure for that month."""
        return {f.partner_id for f in self.figures(kpi, period)}

    def members(self, kpi: KPI, period: dt.date) -> set[int]:
        """The partners of the scope the KPI measures in that month (those taking its service)."""
        taking = self.taken.members(kpi, period)
        if self.scope.is_onesource:
            return set(taking)
        if self.scope.partner_id is not None:
            return {self.scope.partner_id} & taking
        return {p for p in taking if self.scope.includes(p)}

    def _with_result(self, kpi: KPI, period: dt.date) -> list[Figure]:
        return [f for f in self.figures(kpi, period) if f.result is not None]

    # The month ------------------------------------------------------------------------------------

    def _level_weights(self, kpi: KPI, months: list[dt.date]) -> list[tuple]:
        """(target, weight) for a rate's or a mean's target: the target of the partner of each figure
        that makes the figure, weighted by its denominator (a rate) or equally (a mean); without any
        figure, the targets of the partners in scope, equally."""
        weights = _Weights()
        for month in months:
            own, every = self.targets.of_month(kpi.pk, month)
            rows = self._with_result(kpi, month)
            if own:  # the partners with their own target weigh it; the others, the target for every partner
                for f in rows:
                    if f.partner_id in own:
                        weights.add(own[f.partner_id], f.denominator if kpi.is_rate else 1)
                rows = [f for f in rows if f.partner_id not in own]
            if rows:
                weights.add(every, sum(f.denominator for f in rows) if kpi.is_rate else len(rows))
        if weights:
            return weights.pairs()
        return self._member_weights(kpi, months)

    def _member_weights(self, kpi: KPI, months: list[dt.date]) -> list[tuple]:
        """(target, 1) for each partner in scope in each of the months, added up target by target."""
        weights = _Weights()
        for month in months:
            own, every = self.targets.of_month(kpi.pk, month)
            members = self.members(kpi, month)
            for partner_id in members & own.keys():
                weights.add(own[partner_id], 1)
            if rest := len(members - own.keys()):
                weights.add(every, rest)
        return weights.pairs()

    def month_target(self, kpi: KPI, period: dt.date) -> Target | Goal | None:
        if self.scope.partner_id is not None:
            return self.targets.get(kpi.pk, self.scope.partner_id, period)
        own = self.targets.onesource(kpi.pk, period) if self.scope.is_onesource else None
        if own is not None:
            return own
        if kpi.is_rate or kpi.aggregation == KPI.Aggregation.MEAN:
            return _combine(kpi, self._level_weights(kpi, [period]))
        return _combine(kpi, self._member_weights(kpi, [period]))

    def month(self, kpi: KPI, period: dt.date) -> Cell:
        return Cell(period, month_figure(kpi, self.figures(kpi, period)), self.month_target(kpi, period), kpi)

    # The year to date -----------------------------------------------------------------------------

    def year_to_date_target(self, kpi: KPI, end: dt.date, rows: list[Figure]) -> Target | Goal | None:
        if kpi.aggregation == KPI.Aggregation.LATEST:
            return self.month_target(kpi, rows[0].period if rows else end)
        months = self._months_to(end)
        if kpi.is_rate or kpi.aggregation == KPI.Aggregation.MEAN:
            level = self.month_target(kpi, end)
            if self.scope.partner_id is not None or isinstance(level, Target):
                return level  # a partner's target, or oneSource's own, is a level: the year's as the month's
            return _combine(kpi, self._level_weights(kpi, months)) or level
        monthly = [self.month_target(kpi, m) for m in months if self.members(kpi, m)]
        if not monthly or any(t is None for t in monthly):
            return None
        return Goal(sum(Decimal(t.value) for t in monthly), sum(Decimal(t.tolerance) for t in monthly))

    def _months_to(self, end: dt.date) -> list[dt.date]:
        """The months of the financial year of ``end``, from April to ``end``."""
        if end not in self._year_months:
            self._year_months[end] = [m for m in FinancialYear.of(end).months() if m <= end]
        return self._year_months[end]

    def year_to_date(self, kpi: KPI, end: dt.date) -> Cell:
        rows = year_to_date_figures(kpi, self._by_kpi.get(kpi.pk, []), end)
        return Cell(end, _by_rule(kpi, rows), self.year_to_date_target(kpi, end, rows), kpi)


@dataclass
class TrendLine:
    label: str
    partner: Partner | None
    cells: list[Cell]
    summary: dict[str, Cell]

    @property
    def directions(self) -> dict[str, Direction]:
        """This month against last month and against the same month a year ago."""
        now = self.summary["this_month"]
        return {
            "last_month": now.direction_from(self.summary["last_month"]),
            "same_month_last_year": now.direction_from(self.summary["same_month_last_year"]),
        }


@dataclass
class KPITrend:
    kpi: KPI
    months: list[dt.date]
    lines: list[TrendLine]
    partners: Page | None = None

    @property
    def end(self) -> dt.date:
        return self.months[-1]


SUMMARY_LABELS = {
    "this_month": "This month",
    "last_month": "Last month",
    "same_month_last_year": "Same month last year",
    "year_to_date": "Year to date",
}


def trend_line(kpi: KPI, label: str, partner: Partner | None, figures: ScopeFigures, months) -> TrendLine:
    """A scope's line of the trend: a cell for each month, and the summary of the last."""
    cells = [figures.month(kpi, month) for month in months]
    summary = {
        "this_month": cells[-1],
        "last_month": cells[-2],
        "same_month_last_year": cells[0],
        "year_to_date": figures.year_to_date(kpi, months[-1]),
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
    line is worked out from every partner's figures. ``targets``, when the caller has read them
    already (``kpi_targets``), saves reading them again.
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
    # oneSource's line needs every partner's figures (a rate's target weighs each partner's by its
    # denominator) and who takes the service each month; a partner officer's line needs only theirs.
    onesource = role_of(user) != Role.PARTNER_OFFICER
    shown = [partner.pk for partner in partners]
    if onesource:
        key = _onesource_line_key(months, approved, book)
        onesource_line, generation = generations.look_up((published.GENERATION, SUBSCRIPTIONS), key)
    # Every partner's figures only to work oneSource's line out; else those of the partners shown.
    read_all = onesource and onesource_line is generations.MISSING
    read = approved if read_all else approved.filter(partner__in=shown)
    figures = [Figure.of(kpi, *values) for values in read.order_by().values_list(*FIGURE_FIELDS)]
    taken = SubscriptionBook.between(months[0], end, None if read_all else shown, kpis=[kpi])
    # Each partner's line gets its own figures, sorted out once, not every partner's to pick from.
    of_partner = defaultdict(list)
    for figure in figures:
        of_partner[figure.partner_id].append(figure)
    lines = [
        trend_line(
            kpi,
            p.short_name,
            p,
            ScopeFigures(Scope(partner_id=p.pk), of_partner[p.pk], book, taken, scope_only=True),
            months,
        )
        for p in partners
    ]
    if onesource and lines:
        if read_all:
            onesource_line = trend_line(kpi, "oneSource", None, ScopeFigures(ONESOURCE, figures, book, taken), months)
            generations.keep(key, generation, onesource_line)
        lines.append(onesource_line)
    return KPITrend(kpi, months, lines, partners)


def _onesource_line_key(months: list[dt.date], approved, book: TargetBook) -> str:
    """What decides oneSource's line of a KPI's trend, beside the generations of the approved figures and
    of the subscriptions: the SQL of the figures read (the user's access policy is in it, so two users
    share a line only when they read the same rows), the months and the targets.

    The line is worked out from every partner's figures (some 4,000 at 300 partners) and kept; a page
    then reads only the figures of the partners it shows.
    """
    sql, params = approved.order_by().values_list(*FIGURE_FIELDS).query.sql_with_params()
    targets = sorted((t.pk, t.financial_year, t.partner_id, t.is_onesource, t.value, t.tolerance) for t in book)
    return "kpis:onesource-line:" + hashlib.sha256(repr((sql, params, months, targets)).encode()).hexdigest()


def kpis_measured_for(partner: Partner, period: dt.date):
    """The active KPIs that measure a service the partner takes in that month."""
    services = Subscription.objects.in_force_in(period).filter(partner=partner)
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


@dataclass
class Scorecard:
    """``rows``: the services' own measures, rated; ``by_service``: the enquiry and satisfaction figures the
    portal computes, for the services that had any this year (the same split as the monthly report's)."""

    rows: list[ScorecardRow]
    by_service: list[ScorecardRow]


def kpi_scorecard(*, user, partner: Partner, period: dt.date) -> Scorecard:
    """Each KPI of the partner's services for one month: approved figure, year to date, target and RAG."""
    kpis = list(kpis_measured_for(partner, period))
    approved = Measurement.objects.visible_to(user).approved()
    figures = ScopeFigures.read(kpis, first=period, last=period, scope=Scope(partner_id=partner.pk), approved=approved)
    commentary = dict(
        approved.filter(partner=partner, kpi__in=[k.pk for k in kpis], period=period)
        .exclude(commentary="")
        .values_list("kpi_id", "commentary")
    )
    rows = [
        ScorecardRow(kpi, figures.month(kpi, period), figures.year_to_date(kpi, period), commentary.get(kpi.pk, ""))
        for kpi in kpis
    ]
    return Scorecard(
        rows=[row for row in rows if not row.kpi.computed],
        by_service=[
            row
            for row in rows
            if row.kpi.computed and (row.month.result is not None or row.year_to_date.result is not None)
        ],
    )


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


def measurement_list_generation(*, user) -> str | None:
    """The generation (``apps.core.generations``) of what ``measurement_list`` shows the user, when one
    names it: a reader's (a partner officer's, the committee's) is the approved figures'
    (``apps.kpis.published``). Staff see drafts too, which change all month: None."""
    return published.GENERATION if reader_scope(user) else None


def entry_kpis(*, user, period: dt.date):
    """The KPIs a user enters figures for in that month: those they own, else those of their areas.

    Only the KPIs due that month (``apps.core.periods.frequencies_due_in``): a quarterly one in the
    last month of a quarter, an annual one in March; never one the portal computes.
    """
    kpis = KPI.objects.active().returned().select_related("area", "service")
    if role_of(user) != Role.ADMIN:
        owned = Q(data_owner=user) | Q(data_owner__isnull=True, area__in=user.service_areas.values("pk"))
        kpis = kpis.filter(owned)
    kpis = kpis.filter(frequency__in=frequencies_due_in(period))
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


@dataclass
class GridCells:
    """The KPIs a user enters in a month, and the grid's cells by (KPI id, partner id), in its order."""

    kpis: list[KPI]
    keys: list[tuple[int, int]]
    #: Partners already read (while the keys were worked out); the others are read when asked for.
    partners: dict[int, Partner]

    def cells(self, keys: list[tuple[int, int]]) -> list[tuple[KPI, Partner]]:
        """Those cells with their KPI and partner (the partners not read yet, in one query)."""
        missing = {pk for _, pk in keys} - self.partners.keys()
        if missing:
            self.partners.update(Partner.objects.only("pk", "name", "short_name", "slug").in_bulk(missing))
        by_pk = {kpi.pk: kpi for kpi in self.kpis}
        return [(by_pk[kpi_id], self.partners[partner_id]) for kpi_id, partner_id in keys]


def _grid_cells(*, user, period: dt.date, partner: Partner | None = None) -> GridCells:
    """The KPIs the user enters that month, and (KPI id, partner id) for each of them × every partner
    that takes its service then (or one partner, if given), by KPI then partner name.

    Worked out from the subscriptions (300 partners take some 2,000 of them a month) and kept under their
    generation (``apps.catalogue.selectors.SUBSCRIPTIONS``) and what of the KPIs decides them; the KPIs
    themselves are read each time, as the user's areas and ownership decide them.
    """
    kpis = list(entry_kpis(user=user, period=period))
    decided_by = (period, partner and partner.pk, [(kpi.pk, kpi.service_id, kpi.area_id) for kpi in kpis])
    key = "kpis:grid-cells:" + hashlib.sha256(repr(decided_by).encode()).hexdigest()
    read = {}

    def work_out():
        taken = SubscriptionBook.between(period, period, None if partner is None else [partner.pk], kpis=kpis)
        partners = Partner.objects.filter(pk__in=taken.partner_ids).only("pk", "name", "short_name", "slug")
        read.update((p.pk, p) for p in partners)
        by_name = sorted(read.values(), key=lambda p: p.name)
        members = {kpi.pk: taken.members(kpi, period) for kpi in kpis}
        return [(kpi.pk, p.pk) for kpi in kpis for p in by_name if p.pk in members[kpi.pk]]

    return GridCells(kpis, generations.kept(SUBSCRIPTIONS, key, work_out), read)


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
    grid = _grid_cells(user=user, period=period, partner=partner)
    cells = Paginator(grid.keys, GRID_ROWS_PER_PAGE).get_page(page)
    cells.object_list = _grid_rows(grid.cells(list(cells.object_list)), period)
    return cells


def approval_queue(*, user):
    """The submitted figures the user may approve: their areas' (an administrator: all)."""
    queryset = Measurement.objects.editable_by(user).filter(status=Measurement.Status.SUBMITTED)
    if role_of(user) not in (Role.ADMIN, Role.DIRECTOR):
        return queryset.none()
    return queryset.select_related("kpi", "kpi__area", "partner", "submitted_by").order_by(
        "period", "kpi__code", "partner__name"
    )


@dataclass(frozen=True)
class DecisionContext:
    """What an approver needs beside a figure: the figure rated against its target, and last month's."""

    cell: Cell
    last_month: Cell


def decision_context(measurements: Iterable[Measurement]) -> dict[int, DecisionContext]:
    """For each figure (by id): its target and RAG, and the approved figure of the month before.

    Two queries whatever the number of figures (targets, last month's figures).
    """
    measurements = list(measurements)
    if not measurements:
        return {}
    kpis = {m.kpi_id: m.kpi for m in measurements}
    periods = {m.period for m in measurements} | {add_months(m.period, -1) for m in measurements}
    book = TargetBook.for_kpis(list(kpis), sorted({FinancialYear.of(p).start_year for p in periods}))
    before = {}
    for m in Measurement.objects.filter(
        kpi_id__in=list(kpis),
        partner_id__in={m.partner_id for m in measurements},
        period__in={add_months(m.period, -1) for m in measurements},
        status=Measurement.Status.APPROVED,
    ):
        m.kpi = kpis[m.kpi_id]
        before[m.kpi_id, m.partner_id, m.period] = m
    context = {}
    for m in measurements:
        previous_period = add_months(m.period, -1)
        previous = before.get((m.kpi_id, m.partner_id, previous_period))
        context[m.pk] = DecisionContext(
            Cell(m.period, m.result, book.get(m.kpi_id, m.partner_id, m.period), m.kpi),
            Cell(
                previous_period,
                previous.result if previous else None,
                book.get(m.kpi_id, m.partner_id, previous_period),
                m.kpi,
            ),
        )
    return context


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


@dataclass
class ReturnsCount(Returns):
    """How many figures of a month the user must still enter or submit, and approve: ``Returns`` counted."""

    to_enter: int
    to_approve: int


def _closed_cells(kpis: Iterable[KPI], period: dt.date) -> set[tuple[int, int]]:
    """(KPI id, partner id) of the month's figures past the user's hands: submitted or approved."""
    figures = Measurement.objects.filter(kpi__in={kpi.pk for kpi in kpis}, period=period)
    open_statuses = {Measurement.Status.DRAFT, Measurement.Status.RETURNED}
    return set(figures.exclude(status__in=open_statuses).values_list("kpi_id", "partner_id"))


def my_returns(*, user, period: dt.date) -> Returns:
    """What the user must still enter, submit or approve for a month: the cells of their grid with no figure
    yet, or a draft or returned one, and the submitted figures they may approve."""
    grid = _grid_cells(user=user, period=period)
    closed = _closed_cells(grid.kpis, period)
    cells = grid.cells([key for key in grid.keys if key not in closed])
    to_enter = _grid_rows(cells, period) if cells else []
    to_approve = list(approval_queue(user=user).filter(period=period))
    return Returns(period, return_deadline(period), to_enter, to_approve)


def my_returns_count(*, user, period: dt.date) -> ReturnsCount:
    """``my_returns`` counted, for the dashboard: the same cells by id, without reading the partners, the
    figures and the targets."""
    grid = _grid_cells(user=user, period=period)
    closed = _closed_cells(grid.kpis, period)
    to_enter = sum(1 for key in grid.keys if key not in closed)
    to_approve = approval_queue(user=user).filter(period=period).count()
    return ReturnsCount(period, return_deadline(period), to_enter, to_approve)


def service_kpis(*, user, service):
    """The active KPIs that measure a service: those linked to it, and its area's KPIs that measure
    every partner of the area (no service named)."""
    return (
        KPI.objects.visible_to(user)
        .active()
        .filter(Q(service=service) | Q(service__isnull=True, area_id=service.area_id))
        .order_by("code")
    )
