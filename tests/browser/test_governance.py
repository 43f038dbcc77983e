"""Journeys 8 and 9 (JOURNEYS.md): the committee clerk, and a resident or journalist; axe on every page.

The clerk drafts the agenda, publishes it, and after the meeting records attendance, minutes, a decision
and an action, which its owner then finds on their dashboard. The resident, without signing in, finds
the meetings, the public papers and decisions, and downloads the published figures as CSV.
"""

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from apps.governance.models import Meeting
from tests.browser.conftest import WCAG_22_AA, sign_in_with_form
from tests.browser.test_accessibility_crawl import crawl
from tests.factories import PASSWORD
from tests.governance import factories as gf
from tests.governance.routes import business
from tests.reports.fixtures import OCTOBER
from tests.reports.helpers import publish_all

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill_date(page, label, day):
    """Fill a GOV.UK date input (Day, Month, Year in the group named ``label``)."""
    group = page.get_by_role("group", name=label)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def _signed_in(browser, live_server, username):
    """A fresh browser session signed in as ``username``."""
    return sign_in_with_form(browser.new_context().new_page(), live_server.url, username, PASSWORD)


def test_the_clerk_prepares_a_meeting_and_records_what_it_decided(
    world, live_server, sign_in, browser, axe, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    gf.meeting(world, days_ahead=-40, hold=True)
    meets_on = timezone.localdate() + dt.timedelta(days=21)

    page = sign_in("admin", PASSWORD)
    page.get_by_role("link", name="Committee", exact=True).click()
    axe(page)
    page.get_by_role("link", name="Schedule a meeting").click()
    axe(page)
    fill_date(page, "Date", meets_on)
    page.get_by_label("Time").fill("18:30")
    page.get_by_label("Place").fill("Newham Dockside")
    page.get_by_role("button", name="Schedule meeting").click()
    agenda = page.get_by_role("table", name="Agenda items in order")
    assert agenda.get_by_role("link", name="Minutes of the meeting held on").is_visible()
    assert agenda.get_by_role("link", name="Actions from previous meetings").is_visible()

    page.get_by_role("link", name="Add an item").click()
    axe(page)
    page.get_by_label("Title").fill("Re-phasing of a saving")
    page.get_by_label("For decision").check()
    page.get_by_role("button", name="Add item").click()
    assert page.get_by_role("heading", name="Re-phasing of a saving").is_visible()
    axe(page)
    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="Meeting of").click()
    assert page.get_by_role("table", name="Agenda items in order").get_by_text("Re-phasing of a saving").is_visible()

    page.get_by_role("link", name="Publish the agenda").click()
    axe(page)
    page.get_by_role("button", name="Publish the agenda").click()
    assert page.get_by_text("Agenda published").first.is_visible()
    assert page.get_by_role("link", name="Download the agenda pack").is_visible()
    axe(page)

    # The day of the meeting comes.
    meeting = Meeting.objects.get(meets_on=meets_on)
    Meeting.objects.filter(pk=meeting.pk).update(meets_on=timezone.localdate())
    page.reload()
    page.get_by_role("link", name="Record that it was held").click()
    page.get_by_role("button", name="The meeting was held").click()
    page.get_by_role("link", name="Record attendance").click()
    axe(page)
    member = world["users"]["committee"]
    page.get_by_role("group", name=str(member)).get_by_label("Present").check()
    page.get_by_role("button", name="Save attendance").click()
    assert page.get_by_text("Not quorate").first.is_visible()  # Newham's member has not come

    page.get_by_role("table", name="Agenda items in order").get_by_role("link", name="Re-phasing of a saving").click()
    axe(page)
    page.get_by_role("link", name="Write the minutes").click()
    page.get_by_label("Minutes of the item").fill("Members discussed the consultation delay.")
    page.get_by_role("button", name="Save minutes").click()
    page.get_by_role("link", name="Record a decision").click()
    axe(page)
    page.get_by_label("Resolution").fill("That the re-phasing be approved.")
    page.get_by_role("button", name="Record decision").click()
    page.get_by_role("link", name="Record an action").click()
    axe(page)
    page.get_by_label("Action", exact=True).fill("Report the revised phasing to members")
    page.get_by_label("Owner").select_option(label=str(world["users"]["officer.exchequer"]))
    fill_date(page, "Due date", timezone.localdate() + dt.timedelta(days=30))
    page.get_by_role("button", name="Record action").click()
    assert page.get_by_text("That the re-phasing be approved.").is_visible()
    axe(page)

    owner = _signed_in(browser, live_server, "officer.exchequer")
    panel = owner.get_by_role("region", name="Your Joint Committee actions")
    panel.get_by_role("link", name="Report the revised phasing to members").click()
    axe(owner)
    owner.get_by_role("link", name="Report progress").click()
    owner.get_by_label("In progress").check()
    owner.get_by_label("What has been done").fill("Drafted; goes to finance leads this week.")
    owner.get_by_role("button", name="Save progress").click()
    assert owner.get_by_text("Drafted; goes to finance leads this week.").is_visible()


def test_a_resident_finds_meetings_papers_decisions_and_the_figures(world, month, live_server, page, axe):
    publish_all(OCTOBER, world["users"]["admin"])
    made = business(world)
    Meeting.objects.filter(pk=made["held"].pk).update(status=Meeting.Status.MINUTES_APPROVED)

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="Joint Committee meetings and open data").click()
    axe(page)
    page.get_by_role("link", name="Meetings", exact=True).click()
    page.get_by_role("link", name=f"{made['held'].meets_on:%-d %B %Y}").click()
    axe(page)
    assert page.get_by_text("That the report be noted.").is_visible()
    assert page.get_by_role("link", name="Public paper").is_visible()
    assert page.get_by_text("Exempt paper").count() == 0

    page.get_by_role("link", name="Open data", exact=True).click()
    axe(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="KPI figures as CSV").click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    assert {row["council"] for row in rows} == {"London Borough of Havering", "London Borough of Newham"}


def test_every_public_page_meets_wcag_22_aa(world, month, live_server, page):
    publish_all(OCTOBER, world["users"]["admin"])
    made = business(world)
    Meeting.objects.filter(pk=made["held"].pk).update(status=Meeting.Status.MINUTES_APPROVED)
    runner = Axe()
    visited, problems = [], []
    for address, response in crawl(page, live_server.url, start="/open/"):
        visited.append(address)
        if response is None or response.status != 200:
            problems.append(f"{address} answered {response.status if response else 'nothing'}")
            continue
        results = runner.run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
        if results.violations_count:
            problems.append(f"{address}\n{results.generate_report()}")
    assert any("/open/figures/2016-10/" in a for a in visited) or any(a == "/open/figures/" for a in visited)
    assert len(visited) >= 7, visited
    assert not problems, f"{len(problems)} of {len(visited)} pages fail:\n\n" + "\n\n".join(problems)
