"""Illustrative delivery: one plan a year from the seeded 2016/17 plan to this year (DEBUG only).

Each year's plan is rolled forward from the last: two activities are completed each year, the
rest carry on. Past years end with a year-end update on every activity; this year's plan has owners,
due dates around today and progress, so that the dashboard and the reminders have work.
"""

import datetime as dt
import random

from django.utils import timezone

from apps.accounts.models import User
from apps.core.periods import FinancialYear

from . import services
from .models import Activity, ActivityStatus, Plan

# Owners by lead area; activities led by every area stay with the performance team.
OWNERS = {"EXT": "officer.exchequer", "ICT": "director.ict"}
STORIES = [
    (ActivityStatus.ON_TRACK, 40, "Workshops with the councils done; design agreed."),
    (ActivityStatus.AT_RISK, 55, "Supplier release slipped a month; mitigation agreed with the director."),
    (ActivityStatus.ON_TRACK, 70, "Pilot running in one council; roll-out planned."),
    (ActivityStatus.OFF_TRACK, 20, "Waiting for a council decision; escalated to the Joint Committee."),
]
DUE_OFFSETS = [-10, 5, 30, 60, 120]
FINISHED_A_YEAR = 2
CORE = 20  # activities that carry on every year


def _owner(activity, users):
    codes = [area.code for area in activity.lead_areas.all()]
    return next((users[OWNERS[code]] for code in codes if code in OWNERS and not activity.all_areas), None)


def _finished(activities, year: int) -> set[int]:
    """Two activities finished a year, chosen by a seeded generator, until a core of the plan is left
    that runs on year after year (business as usual, continuous improvement, support to the councils)."""
    open_ids = sorted(a.pk for a in activities)
    if len(open_ids) <= CORE:
        return set()
    rng = random.Random(f"delivery:{year}")  # noqa: S311 - illustrative data, not security
    return set(rng.sample(open_ids, min(FINISHED_A_YEAR, len(open_ids) - CORE)))


def _close_year(plan: Plan, users) -> int:
    admin = users["admin"]
    year = FinancialYear(plan.financial_year)
    closed = 0
    activities = list(Activity.objects.filter(objective__plan=plan).open().prefetch_related("lead_areas"))
    finished = _finished(activities, plan.financial_year)
    for number, activity in enumerate(activities):
        owner = _owner(activity, users)
        if owner is not None and activity.owner_id is None:
            services.activity_change(user=admin, activity=activity, owner=owner)
        if activity.pk in finished:
            status, progress, narrative = ActivityStatus.COMPLETE, 100, "Delivered and signed off by the councils."
            closed += 1
        else:
            status, progress, narrative = STORIES[number % len(STORIES)]
            progress = min(95, max(progress, activity.progress) + 10)
            narrative = f"Year-end position: {narrative[0].lower()}{narrative[1:]} Carried into the next plan."
        services.activity_update_post(
            user=owner or admin,
            activity=activity,
            status=status,
            progress=progress,
            narrative=narrative,
            posted_on=year.ends_on - dt.timedelta(days=10),
        )
    return closed


def _this_year(plan: Plan, users, today: dt.date) -> int:
    year = FinancialYear(plan.financial_year)
    admin = users["admin"]
    owned = 0
    activities = Activity.objects.filter(objective__plan=plan).open().prefetch_related("lead_areas")
    for number, activity in enumerate(activities):
        owner = _owner(activity, users) or admin
        due = min(max(today + dt.timedelta(days=DUE_OFFSETS[number % len(DUE_OFFSETS)]), year.starts_on), year.ends_on)
        services.activity_change(user=admin, activity=activity, owner=owner, due_on=due)
        if today < year.starts_on + dt.timedelta(days=14):
            continue  # too early in the year for an update
        status, progress, narrative = STORIES[number % len(STORIES)]
        services.activity_update_post(
            user=owner,
            activity=activity,
            status=status,
            progress=max(progress, activity.progress),
            narrative=narrative,
            posted_on=max(year.starts_on, today - dt.timedelta(days=3 + number % 20)),
        )
        owned += 1
    return owned


def load(*, password) -> str:
    today = timezone.localdate()
    current = FinancialYear.of(today).start_year
    users = {
        user.username: user for user in User.objects.filter(username__in=["admin", "officer.exchequer", "director.ict"])
    }
    latest = Plan.objects.order_by("-financial_year").first()
    if latest is None or len(users) < 3 or latest.financial_year >= current:
        return "no new plans"
    admin = users["admin"]
    plans = completed = 0
    while latest.financial_year < current:
        completed += _close_year(latest, users)
        latest = services.plan_roll_forward(user=admin, plan=latest, financial_year=latest.financial_year + 1)
        services.plan_publish(user=admin, plan=latest)
        plans += 1
    owned = _this_year(latest, users, today)
    return (
        f"{plans} plans rolled forward to {latest.year_label}, {completed} activities completed on the way, "
        f"{owned} of this year's activities with owners and updates"
    )
