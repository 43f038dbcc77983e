from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Sum

from apps.accounts.models import User
from apps.catalogue.models import ServiceArea
from apps.savings import selectors
from apps.savings.models import Programme, SavingLine, SavingsUpdate, Status, YearTarget


@pytest.fixture
def seeded(db, settings):
    settings.DEBUG = True  # load_demo refuses to run otherwise
    call_command("load_seed", verbosity=0)
    call_command("load_demo", verbosity=0)


def test_the_programmes_carry_the_plans_real_totals(seeded):
    totals = dict(Programme.objects.values_list("slug", "total"))
    assert totals == {"original-business-case": Decimal("10600000.00"), "additional-savings": Decimal("4200000.00")}
    assert sum(totals.values()) == Decimal("14800000.00")


def test_phased_targets_add_up_exactly_to_each_programme(seeded):
    for programme in Programme.objects.all():
        phased = YearTarget.objects.filter(line__programme=programme).aggregate(total=Sum("amount"))["total"]
        assert phased == programme.total, programme.name
    obc = Programme.objects.get(slug="original-business-case")
    years = set(YearTarget.objects.filter(line__programme=obc).values_list("financial_year", flat=True))
    assert years == {2014, 2015, 2016, 2017, 2018}  # April 2014 to March 2019


def test_every_service_area_has_lines(seeded):
    assert set(ServiceArea.objects.values_list("code", flat=True)) == set(
        SavingLine.objects.values_list("area__code", flat=True)
    )


def test_the_first_two_years_are_delivered_and_later_years_are_mixed(seeded):
    admin = User.objects.get(username="admin")
    rows = selectors.line_years(SavingLine.objects.all())
    early = [r for r in rows if r.year in (2014, 2015)]
    assert early and all(r.status == Status.ACHIEVED and r.achieved == r.target for r in early)
    later = {r.status for r in rows if r.year == 2016}
    assert {Status.ON_TRACK, Status.AT_RISK, Status.SLIPPED, Status.NOT_ACHIEVABLE} <= later
    summary = selectors.tracker(user=admin, lines=SavingLine.objects.all(), year=None)
    assert summary.commitment == summary.total.target == Decimal("14800000.00")  # £14.8m a year once delivered


def test_loading_again_changes_nothing(seeded, settings):
    before = (SavingsUpdate.objects.count(), list(SavingLine.objects.values_list("reference", "version")))
    call_command("load_seed", verbosity=0)
    call_command("load_demo", verbosity=0)
    assert (SavingsUpdate.objects.count(), list(SavingLine.objects.values_list("reference", "version"))) == before
