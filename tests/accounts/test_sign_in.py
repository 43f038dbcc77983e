import pytest
from django.test import Client

from tests.factories import PASSWORD


def _sign_in(client, username, password, **extra):
    return client.post("/accounts/login/", {"username": username, "password": password}, **extra)


def test_a_user_signs_in_and_lands_on_their_dashboard(world, client):
    response = _sign_in(client, "officer.havering", PASSWORD)
    assert response.status_code == 302 and response.url == "/"
    assert "London Borough of Havering" in client.get("/").content.decode()


def test_a_wrong_password_is_shown_in_the_error_summary(world, client):
    response = _sign_in(client, "officer.havering", "wrong")
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and "Error: Sign in – oneSource" in page


def test_five_failures_lock_the_user_name_even_with_the_right_password(world, client):
    for _ in range(5):
        _sign_in(client, "officer.havering", "wrong")
    response = _sign_in(client, "officer.havering", PASSWORD)
    assert response.status_code == 429
    assert "Your account is locked" in response.content.decode()


def test_a_spoofed_forwarded_address_does_not_dodge_the_lockout(world, client):
    for n in range(5):
        _sign_in(client, "officer.havering", "wrong", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    response = _sign_in(client, "officer.havering", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert response.status_code == 429


@pytest.mark.parametrize(
    ("username", "status"),
    [("admin", 200), ("director.ict", 302), ("officer.havering", 302), ("committee", 302)],
)
def test_only_the_admin_role_has_the_django_admin(world, client_for, username, status):
    assert client_for(username).get("/admin/").status_code == status


def test_a_user_changes_their_password(world, client_for, client):
    officer = client_for("officer.havering")
    response = officer.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-long-passphrase-2026",
            "new_password2": "a-new-long-passphrase-2026",
        },
    )
    assert response.status_code == 302
    assert _sign_in(client, "officer.havering", "a-new-long-passphrase-2026").status_code == 302
    assert _sign_in(Client(), "officer.havering", PASSWORD).status_code == 200  # the old one is refused


def test_the_api_hands_out_a_token_for_good_credentials_only(world, client):
    good = client.post("/api/v1/auth/token/", {"username": "officer.havering", "password": PASSWORD})
    assert good.status_code == 200 and len(good.json()["token"]) == 40
    bad = client.post("/api/v1/auth/token/", {"username": "officer.havering", "password": "nope"})
    assert bad.status_code == 400
    api = client.get("/api/v1/partners/", HTTP_AUTHORIZATION=f"Token {good.json()['token']}")
    assert [p["slug"] for p in api.json()["results"]] == ["havering"]


def test_signing_in_as_oneself_does_not_clear_the_failed_tries_at_another_name(world, client):
    """Four wrong guesses at another user's password, a good sign-in of one's own from the same
    address, and again: the fifth wrong guess at that name locks it."""
    attacker = Client()
    for _ in range(4):
        assert _sign_in(attacker, "officer.havering", "wrong").status_code == 200
    assert _sign_in(attacker, "officer.newham", PASSWORD).status_code == 302
    attacker.logout()
    _sign_in(attacker, "officer.havering", "wrong")
    response = _sign_in(client, "officer.havering", PASSWORD, REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 429
    assert "Your account is locked" in response.content.decode()


def test_a_good_sign_in_clears_the_users_own_failed_tries(world, client):
    for _ in range(4):
        _sign_in(client, "officer.havering", "wrong", REMOTE_ADDR="198.51.100.8")
    assert _sign_in(client, "officer.havering", PASSWORD, REMOTE_ADDR="198.51.100.8").status_code == 302
    client.logout()
    for _ in range(4):
        _sign_in(client, "officer.havering", "wrong", REMOTE_ADDR="198.51.100.9")
    assert _sign_in(client, "officer.havering", PASSWORD, REMOTE_ADDR="198.51.100.9").status_code == 302
