"""Compute a month's report for one scope (a partner, or oneSource as a whole) as a JSON snapshot.

Every section is computed with set-based queries: the measurements of all the scope's KPIs for
thirteen months are read in one statement, so the number of queries does not grow with the number of
KPIs or partners. The KPI scorecards, the heavy part, are worked out for many scopes at once
(``Scorecards``): a month's reports read every partner's figures once, for oneSource and each partner
together, rather than once per scope. Every figure comes from the rule that works it out for every page: a KPI's figure,
target, RAG rating, year to date and direction of travel from ``apps.kpis.selectors.ScopeFigures``, SLA
compliance from ``apps.slas.selectors``, savings from the savings tracker, an enquiry's working time
from its own clock (``Enquiry.working_seconds_to_resolve``).

The snapshot keeps numbers as strings (exact decimals) beside the text shown, so that the page, the
dashboards, the pack and the API all show the same figure.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from django.db.models import Count, F, Q
from django.utils import timezone

from apps.core.money import format_money
from apps.core.periods import FinancialYear, add_months, fy_label, month_end, month_label, office_day_seconds
from apps.core.policy import SYSTEM
from apps.customers.models import Enquiry
from apps.customers.selectors import monthly_contact_figures
from apps.delivery.models import CLOSED_STATUSES, Activity, ActivityStatus, Plan
from apps.growth.selectors import report_section as traded_income_section
from apps.kpis.models import KPI, Measurement
from apps.kpis.selectors import ONESOURCE, Goal, Scope, ScopeFigures
from apps.partners.models import Partner
from apps.risks.selectors import report_sections as risk_report_sections
from apps.savings.models import SavingLine
from apps.savings.selectors import reporting_year, trackers
from apps.slas.models import Agreement
from apps.slas.selectors import compliance_for
from apps.transformation.models import Project

TREND_MONTHS = 13
TENTH = Decimal("0.1")
IN_FORCE = (Agreement.Status.ACTIVE, Agreement.Status.UNDER_REVIEW)
SECTIONS = ("kpis", "slas", "savings", "delivery", "enquiries", "projects", "risks", "traded_income", "completeness")


FOUR_PLACES = Decimal("0.0001")


def number(value) -> str | None:
    return None if value is None else str(Decimal(value).quantize(FOUR_PLACES))


def money(value: Decimal) -> dict:
    return {"value": number(value), "text": format_money(value)}


def percent(part, whole) -> Decimal | None:
    return None if not whole else Decimal(100) * Decimal(part) / Decimal(whole)


def percent_text(value) -> str:
    return "–" if value is None else f"{Decimal(value):.1f}%"


def scope_of(partner: Partner | None) -> Scope:
    return ONESOURCE if partner is None else Scope(partner_id=partner.pk)


def trend_months(period: dt.date) -> list[dt.date]:
    return [add_months(period, n) for n in range(-(TREND_MONTHS - 1), 1)]


class Scorecards:
    """The KPI scorecards of a month for many scopes (oneSource and partners) at once, in five queries
    whatever the number of scopes: the active KPIs, every scope's approved figures, targets and
    subscriptions (``ScopeFigures.read_each``, the one rule's set-wise form) and the month's commentary.

    It also reads, once for all its scopes, what other sections read alike for each: the agreements in
    force and their compliance, the delivery plan's progress, and the month's enquiries."""

    def __init__(self, period: dt.date, partners: Iterable[Partner | None]):
        self.period = period
        self.months = trend_months(period)
        self.partners = partners = list(partners)
        self.kpis = list(KPI.objects.active().select_related("area").order_by("area__display_order", "code"))
        self.figures = ScopeFigures.read_each(
            self.kpis, first=self.months[0], last=period, scopes=[scope_of(p) for p in partners]
        )
        measurements = Measurement.objects.approved().filter(kpi__in=[k.pk for k in self.kpis], period=period)
        if None not in partners:
            measurements = measurements.filter(partner__in=[p.pk for p in partners])
        # By KPI, in partner order, for oneSource; by partner and KPI for a partner.
        self._commentary = defaultdict(list)
        self._commentary_of = defaultdict(lambda: defaultdict(list))
        for row in (
            measurements.exclude(commentary="")
            .values("kpi_id", "partner_id", "partner__short_name", "commentary")
            .order_by("partner__short_name")
        ):
            note = {"partner": row["partner__short_name"], "text": row["commentary"]}
            self._commentary[row["kpi_id"]].append(note)
            self._commentary_of[row["partner_id"]][row["kpi_id"]].append(note)

    def of(self, partner: Partner | None) -> tuple[list[KPI], ScopeFigures, dict[int, list[dict]]]:
        """The scope's KPIs (oneSource: every active KPI; a partner: those measuring a service it takes
        that month), its figures, and the commentary on its figures of the month by KPI."""
        figures = self.figures[scope_of(partner)]
        if partner is None:
            return self.kpis, figures, self._commentary
        kpis = [kpi for kpi in self.kpis if partner.pk in figures.members(kpi, self.period)]
        return kpis, figures, self._commentary_of.get(partner.pk, {})

    def _of_scopes(self, queryset, partner_field: str = "partner"):
        """``queryset`` narrowed to the scopes' partners, unless oneSource's report, which has them all, is one."""
        if None in self.partners:
            return queryset
        return queryset.filter(**{f"{partner_field}__in": [p.pk for p in self.partners]})

    @cached_property
    def _agreements(self) -> tuple[list[Agreement], dict]:
        agreements = self._of_scopes(
            Agreement.objects.filter(status__in=IN_FORCE).select_related("partner").order_by("partner__name")
        )
        agreements = list(agreements)
        return agreements, compliance_for(agreements, end=self.period, months=TREND_MONTHS)

    def agreements(self, partner: Partner | None) -> tuple[list[Agreement], dict]:
        """The scope's agreements in force, and each one's compliance by agreement id."""
        agreements, compliance = self._agreements
        return [a for a in agreements if partner is None or a.partner_id == partner.pk], compliance

    @cached_property
    def _savings(self) -> tuple[int, dict]:
        lines = SavingLine.objects.all()
        if None not in self.partners:
            lines = lines.filter(pk__in=self._of_scopes(SavingLine.objects.all(), "shares__partner").values("pk"))
        year = reporting_year(self.period)
        return year, trackers(user=SYSTEM, lines=lines, scopes=self.partners, year=year, reading=self.period)

    def savings(self, partner: Partner | None):
        """The savings tracker of the month's financial year in the scope (a partner's shares only)."""
        year, by_scope = self._savings
        return year, by_scope[partner]

    @cached_property
    def risks(self) -> dict:
        """The principal risks of each scope at the month's end (``risks.selectors.report_sections``)."""
        return risk_report_sections(period_end=month_end(self.period), scopes=self.partners)

    @cached_property
    def supporting(self) -> dict[int, list[dict]]:
        """The activities of the month's plan that support each of the scopes' partners, by partner id."""
        plan, _ = self.plan
        supporting = defaultdict(list)
        partner_ids = [p.pk for p in self.partners if p is not None]
        if plan is None or not partner_ids:
            return supporting
        activities = (
            Activity.objects.filter(objective__plan=plan, supported_partners__in=partner_ids)
            .annotate(supported_id=F("supported_partners"))
            .order_by("objective__position", "position")
        )
        for a in activities:
            supporting[a.supported_id].append(
                {"title": a.title, "status": a.get_status_display(), "due_on": a.due_on.isoformat()}
            )
        return supporting

    @cached_property
    def plan(self) -> tuple[Plan | None, list[dict]]:
        """The delivery plan of the month's financial year, and the progress of each of its objectives."""
        plan = Plan.objects.filter(financial_year=FinancialYear.of(self.period).start_year).first()
        if plan is None:
            return None, []
        counted = (
            Activity.objects.filter(objective__plan=plan)
            .values("objective__position", "objective__title")
            .annotate(
                total=Count("pk"),
                complete=Count("pk", filter=Q(status=ActivityStatus.COMPLETE)),
                on_track=Count("pk", filter=Q(status=ActivityStatus.ON_TRACK)),
                at_risk=Count("pk", filter=Q(status__in=(ActivityStatus.AT_RISK, ActivityStatus.OFF_TRACK))),
                overdue=Count("pk", filter=Q(due_on__lte=month_end(self.period)) & ~Q(status__in=CLOSED_STATUSES)),
            )
            .order_by("objective__position")
        )
        return plan, [
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

    @cached_property
    def _enquiries(self) -> tuple[dict, list[Enquiry], list[dict]]:
        zone = timezone.get_current_timezone()
        starts = dt.datetime.combine(self.period, dt.time.min, tzinfo=zone)
        ends = dt.datetime.combine(add_months(self.period, 1), dt.time.min, tzinfo=zone)
        enquiries = self._of_scopes(Enquiry.objects.all())
        counts = {
            row.pop("partner_id"): row
            for row in enquiries.values("partner_id")
            .annotate(
                opened=Count("pk", filter=Q(opened_at__gte=starts, opened_at__lt=ends)),
                open_at_end=Count(
                    "pk", filter=Q(opened_at__lt=ends) & (Q(resolved_at__isnull=True) | Q(resolved_at__gte=ends))
                ),
            )
            .order_by()
        }
        resolved = enquiries.filter(resolved_at__gte=starts, resolved_at__lt=ends).only(
            "partner_id", "opened_at", "resolved_at", "paused_at", "paused_seconds"
        )
        return counts, list(resolved), monthly_contact_figures(month=self.period)

    def enquiries(self, partner: Partner | None) -> tuple[dict, list[Enquiry], list[dict]]:
        """The scope's enquiries of the month: opened and open at its end, those resolved in it, and
        its contact figures (``monthly_contact_figures``) by partner and service."""
        counts, resolved, figures = self._enquiries
        if partner is None:
            return (
                {key: sum(c[key] for c in counts.values()) for key in ("opened", "open_at_end")},
                resolved,
                figures,
            )
        return (
            counts.get(partner.pk, {"opened": 0, "open_at_end": 0}),
            [e for e in resolved if e.partner_id == partner.pk],
            [row for row in figures if row["partner_id"] == partner.pk],
        )


class ReportComputation:
    """The snapshot of one report. ``on_section`` is told as each section completes (progress);
    ``scorecards``, when given, holds the month's KPI scorecards already worked out with other scopes'."""

    def __init__(
        self,
        period: dt.date,
        partner: Partner | None,
        on_section: Callable[[int], None] | None = None,
        scorecards: Scorecards | None = None,
    ):
        self.period = period
        self.partner = partner
        self.year = FinancialYear.of(period)
        self.months = trend_months(period)
        self.on_section = on_section or (lambda done: None)
        self.scorecards = scorecards or Scorecards(period, [partner])

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

    def kpi_section(self) -> dict:
        kpis, figures, commentary = self.scorecards.of(self.partner)
        rows = []
        rag_by_month = [
            {"month": m.isoformat(), "label": month_label(m), "green": 0, "amber": 0, "red": 0, "grey": 0}
            for m in self.months
        ]
        completeness = {"expected": 0, "received": 0, "missing": []}
        # The KPIs the portal computes from enquiries and feedback (one pair per service) are shown by
        # service, where the service had any this year, and are not rated in the scorecard: the
        # scorecard is the services' own measures.
        by_service = []
        for kpi in kpis:
            cells = [figures.month(kpi, month) for month in self.months]
            rags = [cell.rag.value for cell in cells]
            now, last_month, last_year = cells[-1], cells[-2], cells[0]
            ytd = figures.year_to_date(kpi, self.period)
            if kpi.computed:
                if now.result is not None or ytd.result is not None:
                    by_service.append(
                        {
                            "code": kpi.code,
                            "name": kpi.name,
                            "area": kpi.area.code,
                            "actual": number(now.result),
                            "actual_text": now.text,
                            "ytd": number(ytd.result),
                            "ytd_text": ytd.text,
                        }
                    )
                continue
            for counts, colour in zip(rag_by_month, rags, strict=True):
                counts[colour] += 1
            rows.append(
                {
                    "code": kpi.code,
                    "name": kpi.name,
                    "area": kpi.area.code,
                    "area_name": kpi.area.name,
                    "unit": kpi.unit,
                    "polarity": kpi.polarity,
                    "decimal_places": kpi.decimal_places,
                    "actual": number(now.result),
                    "actual_text": now.text,
                    "target": number(now.target.value) if now.target else None,
                    "target_text": now.target_text,
                    "target_derived": isinstance(now.target, Goal),
                    "rag": rags[-1],
                    "last_month": number(last_month.result),
                    "last_month_text": last_month.text,
                    "same_month_last_year": number(last_year.result),
                    "same_month_last_year_text": last_year.text,
                    "direction_month": now.direction_from(last_month).value,
                    "direction_year": now.direction_from(last_year).value,
                    "ytd": number(ytd.result),
                    "ytd_text": ytd.text,
                    "ytd_target": number(ytd.target.value) if ytd.target else None,
                    "ytd_target_text": ytd.target_text,
                    "ytd_rag": ytd.rag.value,
                    "commentary": commentary.get(kpi.pk, []),
                    "trend": [number(cell.result) for cell in cells],
                    "trend_rag": rags,
                }
            )
            if kpi.is_due_in(self.period):
                members = figures.members(kpi, self.period)
                expected, received = len(members), len(members & figures.reported(kpi, self.period))
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
            "by_service": by_service,
            "rag_counts": counts,
            "rag_by_month": rag_by_month,
            "reds": [r for r in rows if r["rag"] == "red"],
            "_completeness": completeness,
        }

    # Service level agreements ----------------------------------------------------------------------

    def sla_section(self) -> dict:
        agreements, compliance = self.scorecards.agreements(self.partner)
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
        """The savings of the report's month's financial year, in the report's scope: a partner's
        report carries that partner's shares only, in every table and total."""
        year, summary = self.scorecards.savings(self.partner)

        def figures(f) -> dict:
            return {
                "target": money(f.target),
                "forecast": money(f.forecast),
                "achieved": money(f.achieved),
                "variance": money(f.variance),
                "variance_percent": number(f.variance_percent),
            }

        return {
            "year": fy_label(year),
            "scope": summary.scope_name,
            "total": figures(summary.total),
            "by_programme": [{"name": p.name, **figures(f)} for p, f in summary.by_programme],
            "by_area": [{"name": a.name, "code": a.code, **figures(f)} for a, f in summary.by_area],
            "by_partner": (
                [{"partner": p.short_name, "partner_id": p.pk, **figures(f)} for p, f in summary.by_partner]
                if self.partner is None
                else []
            ),
            "plan": [
                {"name": p.name, "total": money(p.total), "months": p.months_label}
                for p in (summary.programmes if self.partner is None else [])
            ],
            "commitment": money(summary.commitment),
            "run_rate": money(summary.run_rate),
            "cash": money(summary.cash) if summary.has_cash else None,
            "cash_period": summary.cash_period,
            "slippage": money(summary.slippage),
            "years_with_targets": [{"year": y, "label": label} for y, label in summary.years_with_targets_labels],
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
        plan, objectives = self.scorecards.plan
        if plan is None:
            return {"plan": None, "objectives": [], "supporting": []}
        supporting = []
        if self.partner is not None:
            supporting = self.scorecards.supporting.get(self.partner.pk, [])
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
        counts, resolved, figures = self.scorecards.enquiries(self.partner)
        # Over the enquiries resolved in the month, by the clock the enquiry's page shows: office time,
        # stopped while awaiting the customer.
        day = Decimal(office_day_seconds())
        days = [Decimal(e.working_seconds_to_resolve) / day for e in resolved]
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
            "median_days_text": "–"
            if median is None
            else f"{median.quantize(TENTH, rounding=ROUND_HALF_UP)} working days",
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
        return self.scorecards.risks[self.partner]


def headline(snapshot: dict) -> dict:
    """The few figures a comparison across partners needs, kept apart from the snapshot."""
    savings = snapshot["savings"]
    share = savings["total"]  # the scope's own figures: a partner's shares in a partner's report
    return {
        "rag_counts": snapshot["kpis"]["rag_counts"],
        "sla_rate": snapshot["slas"]["rate"],
        "sla_rate_text": snapshot["slas"]["rate_text"],
        "savings_forecast": share["forecast"],
        "savings_target": share["target"],
        "savings_achieved": share["achieved"],
        "savings_run_rate": savings["run_rate"],
        "enquiries_in_time_text": snapshot["enquiries"]["in_time_text"],
        "open_enquiries": snapshot["enquiries"]["open_at_end"],
        "completeness_text": snapshot["completeness"]["percent_text"],
    }


def compute(period: dt.date, partner: Partner | None, on_section=None, scorecards: Scorecards | None = None) -> dict:
    return ReportComputation(period, partner, on_section, scorecards).run()
