"""Walks this app's entries of the isolation matrix as officer.havering, as the matrix does."""

import json

import pytest
from django.urls import get_resolver

from tests.isolation import resolve

from .routes import API, PAGES


def test_every_route_of_the_app_is_classified():
    from onesource.api import router

    resolver = get_resolver().namespace_dict["delivery"][1]
    assert {f"delivery:{n}" for n in resolver.reverse_dict if isinstance(n, str)} == set(PAGES)
    basenames = {"plan", "strategicobjective", "activity", "activityupdate"}
    api_names = {url.name for url in router.urls if url.name and url.name.rsplit("-", 1)[0] in basenames}
    api_names |= {url.name for url in router.urls if url.name and url.name.startswith("plan-")}
    assert api_names == set(API)


@pytest.mark.parametrize("name", sorted({**PAGES, **API}))
def test_officer_havering_sees_only_what_is_theirs(world, client_for, name):
    route = {**PAGES, **API}[name]
    client = client_for("officer.havering")
    if route.kind == "action":
        assert client.post(resolve(route.other, world)).status_code == 404
        return
    response = client.get(resolve(route.path, world))
    if route.kind == "denied":
        assert response.status_code in (403, 404)
        return
    assert response.status_code == 200, name
    text = response.content.decode()
    if name in API:
        text = json.dumps(response.json())
    for marker in route.own_markers:
        assert marker in text, (name, marker)
    for marker in route.other_markers:
        assert marker not in text, (name, marker)
