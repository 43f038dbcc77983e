"""Writes to the delivery plan. Forms, the API and the daily task all call these."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from apps.core.periods import FinancialYear
from apps.core.policy import is_admin

from .models import Activity, ActivityStatus, ActivityUpdate, Outcome, Plan, StrategicObjective
from .selectors import DUE_SOON_DAYS

ACTIVITY_FIELDS = ("title", "owner", "starts_on", "due_on")


def _require_editable(user, activity: Activity):
    if not Activity.objects.editable_by(user).filter(pk=activity.pk).exists():
        raise PermissionDenied("Only the activity's owner, their director or an administrator may change it.")


@transaction.atomic
def activity_update_post(
    *, user, activity: Activity, status: str, progress: int, narrative: str, posted_on: dt.date | None = None
) -> ActivityUpdate:
    """Record a dated update; the activity takes its status and progress."""
    _require_editable(user, activity)
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if activity.status == ActivityStatus.CANCELLED:
        raise ValidationError("This activity is cancelled: it takes no more updates.")
    posted_on = posted_on or timezone.localdate()
    if posted_on > timezone.localdate():
        raise ValidationError({"posted_on": "An update cannot be dated in the future."})
    update = ActivityUpdate(
        activity=activity,
        posted_on=posted_on,
        status=status,
        progress=progress,
        narrative=(narrative or "").strip(),
        author=user,
    )
    update.full_clean()
    if status == ActivityStatus.COMPLETE and progress != 100:
        raise ValidationError({"progress": "A complete activity is 100% done."})
    update.save()
    activity.status, activity.progress = status, progress
    activity.full_clean()
    activity.save()
    return update


@transaction.atomic
def activity_change(*, user, activity: Activity, **data) -> Activity:
    """Change an activity's title, owner or dates; moving the due date re-arms its reminders."""
    _require_editable(user, activity)
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    for name in ACTIVITY_FIELDS:
        if name in data:
            setattr(activity, name, data[name])
    activity.full_clean()
    activity.save()
    return activity


@transaction.atomic
def plan_roll_forward(*, user, plan: Plan, financial_year: int | None = None) -> Plan:
    """Copy a plan's objectives, outcomes and unfinished activities into the next year as a draft.

    All or nothing: the new plan is either complete or not there at all.
    """
    if not is_admin(user):
        raise PermissionDenied("Only the oneSource performance team may start a new plan year.")
    year = FinancialYear(financial_year if financial_year is not None else plan.financial_year + 1)
    if year.start_year <= plan.financial_year:
        raise ValidationError({"financial_year": f"The new plan must be for a year after {plan.year_label}."})
    if Plan.objects.filter(financial_year=year.start_year).exists():
        raise ValidationError({"financial_year": f"There is already a delivery plan for {year.label}."})
    new_plan = Plan(financial_year=year.start_year, vision=plan.vision, status=Plan.Status.DRAFT, rolled_from=plan)
    new_plan.full_clean()
    new_plan.save()
    for objective in plan.objectives.order_by("position").prefetch_related("outcomes__lead_areas"):
        copy = StrategicObjective(plan=new_plan, position=objective.position, title=objective.title)
        copy.full_clean()
        copy.save()
        for outcome in objective.outcomes.all():
            new_outcome = Outcome.objects.create(
                objective=copy, position=outcome.position, title=outcome.title, all_areas=outcome.all_areas
            )
            new_outcome.lead_areas.set(outcome.lead_areas.all())
        unfinished = (
            objective.activities.open()
            .order_by("kind", "position")
            .prefetch_related("lead_areas", "supported_partners")
        )
        for activity in unfinished:
            carried = Activity(
                objective=copy,
                kind=activity.kind,
                position=activity.position,
                title=activity.title,
                all_areas=activity.all_areas,
                owner=activity.owner,
                starts_on=year.starts_on,
                due_on=max(year.ends_on, activity.due_on),
                status=ActivityStatus.NOT_STARTED,
                progress=activity.progress,
                rolled_from=activity,
            )
            carried.full_clean()
            carried.save()
            carried.lead_areas.set(activity.lead_areas.all())
            carried.supported_partners.set(activity.supported_partners.all())
    return new_plan


@transaction.atomic
def plan_publish(*, user, plan: Plan) -> Plan:
    if not is_admin(user):
        raise PermissionDenied("Only the oneSource performance team may publish a plan.")
    plan.status = Plan.Status.PUBLISHED
    plan.full_clean()
    plan.save()
    return plan


def _send_reminder(activity: Activity, template: str, subject: str) -> None:
    body = render_to_string(template, {"activity": activity})
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [activity.owner.email])


def activity_reminders_send(*, today: dt.date | None = None) -> dict:
    """Email each owner once a week before an activity falls due, and once when it is overdue.

    Each activity is handled in its own transaction with its row locked, so two runs at once never
    send the same reminder twice; a reminder is recorded against the due date it was sent for.
    """
    today = today or timezone.localdate()
    candidates = (
        Activity.objects.open()
        .filter(objective__plan__status=Plan.Status.PUBLISHED, owner__isnull=False)
        .exclude(owner__email="")
        .filter(due_on__lte=today + dt.timedelta(days=DUE_SOON_DAYS))
        .values_list("pk", flat=True)
    )
    sent = {"due_soon": 0, "overdue": 0}
    for pk in list(candidates):
        with transaction.atomic():
            activity = (
                Activity.objects.select_for_update(of=("self",), skip_locked=True)
                .select_related("owner", "objective__plan")
                .filter(pk=pk)
                .first()
            )
            if activity is None or activity.is_closed:
                continue
            if activity.due_on < today:
                if activity.overdue_sent_for != activity.due_on:
                    _send_reminder(activity, "delivery/email/overdue.txt", f"Overdue: {activity.title}"[:150])
                    activity.overdue_sent_for = activity.due_on
                    activity.save(update_fields=["overdue_sent_for"])
                    sent["overdue"] += 1
            elif activity.due_soon_sent_for != activity.due_on:
                _send_reminder(activity, "delivery/email/due_soon.txt", f"Due in a week: {activity.title}"[:150])
                activity.due_soon_sent_for = activity.due_on
                activity.save(update_fields=["due_soon_sent_for"])
                sent["due_soon"] += 1
    return sent
