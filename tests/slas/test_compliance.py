import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from apps.core.periods import add_months
from apps.kpis.models import KPI, Measurement
from apps.slas.models import ServiceStandard
from apps.slas.selectors import MonthCompliance, Outcome, agreement_compliance, outcome
from tests.kpis.factories import KPIFactory, MeasurementFactory
from tests.slas.factories import AgreementFactory, ScheduleFactory, StandardFactory

MARCH = dt.date(2017, 3, 1)


def _figure(kpi, partner, period, value, status=Measurement.Status.APPROVED):
    return MeasurementFactory(
        kpi=kpi, partner=partner, period=period, numerator=Decimal(value), denominator=Decimal(100), status=status
    )


@pytest.fixture
def agreement(world):
    agreement = AgreementFactory(partner=world["havering"])
    ScheduleFactory(agreement=agreement, service=world["services"]["payroll"])
    return agreement


def test_each_standard_is_met_missed_or_not_measured_from_the_approved_figure(world, agreement):
    paid = StandardFactory(agreement=agreement, kpi=KPIFactory(code="EXT-03"), target=Decimal("95"))
    accurate = StandardFactory(agreement=agreement, kpi=KPIFactory(code="EXT-06"), target=Decimal("99"))
    resolved = StandardFactory(agreement=agreement, kpi=KPIFactory(code="ICT-01"), target=Decimal("70"))
    _figure(paid.kpi, world["havering"], MARCH, "95")  # exactly on target: met
    _figure(accurate.kpi, world["havering"], MARCH, "98.9")  # short by a little: missed, no amber band
    _figure(resolved.kpi, world["havering"], MARCH, "90", status=Measurement.Status.SUBMITTED)  # not approved
    _figure(resolved.kpi, world["newham"], MARCH, "90")  # another partner's figure does not count

    compliance = agreement_compliance(agreement=agreement, end=MARCH)

    assert [line.this_month.outcome for line in compliance.lines] == [Outcome.MET, Outcome.MISSED, Outcome.NOT_MEASURED]
    month = compliance.this_month
    assert (month.met, month.missed, month.not_measured, month.measured) == (1, 1, 1, 2)
    assert month.rate == Decimal(50) and month.text == "50%"
    assert len(compliance.by_month) == 12 and compliance.months[0] == dt.date(2016, 4, 1)
    assert compliance.by_month[0].text == "Not measured"


def test_a_lower_is_better_standard_is_met_at_or_below_its_target(world, agreement):
    kpi = KPIFactory(code="EXT-04", unit=KPI.Unit.DAYS, polarity=KPI.Polarity.LOWER, is_rate=False)
    standard = StandardFactory(agreement=agreement, kpi=kpi, target=Decimal("22"))
    assert outcome(standard, Decimal("22")) == Outcome.MET
    assert outcome(standard, Decimal("21.5")) == Outcome.MET
    assert outcome(standard, Decimal("22.1")) == Outcome.MISSED
    assert outcome(standard, None) == Outcome.NOT_MEASURED


def _year_of_figures(world, agreement, count):
    for n in range(count):
        standard = StandardFactory(agreement=agreement, kpi=KPIFactory(code=f"Q-{n:02d}"), target=Decimal("95"))
        for month in range(12):
            _figure(standard.kpi, world["havering"], add_months(MARCH, -month), "96" if month % 3 else "90")


@pytest.mark.parametrize("count", [2, 12])
def test_the_agreement_page_with_12_months_of_compliance_runs_a_fixed_number_of_queries(
    world, agreement, client_for, django_assert_max_num_queries, count
):
    _year_of_figures(world, agreement, count)
    client = client_for("officer.havering")
    with django_assert_max_num_queries(10):
        response = client.get(f"/slas/{agreement.pk}/?month=2017-03")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Compliance over 12 months" in body
    # Every third month each standard missed: those months are 0%, the others 100%.
    assert body.count('numeric">100%</td>') == 8 and body.count('numeric">0%</td>') == 4
    assert f"0 of the {count} standards measured were met" in body


def test_the_compliance_api_gives_the_same_figures_as_the_page(world, agreement, api_for):
    _year_of_figures(world, agreement, 3)
    data = api_for("officer.havering").get(f"/api/v1/agreements/{agreement.pk}/compliance/?month=2017-03").json()
    assert len(data) == 12
    assert data[-1] == {
        "period": "2017-03-01",
        "met": 0,
        "missed": 3,
        "not_measured": 0,
        "measured": 3,
        "rate": "0.00",
    }
    assert data[-2]["rate"] == "100.00"


figures = st.lists(
    st.tuples(
        st.decimals(min_value=0, max_value=1000, places=2),
        st.none() | st.decimals(min_value=0, max_value=1000, places=2),
        st.booleans(),
    ),
    max_size=30,
)


@given(rows=figures)
def test_compliance_is_standards_met_over_standards_measured(rows):
    month = MonthCompliance(dt.date(2016, 4, 1))
    met = measured = 0
    for target, value, higher in rows:
        kpi = KPI(polarity=KPI.Polarity.HIGHER if higher else KPI.Polarity.LOWER)
        result = outcome(ServiceStandard(kpi=kpi, target=target), value)
        month.add(result)
        if value is not None:
            measured += 1
            met += (value >= target) if higher else (value <= target)
    assert (month.met, month.measured, month.not_measured) == (met, measured, len(rows) - measured)
    assert month.rate == (Decimal(100) * met / measured if measured else None)
