"""Illustrative KPIs, their targets and approved monthly figures from April 2014 to last month.

Nothing here is in the Strategic Plan 2016, which asks for "KPIs, measures and metrics for oneSource
and customers" without naming any: the KPIs are standard local-government measures for the services
it lists, marked illustrative. The figures are a believable history, deterministic (a seeded random
generator): each partner's figure sits near the target with a seasonal shape, drifts better or worse
from year to year (so "since a year ago" has something to say), has the odd outlier month (red, with
commentary), and a few of last month's returns are not in yet, as in a real month.
"""

import datetime as dt
import math
import random
from decimal import Decimal

from django.apps import apps
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from apps.catalogue.models import Service, ServiceArea
from apps.core import generations
from apps.core.periods import FinancialYear, add_months, month_start
from apps.core.seeding import upsert

from . import published
from .models import KPI, Measurement, Target
from .selectors import partners_measured

FIRST_MONTH = FinancialYear(2014).starts_on

P, C, D, G = KPI.Unit.PERCENT, KPI.Unit.COUNT, KPI.Unit.DAYS, KPI.Unit.GBP
HIGHER, LOWER = KPI.Polarity.HIGHER, KPI.Polarity.LOWER
MONTHLY, QUARTERLY = KPI.Frequency.MONTHLY, KPI.Frequency.QUARTERLY

# code, name, service slug (None: every partner of the area), unit, polarity, frequency, decimal
# places, (numerator label, denominator label[, rule over months]) for a rate or the aggregation rule
# for a value, definition. A cumulative or rolling rate takes its latest month ("latest") for the year.
KPIS = [
    (
        "EXT-01",
        "Council Tax collected in year",
        "council-tax-and-benefits",
        P,
        HIGHER,
        MONTHLY,
        1,
        ("Council Tax collected in the year to date (£)", "Net collectable debit for the year (£)", "latest"),
        "Council Tax received for the current year, as a percentage of the net amount collectable for the "
        "year. Cumulative: each month reports the year to date, so the March figure is the in-year "
        "collection rate.",
    ),
    (
        "EXT-02",
        "Business rates (NNDR) collected in year",
        "nndr",
        P,
        HIGHER,
        MONTHLY,
        1,
        ("Business rates collected in the year to date (£)", "Net collectable debit for the year (£)", "latest"),
        "Non-domestic rates received for the current year, as a percentage of the net amount collectable. "
        "Cumulative over the financial year.",
    ),
    (
        "EXT-03",
        "Invoices paid within 30 days",
        None,
        P,
        HIGHER,
        MONTHLY,
        1,
        ("Undisputed invoices paid within 30 days", "Undisputed invoices paid"),
        "Undisputed invoices from suppliers paid within 30 days of receipt, as a percentage of all undisputed "
        "invoices paid in the month.",
    ),
    (
        "EXT-04",
        "Average days to process new benefit claims",
        "council-tax-and-benefits",
        D,
        LOWER,
        MONTHLY,
        1,
        ("Total calendar days taken to decide new claims", "New claims decided"),
        "Average calendar days from receipt of a new Housing Benefit or Council Tax Support claim to its "
        "decision (the DWP's 'speed of processing' measure for new claims).",
    ),
    (
        "EXT-05",
        "Average days to process benefit change events",
        "council-tax-and-benefits",
        D,
        LOWER,
        MONTHLY,
        1,
        ("Total calendar days taken to process change events", "Change events processed"),
        "Average calendar days from notification of a change of circumstances to its processing.",
    ),
    (
        "EXT-06",
        "Payroll accuracy",
        "transactional-hr-and-payroll",
        P,
        HIGHER,
        MONTHLY,
        2,
        ("Payments made without error", "Payments made"),
        "Salary and pension payments made correctly and on time, as a percentage of all payments in the "
        "month. An error is any payment later corrected because of a payroll mistake.",
    ),
    (
        "HR-01",
        "Average working days lost to sickness per FTE",
        None,
        D,
        LOWER,
        MONTHLY,
        2,
        ("Working days lost to sickness in the last 12 months", "Average full-time equivalent staff", "latest"),
        "Working days lost to sickness absence over the last 12 months, divided by the average number of "
        "full-time equivalent employees (excluding schools).",
    ),
    (
        "HR-02",
        "Recruitment: days from advert closing to offer",
        "strategic-and-operational-hr",
        D,
        LOWER,
        MONTHLY,
        1,
        ("Total days from closing date to offer", "Offers made"),
        "Average calendar days from the closing date of an advertised post to a conditional offer.",
    ),
    (
        "ICT-01",
        "IT service desk first-contact resolution",
        "it-support",
        P,
        HIGHER,
        MONTHLY,
        1,
        ("Incidents resolved at first contact", "Incidents logged with the service desk"),
        "Incidents resolved by the service desk during the first contact, without referral to another team, "
        "as a percentage of all incidents logged.",
    ),
    (
        "ICT-02",
        "Availability of key systems",
        "it-support",
        P,
        HIGHER,
        MONTHLY,
        2,
        ("Minutes key systems were available", "Minutes of agreed service hours"),
        "Minutes in which the key business systems (finance, HR and payroll, revenues and benefits, email) "
        "were available during agreed service hours, as a percentage of those minutes. Planned maintenance "
        "agreed in advance is excluded.",
    ),
    (
        "ICT-03",
        "Priority 1 incidents resolved within 4 hours",
        "it-support",
        P,
        HIGHER,
        MONTHLY,
        1,
        ("Priority 1 incidents resolved within 4 hours", "Priority 1 incidents resolved"),
        "Priority 1 (service-wide) incidents resolved within 4 working hours of being logged.",
    ),
    (
        "LEG-01",
        "Freedom of Information requests answered within 20 working days",
        "democratic-services",
        P,
        HIGHER,
        MONTHLY,
        1,
        ("Requests answered within 20 working days", "Requests due a response in the month"),
        "Freedom of Information and Environmental Information Regulations requests answered within the "
        "statutory 20 working days, as a percentage of requests due in the month.",
    ),
    (
        "LEG-02",
        "Legal matters closed within target",
        "legal-services",
        P,
        HIGHER,
        MONTHLY,
        1,
        ("Matters closed within their agreed target time", "Matters closed"),
        "Legal matters closed within the target time agreed with the instructing service when the matter "
        "was opened, as a percentage of all matters closed in the month.",
    ),
    (
        "AM-01",
        "Reactive repairs completed within target time",
        "facilities-management",
        P,
        HIGHER,
        MONTHLY,
        1,
        ("Reactive repairs completed within target", "Reactive repairs completed"),
        "Reactive repairs to the corporate estate completed within the target time for their priority.",
    ),
    (
        "AM-02",
        "Reportable health and safety incidents (RIDDOR)",
        "health-and-safety",
        C,
        LOWER,
        MONTHLY,
        0,
        KPI.Aggregation.SUM,
        "Incidents reported to the Health and Safety Executive under RIDDOR in the month.",
    ),
    (
        "BS-01",
        "Transformation projects on track",
        None,
        P,
        HIGHER,
        QUARTERLY,
        0,
        ("Projects rated on track", "Projects in progress"),
        "Transformation projects whose delivery is on schedule and budget at the quarter end, as a percentage "
        "of projects in progress.",
    ),
    (
        "FIN-01",
        "Budget monitoring reports issued on time",
        "financial-services",
        P,
        HIGHER,
        MONTHLY,
        1,
        ("Budget monitoring reports issued by the deadline", "Budget monitoring reports due"),
        "Monthly budget monitoring reports issued to budget holders by the working-day deadline in the "
        "closedown timetable.",
    ),
    (
        "FIN-02",
        "Month-end closedown completed by working day 5",
        "financial-services",
        P,
        HIGHER,
        MONTHLY,
        0,
        ("Ledgers closed by working day 5", "Ledgers due to close"),
        "General ledgers closed for the month by the fifth working day of the following month.",
    ),
    (
        "FIN-03",
        "Outstanding debt over 90 days",
        "financial-services",
        G,
        LOWER,
        MONTHLY,
        0,
        KPI.Aggregation.LATEST,
        "Sundry debt outstanding for more than 90 days at the month end. A balance, so the latest month "
        "stands for the year.",
    ),
]

# KPI code -> (target, amber tolerance), in the KPI's unit, the same every year.
TARGETS = {
    "EXT-01": ("96.5", "0.5"),
    "EXT-02": ("97.5", "0.5"),
    "EXT-03": ("95.0", "2.0"),
    "EXT-04": ("22.0", "3.0"),
    "EXT-05": ("10.0", "2.0"),
    "EXT-06": ("99.50", "0.25"),
    "HR-01": ("8.00", "0.50"),
    "HR-02": ("35.0", "5.0"),
    "ICT-01": ("70.0", "5.0"),
    "ICT-02": ("99.50", "0.30"),
    "ICT-03": ("90.0", "5.0"),
    "LEG-01": ("90.0", "5.0"),
    "LEG-02": ("85.0", "5.0"),
    "AM-01": ("90.0", "5.0"),
    "AM-02": ("2", "1"),
    "BS-01": ("80", "10"),
    "FIN-01": ("95.0", "5.0"),
    "FIN-02": ("100", "10"),
    "FIN-03": ("1500000", "250000"),
}
# Size of each partner's caseload, so that oneSource-wide rates visibly weight the larger partner.
SCALE = {"havering": 1000, "newham": 1600, "bexley": 900}
DEFAULT_SCALE = 300  # caseload of a smaller customer
# Last month's returns of these KPIs are not all in yet.
NOT_YET_IN = {"EXT-05", "LEG-02", "HR-02"}
SEED = 2016  # the generator's seed: the same history on every run


class History:
    """One partner's story on one KPI: a level, a drift from year to year, a season, some noise."""

    def __init__(self, kpi: KPI, slug: str, tolerance: Decimal):
        rng = random.Random(f"{SEED}:{kpi.code}:{slug}")  # noqa: S311 - illustrative data, not security
        self.rng = rng
        self.tolerance = float(tolerance)
        self.level = rng.uniform(0.1, 0.9)  # in tolerances, on the good side of the target
        self.drift = rng.choice((-1, 1)) * rng.uniform(0.15, 0.35)  # per year: improving or worsening
        self.swing = rng.uniform(0.6, 1.4)  # how far the drift wanders before it turns back
        self.phase = rng.uniform(0, 2 * math.pi)
        self.season = rng.uniform(0.2, 0.6)

    def offset(self, year: int, index: int) -> float:
        """How far the figure is on the good side of the target, in the KPI's unit (negative: worse)."""
        years = year - FIRST_MONTH.year + index / 12
        # The drift runs in one direction for a few years, then turns back: every year some KPIs get
        # better and some worse, and none runs away from its target.
        trend = self.swing * math.sin(self.drift * years * 2 + self.phase)
        # Winter is harder: more claims, more sickness, more incidents.
        seasonal = -self.season * math.cos((index - 8) / 12 * 2 * math.pi)
        noise = self.rng.gauss(0, 0.15)
        outlier = -3.5 if self.rng.random() < 0.012 else 0.0
        return (self.level + trend + seasonal + noise + outlier) * self.tolerance


def _figure(kpi: KPI, target: Decimal, offset: float, slug: str, index: int) -> dict:
    better = 1 if kpi.higher_is_better else -1
    result = target + better * Decimal(str(round(offset, 4)))
    if kpi.unit == KPI.Unit.PERCENT:
        result = min(result, Decimal(100))
    result = max(result, Decimal(0))
    if kpi.is_rate:
        months = index + 1 if kpi.aggregation == KPI.Aggregation.LATEST else 1
        denominator = Decimal(SCALE.get(slug, DEFAULT_SCALE) * months)
        numerator = (result * denominator / kpi.scale).quantize(Decimal("1"))
        return {"numerator": numerator, "denominator": denominator, "value": None}
    return {"value": result.quantize(Decimal("1")), "numerator": None, "denominator": None}


def _is_red(kpi: KPI, value: Decimal, target: Decimal, tolerance: Decimal) -> bool:
    return (target - value if kpi.higher_is_better else value - target) > tolerance


def _kpis() -> list[KPI]:
    areas = {area.code: area for area in ServiceArea.objects.all()}
    services = {service.slug: service for service in Service.objects.all()}
    made = []
    for code, name, service_slug, unit, polarity, frequency, places, rule, definition in KPIS:
        is_rate = isinstance(rule, tuple)
        kpi, _ = upsert(
            KPI,
            code=code,
            defaults={
                "name": name,
                "definition": definition,
                "area": areas[code.split("-")[0]],
                "service": services[service_slug] if service_slug else None,
                "unit": unit,
                "polarity": polarity,
                "frequency": frequency,
                "decimal_places": places,
                "is_rate": is_rate,
                "numerator_label": rule[0] if is_rate else "",
                "denominator_label": rule[1] if is_rate else "",
                "aggregation": (rule[2] if len(rule) > 2 else KPI.Aggregation.SUM) if is_rate else rule,
                "illustrative": True,
            },
        )
        made.append(kpi)
    return made


@transaction.atomic
def load(*, password: str) -> str:
    User = apps.get_model("accounts", "User")
    officer = User.objects.filter(username="officer.exchequer").first()
    director = User.objects.filter(username="director.exchequer").first()
    kpis = _kpis()
    if officer:
        KPI.objects.filter(area__code="EXT", data_owner__isnull=True, illustrative=True).update(data_owner=officer)
    last_month = add_months(month_start(timezone.localdate()), -1)
    years = range(FIRST_MONTH.year, FinancialYear.of(last_month).start_year + 1)
    existing = set(Measurement.objects.filter(kpi__in=kpis).values_list("kpi_id", "partner_id", "period"))
    now = timezone.now()
    targets, new = 0, []
    for kpi in kpis:
        value, tolerance = (Decimal(x) for x in TARGETS[kpi.code])
        stories = {}
        for year in years:
            upsert(
                Target, kpi=kpi, financial_year=year, partner=None, defaults={"value": value, "tolerance": tolerance}
            )
            targets += 1
            for index, period in enumerate(FinancialYear(year).months()):
                if period > last_month:
                    break
                for partner in partners_measured(kpi=kpi, period=period):
                    story = stories.setdefault(partner.slug, History(kpi, partner.slug, tolerance))
                    offset = story.offset(year, index)  # drawn every month, so the history never shifts
                    if (kpi.pk, partner.pk, period) in existing:
                        continue
                    if period == last_month and kpi.code in NOT_YET_IN:
                        continue
                    if kpi.frequency == KPI.Frequency.QUARTERLY and index % 3 != 2:
                        continue  # reported at each quarter's end
                    figure = _figure(kpi, value, offset, partner.slug, index)
                    red = _is_red(kpi, kpi.result_of(Measurement(kpi=kpi, **figure)), value, tolerance)
                    decided = min(timezone.make_aware(dt.datetime.combine(add_months(period, 1), dt.time(10))), now)
                    new.append(
                        Measurement(
                            kpi=kpi,
                            partner=partner,
                            period=period,
                            **figure,
                            commentary="Illustrative figure."
                            + (" Below target after a system outage; a recovery plan is agreed." if red else ""),
                            status=Measurement.Status.APPROVED,
                            source=Measurement.Source.MANUAL,
                            entered_by=officer,
                            submitted_by=officer,
                            decided_by=director,
                            submitted_at=decided,
                            decided_at=decided,
                        )
                    )
    bulk_create_with_history(new, Measurement, batch_size=2000, default_user=officer)
    # Approved figures written in bulk, which sends no signal: what readers were shown is worked out again.
    generations.start_new(published.GENERATION)
    return (
        f"{len(kpis)} illustrative KPIs, {targets} targets, {len(new)} new approved figures "
        f"from {FIRST_MONTH:%B %Y} to {last_month:%B %Y}"
    )
