"""Two-factor sign-in in Chromium: setting it up from the QR page's key, the code step, a wrong code,
recovery codes, and an officer who goes without."""

from base64 import b32decode

import pytest
from django_otp.oath import TOTP

from apps.accounts import services
from apps.core.roles import Role
from tests.factories import PASSWORD, UserFactory, totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CODE_LABEL = "Code from your authenticator app"


def _password(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def _code(page, code, button="Continue"):
    page.get_by_label(CODE_LABEL).fill(code)
    page.get_by_role("button", name=button).click()
    page.wait_for_load_state()


def test_an_admin_without_two_factor_sets_it_up_before_reaching_any_page(world, live_server, page, axe):
    UserFactory(username="new.admin", role=Role.ADMIN, two_factor=False)
    _password(page, live_server.url, "new.admin")
    assert page.get_by_role("heading", name="Set up two-factor sign-in").is_visible()
    axe(page)
    page.goto(f"{live_server.url}/kpis/")
    assert "/accounts/two-factor/set-up/" in page.url  # no page before setting it up
    assert page.get_by_role("img", name="QR code to scan with your authenticator app").is_visible()

    _code(page, "000000", button="Confirm and continue")
    assert page.get_by_role("alert").get_by_text("There is a problem").is_visible()
    page.get_by_role("link", name="The code is not right").click()  # the summary leads to the field
    assert page.evaluate("document.activeElement.id") == "id_code"
    axe(page)

    secret = page.locator("#secret").inner_text().replace(" ", "")
    page.wait_for_timeout(1100)  # the wait after one wrong code
    _code(page, f"{TOTP(b32decode(secret)).token():06d}", button="Confirm and continue")
    assert page.get_by_role("heading", name="Two-factor sign-in is on").is_visible()
    assert page.get_by_role("list", name="Recovery codes").get_by_role("listitem").count() == 10
    axe(page)
    page.get_by_role("link", name="Continue").click()
    assert page.url == f"{live_server.url}/kpis/"


def test_a_director_signs_in_with_the_code_and_a_wrong_code_is_refused(world, live_server, page, axe):
    _password(page, live_server.url, "director.ict")
    assert page.get_by_role("heading", name="Enter the code from your authenticator app").is_visible()
    axe(page)
    _code(page, "123456")
    assert page.title() == "Error: Enter your code – oneSource"
    assert page.get_by_role("alert").get_by_text("The code is not right").is_visible()
    _code(page, totp_code(world["users"]["director.ict"]))
    assert "Too many wrong codes in a row" in page.locator("main").inner_text()  # at once: must wait
    page.wait_for_timeout(1100)
    _code(page, totp_code(world["users"]["director.ict"]))
    assert page.url == f"{live_server.url}/"
    assert page.get_by_role("button", name="Sign out").is_visible()


def test_a_recovery_code_works_once(world, live_server, page, browser):
    codes = services.recovery_codes_issue(user=world["users"]["admin"])
    _password(page, live_server.url, "admin")
    _code(page, codes[3])
    assert page.url == f"{live_server.url}/"
    assert "You have 9 left" in page.locator("main").inner_text()
    page.get_by_role("link", name="Two-factor sign-in").click()
    assert page.locator("#recovery-codes-left").inner_text() == "9"

    other = browser.new_context().new_page()
    _password(other, live_server.url, "admin")
    _code(other, codes[3])
    assert other.get_by_role("alert").get_by_text("The code is not right").is_visible()
    other.context.close()


def test_an_officer_may_skip_two_factor_and_turn_it_on_from_their_account(world, live_server, page, axe):
    _password(page, live_server.url, "officer.exchequer")
    assert page.url == f"{live_server.url}/"  # straight to the dashboard
    page.get_by_role("link", name="Two-factor sign-in").click()
    assert "it is your choice" in page.locator("main").inner_text()
    axe(page)
    page.get_by_role("link", name="Set up two-factor sign-in").click()
    assert "Your role must sign in" not in page.locator("main").inner_text()
    secret = page.locator("#secret").inner_text().replace(" ", "")
    _code(page, f"{TOTP(b32decode(secret)).token():06d}", button="Confirm and continue")
    assert page.get_by_role("heading", name="Two-factor sign-in is on").is_visible()


def test_a_director_gives_the_code_with_the_keyboard_alone(world, live_server, page):
    _password(page, live_server.url, "director.exchequer")
    # The code field has the focus when the step opens, so typing starts there.
    assert page.evaluate("document.activeElement.id") == "id_code"
    page.keyboard.type(totp_code(world["users"]["director.exchequer"]))
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("button", name="Sign out").is_visible()
