"""A reader's dashboard is drawn once per scope and kept in the cache: never another partner's figures,
and redrawn when a version is published."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.kpis.models import Measurement
from apps.reports import services
from apps.reports.models import MonthlyReport
from tests.factories import UserFactory

from .fixtures import OCTOBER
from .helpers import publish_all

pytestmark = pytest.mark.django_db


def _figure(html, name):
    return re.search(rf'data-figure="{name}">([^<]*)<', html).group(1)


def _page(client):
    """The dashboard without what differs on every request (the CSRF token, the script nonce), and its queries."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 200
    html = re.sub(r'(name="csrfmiddlewaretoken" value|nonce)="[^"]*"', r"\1", response.content.decode())
    return html, len(queries)


def test_a_cached_partner_dashboard_never_shows_another_partners_figures(world, month, client_for):
    publish_all(OCTOBER, world["users"]["admin"])
    havering, drawn = _page(client_for("officer.havering"))
    havering_again, kept = _page(client_for("officer.havering"))
    assert kept < drawn and havering_again == havering  # the second is read from the cache
    newham, _ = _page(client_for("officer.newham"))
    newham_again, _ = _page(client_for("officer.newham"))

    # Each council's share of the £6,000 target: Havering 60%, Newham 40%.
    assert _figure(havering, "savings-target") == _figure(havering_again, "savings-target") == "£3,600.00"
    assert _figure(newham, "savings-target") == _figure(newham_again, "savings-target") == "£2,400.00"
    for html in (havering, havering_again):
        assert "London Borough of Havering: performance" in html
        assert "London Borough of Newham" not in html and "Two service desk posts" not in html
    for html in (newham, newham_again):
        assert "London Borough of Newham: performance" in html
        assert "London Borough of Havering" not in html and "Payroll errors" not in html
    # Another officer of the same council reads the same drawing, under their own name.
    colleague = UserFactory(
        username="officer2.havering", first_name="Ada", role="partner_officer", partner=world["havering"]
    )
    client = client_for("officer.havering")
    client.force_login(colleague)
    theirs, _ = _page(client)
    assert "Welcome, Ada" in theirs and _figure(theirs, "savings-target") == "£3,600.00"


@pytest.mark.parametrize("username", ["officer.havering", "committee"])
def test_publishing_a_revision_updates_the_cached_dashboard(world, month, client_for, username):
    admin = world["users"]["admin"]
    publish_all(OCTOBER, admin)
    scope = world["havering"] if username == "officer.havering" else None
    client = client_for(username)
    before, _ = _page(client)
    assert _page(client)[0] == before  # kept
    reds = MonthlyReport.objects.get(period=OCTOBER, partner=scope).snapshot["kpis"]["rag_counts"]["red"]
    assert "(version 1)" in before and _figure(before, "red") == str(reds)

    # Havering's payroll errors corrected to 8, within the target of 10: one red fewer for Havering and oneSource.
    Measurement.objects.filter(kpi__code="EXT-01", partner=world["havering"], period=OCTOBER).update(value=Decimal("8"))
    for report in MonthlyReport.objects.filter(period=OCTOBER):
        services.report_revise(user=admin, report=report, reason="Havering's payroll errors corrected.")
    assert _page(client)[0] == before  # readers keep version 1 until version 2 is published
    publish_all(OCTOBER, admin)

    after, _ = _page(client)
    assert "(version 2)" in after and "(version 1)" not in after
    revised = MonthlyReport.objects.get(period=OCTOBER, partner=scope).snapshot["kpis"]["rag_counts"]["red"]
    assert _figure(after, "red") == str(revised) == str(reds - 1)


def test_with_the_cache_down_dashboards_are_drawn_afresh_and_changes_are_saved(world, month, client_for, settings):
    publish_all(OCTOBER, world["users"]["admin"])
    # Nothing listens on port 1: every cache call fails to connect.
    settings.CACHES = {
        "default": {"BACKEND": "apps.core.cache.ForgivingRedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    committee = client_for("committee")
    first, _ = _page(committee)
    havering = world["havering"]
    havering.name = "London Borough of Havering (renamed)"
    havering.save()  # a shown row: the cache is told, and cannot be; the change is saved all the same
    again, _ = _page(committee)
    assert "London Borough of Havering (renamed)" in again and "(renamed)" not in first
