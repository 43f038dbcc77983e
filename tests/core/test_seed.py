"""The seed is the Strategic Plan 2016 and nothing else; the demo is a world true to whatever today is."""

import datetime as dt
import re
from collections import Counter
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone
from freezegun import freeze_time

from apps.accounts.models import User
from apps.catalogue import seed as catalogue_seed
from apps.catalogue.models import CostShare, Service, ServiceArea, Subscription
from apps.core.periods import FinancialYear, add_months, month_start
from apps.core.roles import Role
from apps.customers.models import Enquiry
from apps.delivery.models import Activity, Plan
from apps.kpis.models import KPI, Measurement, Target
from apps.partners.models import Partner
from apps.reports.models import CommitteePack, PublishedReport
from apps.savings import seed as savings_seed
from apps.savings.models import Programme, SavingLine, SavingsUpdate
from apps.slas.models import Agreement, ServiceStandard
from tests.factories import UserFactory, sign_in

PLAN_TEXT = (settings.BASE_DIR / "docs" / "source" / "onesource-strategic-plan-2016.txt").read_text(encoding="utf-8")
DEMO_USERS = (
    "admin",
    "director.ict",
    "director.exchequer",
    "officer.exchequer",
    "officer.havering",
    "officer.newham",
    "officer.bexley",
    "committee",
)
# Each seeded partner and the words of the plan it comes from.
PARTNER_WORDS = {
    "havering": "London Boroughs of Havering and Newham",
    "newham": "London Boroughs of Havering and Newham",
    "bexley": "London Borough of Bexley",
    "norfolk": "Norfolk Council",
    "lancashire": "Lancashire County Council",
    "schools": "schools, academies, associations and clubs",
    "academies": "schools, academies, associations and clubs",
    "associations-and-clubs": "schools, academies, associations and clubs",
    "health-and-safety-customers": "Health and Safety advisory service having an additional 95 customers",
}


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


PLAN = squash(PLAN_TEXT)


def in_plan(words: str) -> bool:
    return squash(words) in PLAN


@pytest.fixture
def seeded(db):
    call_command("load_seed", stdout=open("/dev/null", "w"))  # noqa: SIM115


def _snapshot():
    return {
        model.__name__: (model.objects.count(), model.history.count())
        for model in (Partner, ServiceArea, Service, Subscription, Activity, Programme)
    }


def test_docs_keep_the_plans_text():
    assert PLAN_TEXT.startswith("# one Source supporting public services")
    assert "Plan only refers to Newham and Havering unless Bexley is explicitly referenced." in PLAN_TEXT


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
    assert set(Subscription.objects.filter(partner=bexley).values_list("service__name", flat=True)) == {
        "Financial Services",
        "Client Management of the Bexley Capita contract",
    }


def test_names_and_figures_of_the_seed_are_the_plans_own_words(seeded):
    assert set(Partner.objects.values_list("slug", flat=True)) == set(PARTNER_WORDS)
    for partner in Partner.objects.all():
        assert in_plan(PARTNER_WORDS[partner.slug]), partner.slug
    # "Norfolk Council", as the plan writes it, with no joining date the plan does not give.
    norfolk = Partner.objects.get(slug="norfolk")
    assert (norfolk.name, norfolk.joined_on) == ("Norfolk Council", None)
    assert not Partner.objects.filter(name__icontains="Norfolk County").exists()
    dated = set(Partner.objects.filter(joined_on__isnull=False).values_list("slug", flat=True))
    assert dated == {"havering", "newham", "bexley"}
    for service in Service.objects.all():
        words = catalogue_seed.READINGS.get(service.name, service.name)
        assert in_plan(words), service.name
    for code, entry in catalogue_seed.SERVICES_KEY.items():
        assert in_plan(entry), code
        assert entry in ServiceArea.objects.get(code=code).description
    plan = Plan.objects.get(financial_year=2016)
    assert in_plan(plan.vision)
    for title in plan.objectives.values_list("title", flat=True):
        assert in_plan(title), title
    for title in Activity.objects.values_list("title", flat=True):
        assert in_plan(title), title
    for programme in Programme.objects.all():
        quoted = programme.description.removesuffix(savings_seed.ANNUAL_TOTAL_NOTE).strip()
        assert in_plan(quoted), programme.slug
    for figure in ("£10.6 million", "April 2014 to March 2019", "£4.2 million per annum", "making a total of £14.8"):
        assert in_plan(figure)
        assert any(figure in p.description for p in Programme.objects.all()), figure


def test_the_footnote_decides_bexley_activities_the_capita_contract_and_pensions(seeded, client):
    bexley = Partner.objects.get(slug="bexley")
    supported = Activity.objects.filter(supported_partners=bexley).order_by("title")
    assert [a.title for a in supported] == [
        "Integration of systems and processes across Havering, Newham and Bexley through oneSource ERP self service",
        "Support all three Councils in achieving their Financial Strategies",
    ]
    for activity in Activity.objects.filter(kind=Activity.Kind.CORPORATE).exclude(pk__in=supported):
        assert set(activity.supported_partners.values_list("slug", flat=True)) == {"havering", "newham"}
    sign_in(client, UserFactory(username="perf", role=Role.ADMIN))
    page = client.get("/partners/bexley/").content.decode()
    assert "Support all three Councils" in page and "Help to deliver" not in page
    # The client management of Bexley's Capita contract serves Bexley, and only Bexley.
    capita = Service.objects.get(name="Client Management of the Bexley Capita contract")
    assert list(capita.subscriptions.values_list("partner__slug", flat=True)) == ["bexley"]
    # Pensions administration: a joint team with Lancashire, taken by Havering and Newham.
    pensions = Service.objects.get(name="Pensions Administration")
    assert sorted(pensions.subscriptions.values_list("partner__slug", flat=True)) == ["havering", "newham"]
    assert not Subscription.objects.filter(partner__slug="lancashire").exists()


def test_the_plans_14_8_million_is_an_annual_total(seeded):
    totals = dict(Programme.objects.values_list("slug", "total"))
    assert totals == {"original-business-case": Decimal("10600000.00"), "additional-savings": Decimal("4200000.00")}
    assert sum(totals.values()) == savings_seed.ANNUAL_TOTAL == Decimal("14800000.00")
    additional = Programme.objects.get(slug="additional-savings").description
    assert "£4.2 million per annum" in additional and "making a total of £14.8 million" in additional
    assert "an annual level of savings" in additional and "not a sum over the years" in additional
    assert "cumulative" not in " ".join(Programme.objects.values_list("description", flat=True)).lower()


def test_the_seed_invents_nothing(seeded):
    for model in (KPI, Target, Measurement, Agreement, ServiceStandard, SavingLine, CostShare, Enquiry):
        assert not model.objects.exists(), model.__name__
    assert set(Subscription.objects.values_list("partner__slug", flat=True)) == {"havering", "newham", "bexley"}
    assert list(Plan.objects.values_list("financial_year", flat=True)) == [2016]


def test_loading_the_seed_again_changes_nothing(seeded):
    before = _snapshot()
    call_command("load_seed", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert _snapshot() == before


def test_demo_users_are_refused_when_debug_is_off(seeded, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only with DEBUG on"):
        call_command("load_demo")


def _load_world(settings):
    settings.DEBUG = True
    call_command("load_seed", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def _page(client, username, url):
    sign_in(client, User.objects.get(username=username))
    response = client.get(url)
    assert response.status_code == 200, (username, url)
    return response.content.decode()


def _check_world(client):
    today = timezone.localdate()
    year = FinancialYear.of(today)
    last_month = add_months(month_start(today), -1)
    past_labels = [FinancialYear(y).label for y in range(2014, year.start_year)]

    # Delivery: one plan a year, this year's is the one shown, once labelled, with owners and progress.
    assert list(Plan.objects.order_by("financial_year").values_list("financial_year", flat=True)) == list(
        range(2016, year.start_year + 1)
    )
    page = _page(client, "admin", "/delivery/")
    assert f"Delivery plan {year.label}</h1>" in page
    assert f"{year.label} {year.label}" not in page
    current = Activity.objects.filter(objective__plan__financial_year=year.start_year)
    assert current.count() >= 15 and current.filter(owner__isnull=False).count() == current.count()

    # Agreements: none past its end in force; each council's version in force has its review ahead.
    assert not Agreement.objects.in_force().filter(ends_on__lt=today).exists()
    for slug in ("havering", "newham", "bexley"):
        agreement = Agreement.objects.in_force().get(partner__slug=slug)
        assert agreement.starts_on <= today <= agreement.ends_on and agreement.review_due_on > today, slug
        assert agreement.illustrative and all(s.annual_charge > 0 for s in agreement.schedules.all())
    page = _page(client, "admin", "/slas/")
    assert "Illustrative" in page

    # Savings: the business case is closed at March 2019; this year's lines are updated to last month.
    plan_lines = SavingLine.objects.filter(programme__slug__in=["original-business-case", "additional-savings"])
    assert not SavingsUpdate.objects.filter(line__in=plan_lines, financial_year__gt=2018).exists()
    assert SavingsUpdate.objects.filter(line__in=plan_lines, financial_year=2018, period=dt.date(2019, 3, 1)).exists()
    running = Programme.objects.get(first_year__lte=year.start_year, last_year__gte=year.start_year)
    assert running.illustrative
    assert SavingsUpdate.objects.filter(line__programme=running, period=last_month).exists()
    assert not SavingsUpdate.objects.filter(period__gt=last_month).exists()

    # Reports: the last two months published, with their committee pack.
    for period in (add_months(last_month, -1), last_month):
        assert PublishedReport.objects.filter(report__period=period, report__partner__isnull=True).exists(), period
        assert CommitteePack.objects.get(period=period).status == CommitteePack.Status.READY
    snapshot = (
        PublishedReport.objects.filter(report__period=last_month, report__partner__isnull=True)
        .latest("version")
        .snapshot
    )
    assert snapshot["savings"]["year"] == FinancialYear.of(last_month).label
    directions = Counter(row["direction_year"] for row in snapshot["kpis"]["rows"])
    assert directions["better"] >= 2 and directions["worse"] >= 2, directions
    assert snapshot["enquiries"]["opened"] > 0 and snapshot["enquiries"]["satisfaction"]["responses"] > 0
    assert Enquiry.objects.filter(resolved_at__isnull=True).count() >= 3
    assert Enquiry.objects.filter(opened_at__lt=timezone.now() - dt.timedelta(days=600)).exists()

    # Every role's dashboard has last month's figures, and no past year is shown as the current one.
    month = last_month.strftime("%B %Y")
    expected = {
        "admin": f"oneSource in {month}",
        "committee": f"oneSource in {month}",
        "director.ict": f"Your areas in {month}",
        "director.exchequer": f"Your areas in {month}",
        "officer.exchequer": f"Your areas in {month}",
        "officer.havering": f"London Borough of Havering: performance in {month}",
        "officer.newham": f"London Borough of Newham: performance in {month}",
        "officer.bexley": f"London Borough of Bexley: performance in {month}",
    }
    for username in DEMO_USERS:
        page = _page(client, username, "/")
        assert expected[username] in page, username
        assert "has been published yet" not in page, username
        assert not any(f"Savings of your areas, {label}" in page for label in past_labels), username
        assert "March 2019" not in page, username


@pytest.mark.parametrize("moment", ["2031-06-15 10:00", None], ids=["in-2031", "today"])
def test_the_demo_is_true_to_its_date(db, settings, client, moment):
    if moment is None:
        _load_world(settings)
        _check_world(client)
        for username in DEMO_USERS:  # the README's demo logins
            response = client.post("/accounts/login/", {"username": username, "password": "onesource-demo"})
            assert response.status_code == 302, username
            client.post("/accounts/logout/")
        return
    with freeze_time(moment, tick=True):
        _load_world(settings)
        _check_world(client)
