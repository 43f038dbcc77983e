"""Reads of the delivery plan, each in a fixed number of queries."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from apps.core.periods import FinancialYear
from apps.core.policy import area_ids, role_of
from apps.core.roles import Role

from .models import Activity, ActivityUpdate, Outcome, Plan, StrategicObjective

#: How far ahead the dashboard and the reminder look for activities coming due.
DUE_SOON_DAYS = 7


def current_plan(*, user, today: dt.date | None = None) -> Plan | None:
    """This financial year's plan if the user may see it, else the latest one they may see."""
    today = today or timezone.localdate()
    plans = Plan.objects.visible_to(user)
    this_year = FinancialYear.of(today).start_year
    return plans.filter(financial_year=this_year).first() or plans.filter(financial_year__lt=this_year).first()


def plan_for_year(*, user, financial_year: int) -> Plan:
    """Raises Plan.DoesNotExist when there is no such plan or the user may not see it."""
    return Plan.objects.visible_to(user).get(financial_year=financial_year)


def activity_rows(*, user, today: dt.date | None = None):
    """Activities the user may see, with what every list shows: owner, areas, overdue flag and,
    for a partner officer, whether it supports their own council's priorities."""
    today = today or timezone.localdate()
    rows = (
        Activity.objects.visible_to(user)
        .with_overdue(today)
        .select_related("objective", "objective__plan", "owner")
        .prefetch_related("lead_areas")
    )
    if role_of(user) == Role.PARTNER_OFFICER:
        # A partner officer learns which activities support their council, and nothing of others.
        supports_mine = Activity.supported_partners.through.objects.filter(
            activity=OuterRef("pk"), partner=user.partner_id
        )
        return rows.annotate(supports_my_council=Exists(supports_mine))
    return rows.prefetch_related("supported_partners")


@dataclass
class ObjectiveColumn:
    objective: StrategicObjective
    outcomes: list = field(default_factory=list)
    key_activities: list = field(default_factory=list)
    corporate_activities: list = field(default_factory=list)


def plan_table(*, plan: Plan, activities) -> list[ObjectiveColumn]:
    """The plan as the strategy lays it out: a column per objective, holding its outcomes, key
    activities and activities supporting the councils' priorities. ``activities`` is the already
    filtered ``activity_rows`` of this plan."""
    outcomes = Outcome.objects.order_by("position").prefetch_related("lead_areas")
    objectives = plan.objectives.order_by("position").prefetch_related(Prefetch("outcomes", queryset=outcomes))
    columns = {objective.pk: ObjectiveColumn(objective, list(objective.outcomes.all())) for objective in objectives}
    for activity in activities.order_by("objective__position", "kind", "position"):
        column = columns.get(activity.objective_id)
        if column is None:
            continue
        if activity.kind == Activity.Kind.KEY:
            column.key_activities.append(activity)
        else:
            column.corporate_activities.append(activity)
    return list(columns.values())


def activity_detail(*, user, pk: int) -> Activity:
    """Raises Activity.DoesNotExist when the user may not see it."""
    updates = ActivityUpdate.objects.select_related("author").order_by("-posted_on", "-created_at")
    return activity_rows(user=user).prefetch_related(Prefetch("updates", queryset=updates)).get(pk=pk)


def activity_changes(*, activity: Activity, limit: int = 20):
    """The recorded changes to the activity itself (owner, dates, status...), newest first."""
    return activity.history.select_related("history_user").order_by("-history_date")[:limit]


def can_change_activity(*, user, activity: Activity) -> bool:
    return Activity.objects.editable_by(user).filter(pk=activity.pk).exists()


def my_activities_due(*, user, today: dt.date | None = None):
    """A director's or officer's open activities that are overdue or due within a week.

    An officer's are those they own; a director's also those their service areas lead.
    """
    today = today or timezone.localdate()
    role = role_of(user)
    mine = Q(owner=user)
    if role == Role.DIRECTOR:
        mine |= Q(pk__in=Activity.objects.filter(lead_areas__in=area_ids(user)).values("pk"))
    return (
        Activity.objects.visible_to(user)
        .open()
        .filter(mine, due_on__lte=today + dt.timedelta(days=DUE_SOON_DAYS))
        .with_overdue(today)
        .select_related("objective__plan", "owner")
        .order_by("due_on", "title")
    )


def dashboard_panel(user):
    if role_of(user) not in (Role.DIRECTOR, Role.OFFICER):
        return None
    # Earlier plans' unfinished activities live on as copies in the current plan (roll forward).
    plan = current_plan(user=user)
    if plan is None:
        return None
    activities = list(my_activities_due(user=user).filter(objective__plan=plan)[:20])
    return {"activities": activities, "overdue_count": sum(1 for a in activities if a.is_overdue)}


def partner_section(user, partner):
    """The current plan's activities that support this council's corporate priorities."""
    plan = current_plan(user=user)
    if plan is None:
        return None
    activities = list(
        activity_rows(user=user)
        .filter(objective__plan=plan, supported_partners=partner)
        .order_by("objective__position")
    )
    if not activities:
        return None
    return {"plan": plan, "partner": partner, "activities": activities}
