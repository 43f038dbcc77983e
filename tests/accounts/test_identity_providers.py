"""Partners' identity providers: how they are stored, who a sign-in makes a user of, and what ends one.

The whole sign-in flow against a real provider is in tests/browser/test_council_sign_in.py.
"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from apps.accounts import secrets
from apps.accounts.models import ExternalIdentity, IdentityProvider, IdentityProviderDomain, User
from apps.accounts.oidc import SignInRefused, clock_skew
from apps.accounts.services import sso_user_for
from apps.accounts.tasks import deactivate_unused_users
from apps.core.roles import Role
from tests.factories import PASSWORD


def _provider(partner, domains=(), issuer=None, **fields):
    provider = IdentityProvider.objects.create(
        partner=partner,
        name=f"{partner.short_name} staff account",
        issuer=issuer or f"https://login.{partner.slug}.example",
        client_id="onesource-portal",
        client_secret_encrypted=secrets.encrypt("the-secret"),
        **fields,
    )
    for domain in domains:
        IdentityProviderDomain.objects.create(provider=provider, domain=domain)
    return provider


@pytest.fixture
def havering_idp(world):
    return _provider(world["havering"], ["havering.gov.uk"])


@pytest.fixture
def newham_idp(world):
    return _provider(world["newham"], ["newham.gov.uk"])


def _claims(email, **extra):
    return {"sub": email.split("@")[0], "email": email, "email_verified": True, **extra}


def test_the_client_secret_is_stored_encrypted_and_read_back(havering_idp):
    stored = IdentityProvider.objects.get(pk=havering_idp.pk)
    assert "the-secret" not in stored.client_secret_encrypted
    assert stored.client_secret == "the-secret"


def test_a_secret_from_the_environment_comes_before_a_stored_one(havering_idp, monkeypatch):
    monkeypatch.setenv("HAVERING_OIDC_SECRET", "from-the-environment")
    havering_idp.client_secret_env = "HAVERING_OIDC_SECRET"
    assert havering_idp.client_secret == "from-the-environment"


def test_a_secret_stored_under_the_previous_secret_key_is_still_read(havering_idp, settings):
    old_key = settings.SECRET_KEY
    settings.SECRET_KEY = "a-new-secret-key-after-rotation"
    settings.SECRET_KEY_FALLBACKS = [old_key]
    assert IdentityProvider.objects.get(pk=havering_idp.pk).client_secret == "the-secret"


def test_one_provider_a_partner_and_one_provider_a_domain(world, havering_idp):
    with pytest.raises(IntegrityError), transaction.atomic():
        _provider(world["havering"], issuer="https://second.havering.example")
    newham = _provider(world["newham"])
    with pytest.raises(IntegrityError), transaction.atomic():
        IdentityProviderDomain.objects.create(provider=newham, domain="havering.gov.uk")
    with pytest.raises(IntegrityError), transaction.atomic():
        IdentityProviderDomain.objects.create(provider=newham, domain="Newham.gov.uk")


def test_a_provider_needs_a_client_secret_and_an_https_issuer(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        IdentityProvider.objects.create(
            partner=world["newham"], name="Newham", issuer="https://login.newham.example", client_id="x"
        )
    provider = IdentityProvider(
        partner=world["newham"], name="Newham", issuer="http://login.newham.example", client_id="x"
    )
    with pytest.raises(ValidationError, match="https"):
        provider.clean()


def test_the_clock_skew_allowed_is_bounded(settings):
    settings.OIDC_CLOCK_SKEW_SECONDS = 86400
    assert clock_skew() == 300


def test_a_first_sign_in_makes_a_partner_officer_of_the_providers_partner_and_nothing_more(havering_idp):
    user = sso_user_for(
        havering_idp,
        subject="alice",
        claims=_claims("Alice@havering.gov.uk", given_name="Alice", family_name="Smith"),
    )
    assert (user.username, user.role, user.partner, user.is_staff, user.is_superuser) == (
        "alice@havering.gov.uk",
        Role.PARTNER_OFFICER,
        havering_idp.partner,
        False,
        False,
    )
    assert not user.service_areas.exists() and not user.has_usable_password()
    # The next sign-in finds the same user by the provider's subject, whatever the email says now.
    again = sso_user_for(havering_idp, subject="alice", claims=_claims("alice.smith@havering.gov.uk"))
    assert again == user


@pytest.mark.parametrize(
    ("email", "verified"),
    [("eve@mail.example", True), ("nadia@newham.gov.uk", True), ("alice@havering.gov.uk", False), ("", True)],
)
def test_a_sign_in_outside_the_providers_domains_or_unverified_makes_no_user(havering_idp, newham_idp, email, verified):
    users = User.objects.count()
    with pytest.raises(SignInRefused):
        sso_user_for(havering_idp, subject="x", claims={"sub": "x", "email": email, "email_verified": verified})
    assert User.objects.count() == users


def test_a_provider_never_signs_in_someone_of_another_partner_or_role(world, havering_idp):
    # A Newham officer's portal account with a Havering address: Havering's provider may not take it.
    User.objects.filter(username="officer.newham").update(username="nadia@havering.gov.uk")
    with pytest.raises(SignInRefused, match="does not belong to this council"):
        sso_user_for(havering_idp, subject="nadia", claims=_claims("nadia@havering.gov.uk"))
    # Nor a director's.
    User.objects.filter(username="director.ict").update(username="boss@havering.gov.uk")
    with pytest.raises(SignInRefused):
        sso_user_for(havering_idp, subject="boss", claims=_claims("boss@havering.gov.uk"))
    assert not ExternalIdentity.objects.exists()

    # A user made by Havering's provider, later moved to Newham in the portal, no longer signs in through it.
    alice = sso_user_for(havering_idp, subject="alice", claims=_claims("alice@havering.gov.uk"))
    alice.partner = world["newham"]
    alice.save()
    with pytest.raises(SignInRefused):
        sso_user_for(havering_idp, subject="alice", claims=_claims("alice@havering.gov.uk"))


def test_a_deactivated_portal_user_cannot_sign_in_through_their_council(havering_idp):
    alice = sso_user_for(havering_idp, subject="alice", claims=_claims("alice@havering.gov.uk"))
    alice.is_active = False
    alice.save()
    with pytest.raises(SignInRefused, match="deactivated"):
        sso_user_for(havering_idp, subject="alice", claims=_claims("alice@havering.gov.uk"))


def test_users_unused_for_the_configured_days_are_deactivated_nightly(world, settings):
    settings.ACCOUNTS_INACTIVE_DAYS = 30
    now = timezone.now()
    User.objects.filter(username="officer.havering").update(last_login=now - dt.timedelta(days=31))
    User.objects.filter(username="officer.newham").update(last_login=now - dt.timedelta(days=29))
    User.objects.filter(username="committee").update(last_login=None, date_joined=now - dt.timedelta(days=40))
    User.objects.filter(username="admin").update(last_login=now - dt.timedelta(days=400))

    assert deactivate_unused_users.delay().get() == 2

    active = dict(User.objects.values_list("username", "is_active"))
    assert active["officer.havering"] is False and active["committee"] is False
    assert active["officer.newham"] is True and active["admin"] is True
    assert PeriodicTask.objects.filter(task="accounts.deactivate_unused_users", enabled=True).exists()


def test_the_login_page_offers_council_sign_in_only_when_a_council_has_a_provider(world, client):
    assert "Work email address" not in client.get("/accounts/login/").content.decode()
    _provider(world["havering"], ["havering.gov.uk"])
    response = client.get("/accounts/login/")
    assert "Work email address" in response.content.decode()
    # Its form may go on to the provider.
    assert "https://login.havering.example" in response.headers["Content-Security-Policy"]


def test_the_sign_in_callback_is_rate_limited(world, client, settings):
    settings.OIDC_CALLBACK_RATE_PER_MINUTE = 3
    statuses = [client.get("/accounts/sso/callback/?code=c&state=s").status_code for _ in range(4)]
    assert statuses == [400, 400, 400, 429]
    assert "Too many sign-in attempts" in client.get("/accounts/sso/callback/").content.decode()


def test_passwords_still_lock_after_five_failures_where_councils_sign_in(world, client, havering_idp):
    for _ in range(5):
        client.post("/accounts/login/", {"username": "officer.havering", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "officer.havering", "password": PASSWORD})
    assert response.status_code == 429


def test_the_password_form_still_signs_in_from_the_page_with_both_forms(world, client, havering_idp):
    response = client.post("/accounts/login/", {"username": "officer.havering", "password": PASSWORD})
    assert response.status_code == 302 and response.url == "/"


def test_a_council_provider_that_cannot_be_reached_is_said_so(world, client):
    from tests.oidc_provider import free_port

    _provider(world["havering"], ["havering.gov.uk"], issuer=f"http://127.0.0.1:{free_port()}")
    response = client.post("/accounts/sso/", {"email": "alice@havering.gov.uk"})
    assert response.status_code == 503
    assert "cannot be reached just now" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_answer_naming_another_issuer_than_the_councils_is_refused(world, client, havering_idp):
    session = client.session
    session["oidc_state_providers"] = {"the-state": havering_idp.pk}
    session["oidc_states"] = {"the-state": {"nonce": "n", "code_verifier": "v" * 64, "added_on": 0}}
    session.save()
    response = client.get("/accounts/sso/callback/?code=c&state=the-state&iss=https://login.newham.example")
    assert response.status_code == 400
    assert "another identity provider than your council" in response.content.decode()
    assert "_auth_user_id" not in client.session
