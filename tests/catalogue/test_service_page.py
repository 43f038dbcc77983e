"""The service page gives a council officer what they need to choose a service, and nothing of another council."""

from decimal import Decimal

import pytest
from django.utils import timezone

from apps.slas.models import Agreement
from tests.factories import PartnerFactory, UserFactory
from tests.kpis.factories import KPIFactory
from tests.slas.factories import AgreementFactory, ScheduleFactory, StandardFactory

PAGE = "/services/payroll/"


def _in_force(partner, charge, target, description, illustrative=False):
    now = timezone.now()
    agreement = AgreementFactory(
        partner=partner,
        status=Agreement.Status.ACTIVE,
        partner_signed_at=now,
        onesource_signed_at=now,
        illustrative=illustrative,
    )
    ScheduleFactory(agreement=agreement, service=PAYROLL[0], annual_charge=Decimal(charge))
    StandardFactory(agreement=agreement, kpi=PAYROLL[1], target=Decimal(target), description=description)
    return agreement


PAYROLL = []


@pytest.fixture
def terms(world):
    PAYROLL[:] = [
        world["services"]["payroll"],
        KPIFactory(code="PAY-01", name="Staff paid on time", area=world["areas"]["EXT"], service=None),
    ]
    KPIFactory(code="ICT-01", name="Calls resolved first time", area=world["areas"]["ICT"])
    KPIFactory(code="CTX-01", name="Bills issued", area=world["areas"]["EXT"], service=world["services"]["council_tax"])
    _in_force(world["havering"], "120000.00", "95", "Havering staff paid on time")
    _in_force(world["newham"], "200000.00", "97", "Newham staff paid on time", illustrative=True)
    bexley = PartnerFactory(name="London Borough of Bexley", short_name="Bexley", slug="bexley")
    _in_force(bexley, "300000.00", "99", "Bexley staff paid on time")
    return world


def test_an_officer_sees_the_kpis_their_own_standards_and_charge_and_an_indicative_charge(terms, client_for):
    page = client_for("officer.havering").get(PAGE).content.decode()
    assert "PAY-01 Staff paid on time" in page
    assert "ICT-01" not in page and "CTX-01" not in page
    assert "Havering staff paid on time" in page and "95.0%" in page
    assert "Your council’s charge" in page
    assert "£120,000.00 a year" in page
    # The mean of Newham's and Bexley's charges; Newham's are demo figures, so the page says so.
    assert "£250,000.00 a year, the mean of 2 other councils" in page
    assert "Illustrative" in page
    assert "oneSource lead officer" in page


def test_an_officer_sees_nothing_of_another_council(terms, client_for):
    page = client_for("officer.havering").get(PAGE).content.decode()
    for secret in ("Newham staff", "Bexley staff", "£200,000.00", "£300,000.00", "97.0%", "99.0%"):
        assert secret not in page
    newham = client_for("officer.newham").get(PAGE).content.decode()
    assert "£200,000.00 a year" in newham and "£210,000.00 a year, the mean of 2 other councils" in newham
    for secret in ("Havering staff", "£120,000.00", "95.0%"):
        assert secret not in newham


def test_no_indicative_charge_that_would_give_away_one_councils_agreement(world, client_for):
    PAYROLL[:] = [world["services"]["payroll"], KPIFactory(code="PAY-01", area=world["areas"]["EXT"])]
    _in_force(world["havering"], "120000.00", "95", "Havering staff paid on time")
    _in_force(world["newham"], "200000.00", "97", "Newham staff paid on time")
    page = client_for("officer.havering").get(PAGE).content.decode()
    assert "£200,000.00" not in page and "£160,000.00" not in page
    assert "Not enough agreements in force to give one" in page


def test_staff_see_every_councils_charge_and_standard(terms, client_for):
    page = client_for("director.exchequer").get(PAGE).content.decode()
    for seen in ("£120,000.00", "£200,000.00", "£300,000.00", "Newham staff paid on time", "99.0%"):
        assert seen in page
    assert "£206,666.67 a year, the mean of 3 councils" in page


@pytest.mark.parametrize("extra", [0, 4])
def test_the_service_page_runs_a_fixed_number_of_queries(terms, client_for, django_assert_max_num_queries, extra):
    for n in range(extra):
        partner = PartnerFactory(name=f"Council {n}", short_name=f"C{n}", slug=f"c{n}")
        _in_force(partner, "100000.00", "90", f"Standard {n}")
        KPIFactory(code=f"PAY-1{n}", area=PAYROLL[0].area)
    UserFactory(username="lead")
    officer, admin = client_for("officer.havering"), client_for("admin")
    officer.get("/"), admin.get("/")
    with django_assert_max_num_queries(QUERIES):
        assert officer.get(PAGE).status_code == 200
    with django_assert_max_num_queries(QUERIES):
        assert admin.get(PAGE).status_code == 200


QUERIES = 9
