"""Signing in with a council account, in headless Chromium, against a real OpenID provider.

tests/oidc/provider.mjs runs the OpenID Certified ``oidc-provider`` with two issuers standing for
Havering's and Newham's identity providers. The portal is registered with both as an admin would
register it; each test drives the whole flow: the portal's sign-in page, the council's own sign-in
page, and back.
"""

import pytest
from django.contrib.auth import get_user_model

from apps.accounts.models import ExternalIdentity
from apps.core.roles import Role
from tests.oidc_provider import LocalProvider, register

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "council-password-for-tests"  # nosec B105: the local provider's test accounts

HAVERING_ACCOUNTS = [
    {"id": "alice", "email": "alice.smith@havering.gov.uk", "password": PASSWORD, "name": "Alice Smith"},
    {"id": "dora", "email": "dora.jones@havering.gov.uk", "password": PASSWORD, "name": "Dora Jones"},
    {"id": "eve", "email": "eve@mail.example", "password": PASSWORD, "name": "Eve Outsider"},
    # An account at Havering's provider with an address of Newham's domain.
    {"id": "nick", "email": "nick@newham.gov.uk", "password": PASSWORD, "name": "Nick Crossover"},
]
NEWHAM_ACCOUNTS = [
    {"id": "nadia", "email": "nadia.khan@newham.gov.uk", "password": PASSWORD, "name": "Nadia Khan"},
]


@pytest.fixture(scope="session")
def oidc(live_server):
    provider = LocalProvider(live_server.url, {"havering": HAVERING_ACCOUNTS, "newham": NEWHAM_ACCOUNTS})
    yield provider.issuers
    provider.stop()


@pytest.fixture
def councils(world, oidc):
    """Havering's and Newham's providers registered in the portal, each with its own domain."""
    for issuer in oidc.values():
        issuer.tamper("")
    yield {
        "havering": register(oidc["havering"], world["havering"], ["havering.gov.uk"]),
        "newham": register(oidc["newham"], world["newham"], ["newham.gov.uk"]),
    }
    for issuer in oidc.values():
        issuer.tamper("")


@pytest.fixture
def new_page(browser):
    contexts = []

    def make():
        contexts.append(browser.new_context())
        return contexts[-1].new_page()

    yield make
    for context in contexts:
        context.close()


def start_sign_in(page, live_server, email):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Work email address").fill(email)
    page.get_by_role("button", name="Continue to your council").click()
    page.wait_for_load_state()


def sign_in_at_council(page, live_server, *, portal_email, email, password=PASSWORD):
    """The portal's sign-in with a council account, then the council's own sign-in page."""
    start_sign_in(page, live_server, portal_email)
    assert page.get_by_role("heading", name="Sign in to").is_visible(), page.content()
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()
    return page


def signed_in(page, live_server) -> bool:
    page.goto(f"{live_server.url}/")
    return not page.url.startswith(f"{live_server.url}/accounts/login/")


def test_a_council_officer_signs_in_and_becomes_an_officer_of_their_own_council_only(
    councils, live_server, new_page, axe
):
    page = new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    axe(page)
    page = sign_in_at_council(
        page, live_server, portal_email="alice.smith@havering.gov.uk", email="alice.smith@havering.gov.uk"
    )

    assert page.url == f"{live_server.url}/", page.content()
    assert "London Borough of Havering" in page.content()
    alice = get_user_model().objects.get(username="alice.smith@havering.gov.uk")
    assert (alice.role, alice.partner, alice.is_staff, alice.is_superuser) == (
        Role.PARTNER_OFFICER,
        councils["havering"].partner,
        False,
        False,
    )
    assert alice.get_full_name() == "Alice Smith"
    # Newham's pages are not hers.
    assert page.goto(f"{live_server.url}{councils['newham'].partner.get_absolute_url()}").status == 404

    # Newham's provider makes a Newham officer; the second sign-in of Alice finds the same user.
    other = sign_in_at_council(
        new_page(), live_server, portal_email="nadia.khan@newham.gov.uk", email="nadia.khan@newham.gov.uk"
    )
    assert other.url == f"{live_server.url}/"
    assert get_user_model().objects.get(username="nadia.khan@newham.gov.uk").partner == councils["newham"].partner
    sign_in_at_council(
        new_page(), live_server, portal_email="alice.smith@havering.gov.uk", email="alice.smith@havering.gov.uk"
    )
    assert get_user_model().objects.filter(email="alice.smith@havering.gov.uk").count() == 1


def test_an_email_domain_with_no_council_provider_is_told_to_use_a_password(councils, live_server, new_page):
    page = new_page()
    start_sign_in(page, live_server, "someone@mail.example")
    assert page.url.startswith(live_server.url)
    assert "There is a problem" in page.content()
    assert "does not sign in to oneSource with its own accounts" in page.content()


@pytest.mark.parametrize(
    ("account", "email", "refused_domain"),
    [("eve", "eve@mail.example", "mail.example"), ("nick", "nick@newham.gov.uk", "newham.gov.uk")],
)
def test_an_email_at_a_domain_the_provider_may_not_sign_in_is_refused(
    councils, live_server, new_page, account, email, refused_domain
):
    # Started as a Havering address, but at Havering's provider the person signs in as someone whose
    # email is not Havering's: not a user of Havering, and never attached to Newham either.
    page = sign_in_at_council(new_page(), live_server, portal_email="x@havering.gov.uk", email=email)

    assert "We could not sign you in with your council account" in page.content()
    assert f"at “{refused_domain}”" in page.content()
    assert not signed_in(page, live_server)
    assert not get_user_model().objects.filter(email=email).exists()
    assert not ExternalIdentity.objects.exists()


@pytest.mark.parametrize("mode", ["foreign", "audience", "expired"])
def test_an_id_token_from_the_other_issuer_for_another_audience_or_expired_is_refused(
    councils, oidc, live_server, new_page, mode
):
    oidc["havering"].tamper(mode)
    page = sign_in_at_council(
        new_page(), live_server, portal_email="alice.smith@havering.gov.uk", email="alice.smith@havering.gov.uk"
    )

    assert "We could not sign you in with your council account" in page.content()
    assert not signed_in(page, live_server)
    assert not get_user_model().objects.filter(email="alice.smith@havering.gov.uk").exists()


def test_a_replayed_state_or_nonce_is_refused(councils, oidc, live_server, new_page):
    page = new_page()
    callbacks = []
    page.on(
        "request", lambda request: callbacks.append(request.url) if "/accounts/sso/callback/" in request.url else None
    )
    sign_in_at_council(
        page, live_server, portal_email="alice.smith@havering.gov.uk", email="alice.smith@havering.gov.uk"
    )
    assert page.url == f"{live_server.url}/"
    [callback] = callbacks

    # The same answer of the provider (its code and state) sent again: in the same browser, and in another.
    page.goto(callback)
    assert "This sign-in link has already been used or has expired" in page.content()
    replay = new_page()
    replay.goto(callback)
    assert "This sign-in link has already been used or has expired" in replay.content()
    assert not signed_in(replay, live_server)

    # An ID token carrying the nonce of the earlier sign-in.
    oidc["havering"].tamper("old_nonce")
    again = sign_in_at_council(
        new_page(), live_server, portal_email="alice.smith@havering.gov.uk", email="alice.smith@havering.gov.uk"
    )
    assert "We could not sign you in with your council account" in again.content()
    assert not signed_in(again, live_server)


def test_a_user_disabled_at_their_council_cannot_sign_in_again(councils, oidc, live_server, new_page):
    first = sign_in_at_council(
        new_page(), live_server, portal_email="dora.jones@havering.gov.uk", email="dora.jones@havering.gov.uk"
    )
    assert first.url == f"{live_server.url}/"

    oidc["havering"].disable("dora")
    page = sign_in_at_council(
        new_page(), live_server, portal_email="dora.jones@havering.gov.uk", email="dora.jones@havering.gov.uk"
    )
    assert "This account has been disabled" in page.content()
    assert not signed_in(page, live_server)


def test_signing_out_ends_the_session_at_the_council_provider_too(councils, oidc, live_server, new_page):
    page = sign_in_at_council(
        new_page(), live_server, portal_email="alice.smith@havering.gov.uk", email="alice.smith@havering.gov.uk"
    )
    logouts = oidc["havering"].logouts()

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{oidc['havering'].url}/session/end**")
    page.get_by_role("button", name="Yes, sign me out").click()
    page.wait_for_url(f"{live_server.url}/accounts/login/**")

    assert oidc["havering"].logouts() == logouts + 1
    assert not signed_in(page, live_server)
    # The council's session is over too: signing in again asks for the council password.
    start_sign_in(page, live_server, "alice.smith@havering.gov.uk")
    assert page.get_by_label("Password").is_visible()
