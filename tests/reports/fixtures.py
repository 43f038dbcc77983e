"""A small month of figures whose report can be computed by hand (October 2016).

* ICT-01, a rate both partners report: Havering 90 of 100 (90%), Newham 280 of 400 (70%, red, with
  commentary). oneSource is 370 of 500 = 74%, not the mean of the percentages (80%). Target 80%,
  tolerance 5: Havering green, Newham red, oneSource red. In September: Havering 85/100, Newham 300/400.
* EXT-01, a count only Havering reports: 12 in October against a target of at most 10 (lower is better,
  tolerance 1): red, without commentary; 9 in September.
* A saving of £10,000 for 2016/17 shared 60/40, of which £4,000 slipped to 2017/18 and the rest forecast
  at £5,000: a concern.
* Havering's agreement has a standard on ICT-01 at 85%: met in October.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.kpis.models import KPI, Measurement
from apps.savings import services as savings
from apps.savings.models import Status
from apps.slas.models import Agreement
from tests.kpis.factories import KPIFactory, MeasurementFactory, TargetFactory
from tests.savings.factories import make_line
from tests.slas.factories import AgreementFactory, ScheduleFactory, StandardFactory

OCTOBER = dt.date(2016, 10, 1)
SEPTEMBER = dt.date(2016, 9, 1)


def rate(kpi, partner, period, numerator, denominator, commentary=""):
    return MeasurementFactory(
        kpi=kpi,
        partner=partner,
        period=period,
        numerator=Decimal(numerator),
        denominator=Decimal(denominator),
        commentary=commentary,
        status=Measurement.Status.APPROVED,
    )


@pytest.fixture
def month(world):
    havering, newham = world["havering"], world["newham"]
    ict, ext = world["areas"]["ICT"], world["areas"]["EXT"]
    first_contact = KPIFactory(
        code="ICT-01", name="Calls resolved at first contact", area=ict, service=world["services"]["it_support"]
    )
    TargetFactory(kpi=first_contact, financial_year=2016, value=Decimal("80"), tolerance=Decimal("5"))
    rate(first_contact, havering, OCTOBER, 90, 100)
    rate(first_contact, newham, OCTOBER, 280, 400, commentary="Two service desk posts vacant since August.")
    rate(first_contact, havering, SEPTEMBER, 85, 100)
    rate(first_contact, newham, SEPTEMBER, 300, 400)
    # A draft is not counted anywhere.
    MeasurementFactory(
        kpi=first_contact,
        partner=havering,
        period=dt.date(2016, 8, 1),
        numerator=1,
        denominator=100,
        status=Measurement.Status.DRAFT,
    )

    errors = KPIFactory(
        code="EXT-01",
        name="Payroll errors",
        area=ext,
        service=world["services"]["payroll"],
        unit=KPI.Unit.COUNT,
        polarity=KPI.Polarity.LOWER,
        is_rate=False,
        numerator_label="",
        denominator_label="",
        decimal_places=0,
    )
    TargetFactory(kpi=errors, financial_year=2016, value=Decimal("10"), tolerance=Decimal("1"))
    for period, value in ((OCTOBER, 12), (SEPTEMBER, 9)):
        MeasurementFactory(
            kpi=errors,
            partner=havering,
            period=period,
            value=Decimal(value),
            numerator=None,
            denominator=None,
            status=Measurement.Status.APPROVED,
        )

    line = make_line(
        area=ext, partners={havering: "60.00", newham: "40.00"}, targets={2016: "10000.00"}, title="Payroll restructure"
    )
    director = world["users"]["director.exchequer"]
    savings.target_rephase(
        user=director,
        line=line,
        expected_version=line.version,
        from_year=2016,
        to_year=2017,
        amount=Decimal("4000.00"),
        reason="Restructure delayed to April 2017.",
    )
    line.refresh_from_db()
    savings.savings_update_record(
        user=director,
        line=line,
        expected_version=line.version,
        financial_year=2016,
        forecast=Decimal("5000.00"),
        achieved=Decimal("2000.00"),
        status=Status.SLIPPED,
        commentary="Consultation ran late.",
    )

    signed = timezone.now()
    agreement = AgreementFactory(
        partner=havering, status=Agreement.Status.ACTIVE, partner_signed_at=signed, onesource_signed_at=signed
    )
    ScheduleFactory(agreement=agreement, service=world["services"]["it_support"])
    StandardFactory(agreement=agreement, kpi=first_contact, target=Decimal("85"))
    return {"ict01": first_contact, "ext01": errors, "line": line, "agreement": agreement}
