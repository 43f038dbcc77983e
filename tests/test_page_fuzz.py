"""Page-form fuzz: every form and query parameter of every page, as each role, with hostile values.

The pages are those of the isolation matrix (tests/*/routes.py), with the rows its checks make for both
partners. As each role, each page is opened; every form on it (GET filter forms and POST forms alike)
and every parameter of the page's own address is sent again with one field at a time set to a value from
a fixed corpus: NUL characters, a lone surrogate, 100,000 characters, dates and numbers at and beyond
every edge, and values of the wrong type. Any 5xx fails the test, listed with the page, field and value.

In the suite each field gets a few values of the corpus, chosen by a fixed rotation so that every value
is used across the fields; ``FUZZ_EXAMPLES=1 make fuzz`` (any number) sends every value to every field.
Writes are rolled back with the module's transaction.
"""

import os
from html.parser import HTMLParser
from urllib.parse import parse_qsl, quote_from_bytes, urlsplit

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.test.utils import override_settings

from tests.conftest import make_world
from tests.factories import sign_in
from tests.isolation import collect, make_every_row, resolve

ROLES = ["admin", "director.exchequer", "officer.exchequer", "officer.havering", "committee"]
HOSTILE = [
    "\x00",
    "a\x00b",
    "\ud800",
    "x" * 100_000,
    "0001-01-01",
    "9999-12-31",
    "2016-02-30",
    "0001-01",
    "2026-11-99 garbage",
    "-1",
    "-0",
    "0",
    str(2**63),
    "-" + str(2**63),
    "99999999999999999999.99999",
    "0.00001",
    "1e309",
    "NaN",
    "Infinity",
    "[]",
    "{}",
    "null",
    "true",
    "abc",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
]
EVERY_VALUE = bool(os.environ.get("FUZZ_EXAMPLES"))
VALUES_PER_FIELD = 3
# Forms that end the session or are not the portal's own.
SKIPPED_ACTIONS = ("/accounts/logout/", "/admin/")


def encode(pairs) -> str:
    """A query string or form body; a lone surrogate goes as the bytes a careless client would send."""
    return "&".join(
        f"{quote_from_bytes(k.encode('utf-8', 'surrogatepass'))}={quote_from_bytes(v.encode('utf-8', 'surrogatepass'))}"
        for k, v in pairs
    )


class FormParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms = []
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append(
                {"method": (attrs.get("method") or "get").lower(), "action": attrs.get("action"), "fields": []}
            )
        elif not self.forms:
            return
        elif tag in ("input", "textarea") and attrs.get("name") and attrs.get("type") not in ("file", "submit"):
            kind = attrs.get("type")
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.forms[-1]["fields"].append([attrs["name"], attrs.get("value") or ""])
        elif tag == "select" and attrs.get("name"):
            self._select = [attrs["name"], None]
            self.forms[-1]["fields"].append(self._select)
        elif tag == "option" and self._select is not None and (self._select[1] is None or "selected" in attrs):
            self._select[1] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def forms_of(page: str, path: str):
    parser = FormParser()
    parser.feed(page)
    found = []
    for form in parser.forms:
        action = form["action"] or path
        if any(action.startswith(skipped) for skipped in SKIPPED_ACTIONS):
            continue
        found.append((form["method"], action.split("?")[0], [(k, v or "") for k, v in form["fields"]]))
    query = parse_qsl(urlsplit(path).query, keep_blank_values=True)
    if query:
        found.append(("get", urlsplit(path).path, query))
    return found


def values_for(index: int):
    if EVERY_VALUE:
        return HOSTILE
    return [HOSTILE[(index * VALUES_PER_FIELD + n) % len(HOSTILE)] for n in range(VALUES_PER_FIELD)]


def page_paths(world):
    """The address of every page route; a helper that would make its row a second time is skipped."""
    paths = []
    for route in collect("PAGES").values():
        for value in (route.path, route.own):
            if value is None or route.kind == "action":
                continue
            try:
                with transaction.atomic():
                    path = resolve(value, world)
            except IntegrityError:
                continue
            if isinstance(path, str):
                paths.append(path)
    return sorted(set(paths))


@pytest.fixture(scope="module")
def rows(django_db_setup, django_db_blocker):
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
    ):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            world = make_every_row(make_world())
            yield {"world": world, "paths": page_paths(world)}
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.mark.parametrize("role", ROLES)
def test_no_form_or_query_value_of_any_page_gives_a_server_error(role, rows, db):
    client = Client(raise_request_exception=False)
    sign_in(client, rows["world"]["users"][role])
    failures, sent, index = [], 0, 0
    for path in rows["paths"]:
        opened = client.get(path)
        if opened.status_code >= 500:
            failures.append(("GET", path, "", "", opened.status_code))
        if opened.status_code != 200 or "text/html" not in opened.get("Content-Type", ""):
            continue
        for method, action, fields in forms_of(opened.content.decode(), path):
            for position, (name, _) in enumerate(fields):
                if name == "csrfmiddlewaretoken":
                    continue
                index += 1
                for value in values_for(index):
                    pairs = [(k, value if n == position else v) for n, (k, v) in enumerate(fields)]
                    with transaction.atomic():
                        if method == "post":
                            response = client.generic(
                                "POST", action, encode(pairs), content_type="application/x-www-form-urlencoded"
                            )
                        else:
                            response = client.get(f"{action}?{encode(pairs)}")
                        transaction.set_rollback(True)
                    sent += 1
                    if response.status_code >= 500:
                        failures.append((method.upper(), action, name, value[:40], response.status_code))
                    if response.status_code in (301, 302) and "/accounts/login/" in response.get("Location", ""):
                        sign_in(client, rows["world"]["users"][role])
    assert sent > 100
    assert failures == []
