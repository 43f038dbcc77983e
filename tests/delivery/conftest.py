import datetime as dt

import pytest
from django.utils import timezone

from apps.core.periods import FinancialYear
from apps.delivery.models import Activity

from .factories import ActivityFactory, ObjectiveFactory, OutcomeFactory, PlanFactory


@pytest.fixture
def plan_world(world):
    """This year's published plan: two objectives, two key activities, one corporate activity per council."""
    today = timezone.localdate()
    year = FinancialYear.of(today)
    users, areas = world["users"], world["areas"]
    plan = PlanFactory(financial_year=year.start_year)
    customers = ObjectiveFactory(plan=plan, position=1, title="Focusing on our customers")
    growing = ObjectiveFactory(plan=plan, position=2, title="Growing our business")
    OutcomeFactory(objective=customers, position=1, title="Delivering services within targets")
    activities = {
        "online": ActivityFactory(
            objective=customers,
            position=1,
            title="Develop online services for customers",
            lead_areas=[areas["EXT"]],
            owner=users["officer.exchequer"],
            starts_on=year.starts_on,
            due_on=today + dt.timedelta(days=30),
            status=Activity.Status.ON_TRACK,
            progress=40,
        ),
        "norfolk": ActivityFactory(
            objective=growing,
            position=1,
            title="Embed the services provided to Norfolk Council",
            lead_areas=[areas["ICT"]],
            owner=users["director.ict"],
            starts_on=year.starts_on,
            due_on=today - dt.timedelta(days=3),
            status=Activity.Status.AT_RISK,
            progress=60,
        ),
        "havering": ActivityFactory(
            objective=customers,
            kind=Activity.Kind.CORPORATE,
            position=1,
            title="Support the new intranet",
            lead_areas=[areas["ICT"]],
            supported_partners=[world["havering"]],
            starts_on=year.starts_on,
            due_on=year.ends_on,
        ),
        "newham": ActivityFactory(
            objective=customers,
            kind=Activity.Kind.CORPORATE,
            position=2,
            title="Support the social care system",
            lead_areas=[areas["ICT"]],
            supported_partners=[world["newham"]],
            starts_on=year.starts_on,
            due_on=year.ends_on,
        ),
    }
    return {**world, "plan": plan, "objectives": {"customers": customers, "growing": growing}, "activities": activities}
