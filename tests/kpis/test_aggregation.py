"""Totals across partners and months are honest: Σnumerator / Σdenominator, or the KPI's declared rule."""

import datetime as dt
from decimal import Decimal

import pytest

from apps.core.periods import add_months
from apps.kpis.models import KPI
from apps.kpis.selectors import kpi_trend, month_figure, year_to_date
from tests.factories import PartnerFactory, SubscriptionFactory
from tests.kpis.factories import KPIFactory, MeasurementFactory, TargetFactory

APRIL, MAY = dt.date(2016, 4, 1), dt.date(2016, 5, 1)


def test_a_rate_across_partners_of_very_different_sizes_weighs_each_by_its_caseload(world):
    kpi = KPIFactory(area=world["areas"]["EXT"])
    big = MeasurementFactory(kpi=kpi, partner=world["havering"], numerator=900, denominator=1000)
    small = MeasurementFactory(kpi=kpi, partner=world["newham"], numerator=1, denominator=10)
    # 901 / 1010, not the mean of 90% and 10% (50%).
    assert month_figure(kpi, [big, small]).quantize(Decimal("0.01")) == Decimal("89.21")


def test_a_rate_year_to_date_sums_numerators_and_denominators_over_months(world):
    kpi = KPIFactory(area=world["areas"]["EXT"], unit=KPI.Unit.DAYS, polarity=KPI.Polarity.LOWER)
    april = MeasurementFactory(kpi=kpi, partner=world["havering"], period=APRIL, numerator=200, denominator=10)
    may = MeasurementFactory(kpi=kpi, partner=world["havering"], period=MAY, numerator=3000, denominator=300)
    # 3200 days over 310 claims, not the mean of 20 and 10 days.
    assert year_to_date(kpi, [april, may], MAY).quantize(Decimal("0.01")) == Decimal("10.32")


def test_a_cumulative_rate_to_date_is_its_latest_months_figure_added_up_across_partners(world):
    kpi = KPIFactory(area=world["areas"]["EXT"], aggregation=KPI.Aggregation.LATEST)
    rows = [
        MeasurementFactory(kpi=kpi, partner=world["havering"], period=APRIL, numerator=10, denominator=100),
        MeasurementFactory(kpi=kpi, partner=world["havering"], period=MAY, numerator=30, denominator=100),
        MeasurementFactory(kpi=kpi, partner=world["newham"], period=MAY, numerator=900, denominator=1000),
    ]
    assert year_to_date(kpi, rows, MAY) == Decimal("930") * 100 / Decimal("1100")


def test_value_kpis_follow_their_rule(world):
    counts = KPIFactory(area=world["areas"]["EXT"], is_rate=False, unit=KPI.Unit.COUNT, aggregation=KPI.Aggregation.SUM)
    rows = [
        MeasurementFactory(
            kpi=counts, partner=world["havering"], period=APRIL, numerator=None, denominator=None, value=3
        ),
        MeasurementFactory(
            kpi=counts, partner=world["havering"], period=MAY, numerator=None, denominator=None, value=5
        ),
        MeasurementFactory(kpi=counts, partner=world["newham"], period=MAY, numerator=None, denominator=None, value=40),
    ]
    assert year_to_date(counts, rows, MAY) == 48
    counts.aggregation = KPI.Aggregation.MEAN
    assert year_to_date(counts, rows, MAY) == 16
    counts.aggregation = KPI.Aggregation.LATEST
    assert year_to_date(counts, rows, MAY) == 45


def test_no_figures_make_no_total(world):
    kpi = KPIFactory(area=world["areas"]["EXT"])
    assert month_figure(kpi, []) is None


def test_the_onesource_line_of_the_trend_is_the_honest_rate(world):
    service = world["services"]["it_support"]
    kpi = KPIFactory(area=world["areas"]["ICT"], service=service)
    TargetFactory(kpi=kpi, value=Decimal("80"), tolerance=Decimal("5"))
    MeasurementFactory(kpi=kpi, partner=world["havering"], period=MAY, numerator=950, denominator=1000)
    MeasurementFactory(kpi=kpi, partner=world["newham"], period=MAY, numerator=1, denominator=10)
    trend = kpi_trend(user=world["users"]["admin"], kpi=kpi, end=MAY)
    whole = trend.lines[-1]
    assert whole.label == "oneSource"
    assert whole.summary["this_month"].text == "94.2%"
    assert whole.summary["this_month"].rag == "green"
    assert [line.label for line in trend.lines] == ["Havering", "Newham", "oneSource"]
    assert trend.lines[1].summary["this_month"].rag == "red"


def test_a_partner_officer_sees_only_their_own_line(world):
    kpi = KPIFactory(area=world["areas"]["ICT"], service=world["services"]["it_support"])
    other = PartnerFactory(name="London Borough of Bexley")
    SubscriptionFactory(partner=other, service=world["services"]["it_support"])
    for partner in (world["havering"], world["newham"], other):
        MeasurementFactory(kpi=kpi, partner=partner, period=MAY)
    trend = kpi_trend(user=world["users"]["officer.havering"], kpi=kpi, end=MAY)
    assert [line.label for line in trend.lines] == ["Havering"]


@pytest.mark.parametrize(
    ("unit", "is_rate", "aggregation"),
    [
        (KPI.Unit.PERCENT, True, KPI.Aggregation.SUM),
        (KPI.Unit.DAYS, True, KPI.Aggregation.MEAN),
        (KPI.Unit.PERCENT, True, KPI.Aggregation.LATEST),
        (KPI.Unit.COUNT, False, KPI.Aggregation.SUM),
        (KPI.Unit.DAYS, False, KPI.Aggregation.MEAN),
        (KPI.Unit.GBP, False, KPI.Aggregation.LATEST),
    ],
)
def test_the_onesource_line_is_every_partners_figures_by_the_kpis_rule(world, unit, is_rate, aggregation):
    """The line equals the rule applied to every figure:
    each month, the year to date, across three partners with gaps and figures without a result."""
    kpi = KPIFactory(area=world["areas"]["EXT"], unit=unit, is_rate=is_rate, aggregation=aggregation)
    other = PartnerFactory(name="London Borough of Bexley")
    rows = []
    for p, partner in enumerate((world["havering"], world["newham"], other)):
        for n in range(14):
            if (n + p) % 5 == 0:
                continue  # a month that partner did not report
            period = add_months(MAY, -n)
            figures = {"numerator": 10 * n + p, "denominator": 100 + 7 * p} if is_rate else {"value": 3 * n + p + 1}
            if (n + p) % 7 == 0:
                figures = {"numerator": None, "denominator": None, "value": None}  # no result yet
            fields = figures if is_rate else {"numerator": None, "denominator": None, **figures}
            rows.append(MeasurementFactory(kpi=kpi, partner=partner, period=period, **fields))
    line = kpi_trend(user=world["users"]["admin"], kpi=kpi, end=MAY).lines[-1]
    assert line.label == "oneSource"
    for cell in line.cells:
        assert cell.result == month_figure(kpi, [r for r in rows if r.period == cell.period]), cell.period
    year = [r for r in rows if APRIL <= r.period <= MAY]
    assert line.summary["year_to_date"].result == year_to_date(kpi, year, MAY)
    assert line.summary["this_month"].result is not None
