"""Illustrative targets and approved monthly figures from April 2014 to last month, so pages have data.

Every figure is labelled demo in its commentary. They are deterministic (no randomness): each
partner runs a little above or below its target with a seasonal wave, a few months are red (with
commentary), and a few are missing, as a real return would be.
"""

import math
from decimal import Decimal

from django.apps import apps
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from apps.core.periods import FinancialYear, add_months, month_start
from apps.core.seeding import upsert

from .models import KPI, Measurement, Target
from .selectors import partners_measured

FIRST_MONTH = FinancialYear(2014).starts_on

# KPI code -> (target, amber tolerance) for 2016/17, in the KPI's unit.
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
# (KPI code, partner, month index 0-11 of 2016/17): a red month, and a month nobody entered. Other
# years have a red month where _is_red says, and last month's returns are not all in yet.
RED = {("EXT-03", "newham", 7), ("ICT-01", "havering", 2), ("EXT-04", "havering", 9), ("FIN-01", "bexley", 4)}
MISSING = {("EXT-05", "newham", 11), ("LEG-02", "havering", 10), ("FIN-02", "bexley", 11)}
NOT_YET_IN = {"EXT-05", "LEG-02", "HR-02"}
DEFAULT_SCALE = 300  # caseload of a smaller customer


def _is_red(kpi, slug, year, index) -> bool:
    if year == 2016:
        return (kpi.code, slug, index) in RED
    return (len(kpi.code) * 7 + len(slug) * 3 + year * 5 + index * 11) % 97 == 0


def _is_missing(kpi, slug, year, index, period, last_month) -> bool:
    if year == 2016:
        return (kpi.code, slug, index) in MISSING
    return period == last_month and kpi.code in NOT_YET_IN


def _figure(kpi: KPI, target: Decimal, tolerance: Decimal, slug: str, index: int, red: bool):
    """A plausible figure near the target; for a red month, well beyond the tolerance on the wrong side."""
    wave = Decimal(str(round(math.sin((index + len(slug)) / 2), 3)))
    better = 1 if kpi.higher_is_better else -1
    near = better * (tolerance / 2) * (wave + Decimal("0.6"))
    offset = -better * (tolerance * 3 + 1) if red else near
    result = target + offset
    if kpi.unit == KPI.Unit.PERCENT:
        result = min(result, Decimal(100))
    if kpi.is_rate:
        months = index + 1 if kpi.aggregation == KPI.Aggregation.LATEST else 1
        denominator = Decimal(SCALE.get(slug, DEFAULT_SCALE) * months)
        numerator = (result * denominator / kpi.scale).quantize(Decimal("1"))
        return {"numerator": numerator, "denominator": denominator, "value": None}
    return {"value": max(result, Decimal(0)).quantize(Decimal("1")), "numerator": None, "denominator": None}


@transaction.atomic
def load(*, password: str) -> str:
    User = apps.get_model("accounts", "User")
    officer = User.objects.filter(username="officer.exchequer").first()
    director = User.objects.filter(username="director.exchequer").first()
    if officer:
        KPI.objects.filter(area__code="EXT", data_owner__isnull=True).update(data_owner=officer)
    kpis = KPI.objects.filter(code__in=TARGETS).select_related("area", "service")
    last_month = add_months(month_start(timezone.localdate()), -1)
    years = range(FIRST_MONTH.year, FinancialYear.of(last_month).start_year + 1)
    existing = set(Measurement.objects.filter(kpi__in=kpis).values_list("kpi_id", "partner_id", "period"))
    now = timezone.now()
    targets, new = 0, []
    for kpi in kpis:
        value, tolerance = (Decimal(x) for x in TARGETS[kpi.code])
        for year in years:
            upsert(
                Target, kpi=kpi, financial_year=year, partner=None, defaults={"value": value, "tolerance": tolerance}
            )
            targets += 1
            for index, period in enumerate(FinancialYear(year).months()):
                if period > last_month:
                    break
                for partner in partners_measured(kpi=kpi, period=period):
                    if (kpi.pk, partner.pk, period) in existing or _is_missing(
                        kpi, partner.slug, year, index, period, last_month
                    ):
                        continue
                    red = _is_red(kpi, partner.slug, year, index)
                    new.append(
                        Measurement(
                            kpi=kpi,
                            partner=partner,
                            period=period,
                            **_figure(kpi, value, tolerance, partner.slug, index, red),
                            commentary="Demo figure."
                            + (" Below target after a system outage; recovery plan agreed." if red else ""),
                            status=Measurement.Status.APPROVED,
                            source=Measurement.Source.MANUAL,
                            entered_by=officer,
                            submitted_by=officer,
                            decided_by=director,
                            submitted_at=now,
                            decided_at=now,
                        )
                    )
    bulk_create_with_history(new, Measurement, batch_size=2000, default_user=officer)
    return f"{targets} targets, {len(new)} new approved demo figures from {FIRST_MONTH:%B %Y} to {last_month:%B %Y}"
