"""The public pages: no sign-in; nothing draft, exempt or customer-level leaves this way."""

import csv
import datetime as dt
import io
import json

import pytest
from icalendar import Calendar

from apps.governance import services
from apps.governance.models import Meeting
from apps.reports.models import PublishedReport
from tests import factories as f
from tests.reports.fixtures import OCTOBER
from tests.reports.helpers import publish_all

from . import factories as gf
from .routes import business

pytestmark = pytest.mark.django_db


def test_exempt_and_draft_answer_404(world, client):
    made = business(world)
    exempt_paper = made["exempt"].papers.get()
    assert client.get(f"/open/papers/{made['paper'].pk}/").status_code == 200
    assert client.get(f"/open/papers/{exempt_paper.pk}/").status_code == 404
    services.paper_add(
        user=world["users"]["admin"],
        item=made["draft_item"],
        title="Draft paper",
        kind="upload",
        upload=gf.pdf_upload(),
    )
    draft_paper = made["draft_item"].papers.get()
    assert client.get(f"/open/papers/{draft_paper.pk}/").status_code == 404
    assert client.get(f"/open/meetings/{made['draft'].pk}/pack.pdf").status_code == 404

    draft_page = client.get(made["draft"].get_public_url()).content.decode()
    assert "Draft item not yet published" not in draft_page
    held_page = client.get(made["held"].get_public_url()).content.decode()
    assert "Performance report" in held_page
    assert "Staffing restructure" not in held_page and "Exempt paper" not in held_page
    assert "paragraph 1 of Part 1 of Schedule 12A" in held_page


def test_minutes_and_decisions_are_public_once_approved(world, client):
    made = business(world)
    assert "That the report be noted." not in client.get("/open/decisions/").content.decode()
    assert "The committee noted the report." not in client.get(made["held"].get_public_url()).content.decode()
    Meeting.objects.filter(pk=made["held"].pk).update(status=Meeting.Status.MINUTES_APPROVED)
    assert "That the report be noted." in client.get("/open/decisions/").content.decode()
    assert "The committee noted the report." in client.get(made["held"].get_public_url()).content.decode()


def test_the_public_pack_has_no_exempt_paper(world, client):
    made = business(world)
    services.agenda_pack_build(meeting_id=made["held"].pk)
    response = client.get(f"/open/meetings/{made['held'].pk}/pack.pdf")
    assert response.status_code == 200
    text = gf.read_pdf_text(b"".join(response.streaming_content))
    assert "Public text" in text
    assert "Exempt names" not in text and "Staffing restructure" not in text


def test_the_next_agenda_pack_carries_the_open_actions(world):
    made = business(world)
    services.agenda_pack_build(meeting_id=made["upcoming"].pk)
    made["upcoming"].refresh_from_db()
    with made["upcoming"].pack.open("rb") as stored:
        text = " ".join(gf.read_pdf_text(stored.read()).split())
    assert "Actions from previous meetings still open" in text
    assert "Circulate the savings re-phasing note" in text


def _published_month(world):
    customer = f.PartnerFactory(name="Norfolk County Council", short_name="Norfolk", slug="norfolk", kind="customer")
    f.SubscriptionFactory(partner=customer, service=world["services"]["it_support"])
    return publish_all(OCTOBER, world["users"]["admin"])


def _expected():
    rows = []
    for published in PublishedReport.objects.filter(report__partner__kind__in=["founding_partner", "partner"]):
        for kpi in published.snapshot["kpis"]["rows"]:
            rows.append((published.report.partner.slug, kpi["code"], kpi["actual"], kpi["target"], kpi["rag"]))
    return sorted(rows)


def test_the_csv_and_json_equal_the_published_reports(world, month, client):
    published = _published_month(world)
    assert "norfolk" in published  # a customer's report is published too, and must not appear

    response = client.get("/open/data/kpis.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows and {r["council_slug"] for r in rows} == {"havering", "newham"}
    assert {r["month"] for r in rows} == {"2016-10"}
    as_csv = sorted(
        (r["council_slug"], r["kpi_code"], r["actual"] or None, r["target"] or None, r["rag"]) for r in rows
    )
    assert as_csv == _expected()

    body = json.loads(client.get("/open/data/kpis.json").content)
    assert body["licence"] == "Open Government Licence v3.0"
    assert [c["name"] for c in body["columns"]] == list(rows[0].keys())
    as_json = sorted((r["council_slug"], r["kpi_code"], r["actual"], r["target"], r["rag"]) for r in body["rows"])
    assert as_json == _expected()
    assert "Open Government Licence v3.0" in client.get("/open/data/").content.decode()


def test_the_monthly_figures_are_as_published(world, month, client):
    published = _published_month(world)["onesource"]
    page = client.get("/open/figures/2016-10/").content.decode()
    for row in published.snapshot["kpis"]["rows"]:
        assert row["actual_text"] in page
    assert client.get("/open/figures/2016-09/").status_code == 404


def test_the_calendar_lists_every_meeting(world, client):
    made = business(world)
    services.meeting_cancel(user=world["users"]["admin"], meeting=made["draft"], reason="No business.")
    response = client.get("/open/meetings.ics")
    assert response["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert len(events) == 3
    by_url = {str(e["url"]): e for e in events}
    cancelled = by_url[f"http://127.0.0.1:8000{made['draft'].get_public_url()}"]
    assert str(cancelled["status"]) == "CANCELLED"
    upcoming = by_url[f"http://127.0.0.1:8000{made['upcoming'].get_public_url()}"]
    assert upcoming.decoded("dtstart").date() == made["upcoming"].meets_on
    assert upcoming.decoded("dtstart").time() == dt.time(18, 30)


@pytest.mark.parametrize(
    "path",
    [
        lambda w: "/open/",
        lambda w: "/open/meetings/",
        lambda w: business(w)["held"].get_public_url(),
        lambda w: "/open/decisions/",
        lambda w: "/open/data/kpis.csv",
        lambda w: "/open/meetings.ics",
    ],
)
def test_public_pages_run_a_fixed_number_of_queries(path, world, client, django_assert_max_num_queries):
    address = path(world)
    Meeting.objects.filter(status=Meeting.Status.HELD).update(status=Meeting.Status.MINUTES_APPROVED)
    for offset in range(3):
        gf.meeting(world, days_ahead=-40 - offset, hold=True, prepare=gf.public_and_exempt_papers)
    with django_assert_max_num_queries(12):
        assert client.get(address).status_code == 200
