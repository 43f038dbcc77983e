"""A small world for every test: two partners, two service areas, and a user per role.

``havering`` and ``newham`` each take a service of their own and one they share, so a test can
prove that one partner's officer never sees the other's rows.
"""

import pytest
from django.test import Client

from apps.core.roles import Role
from tests import factories as f

# Fixtures shared beyond their own folder: the month of figures a report is checked against.
pytest_plugins = ["tests.reports.fixtures"]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (dashboard panels are kept there)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db):
    return make_world()


def make_world():
    """The world of the ``world`` fixture, for a fixture that makes it once for many tests."""
    havering = f.PartnerFactory(
        name="London Borough of Havering",
        short_name="Havering",
        slug="havering",
        kind="founding_partner",
    )
    newham = f.PartnerFactory(
        name="London Borough of Newham", short_name="Newham", slug="newham", kind="founding_partner"
    )
    ext = f.ServiceAreaFactory(code="EXT", name="Exchequer and Transactional Services")
    ict = f.ServiceAreaFactory(code="ICT", name="ICT Services")
    payroll = f.ServiceFactory(area=ext, name="Payroll", slug="payroll")
    council_tax = f.ServiceFactory(area=ext, name="Council Tax and Benefits", slug="council-tax-and-benefits")
    it_support = f.ServiceFactory(area=ict, name="IT Support", slug="it-support")
    subscriptions = {
        "havering_payroll": f.SubscriptionFactory(partner=havering, service=payroll),
        "havering_it": f.SubscriptionFactory(partner=havering, service=it_support),
        "newham_council_tax": f.SubscriptionFactory(partner=newham, service=council_tax),
        "newham_it": f.SubscriptionFactory(partner=newham, service=it_support),
    }
    users = {
        "admin": f.UserFactory(username="admin", role=Role.ADMIN),
        "director.ict": f.UserFactory(username="director.ict", role=Role.DIRECTOR, service_areas=[ict]),
        "director.exchequer": f.UserFactory(username="director.exchequer", role=Role.DIRECTOR, service_areas=[ext]),
        "officer.exchequer": f.UserFactory(username="officer.exchequer", role=Role.OFFICER, service_areas=[ext]),
        "officer.havering": f.UserFactory(username="officer.havering", role=Role.PARTNER_OFFICER, partner=havering),
        "officer.newham": f.UserFactory(username="officer.newham", role=Role.PARTNER_OFFICER, partner=newham),
        "committee": f.UserFactory(username="committee", role=Role.COMMITTEE_MEMBER),
    }
    ext.director = users["director.exchequer"]
    ext.save()
    ict.director = users["director.ict"]
    ict.save()
    return {
        "havering": havering,
        "newham": newham,
        "areas": {"EXT": ext, "ICT": ict},
        "services": {"payroll": payroll, "council_tax": council_tax, "it_support": it_support},
        "subscriptions": subscriptions,
        "users": users,
    }


@pytest.fixture
def client_for(world):
    """``client_for("officer.havering")``: a test client signed in as that user of the world, through
    the second step for those with an authenticator app (admins and directors)."""

    def make(username):
        return f.sign_in(Client(), world["users"][username])

    return make


@pytest.fixture
def api_for(world):
    """``api_for("officer.havering")``: a DRF client authenticated with that user's token."""
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    def make(username):
        client = APIClient()
        token, _ = Token.objects.get_or_create(user=world["users"][username])
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make
