import pytest

from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_partner_officer_sees_their_own_services_and_no_other_partner(world, live_server, sign_in):
    page = sign_in("officer.havering", PASSWORD)
    page.get_by_role("link", name="Partners").click()
    page.get_by_role("link", name="London Borough of Havering").click()
    page.wait_for_url("**/partners/havering/")  # the title is read once the page has come

    assert page.title() == "London Borough of Havering – oneSource"
    services = page.get_by_role("table", name="Services Havering takes, by service area")
    assert services.get_by_role("link", name="Payroll").is_visible()
    assert services.get_by_role("link", name="IT Support").is_visible()
    assert page.locator("a[href='/partners/newham/']").count() == 0
    assert "Council Tax and Benefits" not in services.inner_text()  # Newham's service


def test_pages_meet_wcag_22_aa(world, live_server, page, sign_in, axe):
    page.goto(f"{live_server.url}/accounts/login/")
    axe(page)
    page.get_by_role("button", name="Sign in").click()  # the error summary too
    assert page.get_by_role("alert").get_by_text("There is a problem").is_visible()
    axe(page)
    sign_in("officer.havering", PASSWORD)
    for path in (
        "/",
        "/partners/",
        "/partners/havering/",
        "/services/",
        "/services/matrix/",
        "/services/requests/new/",
    ):
        page.goto(f"{live_server.url}{path}")
        axe(page)
    page.get_by_role("button", name="Sign out").click()
    sign_in("admin", PASSWORD)
    for path in ("/partners/", "/services/cost-shares/", "/services/subscriptions/", "/partners/new/"):
        page.goto(f"{live_server.url}{path}")
        axe(page)
