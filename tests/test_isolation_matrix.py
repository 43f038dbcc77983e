"""Every page and API route, classified and checked for a partner officer and an anonymous user.

See tests/isolation.py for the kinds of route and what each must do.
"""

import json

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from onesource.api import router
from tests.isolation import Route, collect, resolve

# Third-party routes that are not ours to classify: the Django admin has its own staff check
# (tested in tests/accounts), and the API's schema and docs describe the routes, not their rows.
NOT_OURS = ("admin",)
PUBLIC_API = {"api_schema", "api_docs", "api_token"}


PAGES = collect("PAGES")
API = collect("API")


def _page_names(patterns, namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in NOT_OURS or entry.urlconf_name is router.urls:
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _page_names(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name and entry.name not in PUBLIC_API:
            yield f"{namespace}{entry.name}"


def _api_names():
    return {url.name for url in router.urls if url.name and url.name != "api-root"}


def test_every_page_is_classified():
    unclassified = sorted(set(_page_names(get_resolver().url_patterns)) - set(PAGES))
    assert not unclassified, f"Classify these pages in tests/<app>/routes.py: {unclassified}"


def test_every_api_route_is_classified():
    unclassified = sorted(_api_names() - set(API))
    assert not unclassified, f"Classify these API routes in tests/<app>/routes.py: {unclassified}"


def _body(response):
    return response.content.decode()


def _check(client, route: Route, world, *, api: bool):
    if route.kind in ("listing", "page"):
        path = resolve(route.path, world)
        response = client.get(path, **({"HTTP_ACCEPT": "application/json"} if api else {}))
        assert response.status_code == 200, (path, response.status_code)
        body = json.dumps(response.json()) if api else _body(response)
        for marker in resolve(route.own_markers, world):
            assert marker in body, f"{path} should show {marker!r}"
        for marker in resolve(route.other_markers, world):
            assert marker not in body, f"{path} must not show {marker!r}"
    elif route.kind == "detail":
        own, other = resolve(route.own, world), resolve(route.other, world)
        assert client.get(own).status_code == 200, own
        assert client.get(other).status_code == 404, other
    elif route.kind == "denied":
        path = resolve(route.path, world)
        assert client.get(path).status_code in (403, 404), path
    elif route.kind == "public":
        path = resolve(route.path, world)
        # The sign-in page sends a signed-in user on to their dashboard.
        assert client.get(path).status_code in (200, 302), path
    elif route.kind == "own_session":
        assert client.post(resolve(route.path, world)).status_code in (200, 302)
    elif route.kind == "sign_in_step":
        _check_sign_in_step(client, route, world)
    elif route.kind == "action":
        other = resolve(route.other, world)
        assert client.post(other, {}).status_code == 404, other
    else:
        raise AssertionError(f"unknown kind {route.kind}")


def _check_sign_in_step(client, route, world):
    path = resolve(route.path, world)
    response = client.get(path)
    assert response.status_code in (302, 400), (path, response.status_code)
    if response.status_code == 302:
        assert response.url.startswith("/accounts/login/"), response.url
    for marker in resolve(route.other_markers, world):
        assert marker not in _body(response), f"{path} must not show {marker!r}"


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_as_partner_officer(name, world, client_for):
    _check(client_for("officer.havering"), PAGES[name], world, api=False)


@pytest.mark.parametrize("name", sorted(API))
def test_api_as_partner_officer(name, world, api_for):
    _check(api_for("officer.havering"), API[name], world, api=True)


def _any_path(route, world):
    return resolve(route.path or route.other or route.own, world)


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_as_anonymous(name, world, client):
    route = PAGES[name]
    path = _any_path(route, world)
    response = client.post(path) if route.kind in ("action", "own_session") else client.get(path)
    if route.kind == "public":
        assert response.status_code == 200
    elif route.kind == "sign_in_step":
        _check_sign_in_step(client, route, world)
    else:
        assert response.status_code == 302, (path, response.status_code)
        assert response.url.startswith("/accounts/login/")


@pytest.mark.parametrize("name", sorted(API))
def test_api_as_anonymous(name, world, client):
    route = API[name]
    path = _any_path(route, world)
    response = client.post(path) if route.kind == "action" else client.get(path)
    assert response.status_code in (401, 403), (path, response.status_code)
