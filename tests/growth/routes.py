"""Growth in the isolation matrix: the pipeline is oneSource's own; traded income is each customer's own."""

import datetime as dt

from tests.isolation import Route

from .factories import make_income, make_opportunity


def _opportunity(world):
    from apps.growth.models import OnboardingTask

    if "opportunity" not in world:
        opportunity = make_opportunity(world, title="Newham schools pipeline")
        OnboardingTask.objects.create(opportunity=opportunity, kind="agreement_signed", position=1)
        world["opportunity"] = opportunity
    return world["opportunity"]


def _income(world):
    if "income" not in world:
        world["income"] = {
            "own": make_income(
                world,
                world["havering"],
                world["services"]["payroll"],
                budget="11111.00",
                actuals=[(dt.date(2016, 4, 1), "901.00")],
            ),
            "other": make_income(
                world,
                world["newham"],
                world["services"]["council_tax"],
                budget="22222.00",
                actuals=[(dt.date(2016, 4, 1), "1702.00")],
            ),
        }
    return world["income"]


def _listing(path, make):
    def build(world):
        make(world)
        return path

    return build


def _income_path(kind, suffix=""):
    return lambda w: f"/growth/traded-income/{_income(w)[kind].pk}/{suffix}"


PAGES = {
    "growth:pipeline": Route.denied(_listing("/growth/", _opportunity)),
    "growth:opportunity_create": Route.denied("/growth/new/"),
    "growth:opportunity_detail": Route.denied(lambda w: _opportunity(w).get_absolute_url()),
    "growth:opportunity_change": Route.denied(lambda w: f"/growth/{_opportunity(w).pk}/edit/"),
    "growth:opportunity_stage": Route.denied(lambda w: f"/growth/{_opportunity(w).pk}/stage/"),
    "growth:task_done": Route.denied(
        lambda w: f"/growth/{_opportunity(w).pk}/tasks/{_opportunity(w).tasks.first().pk}/"
    ),
    "growth:income": Route.listing(
        _listing("/growth/traded-income/?financial_year=2016", _income), own=["£11,111.00"], other=["£22,222.00"]
    ),
    "growth:income_detail": Route.detail(own=_income_path("own"), other=_income_path("other")),
    "growth:income_actual": Route.denied(_income_path("own", "actuals/")),
}

API = {
    "opportunity-list": Route.listing(
        _listing("/api/v1/opportunities/", _opportunity), other=["Newham schools pipeline"]
    ),
    "opportunity-detail": Route.denied(lambda w: f"/api/v1/opportunities/{_opportunity(w).pk}/"),
    "opportunity-stage": Route.action(other=lambda w: f"/api/v1/opportunities/{_opportunity(w).pk}/stage/"),
    "onboardingtask-list": Route.listing(
        _listing("/api/v1/onboarding-tasks/", _opportunity), other=['"agreement_signed"']
    ),
    "onboardingtask-detail": Route.denied(lambda w: f"/api/v1/onboarding-tasks/{_opportunity(w).tasks.first().pk}/"),
    "tradedincome-list": Route.listing(
        _listing("/api/v1/traded-income/", _income), own=["11111.00"], other=["22222.00"]
    ),
    "tradedincome-detail": Route.detail(
        own=lambda w: f"/api/v1/traded-income/{_income(w)['own'].pk}/",
        other=lambda w: f"/api/v1/traded-income/{_income(w)['other'].pk}/",
    ),
    "tradedincomeactual-list": Route.listing(
        _listing("/api/v1/traded-income-actuals/", _income), own=["901.00"], other=["1702.00"]
    ),
    "tradedincomeactual-detail": Route.detail(
        own=lambda w: f"/api/v1/traded-income-actuals/{_income(w)['own'].actuals.first().pk}/",
        other=lambda w: f"/api/v1/traded-income-actuals/{_income(w)['other'].actuals.first().pk}/",
    ),
}
