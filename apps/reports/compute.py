"""Compute a month's report for one scope (a partner, or oneSource as a whole) as a JSON snapshot.

Every section is computed with set-based queries: the measurements of all the scope's KPIs for
thirteen months come back grouped by KPI and month in one statement, so the number of queries does
not grow with the number of KPIs or partners. Figures follow the portal's one set of rules: a rate
across partners or months is Σnumerator / Σdenominator (``apps.kpis.selectors.kpi_aggregate``), a
RAG rating comes from ``apps.core.rag``, SLA compliance from ``apps.slas.selectors``, savings from
the savings tracker.

The snapshot keeps numbers as strings (exact decimals) beside the text shown, so that the page, the
dashboards, the pack and the API all show the same figure.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, OuterRef, Q, Subquery, Sum
from django.utils import timezone

from apps.catalogue.models import Subscription
from apps.core.money import format_money
from apps.core.periods import FinancialYear, add_months, fy_label, month_label, working_days_between
from apps.core.policy import SYSTEM
from apps.customers.models import Enquiry
from apps.customers.selectors import monthly_contact_figures
from apps.delivery.models import CLOSED_STATUSES, Activity, ActivityStatus, Plan
from apps.growth.selectors import report_section as traded_income_section
from apps.kpis.models import KPI, Measurement, Target
from apps.kpis.selectors import TargetBook
from apps.partners.models import Partner
from apps.risks.selectors import report_section as risk_report_section
from apps.savings.models import SavingLine
from apps.savings.selectors import reporting_year, tracker
from apps.slas.models import Agreement
from apps.slas.selectors import compliance_for
from apps.transformation.models import Project

TREND_MONTHS = 13
IN_FORCE = (Agreement.Status.ACTIVE, Agreement.Status.UNDER_REVIEW)
SECTIONS = ("kpis", "slas", "savings", "delivery", "enquiries", "projects", "risks", "traded_income", "completeness")


def number(value) -> str | None:
    return None if value is None else str(Decimal(value).quantize(Decimal("0.0001")))


def money(value: Decimal) -> dict:
    return {"value": number(value), "text": format_money(value)}


def percent(part, whole) -> Decimal | None:
    return None if not whole else Decimal(100) * Decimal(part) / Decimal(whole)


def percent_text(value) -> str:
    return "–" if value is None else f"{Decimal(value):.1f}%"


def due_in(kpi: KPI, period: dt.date) -> bool:
    """A quarterly KPI is due in the last month of a quarter, an annual one in March."""
    if kpi.frequency == KPI.Frequency.QUARTERLY:
        return period.month % 3 == 0
    if kpi.frequency == KPI.Frequency.ANNUAL:
        return period.month == 3
    return True


@dataclass
class Totals:
    """Approved figures of one KPI in one month (or a year), added up over the scope's partners."""

    numerator: Decimal = Decimal(0)
    denominator: Decimal = Decimal(0)
    total: Decimal = Decimal(0)
    count: int = 0
    partners: int = 0

    def add(self, other: Totals) -> None:
        self.numerator += other.numerator
        self.denominator += other.denominator
        self.total += other.total
        self.count += other.count

    def figure(self, kpi: KPI) -> Decimal | None:
        """The same rule as ``kpi_aggregate``: rates are Σn/Σd, then a sum or a mean of the values."""
        if kpi.is_rate:
            return kpi.rate_value(self.numerator, self.denominator) if self.count else None
        if not self.count:
            return None
        return self.total / self.count if kpi.aggregation == KPI.Aggregation.MEAN else self.total


def _grouped(measurements) -> dict[tuple[int, dt.date], Totals]:
    has_rate = Q(numerator__isnull=False, denominator__isnull=False)
    rows = (
        measurements.values("kpi_id", "period")
        .annotate(
            n=Sum("numerator", filter=has_rate),
            d=Sum("denominator", filter=has_rate),
            total=Sum("value"),
            values=Count("value"),
            rates=Count("pk", filter=has_rate),
            partners=Count("partner", distinct=True),
        )
        .order_by()
    )
    grouped = {}
    for row in rows:
        grouped[(row["kpi_id"], row["period"])] = Totals(
            numerator=row["n"] or Decimal(0),
            denominator=row["d"] or Decimal(0),
            total=row["total"] or Decimal(0),
            count=max(row["values"], row["rates"]),
            partners=row["partners"],
        )
    return grouped


def _latest_in_year(measurements, year: FinancialYear, period: dt.date) -> dict[int, Totals]:
    """For "latest" KPIs: each partner's latest approved figure of the year, added up per KPI (one query)."""
    latest_period = Subquery(
        Measurement.objects.approved()
        .filter(
            kpi=OuterRef("kpi"),
            partner=OuterRef("partner"),
            period__gte=year.starts_on,
            period__lte=period,
        )
        .order_by("-period")
        .values("period")[:1]
    )
    grouped = _grouped(
        measurements.filter(period__gte=year.starts_on, period__lte=period)
        .annotate(latest=latest_period)
        .filter(period=F("latest"))
    )
    totals: dict[int, Totals] = defaultdict(Totals)
    for (kpi_id, _month), figures in grouped.items():
        totals[kpi_id].add(figures)
    return totals


def direction(kpi: KPI, now: Decimal | None, before: Decimal | None) -> str:
    if now is None or before is None:
        return "none"
    if now == before:
        return "same"
    better = now > before if kpi.higher_is_better else now < before
    return "better" if better else "worse"


class ReportComputation:
    """The snapshot of one report. ``on_section`` is told as each section completes (progress)."""

    def __init__(self, period: dt.date, partner: Partner | None, on_section: Callable[[int], None] | None = None):
        self.period = period
        self.partner = partner
        self.year = FinancialYear.of(period)
        self.months = [add_months(period, n) for n in range(-(TREND_MONTHS - 1), 1)]
        self.on_section = on_section or (lambda done: None)

    def run(self) -> dict:
        sections = {}
        kpis = self.kpi_section()
        sections["kpis"] = kpis
        self.on_section(1)
        sections["slas"] = self.sla_section()
        self.on_section(2)
        sections["savings"] = self.savings_section()
        self.on_section(3)
        sections["delivery"] = self.delivery_section()
        self.on_section(4)
        sections["enquiries"] = self.enquiry_section()
        self.on_section(5)
        sections["projects"] = self.project_section()
        self.on_section(6)
        sections["risks"] = self.risk_section()
        self.on_section(7)
        sections["traded_income"] = traded_income_section(period=self.period, partner=self.partner)
        self.on_section(8)
        sections["completeness"] = kpis.pop("_completeness")
        self.on_section(9)
        return {
            "period": self.period.isoformat(),
            "period_label": month_label(self.period),
            "financial_year": self.year.label,
            "scope": {
                "partner_id": self.partner.pk if self.partner else None,
                "name": self.partner.name if self.partner else "oneSource",
                "slug": self.partner.slug if self.partner else "onesource",
            },
            **sections,
        }

    # KPIs ----------------------------------------------------------------------------------------

    def _kpis(self) -> list[KPI]:
        kpis = KPI.objects.active().select_related("area").order_by("area__display_order", "code")
        if self.partner is None:
            return list(kpis)
        from apps.kpis.selectors import kpis_measured_for

        return list(kpis_measured_for(self.partner, self.period))

    def kpi_section(self) -> dict:
        kpis = self._kpis()
        ids = [k.pk for k in kpis]
        measurements = Measurement.objects.approved().filter(kpi_id__in=ids)
        if self.partner is not None:
            measurements = measurements.filter(partner=self.partner)
        grouped = _grouped(measurements.filter(period__gte=self.months[0], period__lte=self.period))
        latest_kpis = [k.pk for k in kpis if k.aggregation == KPI.Aggregation.LATEST and not k.is_rate]
        latest = _latest_in_year(measurements.filter(kpi_id__in=latest_kpis), self.year, self.period)
        # Only the targets this scope is rated against: its own partner's and those for all partners.
        targets = Target.objects.filter(
            kpi_id__in=ids,
            financial_year__in={FinancialYear.of(m).start_year for m in self.months},
        ).filter(Q(partner__isnull=True) | Q(partner=self.partner) if self.partner else Q(partner__isnull=True))
        by_id = {k.pk: k for k in kpis}
        targets = list(targets)
        for target in targets:
            target.kpi = by_id[target.kpi_id]  # the KPIs already read, rather than a join per target
        book = TargetBook(targets)
        partner_id = self.partner.pk if self.partner else None
        commentary = defaultdict(list)
        for row in (
            measurements.filter(period=self.period)
            .exclude(commentary="")
            .values("kpi_id", "partner__short_name", "commentary")
            .order_by("partner__short_name")
        ):
            commentary[row["kpi_id"]].append({"partner": row["partner__short_name"], "text": row["commentary"]})
        takers = self._takers(kpis)

        rows = []
        rag_by_month = [
            {"month": m.isoformat(), "label": month_label(m), "green": 0, "amber": 0, "red": 0, "grey": 0}
            for m in self.months
        ]
        completeness = {"expected": 0, "received": 0, "missing": []}
        for kpi in kpis:
            figures = [grouped.get((kpi.pk, month), Totals()).figure(kpi) for month in self.months]
            targets = [book.get(kpi.pk, partner_id, month) for month in self.months]
            rags = [t.rate(f).value if t else "grey" for f, t in zip(figures, targets, strict=True)]
            for counts, colour in zip(rag_by_month, rags, strict=True):
                counts[colour] += 1
            ytd_totals = Totals()
            if kpi.pk in latest:
                ytd_totals = latest[kpi.pk]
            else:
                for month in self.year.months():
                    if month <= self.period and (kpi.pk, month) in grouped:
                        ytd_totals.add(grouped[(kpi.pk, month)])
            ytd = ytd_totals.figure(kpi)
            target = targets[-1]
            actual, last_month, last_year = figures[-1], figures[-2], figures[0]
            rows.append(
                {
                    "code": kpi.code,
                    "name": kpi.name,
                    "area": kpi.area.code,
                    "area_name": kpi.area.name,
                    "unit": kpi.unit,
                    "polarity": kpi.polarity,
                    "decimal_places": kpi.decimal_places,
                    "actual": number(actual),
                    "actual_text": kpi.format(actual),
                    "target": number(target.value) if target else None,
                    "target_text": kpi.format(target.value) if target else "No target",
                    "rag": rags[-1],
                    "last_month": number(last_month),
                    "last_month_text": kpi.format(last_month),
                    "same_month_last_year": number(last_year),
                    "same_month_last_year_text": kpi.format(last_year),
                    "direction_month": direction(kpi, actual, last_month),
                    "direction_year": direction(kpi, actual, last_year),
                    "ytd": number(ytd),
                    "ytd_text": kpi.format(ytd),
                    "ytd_rag": target.rate(ytd).value if target else "grey",
                    "commentary": commentary.get(kpi.pk, []),
                    "trend": [number(f) for f in figures],
                    "trend_rag": rags,
                }
            )
            if due_in(kpi, self.period):
                expected = takers.get(kpi.pk, 0)
                received = min(grouped.get((kpi.pk, self.period), Totals()).partners, expected)
                completeness["expected"] += expected
                completeness["received"] += received
                if received < expected:
                    completeness["missing"].append(
                        {"code": kpi.code, "name": kpi.name, "missing": expected - received, "expected": expected}
                    )
        counts = {colour: sum(1 for r in rows if r["rag"] == colour) for colour in ("green", "amber", "red", "grey")}
        rate = percent(completeness["received"], completeness["expected"])
        completeness.update(percent=number(rate), percent_text=percent_text(rate))
        return {
            "months": [m.isoformat() for m in self.months],
            "month_labels": [f"{m:%b %Y}" for m in self.months],
            "rows": rows,
            "rag_counts": counts,
            "rag_by_month": rag_by_month,
            "reds": [r for r in rows if r["rag"] == "red"],
            "_completeness": completeness,
        }

    def _takers(self, kpis: list[KPI]) -> dict[int, int]:
        """How many partners of the scope take each KPI's service this month: two grouped queries.

        A KPI of a service is due from each partner taking that service; a KPI of a whole area from
        each partner taking any service of the area (the rule of ``SubscriptionBook.takes``).
        """
        taking = Subscription.objects.filter(starts_on__lte=self.period).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=self.period)
        )
        if self.partner is not None:
            taking = taking.filter(partner=self.partner)

        def count(by: str) -> dict[int, int]:
            rows = taking.values(by).annotate(n=Count("partner", distinct=True)).order_by()
            return {row[by]: row["n"] for row in rows}

        by_service, by_area = count("service_id"), count("service__area_id")
        return {k.pk: by_service.get(k.service_id, 0) if k.service_id else by_area.get(k.area_id, 0) for k in kpis}

    # Service level agreements ----------------------------------------------------------------------

    def sla_section(self) -> dict:
        agreements = Agreement.objects.filter(status__in=IN_FORCE).select_related("partner").order_by("partner__name")
        if self.partner is not None:
            agreements = agreements.filter(partner=self.partner)
        agreements = list(agreements)
        compliance = compliance_for(agreements, end=self.period, months=TREND_MONTHS)
        by_month = [{"month": m.isoformat(), "label": month_label(m), "met": 0, "measured": 0} for m in self.months]
        rows, standards = [], []
        for agreement in agreements:
            c = compliance[agreement.pk]
            for index, month in enumerate(c.by_month):
                by_month[index]["met"] += month.met
                by_month[index]["measured"] += month.measured
            now = c.this_month
            rows.append(
                {
                    "partner": agreement.partner.short_name,
                    "reference": agreement.reference,
                    "met": now.met,
                    "measured": now.measured,
                    "rate": number(now.rate),
                    "rate_text": percent_text(now.rate),
                }
            )
            if self.partner is not None:
                for line in c.lines:
                    cell = line.this_month
                    standards.append(
                        {
                            "code": line.standard.kpi.code,
                            "name": line.standard.kpi.name,
                            "target": line.standard.kpi.format(line.standard.target),
                            "result": cell.text,
                            "outcome": cell.outcome.value,
                            "outcome_text": cell.outcome.label,
                        }
                    )
        for month in by_month:
            rate = percent(month["met"], month["measured"])
            month.update(rate=number(rate), rate_text=percent_text(rate))
        total = by_month[-1]
        return {
            "met": total["met"],
            "measured": total["measured"],
            "rate": total["rate"],
            "rate_text": total["rate_text"],
            "agreements": rows,
            "standards": standards,
            "missed": [s for s in standards if s["outcome"] == "missed"],
            "by_month": by_month,
        }

    # Savings -----------------------------------------------------------------------------------------

    def savings_section(self) -> dict:
        lines = SavingLine.objects.all()
        if self.partner is not None:
            lines = lines.filter(pk__in=SavingLine.objects.filter(shares__partner=self.partner).values("pk"))
        # Savings still open after the programmes' last year are reported against that year.
        year = reporting_year(self.period)
        summary = tracker(user=SYSTEM, lines=lines, year=year)

        def figures(f) -> dict:
            return {
                "target": money(f.target),
                "forecast": money(f.forecast),
                "achieved": money(f.achieved),
                "variance": money(f.variance),
                "variance_percent": number(f.variance_percent),
            }

        by_partner = [{"partner": p.short_name, "partner_id": p.pk, **figures(f)} for p, f in summary.by_partner]
        mine = next((row for row in by_partner if row["partner_id"] == getattr(self.partner, "pk", None)), None)
        return {
            "year": fy_label(year),
            "total": figures(summary.total),
            "share": mine,
            "by_programme": [{"name": p.name, **figures(f)} for p, f in summary.by_programme],
            "by_area": [{"name": a.name, "code": a.code, **figures(f)} for a, f in summary.by_area],
            "by_partner": by_partner if self.partner is None else [],
            "cumulative": figures(summary.cumulative),
            "concerns": [
                {
                    "reference": r.line.reference,
                    "title": r.line.title,
                    "status": r.status_label,
                    "target": money(r.target),
                    "forecast": money(r.forecast),
                    "slipped": money(r.slipped_out),
                    "commentary": r.commentary,
                }
                for r in summary.concerns
            ],
        }

    # Delivery plan -----------------------------------------------------------------------------------

    def delivery_section(self) -> dict:
        plan = Plan.objects.filter(financial_year=self.year.start_year).first()
        if plan is None:
            return {"plan": None, "objectives": [], "supporting": []}
        month_end = add_months(self.period, 1) - dt.timedelta(days=1)
        activities = Activity.objects.filter(objective__plan=plan)
        counted = (
            activities.values("objective__position", "objective__title")
            .annotate(
                total=Count("pk"),
                complete=Count("pk", filter=Q(status=ActivityStatus.COMPLETE)),
                on_track=Count("pk", filter=Q(status=ActivityStatus.ON_TRACK)),
                at_risk=Count("pk", filter=Q(status__in=(ActivityStatus.AT_RISK, ActivityStatus.OFF_TRACK))),
                overdue=Count("pk", filter=Q(due_on__lte=month_end) & ~Q(status__in=CLOSED_STATUSES)),
            )
            .order_by("objective__position")
        )
        objectives = [
            {
                "title": row["objective__title"],
                "total": row["total"],
                "complete": row["complete"],
                "on_track": row["on_track"],
                "at_risk": row["at_risk"],
                "overdue": row["overdue"],
            }
            for row in counted
        ]
        supporting = []
        if self.partner is not None:
            supporting = [
                {"title": a.title, "status": a.get_status_display(), "due_on": a.due_on.isoformat()}
                for a in activities.filter(supported_partners=self.partner).order_by("objective__position", "position")
            ]
        totals = {
            key: sum(o[key] for o in objectives) for key in ("total", "complete", "on_track", "at_risk", "overdue")
        }
        return {
            "plan": fy_label(plan.financial_year),
            "objectives": objectives,
            "totals": totals,
            "supporting": supporting,
        }

    # Enquiries and satisfaction -------------------------------------------------------------------------

    def enquiry_section(self) -> dict:
        zone = timezone.get_current_timezone()
        starts = dt.datetime.combine(self.period, dt.time.min, tzinfo=zone)
        ends = dt.datetime.combine(add_months(self.period, 1), dt.time.min, tzinfo=zone)
        enquiries = Enquiry.objects.all()
        if self.partner is not None:
            enquiries = enquiries.filter(partner=self.partner)
        counts = enquiries.aggregate(
            opened=Count("pk", filter=Q(opened_at__gte=starts, opened_at__lt=ends)),
            open_at_end=Count(
                "pk", filter=Q(opened_at__lt=ends) & (Q(resolved_at__isnull=True) | Q(resolved_at__gte=ends))
            ),
        )
        resolved = enquiries.filter(resolved_at__gte=starts, resolved_at__lt=ends).values_list(
            "opened_at", "resolved_at"
        )
        days = [working_days_between(o.astimezone(zone).date(), r.astimezone(zone).date()) for o, r in resolved]
        figures = [
            row
            for row in monthly_contact_figures(month=self.period)
            if self.partner is None or row["partner_id"] == self.partner.pk
        ]
        answered = sum(row["answered_total"] for row in figures)
        in_time = sum(row["answered_within_target"] for row in figures)
        responses = sum(row["satisfaction_count"] for row in figures)
        score = sum(row["satisfaction_sum"] for row in figures)
        in_time_rate = percent(in_time, answered)
        average = Decimal(score) / Decimal(responses) if responses else None
        median = statistics.median(days) if days else None
        return {
            "opened": counts["opened"],
            "open_at_end": counts["open_at_end"],
            "answered": answered,
            "answered_in_time": in_time,
            "in_time_rate": number(in_time_rate),
            "in_time_text": percent_text(in_time_rate),
            "resolved": len(days),
            "median_days": number(median),
            "median_days_text": "–" if median is None else f"{median:g} working days",
            "satisfaction": {
                "responses": responses,
                "average": number(average),
                "average_text": "–" if average is None else f"{average:.1f} out of 5",
            },
        }

    # Transformation projects ----------------------------------------------------------------------------

    def project_section(self) -> dict:
        """The programme is oneSource's own work: partners' reports do not carry it (as partners' pages)."""
        if self.partner is not None:
            return {"shown": False, "projects": []}
        projects = (
            Project.objects.exclude(stage=Project.Stage.CLOSED)
            .filter(starts_on__lte=add_months(self.period, 1))
            .select_related("area")
            .order_by("area__display_order", "title")
        )
        rows = [
            {
                "title": p.title,
                "area": p.area.code,
                "stage": p.get_stage_display(),
                "rag": p.rag,
                "rag_text": p.get_rag_display(),
                "planned_end_on": p.planned_end_on.isoformat(),
            }
            for p in projects
        ]
        counts = {colour: sum(1 for r in rows if r["rag"] == colour) for colour in ("green", "amber", "red")}
        return {"shown": True, "projects": rows, "rag_counts": counts}

    # Principal risks ---------------------------------------------------------------------------------

    def risk_section(self) -> dict:
        return risk_report_section(period_end=add_months(self.period, 1) - dt.timedelta(days=1), partner=self.partner)


def headline(snapshot: dict) -> dict:
    """The few figures a comparison across partners needs, kept apart from the snapshot."""
    savings = snapshot["savings"]
    share = savings["share"] or savings["total"]
    return {
        "rag_counts": snapshot["kpis"]["rag_counts"],
        "sla_rate": snapshot["slas"]["rate"],
        "sla_rate_text": snapshot["slas"]["rate_text"],
        "savings_forecast": share["forecast"],
        "savings_target": share["target"],
        "savings_achieved": share["achieved"],
        "enquiries_in_time_text": snapshot["enquiries"]["in_time_text"],
        "open_enquiries": snapshot["enquiries"]["open_at_end"],
        "completeness_text": snapshot["completeness"]["percent_text"],
    }


def compute(period: dt.date, partner: Partner | None, on_section=None) -> dict:
    return ReportComputation(period, partner, on_section).run()
