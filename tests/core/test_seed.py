import pytest
from django.core.management import CommandError, call_command

from apps.catalogue.models import Service, ServiceArea, Subscription
from apps.partners.models import Partner


@pytest.fixture
def seeded(db):
    call_command("load_seed", stdout=open("/dev/null", "w"))  # noqa: SIM115


def _snapshot():
    return {
        model.__name__: (model.objects.count(), model.history.count())
        for model in (Partner, ServiceArea, Service, Subscription)
    }


def test_the_seed_holds_the_strategic_plans_partners_and_services(seeded):
    havering, newham, bexley = (Partner.objects.get(slug=s) for s in ("havering", "newham", "bexley"))
    assert (havering.kind, str(havering.joined_on)) == ("founding_partner", "2014-04-01")
    assert (newham.kind, str(newham.joined_on)) == ("founding_partner", "2014-04-01")
    assert (bexley.kind, str(bexley.joined_on)) == ("partner", "2016-04-01")
    assert Partner.objects.get(slug="health-and-safety-customers").customer_count == 95
    assert set(ServiceArea.objects.values_list("code", flat=True)) == {
        "GEN",
        "BS",
        "HR",
        "EXT",
        "LEG",
        "AM",
        "ICT",
        "FIN",
    }
    assert Service.objects.count() == 30
    assert set(Subscription.objects.filter(partner=bexley).values_list("service__area__code", flat=True)) == {"FIN"}
    assert Subscription.objects.filter(partner__slug="norfolk", service__area__code="ICT").exists()
    assert Subscription.objects.filter(partner__slug="lancashire", service__name="Pensions Administration").exists()


def test_loading_the_seed_again_changes_nothing(seeded):
    before = _snapshot()
    call_command("load_seed", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert _snapshot() == before


def test_demo_users_are_refused_when_debug_is_off(seeded, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only with DEBUG on"):
        call_command("load_demo")


def test_demo_users_sign_in_with_the_documented_password(seeded, settings, client):
    settings.DEBUG = True
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    for username in (
        "admin",
        "director.ict",
        "director.exchequer",
        "officer.exchequer",
        "officer.havering",
        "officer.newham",
        "officer.bexley",
        "committee",
    ):
        response = client.post("/accounts/login/", {"username": username, "password": "onesource-demo"})
        assert response.status_code == 302, username
        client.post("/accounts/logout/")
