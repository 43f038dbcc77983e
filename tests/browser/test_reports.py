"""Reports and dashboards in real Chromium: charts with their tables, and no axe violations on any of them."""

import pytest

from tests.factories import PASSWORD
from tests.reports.fixtures import OCTOBER
from tests.reports.helpers import generate, publish_all

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _charts_render(page, *, sla=True):
    charts = page.locator("figure.onesource-chart svg[role=img]")
    assert charts.count() == (2 if sla else 1)
    for n in range(charts.count()):
        box = charts.nth(n).bounding_box()
        assert box and box["width"] > 200 and box["height"] > 50  # drawn, not collapsed
    assert page.get_by_role("table", name="KPIs by rating, month by month").is_visible()
    if sla:
        assert page.get_by_role("table", name="SLA standards met, month by month").is_visible()


def test_the_committee_dashboard_and_every_report_page_render_accessibly(world, month, live_server, page, sign_in, axe):
    publish_all(OCTOBER, world["users"]["admin"])
    sign_in("committee", PASSWORD)
    page.goto(f"{live_server.url}/")
    assert page.get_by_role("heading", name="oneSource in October 2016").is_visible()
    assert page.get_by_role("region", name="Partner by partner").is_visible()
    _charts_render(page)
    axe(page)
    page.get_by_role("link", name="Read the whole report").click()
    assert page.get_by_role("heading", name="oneSource, October 2016").is_visible()
    _charts_render(page)
    axe(page)
    for path in ("/reports/", "/reports/2016-10/havering/", "/reports/2016-10/newham/", "/reports/packs/"):
        page.goto(f"{live_server.url}{path}")
        axe(page)


def test_a_partner_officer_sees_their_scorecard_with_charts(world, month, live_server, page, sign_in, axe):
    publish_all(OCTOBER, world["users"]["admin"])
    sign_in("officer.newham", PASSWORD)
    page.goto(f"{live_server.url}/")
    assert page.get_by_role("heading", name="London Borough of Newham: performance in October 2016").is_visible()
    assert page.get_by_text("Two service desk posts vacant since August.").is_visible()
    _charts_render(page, sla=False)  # Newham has no agreement in force in this month
    axe(page)
    page.goto(f"{live_server.url}/reports/")
    axe(page)


def test_an_administrator_publishes_a_draft_and_revises_it(world, month, live_server, page, sign_in, axe):
    generate(OCTOBER)
    sign_in("admin", PASSWORD)
    page.goto(f"{live_server.url}/reports/2016-10/havering/")
    assert page.get_by_text("Draft version 1").is_visible()
    axe(page)
    page.get_by_role("button", name="Publish version 1").click()
    assert page.get_by_text("Version 1 published.").is_visible()
    page.get_by_text("Revise this report").click()
    page.get_by_label("Why is the report being revised?").fill("Havering's figures corrected.")
    axe(page)
    page.get_by_role("button", name="Compute a new version").click()
    # Tasks run eagerly in the test server: the new version is computed by the time the page loads.
    assert page.get_by_text("Draft version 2").is_visible()
    assert page.get_by_text("Revised: Havering's figures corrected.").is_visible()
    axe(page)
    for path in ("/reports/generate/", "/reports/packs/", "/reports/packs/build/"):
        page.goto(f"{live_server.url}{path}")
        axe(page)
