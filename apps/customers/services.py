"""Writes for customer contact. Pages, the API and the scheduled tasks all call these."""

import datetime as dt
import math
import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from apps.accounts.models import User
from apps.catalogue.models import Service, Subscription
from apps.core import periods
from apps.core.policy import is_admin, role_of
from apps.core.roles import STAFF_ROLES, Role
from apps.kpis.models import KPI
from apps.kpis.services import measurement_record_system
from apps.partners.models import Partner

from . import selectors
from .models import (
    DEFAULT_TARGET_DAYS,
    WARNING_SHARE,
    Enquiry,
    EnquiryMessage,
    Feedback,
    ImprovementAction,
    Priority,
    ResponseTarget,
    SatisfactionSurvey,
)

MAX_MESSAGE_LENGTH = 10_000
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
#: Attachments are recognised by their first bytes, never by the name or the type the browser claims.
ATTACHMENT_SIGNATURES = (
    (b"%PDF-", "pdf", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "png", "image/png"),
    (b"\xff\xd8\xff", "jpg", "image/jpeg"),
)
ATTACHMENT_TYPES = {extension: content_type for _, extension, content_type in ATTACHMENT_SIGNATURES}
ATTACHMENT_TYPES["txt"] = "text/plain; charset=utf-8"
CLOCK_FIELDS = ("first_response_due_at", "first_response_warn_at", "resolution_due_at", "resolution_warn_at")


# Clocks ----------------------------------------------------------------------------------------


def target_seconds(*, service, priority) -> tuple[int, int]:
    """The (first response, resolution) targets of a service for a priority, in office seconds."""
    target = ResponseTarget.objects.filter(service=service, priority=priority).first()
    days = (target.first_response_days, target.resolution_days) if target else DEFAULT_TARGET_DAYS[priority]
    day = periods.office_day_seconds()
    return int(days[0] * day), int(days[1] * day)


def _start_clocks(enquiry: Enquiry, now) -> None:
    first, resolution = target_seconds(service=enquiry.service, priority=enquiry.priority)
    enquiry.opened_at = now
    enquiry.first_response_target_seconds = first
    enquiry.resolution_target_seconds = resolution
    enquiry.first_response_due_at = periods.add_working_seconds(now, first)
    enquiry.first_response_warn_at = periods.add_working_seconds(now, math.ceil(first * WARNING_SHARE))
    enquiry.resolution_due_at = periods.add_working_seconds(now, resolution)
    enquiry.resolution_warn_at = periods.add_working_seconds(now, math.ceil(resolution * WARNING_SHARE))


def _pause(enquiry: Enquiry, now) -> None:
    if enquiry.paused_at is None:
        enquiry.paused_at = now


def _resume(enquiry: Enquiry, now) -> None:
    """Restart a stopped clock: the office time it stood still pushes every moment still ahead."""
    paused_at = enquiry.paused_at
    if paused_at is None:
        return
    enquiry.paused_seconds += periods.working_seconds_between(paused_at, now)
    for name in CLOCK_FIELDS:
        moment = getattr(enquiry, name)
        if moment > paused_at:
            setattr(enquiry, name, periods.add_working_seconds(now, periods.working_seconds_between(paused_at, moment)))
    enquiry.paused_at = None


def _record_first_response(enquiry: Enquiry, now) -> None:
    if enquiry.first_responded_at is None:
        enquiry.first_responded_at = now
        enquiry.first_response_met = enquiry.elapsed_seconds(now) <= enquiry.first_response_target_seconds


def _resolve(enquiry: Enquiry, now) -> None:
    _record_first_response(enquiry, now)
    if enquiry.resolved_at is None:
        enquiry.resolved_at = now
        enquiry.resolution_met = enquiry.elapsed_seconds(now) <= enquiry.resolution_target_seconds
    _pause(enquiry, now)


# Messages and attachments ----------------------------------------------------------------------


def _clean_body(body: str, field: str = "body") -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError({field: "Enter a message."})
    if len(body) > MAX_MESSAGE_LENGTH:
        raise ValidationError({field: f"The message is too long: at most {MAX_MESSAGE_LENGTH:,} characters."})
    return body


def _attachment_kind(upload) -> str:
    """The attachment's type from its content; a ValidationError names what is wrong."""
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError({"attachment": "The attachment is too large: at most 5 MB."})
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for signature, extension, _content_type in ATTACHMENT_SIGNATURES:
        if head.startswith(signature):
            return extension
    content = upload.read()
    upload.seek(0)
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None and "\x00" not in text:
        return "txt"
    raise ValidationError({"attachment": "The attachment must be a PDF, PNG or JPEG image, or plain text."})


def _add_message(*, enquiry, author, body, attachment, now) -> EnquiryMessage:
    message = EnquiryMessage(
        enquiry=enquiry,
        author=author,
        body=body,
        sent_at=now,
        from_staff=role_of(author) in STAFF_ROLES,
    )
    if attachment:
        extension = _attachment_kind(attachment)
        message.attachment_name = (attachment.name or f"attachment.{extension}")[-200:]
        attachment.seek(0)
        message.attachment.save(f"{uuid.uuid4().hex}.{extension}", ContentFile(attachment.read()), save=False)
    message.full_clean()
    message.save()
    return message


# Enquiries ---------------------------------------------------------------------------------------


@transaction.atomic
def enquiry_raise(*, user, service, subject, details, priority=Priority.NORMAL, attachment=None, now=None) -> Enquiry:
    """A partner officer raises an enquiry about a service their council takes."""
    if role_of(user) != Role.PARTNER_OFFICER or not user.partner_id:
        raise PermissionDenied("Only partner officers raise enquiries.")
    now = now or timezone.now()
    subject = (subject or "").strip()
    errors = {}
    if not subject:
        errors["subject"] = "Enter a subject."
    try:
        details = _clean_body(details, "details")
    except ValidationError as error:
        errors.update(error.message_dict)
    if (
        service is not None
        and not Subscription.objects.current(timezone.localdate(now))
        .filter(partner_id=user.partner_id, service=service)
        .exists()
    ):
        errors["service"] = f"{user.partner.short_name} does not take {service.name}."
    if attachment:
        try:
            _attachment_kind(attachment)
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    enquiry = Enquiry(partner_id=user.partner_id, service=service, raised_by=user, subject=subject, priority=priority)
    _start_clocks(enquiry, now)
    enquiry.full_clean()
    enquiry.save()
    _add_message(enquiry=enquiry, author=user, body=details, attachment=attachment, now=now)
    return enquiry


def _require_customer(user, enquiry):
    if role_of(user) != Role.PARTNER_OFFICER or user.partner_id != enquiry.partner_id:
        raise PermissionDenied("Only the council's own officers may do this.")


def _require_staff(user, enquiry):
    if not Enquiry.objects.editable_by(user).filter(pk=enquiry.pk).exists():
        raise PermissionDenied(f"Only oneSource officers of {enquiry.service.area} may do this.")


@transaction.atomic
def enquiry_reply(*, user, enquiry: Enquiry, body, attachment=None, now=None) -> EnquiryMessage:
    """Add a message to the thread. Staff's first reply stops the first-response clock; a customer's
    reply to an enquiry awaiting them (or resolved) starts the clock again."""
    now = now or timezone.now()
    enquiry = Enquiry.objects.select_for_update().get(pk=enquiry.pk)
    from_staff = role_of(user) in STAFF_ROLES
    if from_staff:
        _require_staff(user, enquiry)
    else:
        _require_customer(user, enquiry)
    if enquiry.status == Enquiry.Status.CLOSED:
        raise ValidationError({"body": "This enquiry is closed; raise a new one."})
    body = _clean_body(body)
    message = _add_message(enquiry=enquiry, author=user, body=body, attachment=attachment, now=now)
    if from_staff:
        _record_first_response(enquiry, now)
        if enquiry.status == Enquiry.Status.OPEN:
            enquiry.status = Enquiry.Status.IN_PROGRESS
        if enquiry.assignee_id is None and selectors.assignable_staff(enquiry=enquiry).filter(pk=user.pk).exists():
            # Whoever answers an enquiry nobody has taken on takes it on.
            enquiry.assignee = user
    elif enquiry.status in (Enquiry.Status.AWAITING_CUSTOMER, Enquiry.Status.RESOLVED):
        _reopen(enquiry, now)
    enquiry.full_clean()
    enquiry.save()
    if from_staff:
        from .tasks import enquiry_reply_notify

        transaction.on_commit(lambda: enquiry_reply_notify.delay(message.pk))
    return message


def _reopen(enquiry: Enquiry, now) -> None:
    _resume(enquiry, now)
    enquiry.resolved_at = None
    enquiry.resolution_met = None
    enquiry.status = Enquiry.Status.IN_PROGRESS


_UNCHANGED = object()


@transaction.atomic
def enquiry_update(*, user, enquiry: Enquiry, status=None, assignee=_UNCHANGED, now=None) -> Enquiry:
    """Staff change an enquiry's status or assignee; the clocks stop and start with the status."""
    now = now or timezone.now()
    enquiry = Enquiry.objects.select_for_update().select_related("service__area").get(pk=enquiry.pk)
    _require_staff(user, enquiry)
    was_resolved = enquiry.resolved_at is not None
    if assignee is not _UNCHANGED:
        if assignee is not None and not selectors.assignable_staff(enquiry=enquiry).filter(pk=assignee.pk).exists():
            raise ValidationError({"assignee": f"{assignee} does not work in {enquiry.service.area}."})
        enquiry.assignee = assignee
    if status and status != enquiry.status:
        if enquiry.status == Enquiry.Status.CLOSED:
            raise ValidationError({"status": "A closed enquiry cannot be reopened; raise a new one."})
        if status not in Enquiry.Status.values:
            raise ValidationError({"status": f"“{status}” is not a status."})
        if status in Enquiry.RUNNING_STATUSES:
            _reopen(enquiry, now)
            enquiry.status = status
        elif status == Enquiry.Status.AWAITING_CUSTOMER:
            if enquiry.resolved_at is not None:
                _reopen(enquiry, now)
            _record_first_response(enquiry, now)
            _pause(enquiry, now)
        elif status == Enquiry.Status.RESOLVED:
            _resolve(enquiry, now)
        elif status == Enquiry.Status.CLOSED:
            _resolve(enquiry, now)
            enquiry.closed_at = now
        enquiry.status = status
    enquiry.full_clean()
    enquiry.save()
    if enquiry.resolved_at is not None and not was_resolved:
        from .tasks import enquiry_resolution_notify

        transaction.on_commit(lambda: enquiry_resolution_notify.delay(enquiry.pk))
    return enquiry


@transaction.atomic
def enquiry_respond(
    *, user, enquiry: Enquiry, body="", attachment=None, status=None, assignee=_UNCHANGED, now=None
) -> Enquiry:
    """Staff answer an enquiry and set its status and assignee in one step, all or nothing.

    The status and assignee are changed only where they differ from what the enquiry had before the
    reply, so that a reply (which takes an open enquiry on) is not undone by the form's unchanged values.
    """
    now = now or timezone.now()
    _require_staff(user, enquiry)
    before = Enquiry.objects.get(pk=enquiry.pk)
    status_changed = bool(status) and status != before.status
    assignee_changed = assignee is not _UNCHANGED and (assignee.pk if assignee else None) != before.assignee_id
    if not (body or "").strip() and not attachment and not (status_changed or assignee_changed):
        raise ValidationError({"body": "Enter a reply, or change the status or who the enquiry is assigned to."})
    if (body or "").strip() or attachment:
        enquiry_reply(user=user, enquiry=enquiry, body=body, attachment=attachment, now=now)
    if status_changed or assignee_changed:
        enquiry_update(
            user=user,
            enquiry=enquiry,
            status=status if status_changed else None,
            assignee=assignee if assignee_changed else _UNCHANGED,
            now=now,
        )
    return Enquiry.objects.get(pk=enquiry.pk)


# Feedback ----------------------------------------------------------------------------------------


def _check_score(score):
    if score is None or not 1 <= int(score) <= 5:
        raise ValidationError({"score": "Give a score from 1 to 5."})


@transaction.atomic
def enquiry_rate(*, user, enquiry: Enquiry, score, comment="", today=None) -> Feedback:
    """The council's officer rates how a resolved enquiry was handled, once."""
    enquiry = Enquiry.objects.select_for_update().get(pk=enquiry.pk)
    _require_customer(user, enquiry)
    if enquiry.resolved_at is None:
        raise ValidationError({"score": "An enquiry can be rated once it is resolved."})
    if Feedback.objects.filter(enquiry=enquiry).exists():
        raise ValidationError({"score": "This enquiry has already been rated."})
    _check_score(score)
    feedback = Feedback(
        partner_id=enquiry.partner_id,
        service_id=enquiry.service_id,
        source=Feedback.Source.ENQUIRY,
        enquiry=enquiry,
        score=score,
        comment=(comment or "").strip(),
        received_on=today or timezone.localdate(),
        given_by=user,
        recorded_by=user,
    )
    feedback.full_clean()
    feedback.save()
    return feedback


@transaction.atomic
def survey_open(*, user, service, title, opens_on, closes_on, question="") -> SatisfactionSurvey:
    if not is_admin(user):
        raise PermissionDenied("Only the oneSource performance team opens surveys.")
    survey = SatisfactionSurvey(service=service, title=(title or "").strip(), opens_on=opens_on, closes_on=closes_on)
    survey.opened_by = user
    if question:
        survey.question = question
    survey.full_clean()
    survey.save()
    return survey


@transaction.atomic
def survey_answer(*, user, survey: SatisfactionSurvey, score, comment="", today=None) -> Feedback:
    """A partner officer answers a survey of a service their council takes, once, while it is open."""
    today = today or timezone.localdate()
    if (
        role_of(user) != Role.PARTNER_OFFICER
        or not SatisfactionSurvey.objects.visible_to(user).filter(pk=survey.pk).exists()
    ):
        raise PermissionDenied("This survey is for the councils that take the service.")
    if not survey.opens_on <= today <= survey.closes_on:
        raise ValidationError(
            {"score": f"This survey is open from {survey.opens_on:%-d %B %Y} to {survey.closes_on:%-d %B %Y}."}
        )
    _check_score(score)
    feedback = Feedback(
        partner_id=user.partner_id,
        service_id=survey.service_id,
        source=Feedback.Source.SURVEY,
        survey=survey,
        score=score,
        comment=(comment or "").strip(),
        received_on=today,
        given_by=user,
        recorded_by=user,
    )
    feedback.full_clean()
    feedback.save()
    return feedback


def _require_area_staff(user, service):
    role = role_of(user)
    if role == Role.ADMIN:
        return
    if role in (Role.DIRECTOR, Role.OFFICER) and user.service_areas.filter(pk=service.area_id).exists():
        return
    raise PermissionDenied(f"Only oneSource staff of {service.area} may do this.")


@transaction.atomic
def feedback_log(*, user, partner, service, source, score, comment="", received_on) -> Feedback:
    """Staff record feedback heard at a workshop or informally."""
    if service is not None:
        _require_area_staff(user, service)
    if source not in Feedback.STAFF_LOGGED:
        raise ValidationError(
            {"source": "Staff log workshop or informal feedback; ratings and surveys come from partners."}
        )
    _check_score(score)
    feedback = Feedback(
        partner=partner,
        service=service,
        source=source,
        score=score,
        comment=(comment or "").strip(),
        received_on=received_on,
        recorded_by=user,
    )
    feedback.full_clean()
    feedback.save()
    return feedback


# Improvement actions -----------------------------------------------------------------------------

ACTION_FIELDS = (
    "service",
    "partner",
    "origin",
    "feedback",
    "enquiry",
    "review",
    "learnt",
    "action",
    "owner",
    "due_on",
    "status",
    "completed_on",
)


@transaction.atomic
def improvement_action_save(*, user, improvement_action: ImprovementAction | None = None, **data) -> ImprovementAction:
    """Raise an improvement action, or change one; staff of the service's area only."""
    item = improvement_action or ImprovementAction()
    if improvement_action is not None:
        _require_area_staff(user, improvement_action.service)
    for name in ACTION_FIELDS:
        if name in data:
            setattr(item, name, data[name])
    if item.service_id is None:
        raise ValidationError({"service": "Choose the service."})
    _require_area_staff(user, item.service)
    errors = {}
    origin_source = {"feedback": item.feedback, "enquiry": item.enquiry}.get(item.origin)
    if item.origin in ("feedback", "enquiry") and origin_source is None:
        errors[item.origin] = f"Choose the {item.origin} this was learnt from."
    if item.origin == ImprovementAction.Origin.REVIEW and not item.review.strip():
        errors["review"] = "Name the review this was learnt from."
    if origin_source is not None and origin_source.service_id != item.service_id:
        errors[item.origin] = f"That {item.origin} is about another service."
    if item.owner_id and not User.objects.filter(pk=item.owner_id, role__in=STAFF_ROLES).exists():
        errors["owner"] = "The owner must be a member of oneSource staff."
    if errors:
        raise ValidationError(errors)
    if item.status == ImprovementAction.Status.DONE and item.completed_on is None:
        item.completed_on = timezone.localdate()
    item.full_clean()
    item.save()
    return item


# Emails and alerts -------------------------------------------------------------------------------


def _send(*, template, recipient, context) -> None:
    if not recipient or not recipient.email:
        return
    context = {"portal_url": getattr(settings, "PORTAL_URL", ""), "recipient": recipient, **context}
    subject = render_to_string(f"customers/email/{template}_subject.txt", context).strip()
    body = render_to_string(f"customers/email/{template}.txt", context)
    send_mail(subject, body, None, [recipient.email])


def enquiry_reply_notify(*, message_id: int) -> None:
    """Email the raiser that oneSource has replied."""
    message = EnquiryMessage.objects.select_related("enquiry__raised_by", "enquiry__service", "author").get(
        pk=message_id
    )
    _send(
        template="reply", recipient=message.enquiry.raised_by, context={"message": message, "enquiry": message.enquiry}
    )


def enquiry_resolution_notify(*, enquiry_id: int) -> None:
    enquiry = Enquiry.objects.select_related("raised_by", "service").get(pk=enquiry_id)
    _send(template="resolved", recipient=enquiry.raised_by, context={"enquiry": enquiry})


def _alert_rules(now):
    """(stamp field, rows due an alert, kind, clock) for each of the four alerts."""
    unanswered = Q(first_responded_at__isnull=True)
    return (
        ("response_warning_sent_at", unanswered & Q(first_response_warn_at__lte=now), "warning", "first response"),
        ("response_breach_sent_at", unanswered & Q(first_response_due_at__lt=now), "breach", "first response"),
        ("resolution_warning_sent_at", Q(resolution_warn_at__lte=now), "warning", "resolution"),
        ("resolution_breach_sent_at", Q(resolution_due_at__lt=now), "breach", "resolution"),
    )


def enquiry_clock_alerts_send(*, now=None) -> dict[str, int]:
    """Email the assignee when 75% of a target is used and the service's director when it is missed.

    Each alert goes once per enquiry and clock: the row is locked, its stamp checked and set in the same
    transaction as the email, so two workers running at once cannot both send it.
    """
    now = now or timezone.now()
    running = Enquiry.objects.filter(status__in=Enquiry.RUNNING_STATUSES, paused_at__isnull=True)
    sent = {"warning": 0, "breach": 0}
    for stamp, due, kind, clock in _alert_rules(now):
        for pk in running.filter(due, **{f"{stamp}__isnull": True}).values_list("pk", flat=True):
            with transaction.atomic():
                enquiry = (
                    running.filter(due, pk=pk, **{f"{stamp}__isnull": True})
                    .select_for_update(skip_locked=True, of=("self",))
                    .select_related("service__area__director", "service__lead_officer", "assignee", "partner")
                    .first()
                )
                if enquiry is None:
                    continue
                if kind == "warning":
                    recipient = enquiry.assignee or enquiry.service.lead_officer
                else:
                    recipient = enquiry.service.area.director
                _send(template=kind, recipient=recipient, context={"enquiry": enquiry, "clock": clock})
                Enquiry.objects.filter(pk=pk).update(**{stamp: now})
                sent[kind] += 1
    return sent


# Customer contact feeds performance ------------------------------------------------------------
# Each service gets two KPIs that nobody types in: the share of enquiries answered within target and
# the average satisfaction. Both are rates (Σ numerator / Σ denominator), so oneSource-wide and
# year-to-date figures stay honest. They are recorded each month through the KPI app's
# `measurement_record_system` (approved on arrival, marked as system-fed), and so appear in
# scorecards and agreements like any other KPI.

ANSWERED = "Enquiries answered within target"
SATISFACTION = "Average satisfaction"


def _definitions(service: Service) -> dict[str, dict]:
    return {
        ANSWERED: {
            "prefix": "ENQ",
            "definition": f"Of the {service.name} enquiries whose first response was due or given in the month, "
            "the share answered within the first-response target (working days, clock paused while awaiting "
            "the customer). Computed by the portal from its enquiries.",
            "unit": KPI.Unit.PERCENT,
            "numerator_label": "Answered within target",
            "denominator_label": "Enquiries due an answer",
            "decimal_places": 1,
        },
        SATISFACTION: {
            "prefix": "SAT",
            "definition": f"The mean satisfaction score (1 to 5) of feedback on {service.name} received in the "
            "month: the sum of the scores over the number of responses. Computed by the portal from feedback.",
            "unit": KPI.Unit.COUNT,
            "numerator_label": "Sum of scores",
            "denominator_label": "Responses",
            "decimal_places": 2,
        },
    }


@transaction.atomic
def system_kpis_ensure(service: Service) -> dict[str, KPI]:
    """The two system KPIs of a service, created once (codes like ENQ-EXT-3 stay as first given)."""
    found = {kpi.name.split(":")[0]: kpi for kpi in KPI.objects.filter(service=service, computed=True)}
    for kind, spec in _definitions(service).items():
        if kind in found:
            continue
        number = KPI.objects.filter(code__startswith=f"{spec['prefix']}-{service.area.code}-").count() + 1
        kpi = KPI(
            code=f"{spec['prefix']}-{service.area.code}-{number}",
            name=f"{kind}: {service.name}",
            definition=spec["definition"],
            area=service.area,
            service=service,
            unit=spec["unit"],
            polarity=KPI.Polarity.HIGHER,
            frequency=KPI.Frequency.MONTHLY,
            decimal_places=spec["decimal_places"],
            is_rate=True,
            numerator_label=spec["numerator_label"],
            denominator_label=spec["denominator_label"],
            computed=True,
        )
        kpi.full_clean()
        kpi.save()
        found[kind] = kpi
    return found


@transaction.atomic
def contact_figures_record(*, month: dt.date) -> int:
    """Record the month's enquiry and satisfaction figures as approved system KPI figures.

    Running it again for the same month changes nothing. Returns how many figures were recorded.
    """
    period = periods.month_start(month)
    figures = selectors.monthly_contact_figures(month=period)
    services = Service.objects.select_related("area").in_bulk({row["service_id"] for row in figures})
    partners = Partner.objects.in_bulk({row["partner_id"] for row in figures})
    recorded = 0
    for row in figures:
        kpis = system_kpis_ensure(services[row["service_id"]])
        partner = partners[row["partner_id"]]
        if row["answered_total"]:
            measurement_record_system(
                kpi=kpis[ANSWERED],
                partner=partner,
                period=period,
                numerator=row["answered_within_target"],
                denominator=row["answered_total"],
            )
            recorded += 1
        if row["satisfaction_count"]:
            measurement_record_system(
                kpi=kpis[SATISFACTION],
                partner=partner,
                period=period,
                numerator=row["satisfaction_sum"],
                denominator=row["satisfaction_count"],
            )
            recorded += 1
    return recorded
