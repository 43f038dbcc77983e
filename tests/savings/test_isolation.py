"""Runs this app's isolation matrix entries (tests/savings/routes.py) as officer.havering."""

import json

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from tests.isolation import resolve
from tests.savings import routes


def _client(world, api):
    user = world["users"]["officer.havering"]
    if api:
        client = Client(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    else:
        client = Client()
        client.force_login(user)
    return client


def _text(response, api):
    return json.dumps(response.json()) if api else response.content.decode()


CASES = [(name, route, False) for name, route in routes.PAGES.items()] + [
    (name, route, True) for name, route in routes.API.items()
]


@pytest.mark.parametrize(("name", "route", "api"), CASES, ids=[c[0] for c in CASES])
def test_partner_officer_never_sees_another_partners_savings(world, name, route, api):
    client = _client(world, api)
    if route.kind in ("listing", "page"):
        response = client.get(resolve(route.path, world))
        assert response.status_code == 200
        if not (route.own_markers or route.other_markers):
            return
        text = _text(response, api)
        for marker in route.own_markers:
            assert marker in text
        for marker in route.other_markers:
            assert marker not in text
    elif route.kind == "detail":
        assert client.get(resolve(route.own, world)).status_code == 200
        assert client.get(resolve(route.other, world)).status_code == 404
    elif route.kind == "denied":
        assert client.get(resolve(route.path, world)).status_code in (403, 404)
    elif route.kind == "action":
        assert client.post(resolve(route.other, world), {}, content_type="application/json").status_code == 404
