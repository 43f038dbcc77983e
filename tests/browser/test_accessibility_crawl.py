"""Every page a user can reach meets WCAG 2.2 AA, for each role, in headless Chromium with axe-core.

Every page also fits the screen: at 1280 px (a desktop) and at 390 px (a phone) no page is wider than
the viewport, wide tables scrolling inside their own region instead, and at 1280 px the top navigation
is one row.

Each role signs in and follows, breadth first, every same-site link of the dashboard, its
navigation and the pages they lead to. Pages are told apart by their URL pattern (the URLconf's
route), and at most ``PER_PATTERN`` pages of each pattern are visited, so a list of fifty partners
costs two partner pages, not fifty. Not followed: signing out, downloads and exports, the Django
admin and the API (neither is our markup), and addresses that only take a POST. Every page visited
must answer 200 and have no axe violation of the WCAG 2.2 A and AA rules.

The data are the world of tests/conftest.py with every row the isolation matrix makes
(tests/isolation.py), so that each kind of page has something to show, for both partners.
"""

from collections import Counter, deque
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import Resolver404, resolve

from tests.browser.conftest import WCAG_22_AA
from tests.factories import PASSWORD
from tests.isolation import collect, make_every_row

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLES = ["admin", "director.exchequer", "officer.exchequer", "officer.havering", "committee"]
PER_PATTERN = 2
DOWNLOADS = {
    "core:healthz",  # JSON for the load balancer
    "savings:tracker_export",  # an Excel workbook
    "slas:agreement_pdf",  # a PDF
    "kpis:import_template",  # a CSV
    "customers:message_attachment",  # an uploaded file
    "reports:pack_download",  # a PDF or an Excel workbook
    "governance:pack_download",  # a PDF
    "governance:paper_download",  # a PDF, or a redirect to what the paper links to
    "open:pack_download",  # a PDF
    "open:paper_download",  # a PDF
    "open:kpis_csv",  # open data
    "open:kpis_json",  # open data
    "open:calendar",  # an iCalendar feed
}
# Addresses that only take a POST, signing out among them, as the isolation matrix classifies them.
POST_ONLY = {name for name, route in collect("PAGES").items() if route.kind in ("action", "own_session")}
NOT_FOLLOWED = DOWNLOADS | POST_ONLY
NOT_OURS = ("/admin/", "/api/", "/static/", "/media/")


def _route(path):
    """The URL pattern a path resolves to, or None for an address to leave alone."""
    if path.startswith(NOT_OURS):
        return None
    try:
        match = resolve(path)
    except Resolver404:
        return f"unknown:{path}"  # visited once, so that a broken link fails the test
    if match.view_name in NOT_FOLLOWED:
        return None
    return match.route


def _links(page, origin):
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(link => link.href)")
    for href in hrefs:
        url = urlsplit(href)
        if f"{url.scheme}://{url.netloc}" == origin and url.path:
            yield url.path + (f"?{url.query}" if url.query else "")


DESKTOP, PHONE = {"width": 1280, "height": 720}, {"width": 390, "height": 844}
WIDTH = "() => document.documentElement.scrollWidth"
NAVIGATION_ROWS = """() => new Set([...document.querySelectorAll('.govuk-service-navigation__item')]
    .map(item => Math.round(item.getBoundingClientRect().top))).size"""


def misfits(page, address):
    """How the page fails to fit a desktop or a phone, if it does; the page is left as it was found."""
    found = []
    if page.evaluate(WIDTH) > DESKTOP["width"]:
        found.append(f"{address} is {page.evaluate(WIDTH)} px wide at {DESKTOP['width']} px")
    if page.evaluate(NAVIGATION_ROWS) > 1:
        found.append(f"{address}: the navigation takes {page.evaluate(NAVIGATION_ROWS)} rows at {DESKTOP['width']} px")
    page.set_viewport_size(PHONE)
    page.reload()
    if page.evaluate(WIDTH) > PHONE["width"]:
        found.append(f"{address} is {page.evaluate(WIDTH)} px wide at {PHONE['width']} px")
    page.set_viewport_size(DESKTOP)
    page.reload()
    return found


def crawl(page, origin, start="/"):
    """Visit the pages reachable from ``start``, breadth first; yield each address and its response."""
    queue, queued, per_route = deque([start]), {start}, Counter()
    per_route[_route(start)] += 1
    while queue:
        address = queue.popleft()
        response = page.goto(f"{origin}{address}")
        yield address, response
        for link in _links(page, origin):
            route = _route(link.split("?")[0])
            if route is None or link in queued or per_route[route] >= PER_PATTERN:
                continue
            queued.add(link)
            per_route[route] += 1
            queue.append(link)


@pytest.mark.parametrize("username", ROLES)
def test_every_page_a_role_reaches_meets_wcag_22_aa_and_fits_a_desktop_and_a_phone(
    username, world, live_server, sign_in
):
    make_every_row(world)
    page = sign_in(username, PASSWORD)
    page.set_viewport_size(DESKTOP)
    runner = Axe()
    visited, problems, too_wide = [], [], []
    for address, response in crawl(page, live_server.url):
        visited.append(address)
        if response is None or response.status != 200:
            problems.append(f"{address} answered {response.status if response else 'nothing'}")
            continue
        results = runner.run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
        if results.violations_count:
            problems.append(f"{address}\n{results.generate_report()}")
        too_wide.extend(misfits(page, address))
    assert len(visited) > 10, visited
    assert not problems, f"{len(problems)} of {len(visited)} pages fail:\n\n" + "\n\n".join(problems)
    assert not too_wide, "\n".join(too_wide)
