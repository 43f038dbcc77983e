"""Journeys 10 and 11: a director records the risk behind a saving at risk and the committee sees it;
an opportunity is agreed and the new customer appears with its subscriptions and a draft agreement."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.savings.selectors import reporting_year
from tests.factories import PASSWORD
from tests.growth.factories import make_opportunity
from tests.savings.factories import make_line

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill_date(page, label, day):
    """Fill a GOV.UK date input (Day, Month, Year in the group named ``label``)."""
    group = page.get_by_role("group", name=label)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


@pytest.fixture
def payroll_line(world):
    return make_line(
        area=world["areas"]["EXT"],
        partners={world["havering"]: "50.00", world["newham"]: "50.00"},
        targets={reporting_year(): "400000.00"},  # the year the savings pages open on
        reference="EXT-PAY-01",
        title="Payroll restructure",
        owner=world["users"]["director.exchequer"],
    )


def test_a_director_records_the_risk_behind_a_saving_at_risk_and_the_committee_sees_it(
    world, payroll_line, live_server, page, sign_in, axe
):
    sign_in("director.exchequer", PASSWORD)
    page.goto(f"{live_server.url}/savings/mine/")
    page.get_by_role("link", name="Update EXT-PAY-01").click()
    page.get_by_label("Full-year forecast").fill("250000.00")
    page.get_by_label("Achieved to date").fill("60000.00")
    page.get_by_label("At risk").check()
    page.get_by_label("Commentary").fill("Restructure consultation extended by two months.")
    page.get_by_role("button", name="Save").click()
    assert "This saving is marked at risk" in page.get_by_text("This saving is marked at risk").inner_text()
    axe(page)
    page.get_by_role("link", name="Record the risk").click()
    assert page.get_by_label("Title").input_value() == "Payroll restructure: saving may not be achieved"
    axe(page)
    page.get_by_label("Title").fill("Restructure consultation delayed")
    page.get_by_label("Cause").fill("Trade union consultation has been extended")
    page.get_by_label("Event").fill("the new structure starts late")
    page.get_by_label("Effect").fill("part of this year's saving is not achieved")
    page.get_by_label("Inherent likelihood (before controls)").select_option("4")
    page.get_by_label("Inherent impact (before controls)").select_option("5")
    page.get_by_label("Residual likelihood (with the controls in place)").select_option("4")
    page.get_by_label("Residual impact (with the controls in place)").select_option("4")
    page.get_by_label("Target likelihood (once the actions are done)").select_option("2")
    page.get_by_label("Target impact (once the actions are done)").select_option("3")
    fill_date(page, "Next review", timezone.localdate() + dt.timedelta(days=30))
    page.get_by_label("Principal risk").check()
    page.get_by_role("button", name="Record risk").click()
    assert page.title().startswith("Restructure consultation delayed")
    assert "16 High" in page.get_by_text("likelihood 4 × impact 4").inner_text()
    axe(page)
    page.goto(f"{live_server.url}/risks/heat-map/")
    axe(page)
    page.get_by_role("button", name="Sign out").click()

    sign_in("committee", PASSWORD)
    panel = page.get_by_role("region", name="Principal risks", exact=True)
    assert "Restructure consultation delayed" in panel.inner_text() and "16 High" in panel.inner_text()
    axe(page)
    panel.get_by_role("link", name="Restructure consultation delayed").click()
    assert "Payroll restructure" in page.get_by_text("EXT-PAY-01 Payroll restructure").inner_text()
    axe(page)


def test_an_opportunity_is_agreed_and_the_new_customer_appears_with_its_subscriptions_and_draft(
    world, live_server, page, sign_in, axe
):
    make_opportunity(
        world,
        title="Payroll and IT for Harbour Academy Trust",
        services_of_interest=[world["services"]["payroll"], world["services"]["it_support"]],
        expected_annual_value=Decimal("90000.00"),
        probability=70,
    )
    sign_in("admin", PASSWORD)
    page.goto(f"{live_server.url}/growth/")
    axe(page)
    page.get_by_role("link", name="Payroll and IT for Harbour Academy Trust").click()
    axe(page)
    page.get_by_role("link", name="Move to another stage").click()
    axe(page)
    page.get_by_label("New stage").select_option("agreed")
    page.get_by_role("button", name="Move").click()
    assert page.get_by_role("table", name='On-boarding tasks to "live"').is_visible()
    axe(page)
    page.get_by_role("link", name="Harbour Academy Trust").click()
    text = page.locator("main").inner_text()
    assert "Payroll" in text and "IT Support" in text, text
    axe(page)
    page.go_back()
    page.get_by_role("link", name="SLA-HARBOUR-ACADEMY-TRUST version 1").click()
    agreement = page.locator("main").inner_text()
    assert "Draft" in agreement and "Payroll" in agreement and "IT Support" in agreement, agreement
    axe(page)
    page.goto(f"{live_server.url}/growth/traded-income/")
    axe(page)
