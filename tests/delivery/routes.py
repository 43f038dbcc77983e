"""The delivery plan's routes in the isolation matrix (tests/isolation.py).

The plan is shared by every partner: a partner officer reads it all, but learns only which activities
support their own council's priorities, never another council's.
"""

from apps.core.periods import FinancialYear
from tests.isolation import Route

from .factories import ActivityFactory, ObjectiveFactory, PlanFactory

NEWHAM_MARKERS = ["Supports Newham", "London Borough of Newham"]


def _plan(world):
    from django.utils import timezone

    from apps.delivery.models import Activity

    plan = PlanFactory(financial_year=FinancialYear.of(timezone.localdate()).start_year)
    if not plan.objectives.exists():
        objective = ObjectiveFactory(plan=plan, position=1, title="Focusing on our customers")
        for number, partner in enumerate((world["havering"], world["newham"]), start=1):
            ActivityFactory(
                objective=objective,
                kind=Activity.Kind.CORPORATE,
                position=number,
                title=f"Corporate priority {number}",
                supported_partners=[partner],
                lead_areas=[world["areas"]["ICT"]],
            )
    return plan


def _draft(world):
    return PlanFactory(financial_year=_plan(world).financial_year + 1, status="draft")


def _activity(world):
    return _plan(world).objectives.get().activities.get(supported_partners=world["newham"])


def _update(world):
    from .factories import ActivityUpdateFactory

    activity = _activity(world)
    return activity.updates.first() or ActivityUpdateFactory(activity=activity, author=world["users"]["admin"])


PAGES = {
    "delivery:plan_current": Route.page(lambda w: _plan(w) and "/delivery/", other=NEWHAM_MARKERS),
    "delivery:plan_list": Route.page(lambda w: _plan(w) and "/delivery/plans/", other=NEWHAM_MARKERS),
    "delivery:plan_detail": Route.page(lambda w: _plan(w).get_absolute_url(), other=NEWHAM_MARKERS),
    "delivery:plan_roll_forward": Route.denied(lambda w: f"/delivery/{_plan(w).financial_year}/roll-forward/"),
    "delivery:plan_publish": Route.denied(lambda w: f"/delivery/{_draft(w).financial_year}/publish/"),
    "delivery:activity_detail": Route.page(lambda w: _activity(w).get_absolute_url(), other=NEWHAM_MARKERS),
    "delivery:activity_update": Route.denied(lambda w: f"/delivery/activities/{_activity(w).pk}/update/"),
    "delivery:activity_change": Route.denied(lambda w: f"/delivery/activities/{_activity(w).pk}/edit/"),
}

API = {
    "plan-list": Route.listing(lambda w: _plan(w) and "/api/v1/plans/", own=['"status": "published"']),
    "plan-detail": Route.page(lambda w: f"/api/v1/plans/{_plan(w).pk}/"),
    "plan-roll-forward": Route.action(other=lambda w: f"/api/v1/plans/{_draft(w).pk}/roll-forward/"),
    "strategicobjective-list": Route.listing(
        lambda w: _plan(w) and "/api/v1/objectives/", own=["Focusing on our customers"]
    ),
    "strategicobjective-detail": Route.page(lambda w: f"/api/v1/objectives/{_plan(w).objectives.get().pk}/"),
    "activity-list": Route.listing(
        lambda w: _plan(w) and "/api/v1/activities/", own=['"supports_my_council": true'], other=['"newham"']
    ),
    "activity-detail": Route.page(lambda w: f"/api/v1/activities/{_activity(w).pk}/", other=['"newham"']),
    "activityupdate-list": Route.listing(lambda w: _update(w) and "/api/v1/activity-updates/", own=["Going to plan."]),
    "activityupdate-detail": Route.page(lambda w: f"/api/v1/activity-updates/{_update(w).pk}/"),
}
