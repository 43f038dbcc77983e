import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from apps.catalogue.models import CostShare, Subscription
from apps.growth import selectors, services
from apps.growth.models import OnboardingTask, Opportunity, TradedIncomeActual
from apps.partners.models import Partner
from apps.slas.models import Agreement
from tests import factories as f

from .factories import make_income, make_opportunity

# The pipeline's weighted value -----------------------------------------------------------------------------


def test_the_weighted_value_is_the_value_times_the_probability_and_nothing_once_lost():
    assert services.weighted_value(value=Decimal("90000.00"), probability=35, stage="proposal") == Decimal("31500.00")
    assert services.weighted_value(value=Decimal("90000.00"), probability=35, stage="lost") == Decimal("0.00")


def test_the_pipeline_adds_up_by_stage_and_by_year(world):
    make_opportunity(world, title="A", expected_annual_value=Decimal("100000"), probability=50)
    make_opportunity(
        world, title="B", expected_annual_value=Decimal("40000"), probability=25, expected_start=dt.date(2017, 5, 1)
    )
    lost = make_opportunity(world, title="C", expected_annual_value=Decimal("70000"), probability=80)
    services.opportunity_move_stage(
        user=world["users"]["admin"], opportunity=lost, stage="lost", lost_reason="Went in-house."
    )
    summary = selectors.pipeline(Opportunity.objects.all())
    stages = {row.label: row for row in summary.stages}
    assert (stages["Lead"].count, stages["Lead"].value, stages["Lead"].weighted) == (
        2,
        Decimal("140000"),
        Decimal("60000.00"),
    )
    assert (stages["Lost"].count, stages["Lost"].weighted) == (1, Decimal("0.00"))
    assert [(row.label, row.weighted) for row in summary.years] == [
        ("2016/17", Decimal("50000.00")),
        ("2017/18", Decimal("10000.00")),
    ]
    assert summary.total.weighted == Decimal("60000.00") and summary.total.value == Decimal("210000")


# Constraints -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fields",
    [
        {"organisation_name": "", "partner": None},
        {"stage": "lost", "lost_reason": ""},
        {"probability": 101},
        {"expected_annual_value": Decimal("-1")},
        {"cost_share": Decimal("100")},
    ],
    ids=["no organisation", "lost without reason", "probability over 100", "negative value", "cost share of 100"],
)
def test_the_database_refuses_an_opportunity_that_breaks_the_rules(world, fields):
    values = {
        "title": "Raw",
        "organisation_name": "Someone",
        "expected_annual_value": Decimal("1"),
        "probability": 10,
        "expected_start": dt.date(2016, 4, 1),
        **fields,
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        Opportunity.objects.create(**values)


def test_a_month_has_one_actual_on_its_first_day(world):
    line = make_income(world, world["havering"], world["services"]["payroll"])
    TradedIncomeActual.objects.create(
        line=line, period=dt.date(2016, 5, 1), amount=1, recorded_by=world["users"]["admin"]
    )
    for period in (dt.date(2016, 5, 1), dt.date(2016, 6, 2)):
        with pytest.raises(IntegrityError), transaction.atomic():
            TradedIncomeActual.objects.create(line=line, period=period, amount=1, recorded_by=world["users"]["admin"])


# Reaching "agreed" --------------------------------------------------------------------------------------------


def _agree(world, opportunity, user="admin"):
    return services.opportunity_move_stage(user=world["users"][user], opportunity=opportunity, stage="agreed")


def test_agreeing_creates_the_customer_its_subscriptions_a_draft_agreement_and_the_tasks(world):
    opportunity = make_opportunity(
        world,
        services_of_interest=[world["services"]["payroll"], world["services"]["it_support"]],
        expected_annual_value=Decimal("90000.01"),
    )
    opportunity = _agree(world, opportunity)
    partner = Partner.objects.get(name="Harbour Academy Trust")
    assert (partner.kind, partner.sector, partner.joined_on) == ("customer", "academy", dt.date(2016, 9, 1))
    assert set(Subscription.objects.filter(partner=partner).values_list("service__slug", "starts_on")) == {
        ("payroll", dt.date(2016, 9, 1)),
        ("it-support", dt.date(2016, 9, 1)),
    }
    agreement = Agreement.objects.get(partner=partner)
    assert agreement.status == "draft" and opportunity.agreement == agreement
    charges = dict(agreement.schedules.values_list("service__slug", "annual_charge"))
    assert sum(charges.values()) == Decimal("90000.01") and set(charges) == {"payroll", "it-support"}
    assert list(opportunity.tasks.values_list("kind", flat=True)) == [
        "agreement_signed",
        "data_migrated",
        "service_live",
        "first_kpi_return",
    ]
    assert not CostShare.objects.filter(partner=partner).exists()  # not a Joint Committee partner


def test_agreeing_is_all_or_nothing(world):
    # Havering takes Payroll already: its subscription is refused, so nothing at all is written.
    opportunity = make_opportunity(
        world,
        partner=world["havering"],
        organisation_name="",
        services_of_interest=[world["services"]["council_tax"], world["services"]["payroll"]],
    )
    before = (Subscription.objects.count(), Agreement.objects.count(), OnboardingTask.objects.count())
    with pytest.raises(ValidationError) as error:
        _agree(world, opportunity)
    assert "already takes Payroll" in str(error.value)
    assert (Subscription.objects.count(), Agreement.objects.count(), OnboardingTask.objects.count()) == before
    assert not Subscription.objects.filter(partner=world["havering"], service=world["services"]["council_tax"]).exists()
    opportunity.refresh_from_db()
    assert opportunity.stage == "lead" and opportunity.agreement is None


def test_a_new_joint_committee_partner_takes_its_cost_share_and_the_others_shrink(world):
    ext = world["areas"]["EXT"]
    for partner in (world["havering"], world["newham"]):
        f.CostShareFactory(area=ext, partner=partner, financial_year=2016, percentage=Decimal("50.00"))
    opportunity = make_opportunity(
        world,
        organisation_name="London Borough of Example",
        joins_as="partner",
        arrangement="joint_committee",
        sector="london_borough",
        cost_share=Decimal("20.00"),
    )
    _agree(world, opportunity)
    shares = dict(CostShare.objects.filter(area=ext, financial_year=2016).values_list("partner__name", "percentage"))
    assert shares == {
        "London Borough of Havering": Decimal("40.00"),
        "London Borough of Newham": Decimal("40.00"),
        "London Borough of Example": Decimal("20.00"),
    }


def test_a_prospect_partner_becomes_a_customer_when_agreed(world):
    prospect = f.PartnerFactory(
        name="Riverside Council",
        short_name="Riverside",
        slug="riverside",
        kind="prospect",
        arrangement="goods_and_services_act",
    )
    opportunity = make_opportunity(world, partner=prospect, organisation_name="")
    _agree(world, opportunity)
    prospect.refresh_from_db()
    assert prospect.kind == "customer" and prospect.joined_on == dt.date(2016, 9, 1)


def test_only_the_performance_team_agrees_and_a_lost_opportunity_needs_a_reason(world):
    opportunity = make_opportunity(world, owner=world["users"]["director.exchequer"], user="director.exchequer")
    with pytest.raises(PermissionDenied):
        _agree(world, opportunity, user="director.exchequer")
    with pytest.raises(ValidationError) as error:
        services.opportunity_move_stage(
            user=world["users"]["director.exchequer"], opportunity=opportunity, stage="lost"
        )
    assert "lost_reason" in error.value.message_dict


def test_the_tasks_take_the_opportunity_to_live(world):
    opportunity = _agree(world, make_opportunity(world))
    tasks = list(opportunity.tasks.all())
    for n, task in enumerate(tasks, start=1):
        services.onboarding_task_complete(user=world["users"]["admin"], task=task, done_on=dt.date(2016, 9, n))
        opportunity.refresh_from_db()
        assert opportunity.stage == ("live" if n == len(tasks) else "onboarding")
    with pytest.raises(ValidationError):
        services.opportunity_move_stage(user=world["users"]["admin"], opportunity=opportunity, stage="proposal")


# Traded income ------------------------------------------------------------------------------------------------


def test_traded_income_shows_budget_received_and_variance(world, client_for):
    make_income(
        world,
        world["havering"],
        world["services"]["payroll"],
        budget="12000.00",
        actuals=[(dt.date(2016, 4, 1), "900.00"), (dt.date(2016, 5, 17), "1100.50")],
    )
    table = selectors.traded_income(user=world["users"]["admin"], year=2016)
    [row] = table.rows
    assert (row.budget, row.actual, row.variance) == (Decimal("12000.00"), Decimal("2000.50"), Decimal("-9999.50"))
    page = client_for("admin").get("/growth/traded-income/?financial_year=2016").content.decode()
    assert "£12,000.00" in page and "£2,000.50" in page and "-£9,999.50" in page


def test_an_actual_outside_the_lines_year_is_refused(world):
    line = make_income(world, world["havering"], world["services"]["payroll"])
    with pytest.raises(ValidationError) as error:
        services.traded_income_actual_record(
            user=world["users"]["admin"], line=line, period=dt.date(2017, 4, 1), amount=Decimal("1")
        )
    assert "2016/17" in str(error.value.message_dict["period"])


def test_a_havering_officer_sees_havering_income_only(world, client_for, api_for):
    mine = make_income(world, world["havering"], world["services"]["payroll"], budget="11111.00")
    theirs = make_income(world, world["newham"], world["services"]["council_tax"], budget="22222.00")
    page = client_for("officer.havering").get("/growth/traded-income/?financial_year=2016").content.decode()
    assert "£11,111.00" in page and "£22,222.00" not in page
    assert client_for("officer.havering").get(theirs.get_absolute_url()).status_code == 404
    api = api_for("officer.havering").get("/api/v1/traded-income/").json()
    assert [row["id"] for row in api["results"]] == [mine.pk]
    assert client_for("officer.havering").get("/growth/").status_code == 403


# Pages --------------------------------------------------------------------------------------------------------


def test_agreeing_on_the_page_shows_the_new_customer_with_its_subscriptions_and_draft(world, client_for):
    opportunity = make_opportunity(world)
    admin = client_for("admin")
    response = admin.post(f"/growth/{opportunity.pk}/stage/", {"stage": "agreed"})
    assert response.status_code == 302
    detail = admin.get(opportunity.get_absolute_url()).content.decode()
    assert "Harbour Academy Trust" in detail and "Agreement signed" in detail and "(draft)" in detail
    partner = admin.get("/partners/harbour-academy-trust/").content.decode()
    assert "Payroll" in partner


def test_pipeline_pages_and_api_run_a_fixed_number_of_queries(
    world, client_for, api_for, django_assert_max_num_queries
):
    for n in range(6):
        make_opportunity(world, title=f"Opportunity {n}")
        make_income(world, world["havering"], f.ServiceFactory(area=world["areas"]["EXT"]), budget="100.00")
    opportunity = _agree(world, Opportunity.objects.first())
    admin, api = client_for("admin"), api_for("admin")
    for path in ("/growth/", opportunity.get_absolute_url(), "/growth/traded-income/?financial_year=2016"):
        with django_assert_max_num_queries(20):
            assert admin.get(path).status_code == 200
    for path in ("/api/v1/opportunities/", "/api/v1/traded-income/", "/api/v1/onboarding-tasks/"):
        with django_assert_max_num_queries(10):
            assert api.get(path).status_code == 200


def test_the_growth_objective_on_the_plan_and_in_the_onesource_report_show_traded_income(world, client_for):
    from apps.reports.compute import compute
    from tests.delivery.factories import PlanFactory

    PlanFactory(financial_year=2016)
    make_income(
        world,
        world["havering"],
        world["services"]["payroll"],
        budget="12000.00",
        actuals=[(dt.date(2016, 4, 1), "900.00"), (dt.date(2016, 6, 1), "1000.00")],
    )
    make_income(world, world["newham"], world["services"]["council_tax"], budget="5000.00")
    plan = client_for("admin").get("/delivery/2016/").content.decode()
    assert "Growing our business: traded income and pipeline" in plan and "£17,000.00" in plan
    havering_plan = client_for("officer.havering").get("/delivery/2016/").content.decode()
    assert "£12,000.00" in havering_plan and "£5,000.00" not in havering_plan
    assert "Growth pipeline by stage" not in havering_plan
    may = compute(dt.date(2016, 5, 1), None)["traded_income"]
    assert (may["budget"], may["actual"], may["variance"]) == ("17000.00", "900.00", "-16100.00")
    assert compute(dt.date(2016, 5, 1), world["havering"])["traded_income"] == {"shown": False}
