"""A month of figures from entry to the partner's screen, in headless Chromium, with axe on each page."""

from decimal import Decimal

import pytest

from tests.browser.conftest import sign_in_with_form
from tests.factories import PASSWORD
from tests.kpis.factories import KPIFactory, TargetFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def signed_in(browser, live_server):
    contexts = []

    def go(username):
        context = browser.new_context()
        contexts.append(context)
        return sign_in_with_form(context.new_page(), live_server.url, username, PASSWORD)

    yield go
    for context in contexts:
        context.close()


def test_entered_submitted_approved_then_seen_by_the_partner(world, live_server, signed_in, axe):
    kpi = KPIFactory(
        code="EXT-06",
        name="Payroll accuracy",
        area=world["areas"]["EXT"],
        service=world["services"]["payroll"],
        data_owner=world["users"]["officer.exchequer"],
        decimal_places=1,
    )
    TargetFactory(kpi=kpi, value=Decimal("99"), tolerance=Decimal("0.5"))
    cell = f"c{kpi.pk}-{world['havering'].pk}"

    officer = signed_in("officer.exchequer")
    officer.goto(f"{live_server.url}/kpis/entry/?month=2016-05")
    axe(officer)
    officer.fill(f"#id_{cell}-numerator", "1200")
    officer.fill(f"#id_{cell}-denominator", "1000")
    officer.get_by_role("button", name="Submit for approval").click()
    assert officer.get_by_role("alert").get_by_text("nothing was saved").is_visible()
    axe(officer)
    officer.fill(f"#id_{cell}-numerator", "995")
    officer.get_by_role("button", name="Submit for approval").click()
    assert "1 figure for May 2016 submitted for approval" in officer.content()
    officer.goto(f"{live_server.url}/kpis/returns/")
    axe(officer)

    director = signed_in("director.exchequer")
    director.goto(f"{live_server.url}/kpis/approvals/")
    axe(director)
    director.get_by_role("button", name="Approve EXT-06 Havering May 2016").click()
    assert "approved" in director.content()

    partner = signed_in("officer.havering")
    partner.goto(f"{live_server.url}/kpis/EXT-06/?month=2016-05")
    summary = partner.get_by_role("table", name="Summary (approved figures)")
    assert "99.5%" in summary.inner_text()
    axe(partner)
    partner.goto(f"{live_server.url}/partners/havering/")
    assert "99.5%" in partner.content()
