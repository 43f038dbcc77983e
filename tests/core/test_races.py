"""Writes that race, on PostgreSQL with real parallel connections: the database's constraint holds, and the
loser is answered with a conflict it can act on (409 on the API with what is stored now; on a page, the
page again with the stored value and a message), never a 500.

Each race is made to happen every time, not by chance: the first writer saves inside a transaction it
keeps open; the second request runs in another thread, on its own connection, until PostgreSQL makes it
wait on the first one's row; then the first commits, and the second's insert is refused by the constraint.
"""

import datetime as dt
import threading
import time
from decimal import Decimal

import pytest
from django.db import connection, connections, transaction
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from apps.catalogue import services as catalogue_services
from apps.catalogue.models import CommissioningRequest
from apps.kpis import services as kpi_services
from apps.kpis.models import Measurement
from tests.kpis.factories import KPIFactory

MAY = dt.date(2016, 5, 1)
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (row locks across connections); CI runs it with DATABASE_URL set")


def _wait_until_someone_waits_on_a_lock(timeout=10.0):
    deadline = time.monotonic() + timeout
    with connections["default"].cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.05)
    raise AssertionError("the second request never waited on the first one's row")


def race(first_write, second_request):
    """Runs ``first_write`` in a thread inside a transaction held open until ``second_request`` (in another
    thread, on its own connection) waits on it; returns the second's response."""
    written, release, outcome = threading.Event(), threading.Event(), {}

    def first():
        try:
            with transaction.atomic():
                first_write()
                written.set()
                release.wait(15)
        finally:
            connections.close_all()

    def second():
        try:
            outcome["response"] = second_request()
        finally:
            connections.close_all()

    winner = threading.Thread(target=first)
    winner.start()
    assert written.wait(15)
    loser = threading.Thread(target=second)
    loser.start()
    try:
        _wait_until_someone_waits_on_a_lock()
    finally:
        release.set()
        winner.join()
        loser.join()
    return outcome["response"]


@pytest.fixture
def kpi(world):
    return KPIFactory(
        code="EXT-06",
        area=world["areas"]["EXT"],
        service=world["services"]["payroll"],
        data_owner=world["users"]["officer.exchequer"],
        is_rate=False,
        unit="count",
    )


def _record(world, kpi, value):
    return lambda: kpi_services.measurement_record(
        user=world["users"]["director.exchequer"], kpi=kpi, partner=world["havering"], period=MAY, value=value
    )


def test_two_parallel_api_posts_of_one_figure_the_loser_gets_409_with_the_stored_figure(world, kpi):
    token = Token.objects.create(user=world["users"]["officer.exchequer"])

    def post():
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        body = {"kpi": "EXT-06", "partner": "havering", "period": "2016-05-01", "value": "12"}
        return client.post("/api/v1/measurements/", body, format="json")

    response = race(_record(world, kpi, Decimal("7")), post)
    assert response.status_code == 409, response.content
    assert "a moment ago" in response.json()["detail"]
    assert response.json()["current"]["value"] == "7.0000"
    assert [m.value for m in Measurement.objects.all()] == [Decimal("7")]


def test_two_officers_saving_the_same_empty_grid_cell_the_loser_sees_the_stored_value(world, kpi):
    officer = world["users"]["officer.exchequer"]

    def save_in_grid():
        client = Client()
        client.force_login(officer)
        key = f"c{kpi.pk}-{world['havering'].pk}"
        return client.post("/kpis/entry/", {"month": "2016-05", f"{key}-value": "12", f"{key}-commentary": ""})

    response = race(_record(world, kpi, Decimal("7")), save_in_grid)
    page = response.content.decode()
    assert response.status_code == 409
    assert "a moment ago" in page and "nothing was saved" in page
    assert 'value="7.0000"' in page or 'value="7"' in page
    assert [m.value for m in Measurement.objects.all()] == [Decimal("7")]


def test_two_identical_commissioning_requests_at_once_the_loser_gets_409(world):
    officer = world["users"]["officer.havering"]
    service = world["services"]["council_tax"]
    token = Token.objects.create(user=officer)

    def submit_first():
        catalogue_services.commissioning_request_submit(
            user=officer, service=service, needed_from=dt.date(2016, 10, 1), details="First"
        )

    def post():
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        body = {"service": "council-tax-and-benefits", "needed_from": "2016-10-01", "details": "Second"}
        return client.post("/api/v1/commissioning-requests/", body)

    response = race(submit_first, post)
    assert response.status_code == 409, response.content
    assert response.json()["current"]["details"] == "First"
    assert list(CommissioningRequest.objects.values_list("details", flat=True)) == ["First"]


def test_the_same_race_on_the_request_page_shows_the_form_again_with_a_message(world):
    officer = world["users"]["officer.havering"]
    service = world["services"]["council_tax"]

    def submit_first():
        catalogue_services.commissioning_request_submit(
            user=officer, service=service, needed_from=dt.date(2016, 10, 1), details="First"
        )

    def post_page():
        client = Client()
        client.force_login(officer)
        body = {"service": "council-tax-and-benefits", "needed_from": "2016-10-01", "details": "Second"}
        return client.post("/services/requests/new/", body)

    response = race(submit_first, post_page)
    assert response.status_code == 200
    assert "already has an open request" in response.content.decode()
    assert CommissioningRequest.objects.count() == 1
