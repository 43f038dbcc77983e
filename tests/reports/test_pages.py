"""Report pages and dashboards: who reads what, the same figures as the snapshot, fixed query counts."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.reports import services
from apps.reports.models import CommitteePack, MonthlyReport

from .fixtures import OCTOBER, SEPTEMBER
from .helpers import generate, publish_all

pytestmark = pytest.mark.django_db


def test_a_draft_is_visible_to_administrators_alone(world, month, client_for):
    generate(OCTOBER)
    for username in ("committee", "director.ict", "officer.exchequer", "officer.havering"):
        assert client_for(username).get("/reports/2016-10/havering/").status_code == 404, username
        assert client_for(username).get("/api/v1/reports/").json()["count"] == 0, username
    page = client_for("admin").get("/reports/2016-10/havering/")
    assert page.status_code == 200
    assert "Draft version 1" in page.content.decode()


def test_the_committee_reads_published_reports_and_a_partner_officer_only_their_councils(world, month, client_for):
    publish_all(OCTOBER, world["users"]["admin"])
    committee = client_for("committee")
    for scope in ("onesource", "havering", "newham"):
        assert committee.get(f"/reports/2016-10/{scope}/").status_code == 200
    havering = client_for("officer.havering")
    assert havering.get("/reports/2016-10/havering/").status_code == 200
    assert havering.get("/reports/2016-10/newham/").status_code == 404
    assert havering.get("/reports/2016-10/onesource/").status_code == 404
    listed = havering.get("/api/v1/reports/").json()
    assert [row["partner"] for row in listed["results"]] == ["havering"]
    assert "London Borough of Newham" not in havering.get("/reports/").content.decode()


def test_only_an_administrator_may_generate_publish_or_revise_from_the_pages(world, month, client_for):
    generate(OCTOBER)
    for username in ("committee", "director.ict"):
        client = client_for(username)
        assert client.post("/reports/2016-10/havering/publish/").status_code in (403, 404)
        assert client.get("/reports/generate/").status_code == 403
    admin = client_for("admin")
    response = admin.post("/reports/2016-10/havering/publish/")
    assert response.status_code == 302
    assert MonthlyReport.objects.get(period=OCTOBER, partner=world["havering"]).status == "published"
    response = admin.post("/reports/2016-10/havering/revise/", {"reason": ""}, follow=True)
    assert "Say why the report is being revised" in response.content.decode() or "This field is required" in (
        response.content.decode()
    )
    assert MonthlyReport.objects.get(period=OCTOBER, partner=world["havering"]).version == 1


def test_regenerating_from_the_page_returns_at_once_and_the_page_shows_progress(
    world, month, client_for, django_capture_on_commit_callbacks
):
    generate(OCTOBER)
    admin = client_for("admin")
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = admin.post("/reports/2016-10/havering/regenerate/")
    assert response.status_code == 302 and len(queued) == 1  # the task is enqueued on commit, not run
    page = admin.get("/reports/2016-10/havering/").content.decode()
    assert "Queued" in page and "0 of 7 sections done" in page and 'http-equiv="refresh"' in page
    queued[0]()  # what the worker does (eager here)
    assert "Ready to publish" in admin.get("/reports/2016-10/havering/").content.decode()


def _figure(html, name):
    return re.search(rf'data-figure="{name}">([^<]*)<', html).group(1)


def test_the_partner_dashboard_shows_the_figures_of_the_published_snapshot(world, month, client_for):
    published = publish_all(OCTOBER, world["users"]["admin"])["havering"]
    snapshot = published.snapshot
    html = client_for("officer.havering").get("/").content.decode()
    assert _figure(html, "green") == str(snapshot["kpis"]["rag_counts"]["green"])
    assert _figure(html, "red") == str(snapshot["kpis"]["rag_counts"]["red"]) == "1"
    assert _figure(html, "sla") == snapshot["slas"]["rate_text"] == "100.0%"
    assert _figure(html, "savings-forecast") == snapshot["savings"]["total"]["forecast"]["text"] == "£3,000.00"
    assert _figure(html, "savings-target") == "£3,600.00"  # Havering's 60% of £6,000, not oneSource's
    assert _figure(html, "open") == str(snapshot["enquiries"]["open_at_end"])
    assert "Payroll errors" in html  # the red, with its figure
    assert "<svg" in html and "KPIs by rating, month by month" in html
    assert "London Borough of Newham" not in html and "Two service desk posts" not in html


def test_the_committee_dashboard_compares_partners_with_their_published_figures(world, month, client_for):
    publish_all(OCTOBER, world["users"]["admin"])
    html = client_for("committee").get("/").content.decode()
    whole = MonthlyReport.objects.get(period=OCTOBER, partner=None).snapshot
    assert _figure(html, "red") == str(whole["kpis"]["rag_counts"]["red"])
    assert _figure(html, "savings-forecast") == whole["savings"]["total"]["forecast"]["text"] == "£5,000.00"
    assert "Partner by partner" in html
    assert "London Borough of Havering" in html and "London Borough of Newham" in html


def test_a_director_sees_the_kpis_and_savings_of_their_own_areas(world, month, client_for):
    publish_all(OCTOBER, world["users"]["admin"])
    html = client_for("director.exchequer").get("/").content.decode()
    assert "Payroll errors" in html and "Calls resolved at first contact" not in html
    assert "Savings of your areas" in html


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("username", "url", "expected"),
    [
        ("committee", "/", 12),  # with the principal risks panel, the next meeting and the committee's actions
        ("officer.havering", "/", 9),  # the user read with their partner, which the header names
        ("committee", "/reports/2016-10/onesource/", 5),
        ("admin", "/reports/2016-10/newham/", 6),
        ("committee", "/reports/", 5),
        ("officer.havering", "/api/v1/reports/", 4),
    ],
)
def test_pages_run_a_fixed_number_of_queries_however_many_partners_and_months(
    world, month, client_for, username, url, expected
):
    admin = world["users"]["admin"]
    publish_all(SEPTEMBER, admin)
    publish_all(OCTOBER, admin)
    client = client_for(username)
    before = _queries(client, url)
    from tests.factories import PartnerFactory, SubscriptionFactory

    for n in range(3):
        SubscriptionFactory(
            partner=PartnerFactory(name=f"Extra {n}", slug=f"extra-{n}"), service=world["services"]["it_support"]
        )
    for report in MonthlyReport.objects.filter(period=OCTOBER):
        services.report_revise(user=admin, report=report, reason="More partners joined.")
    publish_all(OCTOBER, admin)
    after = _queries(client, url)
    assert (before, after) == (expected, expected)


@pytest.mark.parametrize(("username", "drawn", "kept"), [("committee", 12, 3), ("officer.havering", 9, 3)])
def test_a_dashboard_panel_is_drawn_once_per_published_version_then_read_from_the_cache(
    world, month, client_for, username, drawn, kept
):
    publish_all(OCTOBER, world["users"]["admin"])
    client = client_for(username)
    first = client.get("/").content.decode()
    assert _queries(client, "/") == kept < drawn
    again = client.get("/").content.decode()
    figures = ("green", "amber", "red", "sla", "savings-forecast", "in-time", "open")
    assert [_figure(again, f) for f in figures] == [_figure(first, f) for f in figures]


def test_generating_a_month_already_published_says_so_and_queues_nothing(world, client_for):
    last = services.last_month()
    publish_all(last, world["users"]["admin"])
    response = client_for("admin").post("/reports/generate/", {"month": f"{last:%Y-%m}"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in body and "already published, so none was generated" in body
    assert "queued" not in body
    assert not MonthlyReport.objects.filter(period=last).exclude(status="published").exists()


def test_a_month_is_published_and_revised_in_one_step_each(
    world, month, client_for, django_capture_on_commit_callbacks
):
    reports = generate(OCTOBER)
    admin = client_for("admin")
    page = admin.get("/reports/2016-10/").content.decode()
    assert f"Publish {len(reports)} ready reports" in page
    with django_capture_on_commit_callbacks(execute=False):
        assert admin.post("/reports/2016-10/publish/").status_code == 302
    assert set(MonthlyReport.objects.filter(period=OCTOBER).values_list("status", flat=True)) == {"published"}
    # The month is complete: its committee pack is queued to be built.
    assert CommitteePack.objects.get(period=OCTOBER).status == "pending"

    response = admin.post("/reports/2016-10/revise/", {"reason": ""})
    assert response.status_code == 400 and "govuk-error-summary" in response.content.decode()
    assert set(MonthlyReport.objects.filter(period=OCTOBER).values_list("version", flat=True)) == {1}
    with django_capture_on_commit_callbacks(execute=True):
        admin.post("/reports/2016-10/revise/", {"reason": "Newham's October collection figure corrected."})
    revised = MonthlyReport.objects.filter(period=OCTOBER)
    assert set(revised.values_list("version", flat=True)) == {2}
    assert set(revised.values_list("revision_reason", flat=True)) == {"Newham's October collection figure corrected."}
    assert set(revised.values_list("status", flat=True)) == {"ready"}
    # Readers keep the published version until the new one is published.
    assert client_for("officer.havering").get("/reports/2016-10/havering/").status_code == 200
    assert client_for("committee").get("/reports/2016-10/").status_code == 404
