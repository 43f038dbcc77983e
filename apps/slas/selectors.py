"""Reads of agreements and their compliance, restricted to what the user may see, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from django.db.models import Avg, Count, F, Max, OuterRef, Prefetch, Q, Subquery
from django.utils import timezone

from apps.core.money import format_money
from apps.core.periods import add_months, last_month, month_start
from apps.core.policy import role_of
from apps.core.rag import Rag, rag
from apps.core.roles import Role
from apps.kpis.models import Measurement
from apps.kpis.selectors import service_kpis

from .models import IN_FORCE, Agreement, CustomerObligation, ServiceSchedule, ServiceStandard

HISTORY_MONTHS = 12
REVIEW_HORIZON_DAYS = 90


class Outcome(StrEnum):
    MET = "met"
    MISSED = "missed"
    NOT_MEASURED = "not_measured"

    @property
    def label(self) -> str:
        return {"met": "Met", "missed": "Missed", "not_measured": "Not measured"}[self.value]


def outcome(standard: ServiceStandard, result: Decimal | None) -> Outcome:
    """Met when the approved figure meets or beats the standard's target, by the one RAG rule.

    A standard is a commitment with no amber band: a figure short of the target by any amount is missed.
    """
    colour = rag(result, standard.target, Decimal(0), higher_is_better=standard.kpi.higher_is_better)
    if colour == Rag.GREY:
        return Outcome.NOT_MEASURED
    return Outcome.MET if colour == Rag.GREEN else Outcome.MISSED


@dataclass(frozen=True)
class StandardMonth:
    standard: ServiceStandard
    period: dt.date
    result: Decimal | None
    outcome: Outcome

    @property
    def text(self) -> str:
        return self.standard.kpi.format(self.result)


@dataclass
class MonthCompliance:
    """SLA compliance for one month: standards met over standards measured."""

    period: dt.date
    met: int = 0
    missed: int = 0
    not_measured: int = 0

    @property
    def measured(self) -> int:
        return self.met + self.missed

    @property
    def rate(self) -> Decimal | None:
        if not self.measured:
            return None
        return Decimal(100) * self.met / self.measured

    @property
    def text(self) -> str:
        rate = self.rate
        return "Not measured" if rate is None else f"{rate:.0f}%"

    def add(self, result: Outcome) -> None:
        setattr(self, result.value, getattr(self, result.value) + 1)


@dataclass
class StandardLine:
    standard: ServiceStandard
    cells: list[StandardMonth]

    @property
    def this_month(self) -> StandardMonth:
        return self.cells[-1]


@dataclass
class Compliance:
    agreement: Agreement
    months: list[dt.date]
    lines: list[StandardLine]
    by_month: list[MonthCompliance] = field(default_factory=list)

    @property
    def this_month(self) -> MonthCompliance:
        return self.by_month[-1]

    @property
    def end(self) -> dt.date:
        return self.months[-1]


def _months_to(end: dt.date, count: int) -> list[dt.date]:
    return [add_months(end, n) for n in range(-count + 1, 1)]


def _standards_of(agreement_ids) -> list[ServiceStandard]:
    return list(
        ServiceStandard.objects.filter(agreement_id__in=agreement_ids)
        .select_related("kpi", "agreement")
        .order_by("kpi__area__display_order", "kpi__code")
    )


def _approved_figures(standards: list[ServiceStandard], months: list[dt.date]) -> dict:
    """Approved figures of the standards' KPIs for their partners, keyed by (partner, KPI, month): one query.

    Only the figures a standard needs are read: the join pairs each standard's KPI with its own
    agreement's partner, so 300 agreements of 10 standards read 3,000 figures a month, not every
    partner's figure of every KPI. Compliance counts only approved figures, the ones partners and
    the committee see.
    """
    rows = (
        Measurement.objects.approved()
        .filter(
            period__gte=months[0],
            period__lte=months[-1],
            kpi__service_standards__agreement_id__in={s.agreement_id for s in standards},
            partner_id=F("kpi__service_standards__agreement__partner_id"),
        )
        .values_list("kpi_id", "partner_id", "period", "value", "numerator", "denominator")
        .order_by()
    )
    kpis = {s.kpi_id: s.kpi for s in standards}
    figures = {}
    for kpi_id, partner_id, period, value, numerator, denominator in rows:
        kpi = kpis[kpi_id]
        figures[(partner_id, kpi_id, period)] = kpi.rate_value(numerator, denominator) if kpi.is_rate else value
    return figures


def compliance_for(agreements: Iterable[Agreement], *, end: dt.date, months: int = HISTORY_MONTHS) -> dict:
    """Each agreement's compliance for ``months`` months to ``end``, in two queries however many agreements."""
    agreements = list(agreements)
    periods = _months_to(month_start(end), months)
    standards = _standards_of([a.pk for a in agreements])
    figures = _approved_figures(standards, periods) if standards else {}
    of_agreement = defaultdict(list)  # each agreement's standards, in their order, without a scan for each
    for standard in standards:
        of_agreement[standard.agreement_id].append(standard)
    result = {}
    for agreement in agreements:
        own = of_agreement.get(agreement.pk, [])
        lines = []
        by_month = [MonthCompliance(period) for period in periods]
        for standard in own:
            cells = []
            for index, period in enumerate(periods):
                figure = figures.get((agreement.partner_id, standard.kpi_id, period))
                cell = StandardMonth(standard, period, figure, outcome(standard, figure))
                by_month[index].add(cell.outcome)
                cells.append(cell)
            lines.append(StandardLine(standard, cells))
        result[agreement.pk] = Compliance(agreement, periods, lines, by_month)
    return result


def agreement_compliance(*, agreement: Agreement, end: dt.date, months: int = HISTORY_MONTHS) -> Compliance:
    return compliance_for([agreement], end=end, months=months)[agreement.pk]


def latest_measured_month(agreement: Agreement) -> dt.date | None:
    """The latest month with an approved figure for one of the agreement's standards."""
    return (
        Measurement.objects.approved()
        .filter(partner_id=agreement.partner_id, kpi__service_standards__agreement=agreement)
        .aggregate(latest=Max("period"))["latest"]
    )


def default_month(agreement: Agreement) -> dt.date:
    return latest_measured_month(agreement) or last_month()


def agreement_list(*, user):
    return Agreement.objects.visible_to(user).select_related("partner", "owner")


def agreement_detail(*, user, pk: int) -> Agreement | None:
    """An agreement with its schedules, standards and obligations, or None when the user may not see it."""
    return (
        Agreement.objects.visible_to(user)
        .select_related("partner", "owner", "partner_signed_by", "onesource_signed_by", "previous")
        .prefetch_related(
            Prefetch("schedules", ServiceSchedule.objects.select_related("service", "service__area")),
            Prefetch("standards", ServiceStandard.objects.select_related("kpi", "kpi__area")),
            Prefetch("obligations", CustomerObligation.objects.select_related("service")),
        )
        .filter(pk=pk)
        .first()
    )


def agreement_versions(*, user, agreement: Agreement):
    return agreement_list(user=user).filter(partner_id=agreement.partner_id).order_by("-version")


def reviews_due(*, user, today: dt.date | None = None):
    """Agreements in force whose review falls within the next 90 days, or is overdue; soonest first."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=REVIEW_HORIZON_DAYS)
    return agreement_list(user=user).in_force().filter(review_due_on__lte=horizon).order_by("review_due_on")


def current_agreement(*, user, partner) -> Agreement | None:
    return agreement_list(user=user).in_force().filter(partner=partner).first()


def awaiting_signature(*, user):
    """Drafts the user may sign and their side has not: their partner's, or oneSource's for its signatories."""
    drafts = agreement_list(user=user).drafts().filter(schedules__isnull=False).distinct()
    role = role_of(user)
    if role == Role.PARTNER_OFFICER:
        return drafts.filter(partner_id=user.partner_id, partner_signed_at__isnull=True)
    if role in (Role.ADMIN, Role.DIRECTOR):
        return drafts.filter(onesource_signed_at__isnull=True)
    return drafts.none()


def with_latest_period(queryset):
    """Standards annotated with ``latest_period``, the latest month with an approved figure for the partner."""
    latest_period = (
        Measurement.objects.approved()
        .filter(partner_id=OuterRef("agreement__partner_id"), kpi_id=OuterRef("kpi_id"))
        .order_by("-period")
        .values("period")[:1]
    )
    return queryset.select_related("kpi", "agreement").annotate(latest_period=Subquery(latest_period))


def attach_latest(standards: list[ServiceStandard]) -> list[ServiceStandard]:
    """Give each standard (from ``with_latest_period``) ``latest``, its outcome in that month: one query."""
    wanted = [s for s in standards if s.latest_period]
    figures = {}
    if wanted:
        rows = Measurement.objects.approved().filter(
            partner_id__in={s.agreement.partner_id for s in wanted},
            kpi_id__in={s.kpi_id for s in wanted},
            period__in={s.latest_period for s in wanted},
        )
        kpis = {s.kpi_id: s.kpi for s in wanted}
        for row in rows:
            row.kpi = kpis[row.kpi_id]
            figures[(row.partner_id, row.kpi_id, row.period)] = row.result
    for standard in standards:
        figure = figures.get((standard.agreement.partner_id, standard.kpi_id, standard.latest_period))
        standard.latest = StandardMonth(standard, standard.latest_period, figure, outcome(standard, figure))
    return standards


#: An indicative charge is shown only when it is the mean of at least this many other councils'
#: charges, so that it never gives away one council's agreement.
INDICATIVE_MIN_AGREEMENTS = 2


def service_standards(*, user, service) -> list[ServiceStandard]:
    """The standards committed to in agreements in force that the KPIs of a service measure: a partner
    officer's own council's only."""
    return list(
        ServiceStandard.objects.visible_to(user)
        .filter(agreement__status__in=IN_FORCE, kpi__in=service_kpis(user=user, service=service))
        .select_related("agreement__partner", "kpi")
        .order_by("agreement__partner__name", "kpi__code")
    )


def service_charges(*, user, service) -> dict:
    """What a service costs a year: the schedules in force the user may see (a partner officer's own
    council's), and an indicative charge, the mean over other councils' agreements in force, shown
    only when there are enough of them not to give one away."""
    in_force = ServiceSchedule.objects.filter(service=service, agreement__status__in=IN_FORCE)
    schedules = list(
        in_force.filter(pk__in=ServiceSchedule.objects.visible_to(user).values("pk"))
        .select_related("agreement__partner")
        .order_by("agreement__partner__name")
    )
    others = in_force.exclude(agreement__partner_id=user.partner_id) if user.partner_id else in_force
    summary = others.aggregate(
        mean=Avg("annual_charge"),
        count=Count("pk"),
        illustrative=Count("pk", filter=Q(agreement__illustrative=True)),
    )
    enough = summary["count"] >= INDICATIVE_MIN_AGREEMENTS
    return {
        "schedules": schedules,
        "indicative": format_money(summary["mean"]) if enough else None,
        "indicative_count": summary["count"] if enough else 0,
        "illustrative": bool(summary["illustrative"]) or any(s.agreement.illustrative for s in schedules),
    }


@dataclass
class VersionChanges:
    """What a draft changes from the version it revises: the check before signing it."""

    previous: Agreement | None
    services_added: list = field(default_factory=list)
    services_removed: list = field(default_factory=list)
    charges_changed: list = field(default_factory=list)  # (service, charge before, charge now)
    standards_added: list = field(default_factory=list)
    standards_removed: list = field(default_factory=list)
    standards_changed: list = field(default_factory=list)  # (standard before, standard now)

    @property
    def is_empty(self) -> bool:
        return not (
            self.services_added
            or self.services_removed
            or self.charges_changed
            or self.standards_added
            or self.standards_removed
            or self.standards_changed
        )


def version_changes(agreement: Agreement) -> VersionChanges:
    """The draft's schedules and standards against those of the version it revises (``previous``)."""
    changes = VersionChanges(previous=agreement.previous)
    if agreement.previous is None:
        return changes
    parts = ServiceSchedule.objects.select_related("service").filter(agreement__in=[agreement, agreement.previous])
    schedules = {agreement.pk: {}, agreement.previous_id: {}}
    for schedule in parts:
        schedules[schedule.agreement_id][schedule.service_id] = schedule
    standards = {agreement.pk: {}, agreement.previous_id: {}}
    for standard in ServiceStandard.objects.select_related("kpi").filter(agreement__in=[agreement, agreement.previous]):
        standards[standard.agreement_id][standard.kpi_id] = standard
    before, now = schedules[agreement.previous_id], schedules[agreement.pk]
    changes.services_added = [now[k].service for k in now.keys() - before.keys()]
    changes.services_removed = [before[k].service for k in before.keys() - now.keys()]
    changes.charges_changed = [
        (now[k].service, before[k], now[k])
        for k in now.keys() & before.keys()
        if now[k].annual_charge != before[k].annual_charge
    ]
    before, now = standards[agreement.previous_id], standards[agreement.pk]
    changes.standards_added = [now[k] for k in now.keys() - before.keys()]
    changes.standards_removed = [before[k] for k in before.keys() - now.keys()]
    changes.standards_changed = [
        (before[k], now[k])
        for k in now.keys() & before.keys()
        if (now[k].target, now[k].description) != (before[k].target, before[k].description)
    ]
    for items in (changes.services_added, changes.services_removed):
        items.sort(key=lambda s: s.name)
    changes.charges_changed.sort(key=lambda c: c[0].name)
    for items in (changes.standards_added, changes.standards_removed):
        items.sort(key=lambda s: s.kpi.code)
    changes.standards_changed.sort(key=lambda c: c[1].kpi.code)
    return changes
