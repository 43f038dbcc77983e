import pytest

from apps.savings.selectors import reporting_year
from tests.factories import PASSWORD
from tests.savings.factories import make_line

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def ict_line(world):
    return make_line(
        area=world["areas"]["ICT"],
        partners={world["havering"]: "60.00", world["newham"]: "40.00"},
        targets={reporting_year(): "500000.00"},  # a target in the year being read: the one directors update
        reference="ICT-DC-01",
        title="Data centre consolidation",
    )


def test_a_director_reports_a_line_at_risk_and_the_committee_sees_it(world, ict_line, live_server, page, sign_in, axe):
    sign_in("director.ict", PASSWORD)
    page.goto(f"{live_server.url}/savings/mine/")
    axe(page)
    page.get_by_role("link", name="Update ICT-DC-01").click()
    axe(page)
    page.get_by_label("Full-year forecast").fill("350000.00")
    page.get_by_label("Achieved to date").fill("120000.00")
    page.get_by_label("At risk").check()
    page.get_by_role("button", name="Save").click()
    assert page.get_by_role("alert").get_by_text("There is a problem").is_visible()  # commentary is required
    axe(page)
    page.get_by_label("Commentary").fill("Supplier exit slipped to the autumn.")
    page.get_by_role("button", name="Save").click()
    assert page.title() == "ICT-DC-01 Data centre consolidation – oneSource"
    axe(page)
    page.get_by_role("link", name="Move target to a later year").click()
    axe(page)
    page.get_by_role("button", name="Sign out").click()

    sign_in("committee", PASSWORD)
    page.goto(f"{live_server.url}/savings/")
    lines = page.get_by_role("table", name="Saving lines and years")
    first = lines.locator("tbody tr").first
    assert "ICT-DC-01" in first.inner_text() and "At risk" in first.inner_text()
    assert "Supplier exit slipped to the autumn." in first.inner_text()
    axe(page)
    page.get_by_text("Filter the tracker").click()
    page.get_by_label("Status").select_option("at_risk")
    page.get_by_role("button", name="Apply filters").click()
    axe(page)
    assert "£350,000.00" in page.get_by_role("table", name="By programme").inner_text()
