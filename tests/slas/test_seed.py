"""The plan gives no agreement: the seed drafts none, the demo's are illustrative and renewed to today."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from apps.accounts import demo as accounts_demo
from apps.catalogue import demo as catalogue_demo
from apps.kpis import demo as kpis_demo
from apps.slas import demo as slas_demo
from apps.slas.models import Agreement, CustomerObligation, ServiceStandard


@pytest.fixture
def agreements(db):
    call_command("load_seed", verbosity=0)
    assert not Agreement.objects.exists()
    accounts_demo.load(password="x")
    catalogue_demo.load(password="x")
    kpis_demo._kpis()  # the illustrative KPIs the standards are measured by, without their figures
    slas_demo.load(password="x")


def test_the_demo_agreements_are_illustrative_and_one_is_in_force_today_per_council(agreements):
    today = timezone.localdate()
    bexley = Agreement.objects.in_force().get(partner__slug="bexley")
    assert [s.service.name for s in bexley.schedules.order_by("service__area__display_order")] == [
        "Client Management of the Bexley Capita contract",
        "Financial Services",
    ]
    assert {"FIN-01", "FIN-02", "FIN-03"} <= set(bexley.standards.values_list("kpi__code", flat=True))
    assert Agreement.objects.filter(partner__slug="bexley").order_by("version").first().starts_on == dt.date(2016, 4, 1)
    havering = Agreement.objects.in_force().get(partner__slug="havering")
    assert havering.schedules.filter(service__slug="transactional-hr-and-payroll").exists()
    assert havering.schedules.filter(service__slug="pensions-administration").exists()
    assert havering.standards.filter(kpi__code="EXT-03", target=95).exists()
    for agreement in Agreement.objects.all():
        assert agreement.illustrative and agreement.obligations.count() >= 3
        assert all(schedule.annual_charge > 0 for schedule in agreement.schedules.all())
    for agreement in Agreement.objects.in_force():
        assert agreement.starts_on <= today <= agreement.ends_on < dt.date(today.year + 4, 1, 1)
        assert agreement.review_due_on > today
    assert not Agreement.objects.in_force().filter(ends_on__lt=today).exists()
    # Newham's next version is signed by oneSource and waits for Newham.
    draft = Agreement.objects.drafts().get(partner__slug="newham")
    assert draft.is_signed_by_onesource and not draft.is_signed_by_partner
    assert draft.starts_on == draft.previous.ends_on + dt.timedelta(days=1)


def test_loading_the_demo_agreements_again_changes_nothing(agreements):
    counts = (Agreement.history.count(), ServiceStandard.history.count(), CustomerObligation.history.count())
    slas_demo.load(password="x")
    assert (Agreement.history.count(), ServiceStandard.history.count(), CustomerObligation.history.count()) == counts
