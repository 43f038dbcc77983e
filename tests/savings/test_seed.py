from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Sum

from apps.accounts import demo as accounts_demo
from apps.accounts.models import User
from apps.catalogue import demo as catalogue_demo
from apps.catalogue.models import ServiceArea
from apps.savings import demo as savings_demo
from apps.savings import selectors
from apps.savings.models import Programme, SavingLine, SavingsUpdate, Status, YearTarget
from apps.transformation import demo as transformation_demo
from tests.factories import sign_in


def load_savings_demo():
    """The demo of the apps the savings tracker rests on (users, directors, projects) and its own."""
    for module in (accounts_demo, catalogue_demo, transformation_demo, savings_demo):
        module.load(password="onesource-demo")


@pytest.fixture
def seeded(db):
    call_command("load_seed", verbosity=0)
    load_savings_demo()


PLAN_PROGRAMMES = ["original-business-case", "additional-savings"]


def test_the_programmes_carry_the_plans_real_totals(seeded):
    totals = dict(Programme.objects.filter(slug__in=PLAN_PROGRAMMES).values_list("slug", "total"))
    assert totals == {"original-business-case": Decimal("10600000.00"), "additional-savings": Decimal("4200000.00")}
    assert sum(totals.values()) == Decimal("14800000.00")
    # Every other programme is the demo's, and says so; so is every line.
    assert all(Programme.objects.exclude(slug__in=PLAN_PROGRAMMES).values_list("illustrative", flat=True))
    assert not SavingLine.objects.filter(illustrative=False).exists()


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


def test_the_plans_programmes_are_delivered_and_closed_at_march_2019(seeded):
    admin = User.objects.get(username="admin")
    lines = SavingLine.objects.filter(programme__slug__in=PLAN_PROGRAMMES)
    rows = selectors.line_years(lines)
    closing = {Status.ACHIEVED, Status.OVER_ACHIEVED, Status.SLIPPED, Status.NOT_ACHIEVABLE}
    assert rows and all(r.status in closing for r in rows)
    assert all(r.status == Status.ACHIEVED and r.achieved == r.target for r in rows if r.year in (2014, 2015))
    assert {r.status for r in rows if r.year == 2016} == closing
    assert not SavingsUpdate.objects.filter(line__in=lines, period__gt="2019-03-01").exists()
    achieved = sum(r.achieved for r in rows)
    assert Decimal("14000000") < achieved < Decimal("14800000")  # nearly all of it, not quite
    summary = selectors.tracker(user=admin, lines=lines, year=None)
    assert summary.commitment == summary.total.target == Decimal("14800000.00")  # £14.8m a year once delivered


def test_loading_again_changes_nothing(seeded):
    before = (SavingsUpdate.objects.count(), list(SavingLine.objects.values_list("reference", "version")))
    call_command("load_seed", verbosity=0)
    load_savings_demo()
    assert (SavingsUpdate.objects.count(), list(SavingLine.objects.values_list("reference", "version"))) == before


def test_the_headline_reads_the_plans_total_apart_from_later_programmes(seeded, client):
    """The plan's "total of £14.8 million" a year stands on its own; later programmes are listed apart."""
    admin = User.objects.get(username="admin")
    summary = selectors.tracker(user=admin, lines=SavingLine.objects.all())
    assert summary.plan_commitment == Decimal("14800000.00")
    assert summary.commitment > summary.plan_commitment  # the later medium-term programmes come on top
    assert {p.slug for p in summary.plan_programmes} == set(PLAN_PROGRAMMES)
    sign_in(client, admin)
    text = client.get("/savings/").content.decode()
    assert "of the plan's £14.8m a year in total once delivered" in text
    assert 'id="later-programmes"' in text
