"""Writes to the risk register. Forms, the API and the daily task all call these."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from apps.core.policy import has_area, is_admin, role_of
from apps.core.roles import Role
from apps.core.tasks import send_portal_email

from .models import MitigatingAction, Risk, RiskAssessment, RiskControl, RiskReminder
from .scoring import score

RISK_FIELDS = ("title", "cause", "event", "effect", "category", "area", "owner", "objective", "is_principal")
RISK_FIELDS += ("review_on", "status", "target_likelihood", "target_impact")
RISK_LINKS = ("saving_lines", "activities", "projects", "services", "kpis", "agreements", "partners")
SCORE_FIELDS = ("inherent_likelihood", "inherent_impact", "residual_likelihood", "residual_impact")
ACTION_FIELDS = ("description", "owner", "due_on", "status")

#: A review reminder goes this many days before the review date (and on every day after it, once).
REVIEW_NOTICE_DAYS = 7


def can_record_risk(user) -> bool:
    return is_admin(user) or role_of(user) == Role.DIRECTOR


def can_change_risk(*, user, risk: Risk) -> bool:
    return Risk.objects.editable_by(user).filter(pk=risk.pk).exists()


def _may_hold(user, *, area, owner) -> bool:
    """An admin may put a risk anywhere; a director in their own areas, or one they own."""
    if is_admin(user):
        return True
    if role_of(user) != Role.DIRECTOR:
        return False
    return (area is not None and has_area(user, area.pk)) or (owner is not None and owner.pk == user.pk)


def _require_editable(user, risk: Risk):
    if not can_change_risk(user=user, risk=risk):
        raise PermissionDenied("Only the risk's owner, its area's director or an administrator may change it.")


def _set_scores(row, *kinds):
    for kind in kinds:
        likelihood, impact = getattr(row, f"{kind}_likelihood"), getattr(row, f"{kind}_impact")
        if likelihood is not None and impact is not None:
            setattr(row, f"{kind}_score", score(likelihood, impact))


def _check_order(risk: Risk):
    """Controls bring a risk down, and its target is where the actions should leave it."""
    if risk.residual_score > risk.inherent_score:
        raise ValidationError({"residual_impact": "The residual score cannot be above the inherent score."})
    if risk.target_score > risk.residual_score:
        raise ValidationError({"target_impact": "The target score cannot be above the residual score."})


@transaction.atomic
def risk_save(*, user, risk: Risk | None = None, note: str = "", **data) -> Risk:
    """Record a risk (``risk`` None: with its first assessment) or change one.

    Its inherent and residual scores change only through an assessment (``risk_assess``), so the
    register keeps every score a risk has had.
    """
    creating = risk is None
    if creating:
        if not _may_hold(user, area=data.get("area"), owner=data.get("owner")):
            raise PermissionDenied("Only an administrator, or a director for their own areas, may record a risk.")
        risk = Risk(**{name: data[name] for name in SCORE_FIELDS if name in data})
    else:
        _require_editable(user, risk)
        risk = Risk.objects.select_for_update().get(pk=risk.pk)
        moved = ("area" in data and data["area"] != risk.area) or ("owner" in data and data["owner"] != risk.owner)
        if moved and not _may_hold(user, area=data.get("area", risk.area), owner=data.get("owner", risk.owner)):
            raise PermissionDenied("You may not move a risk into another director's area.")
    for name in RISK_FIELDS:
        if name in data:
            setattr(risk, name, data[name])
    _set_scores(risk, "inherent", "residual", "target")
    risk.full_clean()
    _check_order(risk)
    risk.save()
    for name in RISK_LINKS:
        if name in data:
            getattr(risk, name).set(data[name])
    if creating:
        _assessment(risk, user=user, assessed_on=timezone.localdate(), note=note or "First assessment.")
    return risk


def _assessment(risk: Risk, *, user, assessed_on: dt.date, note: str) -> RiskAssessment:
    assessment = RiskAssessment(
        risk=risk,
        assessed_on=assessed_on,
        note=(note or "").strip(),
        assessed_by=user,
        **{name: getattr(risk, name) for name in SCORE_FIELDS},
    )
    _set_scores(assessment, "inherent", "residual")
    assessment.full_clean()
    assessment.save()
    return assessment


@transaction.atomic
def risk_assess(
    *,
    user,
    risk: Risk,
    inherent_likelihood: int,
    inherent_impact: int,
    residual_likelihood: int,
    residual_impact: int,
    note: str = "",
    assessed_on: dt.date | None = None,
    review_on: dt.date | None = None,
) -> RiskAssessment:
    """Score a risk again: the scores are kept as a dated assessment and become the risk's own."""
    _require_editable(user, risk)
    risk = Risk.objects.select_for_update().get(pk=risk.pk)
    assessed_on = assessed_on or timezone.localdate()
    if assessed_on > timezone.localdate():
        raise ValidationError({"assessed_on": "An assessment cannot be dated in the future."})
    if risk.status == Risk.Status.CLOSED:
        raise ValidationError("This risk is closed: reopen it before assessing it again.")
    risk.inherent_likelihood, risk.inherent_impact = inherent_likelihood, inherent_impact
    risk.residual_likelihood, risk.residual_impact = residual_likelihood, residual_impact
    if review_on is not None:
        risk.review_on = review_on
    _set_scores(risk, "inherent", "residual", "target")
    risk.full_clean()
    _check_order(risk)
    risk.save()
    return _assessment(risk, user=user, assessed_on=assessed_on, note=note)


@transaction.atomic
def control_add(*, user, risk: Risk, description: str) -> RiskControl:
    _require_editable(user, risk)
    control = RiskControl(risk=risk, description=(description or "").strip())
    control.full_clean()
    control.save()
    return control


@transaction.atomic
def action_save(*, user, risk: Risk, action: MitigatingAction | None = None, **data) -> MitigatingAction:
    """Add a mitigating action to a risk, or change one of its actions."""
    _require_editable(user, risk)
    if action is None:
        action = MitigatingAction(risk=risk)
    elif action.risk_id != risk.pk:
        raise ValidationError("That action belongs to another risk.")
    for name in ACTION_FIELDS:
        if name in data:
            setattr(action, name, data[name])
    action.full_clean()
    action.save()
    return action


# Reminders -------------------------------------------------------------------------------------------


def _remind(*, kind, risk: Risk, due_on: dt.date, to: list[str], subject: str, body: str, action=None) -> bool:
    """Record the reminder, then send it once the record is committed; False when it was sent before."""
    try:
        with transaction.atomic():
            RiskReminder.objects.create(
                kind=kind, risk=risk, action=action, due_on=due_on, recipients="\n".join(sorted(set(to)))
            )
    except IntegrityError:
        return False
    send_portal_email.delay_on_commit(to=sorted(set(to)), subject=subject, body=body)
    return True


def _link(risk: Risk) -> str:
    return f"{settings.PORTAL_URL.rstrip('/')}{risk.get_absolute_url()}"


@transaction.atomic
def risk_reminders_send(*, today: dt.date | None = None) -> dict:
    """Daily: remind owners of reviews due within a week or passed, and of overdue actions; once each."""
    today = today or timezone.localdate()
    sent = {"reviews": 0, "actions": 0}
    due = Risk.objects.open().filter(review_on__lte=today + dt.timedelta(days=REVIEW_NOTICE_DAYS))
    sent_before = RiskReminder.objects.filter(
        kind=RiskReminder.Kind.REVIEW_DUE, risk=OuterRef("pk"), due_on=OuterRef("review_on")
    )
    for risk in due.select_related("owner").exclude(Exists(sent_before)):
        when = "was due" if risk.review_on < today else "is due"
        if _remind(
            kind=RiskReminder.Kind.REVIEW_DUE,
            risk=risk,
            due_on=risk.review_on,
            to=[risk.owner.email],
            subject=f"Risk review {when}: {risk.title}",
            body=(
                f"The review of the risk \u201c{risk.title}\u201d {when} on {risk.review_on:%d %B %Y}.\n\n"
                f"Please assess it again and set the next review date: {_link(risk)}"
            ),
        ):
            sent["reviews"] += 1
    overdue = (
        MitigatingAction.objects.overdue(today)
        .filter(risk__status=Risk.Status.OPEN)
        .select_related("risk", "risk__owner", "owner")
        .exclude(Exists(RiskReminder.objects.filter(action=OuterRef("pk"), due_on=OuterRef("due_on"))))
    )
    for action in overdue:
        if _remind(
            kind=RiskReminder.Kind.ACTION_OVERDUE,
            risk=action.risk,
            action=action,
            due_on=action.due_on,
            to=[action.owner.email, action.risk.owner.email],
            subject=f"Risk action overdue: {action.risk.title}",
            body=(
                f"The action \u201c{action.description}\u201d on the risk \u201c{action.risk.title}\u201d was due on "
                f"{action.due_on:%d %B %Y} and is not done.\n\n{_link(action.risk)}"
            ),
        ):
            sent["actions"] += 1
    return sent
