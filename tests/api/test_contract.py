"""The API keeps the contract of its own OpenAPI schema, checked with Schemathesis.

The schema is the one the portal serves at /api/v1/schema/. Every operation in it is called
in-process through the WSGI application, as an admin, a director and a partner officer, each with
their API token. Schemathesis generates the requests from the schema, valid ones and ones that break
it, and every response must pass:

* ``not_a_server_error``: never a 5xx;
* ``status_code_conformance``: a status code the schema documents for the operation;
* ``content_type_conformance``: the content type the schema documents;
* ``response_schema_conformance``: a body that matches the documented schema;
* ``negative_data_rejection``: a request that breaks the schema is refused with 400, or with 403
  or 404 where the user may not use the operation or see the object at all (those answers come
  before any input is read), or 415 for a body in a media type the API does not read.

The rows are those the isolation matrix (tests/isolation.py) makes for every API route, for both
partners, made once for the module; each operation's writes are rolled back after it. Path
parameters are generated or, as often, the key of one of those rows, so that retrieve, update and
action operations reach their real code and not only the 404 of an unknown id.
"""

import json
import os
import re

import hypothesis
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.test import Client, RequestFactory
from django.test.utils import override_settings
from django.urls import resolve as resolve_url
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from rest_framework.test import force_authenticate
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from apps.accounts.models import User
from apps.core.roles import Role
from tests.conftest import make_world
from tests.factories import sign_in
from tests.isolation import make_every_row

SCHEMA_URL = "/api/v1/schema/"
# A user per kind of access: everything; everything read and their area changed; their partner only.
ROLES = ["admin", "director.exchequer", "officer.havering"]
# In the suite (and CI) the run is the same every time: a fixed seed and derandomised generation,
# modest so that the whole file runs in a few minutes (Schemathesis's coverage phase adds the boundary
# and missing-value cases of every parameter on top of these). ``FUZZ_EXAMPLES=200 make fuzz`` runs a
# longer random search; it prints its seed, and what it finds becomes a regression test
# (tests/core/test_input_policy.py).
FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES") or 0)
RANDOM = FUZZ_EXAMPLES > 0
MAX_EXAMPLES = FUZZ_EXAMPLES or 6
SEED = None if RANDOM else 20160401

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]

CONFIG = {
    **({"seed": SEED} if SEED is not None else {}),
    "generation": {"mode": "all", "max-examples": MAX_EXAMPLES, "deterministic": not RANDOM, "database": "none"},
    "phases": {"stateful": {"enabled": False}},
    "checks": {"negative_data_rejection": {"expected-statuses": [400, 403, 404, 415]}},
    "suppress-health-check": ["too_slow", "filter_too_much", "data_too_large"],
}


def served_schema():
    """The schema document that the schema address answers (to any signed-in user)."""
    request = RequestFactory().get(SCHEMA_URL, {"format": "json"})
    force_authenticate(request, user=User(username="schema", role=Role.ADMIN))
    response = resolve_url(SCHEMA_URL).func(request)
    response.render()
    assert response.status_code == 200, response.status_code
    return json.loads(response.content)


schema = schemathesis.openapi.from_dict(served_schema(), config=SchemathesisConfig.from_dict(CONFIG))
schema.app = get_wsgi_application()
# Path parameters of real rows, by path template; filled by the ``rows`` fixture.
REAL_KEYS = {}


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    real = REAL_KEYS.get(context.operation.path)
    if not real:
        return st.just(path_parameters)
    return st.one_of(st.just(path_parameters), st.sampled_from(real))


def _real_keys(client):
    """For each path template, the lookup values of every row an admin's list shows."""
    keys = {}
    for operation in (result.ok() for result in schema.get_all_operations()):
        match = re.match(r"^(?P<list>.*?/)\{(?P<name>\w+)\}/", operation.path)
        if not match:
            continue
        response = client.get(match["list"], {"page_size": 1000})
        rows = response.json().get("results", []) if response.status_code == 200 else []
        values = sorted({str(row[match["name"]]) for row in rows if row.get(match["name"]) is not None})
        if values:
            keys[operation.path] = [{match["name"]: value} for value in values]
    return keys


@pytest.fixture(scope="module")
def rows(django_db_setup, django_db_blocker):
    """The world and the isolation matrix's rows, made once for the module and rolled back after it."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
    ):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            world = make_world()
            make_every_row(world)
            admin = Client()
            sign_in(admin, world["users"]["admin"])
            REAL_KEYS.update(_real_keys(admin))
            tokens = {role: Token.objects.get_or_create(user=world["users"][role])[0].key for role in ROLES}
            yield {"world": world, "tokens": tokens}
        finally:
            REAL_KEYS.clear()
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def in_process(db):
    """Keep the test's database connection across requests through the real WSGI handler.

    The handler closes the connection at the end of each request, which would end the test's
    transaction; Django's test client disconnects the same signal handler.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.parametrize("role", ROLES)
@schema.parametrize()
# The rows fixture is made once on purpose; each operation's writes are rolled back after it.
@hypothesis.settings(
    deadline=None, derandomize=not RANDOM, suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture]
)
def test_the_api_keeps_its_schema(case, role, rows, in_process):
    case.call_and_validate(headers={"Authorization": f"Token {rows['tokens'][role]}"}, checks=CHECKS)


@pytest.mark.parametrize("role", ROLES)
def test_the_schema_tested_is_the_one_served(role, rows, in_process):
    response = Client().get(SCHEMA_URL, {"format": "json"}, HTTP_AUTHORIZATION=f"Token {rows['tokens'][role]}")
    assert response.status_code == 200
    assert response.json() == served_schema()


def test_every_api_route_has_a_row_to_reach(rows):
    """Every object address of the schema is exercised with real rows, not only with unknown keys."""
    templates = {op.path for op in (r.ok() for r in schema.get_all_operations()) if "{" in op.path}
    assert sorted(templates - set(REAL_KEYS)) == []
