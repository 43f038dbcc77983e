"""Credentials that end with a password or an account, and what one role must not read of another's."""

import datetime as dt
from decimal import Decimal

from django.test import Client
from rest_framework.authtoken.models import Token

from apps.kpis.models import Measurement
from tests.factories import PASSWORD
from tests.kpis.factories import KPIFactory, MeasurementFactory
from tests.savings.factories import make_line
from tests.transformation.factories import ProjectFactory


def _token(world, username):
    return Token.objects.create(user=world["users"][username]).key


def _api_works(key):
    return Client().get("/api/v1/partners/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200


def test_a_password_change_ends_the_users_api_token(world, client_for):
    key = _token(world, "officer.havering")
    assert _api_works(key)
    new = "a-new-long-passphrase-2026"
    response = client_for("officer.havering").post(
        "/accounts/password/", {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    assert not _api_works(key)
    fresh = Client().post("/api/v1/auth/token/", {"username": "officer.havering", "password": new})
    assert fresh.status_code == 200 and _api_works(fresh.json()["token"])


def test_deactivating_an_account_ends_its_api_token(world):
    key = _token(world, "officer.newham")
    user = world["users"]["officer.newham"]
    user.is_active = False
    user.save()
    assert not Token.objects.filter(key=key).exists()
    assert not _api_works(key)


def test_other_changes_to_a_user_keep_the_token(world):
    key = _token(world, "officer.newham")
    user = world["users"]["officer.newham"]
    user.job_title = "Client lead"
    user.save()
    assert _api_works(key)


def test_signing_in_writes_nothing_to_the_audit_trail(world):
    user = world["users"]["officer.havering"]
    before = user.history.count()
    client = Client()
    assert client.post("/accounts/login/", {"username": "officer.havering", "password": PASSWORD}).status_code == 302
    user.refresh_from_db()
    assert user.last_login is not None
    assert user.history.count() == before


def test_a_director_of_another_area_does_not_read_an_officers_draft_values_in_the_history(world, client_for):
    kpi = KPIFactory(
        code="EXT-07", area=world["areas"]["EXT"], service=world["services"]["payroll"], is_rate=False, unit="count"
    )
    figure = MeasurementFactory(
        kpi=kpi, partner=world["havering"], period=dt.date(2016, 5, 1), status=Measurement.Status.DRAFT, value=4321
    )
    figure.value, figure.status = Decimal(1234), Measurement.Status.SUBMITTED
    figure.save()
    other_area = client_for("director.ict").get(figure.get_absolute_url()).content.decode()
    assert "1234" in other_area and "4321" not in other_area
    own_area = client_for("director.exchequer").get(figure.get_absolute_url()).content.decode()
    assert "4321" in own_area


def test_a_partner_officer_does_not_see_the_project_behind_a_saving_line(world, client_for):
    project = ProjectFactory(area=world["areas"]["ICT"], title="Confidential restructure of ICT")
    line = make_line(
        area=world["areas"]["ICT"], partners={world["havering"]: "100.00"}, targets={2016: "10.00"}, reference="P1"
    )
    line.project = project
    line.save()
    url = "/savings/lines/P1/"
    partner_page = client_for("officer.havering").get(url)
    assert partner_page.status_code == 200
    assert "Confidential restructure" not in partner_page.content.decode()
    assert "Confidential restructure" in client_for("director.ict").get(url).content.decode()
