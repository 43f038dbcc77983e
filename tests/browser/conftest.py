"""Real headless Chromium (Debian's package) driven by Playwright against pytest-django's live server.

A missing browser fails the tests: CI installs Chromium, so a skip would hide a broken set-up.
"""

import os
import shutil

import pytest
from axe_playwright_python.sync_playwright import Axe

from apps.accounts.models import User
from tests.factories import totp_code

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make to set up
# data are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    assert os.path.exists(CHROMIUM), f"Chromium not found at {CHROMIUM}: install Debian's chromium package"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


def sign_in_with_form(page, base_url, username, password):
    """Sign in as a person does: the password, then, for those with an authenticator app (admins and
    directors), the code it shows now."""
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    if "/accounts/two-factor/code/" in page.url:
        page.get_by_label("Code from your authenticator app").fill(totp_code(User.objects.get(username=username)))
        page.get_by_role("button", name="Continue").click()
        page.wait_for_load_state()
    return page


@pytest.fixture
def sign_in(live_server, page):
    def go(username, password):
        return sign_in_with_form(page, live_server.url, username, password)

    return go


@pytest.fixture
def axe():
    runner = Axe()

    def check(page):
        results = runner.run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
        assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"

    return check
