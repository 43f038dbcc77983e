"""The isolation matrix: every page and API route, classified, checked for officer.havering.

Each app's tests declare how its routes are checked in ``tests/<app>/routes.py``::

    from tests.isolation import Route

    PAGES = {
        "partners:partner_list": Route.listing("/partners/", own=["Havering"], other=["Newham"]),
        "partners:partner_detail": Route.detail(
            own=lambda w: w["havering"].get_absolute_url(),
            other=lambda w: w["newham"].get_absolute_url(),
        ),
    }
    API = {  # DRF route names, from the router
        "partner-list": Route.listing("/api/v1/partners/", own=["havering"], other=["newham"]),
        "partner-detail": Route.detail(own=..., other=...),
    }

``tests/test_isolation_matrix.py`` walks the URL resolver and the API router: a route that no
``routes.py`` classifies fails the test, so a new route cannot skip the check. For each route, as
``officer.havering`` (a partner officer of Havering; Newham is the other partner):

* ``listing``: answers 200, shows every ``own`` marker and none of the ``other`` markers;
* ``detail``: ``own`` answers 200 and ``other`` (another partner's object) answers 404;
* ``page``: answers 200 and shows none of the ``other`` markers (pages with no partner rows);
* ``denied``: a page or endpoint a partner officer may not use at all: 403 or 404;
* ``public``: open to everyone, anonymous included (the login page, /healthz);
* ``action``: a POST-only endpoint; ``other`` (another partner's object) answers 404 to a POST;
* ``own_session``: a POST about the user's own session only (signing out): it succeeds.
* ``sign_in_step``: a step of signing in with a council account (its start and the provider's
  callback), open to everyone: a GET with no sign-in under way sends back to the sign-in page or
  answers 400, for anyone, and shows no one's rows.

Anonymous users get the login redirect (pages) or 401/403 (API) on everything but ``public``.
Paths and markers may be callables taking the ``world`` fixture (tests/conftest.py), which may
create the objects the route needs with the factories. Markers are text for pages and
substrings of the JSON body for the API.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path


@dataclass(frozen=True)
class Route:
    kind: str
    own: object = None
    other: object = None
    path: object = None
    own_markers: tuple = field(default_factory=tuple)
    other_markers: tuple = field(default_factory=tuple)

    @classmethod
    def listing(cls, path, *, own=(), other=()):
        return cls("listing", path=path, own_markers=own, other_markers=other)

    @classmethod
    def detail(cls, *, own, other):
        return cls("detail", own=own, other=other)

    @classmethod
    def page(cls, path, *, other=()):
        return cls("page", path=path, other_markers=other)

    @classmethod
    def denied(cls, path):
        return cls("denied", path=path)

    @classmethod
    def public(cls, path):
        return cls("public", path=path)

    @classmethod
    def action(cls, *, other):
        return cls("action", other=other)

    @classmethod
    def own_session(cls, path):
        return cls("own_session", path=path)

    @classmethod
    def sign_in_step(cls, path, *, other=()):
        return cls("sign_in_step", path=path, other_markers=other)


def resolve(value, world):
    return value(world) if isinstance(value, Callable) else value


def collect(kind):
    """Every app's routes of a kind ("PAGES" or "API"), from each ``tests/<app>/routes.py``."""
    routes = {}
    for module_path in sorted(Path(__file__).parent.glob("*/routes.py")):
        module = import_module(f"tests.{module_path.parent.name}.routes")
        routes.update(getattr(module, kind, {}))
    return routes


def make_every_row(world):
    """Every row the routes' checks make, for both partners: a world where each page and endpoint
    has something to show. Some helpers make the same row for two routes (a partner's cost share of
    a year, say); the database refuses the second, and the first stays."""
    from django.db import IntegrityError, transaction

    for route in [*collect("PAGES").values(), *collect("API").values()]:
        for value in (route.path, route.own, route.other):
            try:
                with transaction.atomic():
                    resolve(value, world)
            except IntegrityError:
                pass
    return world
