"""Illustrative data: this year's plan rolled forward from 2016/17, with owners and updates (DEBUG only)."""

import datetime as dt

from django.utils import timezone

from apps.accounts.models import User
from apps.core.periods import FinancialYear

from . import services
from .models import Activity, ActivityStatus, Plan


def load(*, password) -> str:
    today = timezone.localdate()
    year = FinancialYear.of(today)
    source = Plan.objects.filter(financial_year__lt=year.start_year).order_by("-financial_year").first()
    users = {
        user.username: user for user in User.objects.filter(username__in=["admin", "officer.exchequer", "director.ict"])
    }
    if source is None or len(users) < 3 or Plan.objects.filter(financial_year=year.start_year).exists():
        return "no new plan"
    admin = users["admin"]
    plan = services.plan_roll_forward(user=admin, plan=source, financial_year=year.start_year)
    services.plan_publish(user=admin, plan=plan)
    activities = Activity.objects.filter(objective__plan=plan).prefetch_related("lead_areas")
    # Owners by lead area, and a spread of due dates so that the dashboard and reminders have work.
    owners = {"EXT": users["officer.exchequer"], "ICT": users["director.ict"]}
    offsets = [-10, 5, 30, 60]
    stories = [
        (ActivityStatus.ON_TRACK, 40, "Workshops with the councils done; design agreed."),
        (ActivityStatus.AT_RISK, 55, "Supplier release slipped a month; mitigation agreed with the director."),
    ]
    owned = 0
    for activity in activities:
        codes = [area.code for area in activity.lead_areas.all()]
        owner = next((owners[code] for code in codes if code in owners and not activity.all_areas), None)
        if owner is None:
            continue
        due = min(max(today + dt.timedelta(days=offsets[owned % len(offsets)]), year.starts_on), year.ends_on)
        services.activity_change(user=admin, activity=activity, owner=owner, due_on=due)
        status, progress, narrative = stories[owned % len(stories)]
        services.activity_update_post(
            user=owner, activity=activity, status=status, progress=progress, narrative=narrative
        )
        owned += 1
    return f"plan {plan.year_label} rolled forward and published, {owned} activities with owners and updates"
