import pytest
from django.test import Client

from tests.factories import sign_in
from tests.isolation import resolve
from tests.test_isolation_matrix import PAGES


def test_pages_carry_a_strict_content_security_policy_and_security_headers(world, client_for):
    response = client_for("officer.havering").get("/")
    policy = dict(
        part.strip().split(" ", 1) for part in response.headers["Content-Security-Policy"].split(";") if part.strip()
    )
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-inline'" not in policy["style-src"]
    assert policy["frame-ancestors"] == "'none'"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response.headers["Permissions-Policy"]


def test_no_template_runs_an_inline_script_without_the_nonce(world, client_for):
    page = client_for("admin").get("/partners/").content.decode()
    assert "<script>" not in page and "onclick=" not in page


@pytest.mark.parametrize("name", sorted(PAGES))
def test_every_form_refuses_a_post_without_the_csrf_token(name, world):
    route = PAGES[name]
    path = resolve(route.path or route.other or route.own, world)
    client = Client(enforce_csrf_checks=True)
    sign_in(client, world["users"]["admin"])
    assert client.post(path, {}).status_code == 403, path


def test_the_api_refuses_a_session_post_without_the_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    sign_in(client, world["users"]["officer.havering"])
    response = client.post(
        "/api/v1/commissioning-requests/",
        {"service": "council-tax-and-benefits", "needed_from": "2016-10-01", "details": "x"},
    )
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
