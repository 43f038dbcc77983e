"""The demo stays usable: its admin and directors sign in with the published authenticator key."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from apps.accounts import demo

DEMO_PASSWORD = "onesource-demo"


@pytest.fixture
def demo_users(db, settings):
    settings.DEBUG = True
    call_command("load_seed", stdout=io.StringIO())
    demo.load(password=DEMO_PASSWORD)


def _sign_in(client, username):
    return client.post("/accounts/login/", {"username": username, "password": DEMO_PASSWORD})


def _demo_code(username):
    out = io.StringIO()
    call_command("demo_code", username, stdout=out)
    return out.getvalue().strip()


def test_the_demo_admin_signs_in_with_the_code_of_the_published_key(demo_users):
    client = Client()
    _sign_in(client, "admin")
    assert client.get("/").url.startswith("/accounts/two-factor/code/")
    response = client.post("/accounts/two-factor/code/", {"code": _demo_code("admin")})
    assert response.status_code == 302 and client.get("/").status_code == 200


def test_demo_officers_sign_in_with_the_password_alone(demo_users):
    client = Client()
    _sign_in(client, "officer.exchequer")
    assert client.get("/").status_code == 200
    with pytest.raises(CommandError, match="has no two-factor"):
        _demo_code("officer.exchequer")


def test_the_demo_code_is_refused_when_debug_is_off(demo_users, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only with DEBUG on"):
        _demo_code("admin")


def test_with_two_factor_optional_the_demo_directors_use_the_password_alone(demo_users, settings):
    settings.TWO_FACTOR_ENFORCED = False
    demo.load(password=DEMO_PASSWORD)
    client = Client()
    _sign_in(client, "director.ict")
    assert client.get("/").status_code == 200


def test_production_refuses_to_start_with_two_factor_optional():
    from tests.core.test_settings_and_health import PRODUCTION, manage

    result = manage("check", env={**PRODUCTION, "TWO_FACTOR_ENFORCED": "false"})
    assert result.returncode != 0
    assert "TWO_FACTOR_ENFORCED may be false only with DJANGO_DEBUG on" in result.stderr
