"""Two-factor sign-in: the code after the password, setting it up, recovery codes, and the API."""

import datetime as dt
import re
from base64 import b32decode

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from freezegun import freeze_time
from rest_framework.authtoken.models import Token

from apps.accounts import services
from apps.core.roles import Role
from tests.factories import PASSWORD, UserFactory, totp_code

CODE_PAGE = "/accounts/two-factor/code/"
SET_UP_PAGE = "/accounts/two-factor/set-up/"


def _password(client, username):
    return client.post("/accounts/login/", {"username": username, "password": PASSWORD})


def _code(client, code, next_page="/"):
    return client.post(CODE_PAGE, {"code": code, "next": next_page})


def _api_works(key):
    return Client().get("/api/v1/partners/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200


def _text(response):
    return response.content.decode()


def _secret_code(page_html):
    """The code an authenticator app shows now for the key printed on the set-up page."""
    secret = re.search(r'id="secret">([A-Z2-7 ]+)<', page_html).group(1).replace(" ", "")
    return f"{TOTP(b32decode(secret)).token():06d}"


def test_an_admin_gives_the_code_after_the_password_before_any_page(world, client):
    assert _password(client, "admin").status_code == 302
    assert client.get("/").url == f"{CODE_PAGE}?next=%2F"
    blocked = client.get("/kpis/")
    assert blocked.status_code == 302 and blocked.url == f"{CODE_PAGE}?next=%2Fkpis%2F"
    page = client.get(blocked.url)
    assert "Enter the code from your authenticator app" in _text(page)
    # The portal is not open yet: no menu of pages that would only send the user back here.
    assert 'aria-label="Menu"' not in _text(page) and "Change password" not in _text(page)
    assert "Sign out" in _text(page)
    response = _code(client, totp_code(world["users"]["admin"]), next_page="/kpis/")
    assert response.status_code == 302 and response.url == "/kpis/"
    assert client.get("/kpis/").status_code == 200


def test_a_wrong_code_is_refused_and_named_in_the_error_summary(world, client):
    _password(client, "director.ict")
    response = _code(client, "000000")
    page = _text(response)
    assert response.status_code == 200
    assert "There is a problem" in page and "Error: Enter your code – oneSource" in page
    assert 'href="#id_code"' in page and "The code is not right" in page
    assert client.get("/").status_code == 302  # still not through


def test_an_empty_code_asks_for_the_code(world, client):
    _password(client, "director.ict")
    assert "Enter the code from your authenticator app" in _text(_code(client, ""))


def test_after_a_wrong_code_the_next_try_must_wait_even_with_the_right_code(world, client):
    admin = world["users"]["admin"]
    with freeze_time(dt.datetime(2026, 11, 30, 9, 0, 10, tzinfo=dt.UTC)) as clock:
        _password(client, "admin")
        _code(client, "123456")
        right = totp_code(admin)
        refused = _code(client, right)
        assert "Too many wrong codes in a row. Wait 1 second" in _text(refused)
        clock.tick(dt.timedelta(seconds=2))
        assert _code(client, right).status_code == 302
        # Still at the frozen time: the session signed in then lasts its eight hours from then.
        assert client.get("/").status_code == 200


def test_each_wrong_code_doubles_the_wait(world, client):
    with freeze_time(dt.datetime(2026, 11, 30, 9, 0, 10, tzinfo=dt.UTC)) as clock:
        _password(client, "admin")
        for _ in range(3):
            _code(client, "123456")
            clock.tick(dt.timedelta(seconds=5))
        # Three failures: the fourth try waits 4 seconds after the third.
        clock.tick(dt.timedelta(seconds=-5))
        assert "Wait 4 seconds" in _text(_code(client, "123456"))


def test_a_recovery_code_signs_in_once(world):
    admin = world["users"]["admin"]
    codes = services.recovery_codes_issue(user=admin)
    first = Client()
    _password(first, "admin")
    response = _code(first, codes[0].upper())  # as typed, whatever the case
    assert response.status_code == 302 and response.url == "/"
    dashboard = first.get("/")
    assert "You signed in with a recovery code" in _text(dashboard) and "You have 9 left" in _text(dashboard)

    again = Client()
    _password(again, "admin")
    assert "The code is not right" in _text(_code(again, codes[0]))
    assert again.get("/").status_code == 302


def test_new_recovery_codes_end_the_old_ones(world, client_for):
    admin = world["users"]["admin"]
    old = services.recovery_codes_issue(user=admin)
    page = client_for("admin").post("/accounts/two-factor/recovery-codes/")
    new = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", _text(page))
    assert len(new) == 10 and not set(new) & set(old)
    assert "shown only once" in _text(page)
    client = Client()
    _password(client, "admin")
    assert "The code is not right" in _text(_code(client, old[1]))
    status = client_for("admin").get("/accounts/two-factor/")
    assert 'id="recovery-codes-left">10<' in _text(status)


def test_an_admin_without_two_factor_must_set_it_up_before_any_page(world, client):
    UserFactory(username="new.admin", role=Role.ADMIN, two_factor=False)
    response = _password(client, "new.admin")
    assert response.status_code == 302
    assert client.get("/").url == f"{SET_UP_PAGE}?next=%2F"
    assert client.get("/partners/").url.startswith(SET_UP_PAGE)
    assert client.get(CODE_PAGE).url.startswith(SET_UP_PAGE)
    setup = client.get(SET_UP_PAGE)
    html = _text(setup)
    assert "<svg" in html and "QR code to scan with your authenticator app" in html
    assert "Your role must sign in with a code" in html
    assert 'aria-label="Menu"' not in html and "Sign out" in html
    assert _secret_code(_text(client.get(SET_UP_PAGE))) == _secret_code(html)  # reloading keeps the same key

    wrong = client.post(SET_UP_PAGE, {"code": "000000"})
    assert "The code is not right" in _text(wrong)
    with freeze_time(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=3)):
        done = client.post(SET_UP_PAGE, {"code": _secret_code(html), "next": "/partners/"})
        codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", _text(done))
        assert "Two-factor sign-in is on" in _text(done) and len(codes) == 10
        assert client.get("/partners/").status_code == 200


def test_an_officer_may_go_without_two_factor(world, client):
    response = _password(client, "officer.exchequer")
    assert response.status_code == 302 and response.url == "/"
    assert client.get("/").status_code == 200
    assert "it is your choice" in _text(client.get("/accounts/two-factor/"))


def test_an_officer_turns_two_factor_on_and_then_off_with_a_code(world, client_for):
    officer = client_for("officer.exchequer")
    html = _text(officer.get(SET_UP_PAGE))
    assert "Your role must sign in" not in html
    assert officer.post(SET_UP_PAGE, {"code": _secret_code(html)}).status_code == 200

    later = Client()
    _password(later, "officer.exchequer")
    assert later.get("/").url.startswith(CODE_PAGE)  # now asked for the code every time

    assert "Turn two-factor sign-in off" in _text(officer.get("/accounts/two-factor/"))
    refused = officer.post("/accounts/two-factor/turn-off/", {"code": "000000"})
    assert "The code is not right" in _text(refused)
    assert TOTPDevice.objects.filter(user__username="officer.exchequer").exists()
    with freeze_time(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=35)):
        user = world["users"]["officer.exchequer"]
        response = officer.post("/accounts/two-factor/turn-off/", {"code": totp_code(user)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user__username="officer.exchequer").exists()
    again = Client()
    assert _password(again, "officer.exchequer").url == "/" and again.get("/").status_code == 200


def test_a_director_cannot_turn_two_factor_off(world, client_for):
    director = client_for("director.ict")
    assert "Turn two-factor sign-in off" not in _text(director.get("/accounts/two-factor/"))
    response = director.post("/accounts/two-factor/turn-off/", {"code": totp_code(world["users"]["director.ict"])})
    assert response.status_code == 302 and response.url == "/accounts/two-factor/"
    assert TOTPDevice.objects.filter(user__username="director.ict").exists()
    with pytest.raises(PermissionDenied):  # the rule itself, whoever calls it
        services.two_factor_turn_off(user=world["users"]["director.ict"], code="000000")


def test_a_session_half_way_through_signing_in_is_anonymous_to_the_api(world, client):
    _password(client, "admin")
    assert client.get("/api/v1/partners/").status_code in (401, 403)
    _code(client, totp_code(world["users"]["admin"]))
    assert client.get("/api/v1/partners/").status_code == 200


def test_an_api_token_needs_the_code_of_those_with_two_factor(world, client):
    form = {"username": "director.ict", "password": PASSWORD}
    without = client.post("/api/v1/auth/token/", form)
    assert without.status_code == 400 and "code" in without.json()
    wrong = client.post("/api/v1/auth/token/", {**form, "code": "000000"})
    assert wrong.status_code == 400
    with freeze_time(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=35)):
        good = client.post("/api/v1/auth/token/", {**form, "code": totp_code(world["users"]["director.ict"])})
    assert good.status_code == 200
    api = Client().get("/api/v1/partners/", HTTP_AUTHORIZATION=f"Token {good.json()['token']}")
    assert api.status_code == 200


def test_an_admin_without_two_factor_gets_no_token(world, client):
    UserFactory(username="new.admin", role=Role.ADMIN, two_factor=False)
    response = client.post("/api/v1/auth/token/", {"username": "new.admin", "password": PASSWORD})
    assert response.status_code == 400 and "Set up two-factor sign-in" in response.json()["code"][0]


def test_an_admin_whose_authenticator_is_removed_loses_their_api_token(world):
    admin = world["users"]["admin"]
    key = Token.objects.create(user=admin).key
    assert _api_works(key)
    TOTPDevice.objects.filter(user=admin).delete()  # a lost phone, reset in the Django admin
    assert not _api_works(key)


def test_an_officer_made_director_without_two_factor_loses_their_api_token(world):
    officer = world["users"]["officer.exchequer"]
    key = Token.objects.create(user=officer).key
    officer.role = Role.DIRECTOR
    officer.save()
    assert not _api_works(key)


def test_an_officer_made_director_with_two_factor_keeps_their_api_token(world):
    officer = UserFactory(username="keen.officer", role=Role.OFFICER, two_factor=True)
    key = Token.objects.create(user=officer).key
    officer.role = Role.DIRECTOR
    officer.save()
    assert _api_works(key)


def test_setting_up_two_factor_ends_the_tokens_handed_out_on_a_password_alone(world, client_for):
    officer = world["users"]["officer.havering"]
    old = Token.objects.create(user=officer).key
    page = client_for("officer.havering")
    page.post(SET_UP_PAGE, {"code": _secret_code(_text(page.get(SET_UP_PAGE)))})
    assert not Token.objects.filter(key=old).exists()


def test_the_password_lockout_still_comes_before_the_code(world, client):
    for _ in range(5):
        client.post("/accounts/login/", {"username": "admin", "password": "wrong"})
    response = _password(Client(), "admin")
    assert response.status_code == 429 and "Your account is locked" in _text(response)
