"""Writes to the committee's business. The clerk's pages, the API and the tasks all call these."""

from __future__ import annotations

import datetime as dt
import io
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Max
from django.template.loader import render_to_string
from django.utils import timezone
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from . import selectors
from .models import (
    ACTION_OWNER_ROLES,
    Action,
    ActionUpdate,
    AgendaItem,
    Attendance,
    Committee,
    Decision,
    Meeting,
    Minute,
    Paper,
    may_clerk,
)

logger = logging.getLogger(__name__)

#: The largest paper accepted, in bytes.
MAX_PAPER_BYTES = 20 * 1024 * 1024
#: How far ahead a meeting may be scheduled.
MAX_YEARS_AHEAD = 3

#: Numbers are moved out of the way by this much while items are renumbered in one statement.
RENUMBER_OFFSET = 10000

MEETING_FIELDS = ("meets_on", "starts_at", "place", "online_link")
ITEM_FIELDS = ("title", "summary", "lead_officer", "purpose", "is_exempt", "exempt_paragraph")


def _require_clerk(user):
    if not may_clerk(user):
        raise PermissionDenied("Only the committee's clerk (an administrator) may do this.")


def _locked(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


# Meetings -------------------------------------------------------------------------------------------


@transaction.atomic
def meeting_schedule(*, user, committee: Committee | None, **data) -> Meeting:
    """Schedule a meeting. Its agenda starts with the minutes of the meeting before it (to approve)
    and the actions still open from earlier meetings."""
    _require_clerk(user)
    if committee is None:
        raise ValidationError("The Joint Committee is not set up: load the seed data first.")
    meeting = Meeting(committee=committee, **{name: data.get(name, "") for name in MEETING_FIELDS})
    _check_date(meeting)
    meeting.full_clean()
    meeting.save()
    earlier = (
        Meeting.objects.filter(committee=committee, meets_on__lt=meeting.meets_on)
        .exclude(status=Meeting.Status.CANCELLED)
        .order_by("-meets_on", "-starts_at")
        .first()
    )
    number = 1
    if earlier is not None:
        _new_item(
            meeting,
            number,
            title=f"Minutes of the meeting held on {earlier.meets_on:%-d %B %Y}",
            summary="To approve the minutes of the last meeting as a correct record.",
            purpose=AgendaItem.Purpose.DECISION,
            kind=AgendaItem.Kind.MINUTES,
            minutes_of=earlier,
        )
        number += 1
    _new_item(
        meeting,
        number,
        title="Actions from previous meetings",
        summary="To note progress on the actions still open.",
        purpose=AgendaItem.Purpose.INFORMATION,
        kind=AgendaItem.Kind.ACTIONS,
    )
    return meeting


def _check_date(meeting: Meeting):
    today = timezone.localdate()
    if meeting.meets_on and meeting.meets_on > today.replace(year=today.year + MAX_YEARS_AHEAD, day=min(today.day, 28)):
        raise ValidationError({"meets_on": f"A meeting is scheduled at most {MAX_YEARS_AHEAD} years ahead."})


def _new_item(meeting, number, **fields) -> AgendaItem:
    item = AgendaItem(meeting=meeting, number=number, **fields)
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def meeting_change(*, user, meeting: Meeting, **data) -> Meeting:
    _require_clerk(user)
    meeting = _locked(meeting)
    if meeting.is_held or meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError("A meeting that has been held or cancelled cannot be changed.")
    for name in MEETING_FIELDS:
        if name in data:
            setattr(meeting, name, data[name])
    _check_date(meeting)
    meeting.full_clean()
    meeting.save()
    if meeting.agenda_is_published:
        _rebuild_pack(meeting)
    return meeting


@transaction.atomic
def agenda_publish(*, user, meeting: Meeting) -> str:
    """Publish the agenda and have its pack built. Returns a warning when the agenda is late (fewer
    than five clear working days before the meeting), else an empty string."""
    _require_clerk(user)
    meeting = _locked(meeting)
    if meeting.status != Meeting.Status.SCHEDULED:
        raise ValidationError(f"The agenda cannot be published: the meeting is {meeting.get_status_display().lower()}.")
    if not meeting.items.filter(kind=AgendaItem.Kind.BUSINESS).exists():
        raise ValidationError("Add at least one item of business before publishing the agenda.")
    warning = selectors.publication_warning(meeting, timezone.localdate())
    meeting.status = Meeting.Status.AGENDA_PUBLISHED
    meeting.agenda_published_at = timezone.now()
    meeting.full_clean()
    meeting.save()
    _rebuild_pack(meeting)
    return warning


def _rebuild_pack(meeting: Meeting):
    Meeting.objects.filter(pk=meeting.pk).update(pack_status=Meeting.PackStatus.PENDING, pack_error="")
    from .tasks import build_agenda_pack

    meeting_id = meeting.pk
    transaction.on_commit(lambda: build_agenda_pack.delay(meeting_id))


@transaction.atomic
def meeting_mark_held(*, user, meeting: Meeting) -> Meeting:
    _require_clerk(user)
    meeting = _locked(meeting)
    if meeting.status != Meeting.Status.AGENDA_PUBLISHED:
        raise ValidationError("Only a meeting whose agenda has been published can be recorded as held.")
    if meeting.meets_on > timezone.localdate():
        raise ValidationError({"meets_on": "The meeting has not taken place yet."})
    meeting.status = Meeting.Status.HELD
    meeting.save()
    return meeting


@transaction.atomic
def meeting_cancel(*, user, meeting: Meeting, reason: str) -> Meeting:
    _require_clerk(user)
    meeting = _locked(meeting)
    if meeting.is_held or meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError("A meeting that has been held or cancelled cannot be cancelled.")
    if not (reason or "").strip():
        raise ValidationError({"reason": "Say why the meeting is cancelled."})
    meeting.status = Meeting.Status.CANCELLED
    meeting.cancelled_reason = reason.strip()
    meeting.save()
    return meeting


@transaction.atomic
def attendance_record(*, user, meeting: Meeting, rows: list[dict]) -> list[Attendance]:
    """Record who attended, in what capacity, and who sent apologies; replaces what was recorded.

    ``rows``: dicts of ``user``, ``capacity``, ``presence`` and ``council`` (members and substitutes).
    """
    _require_clerk(user)
    meeting = _locked(meeting)
    if meeting.status not in (Meeting.Status.AGENDA_PUBLISHED, *Meeting.HELD_STATUSES):
        raise ValidationError("Attendance is recorded for a meeting whose agenda has been published.")
    made = []
    for position, row in enumerate(rows, start=1):
        attendance = Attendance(meeting=meeting, **row)
        try:
            attendance.full_clean(exclude=["meeting"], validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            raise ValidationError(f"Row {position} ({row.get('user')}): {'; '.join(error.messages)}") from None
        made.append(attendance)
    people = [a.user_id for a in made]
    if len(people) != len(set(people)):
        raise ValidationError("Each person is recorded once.")
    meeting.attendances.all().delete()
    for attendance in made:
        attendance.full_clean()
        attendance.save()
    return made


# The agenda -----------------------------------------------------------------------------------------


def _require_open_agenda(meeting: Meeting):
    if meeting.status not in (Meeting.Status.SCHEDULED, Meeting.Status.AGENDA_PUBLISHED):
        raise ValidationError("The agenda of a meeting that has been held or cancelled cannot change.")


@transaction.atomic
def agenda_item_add(*, user, meeting: Meeting, **data) -> AgendaItem:
    """Add an item at the end of the agenda; it takes the next number."""
    _require_clerk(user)
    meeting = _locked(meeting)
    _require_open_agenda(meeting)
    number = (meeting.items.aggregate(last=Max("number"))["last"] or 0) + 1
    item = _new_item(meeting, number, **{name: data[name] for name in ITEM_FIELDS if name in data})
    if meeting.agenda_is_published:
        _rebuild_pack(meeting)
    return item


@transaction.atomic
def agenda_item_change(*, user, item: AgendaItem, **data) -> AgendaItem:
    _require_clerk(user)
    meeting = _locked(item.meeting)
    _require_open_agenda(meeting)
    item = AgendaItem.objects.get(pk=item.pk)
    for name in ITEM_FIELDS:
        if name in data:
            setattr(item, name, data[name])
    if not item.is_exempt:
        item.exempt_paragraph = None
    item.full_clean()
    item.save()
    if meeting.agenda_is_published:
        _rebuild_pack(meeting)
    return item


@transaction.atomic
def agenda_item_move(*, user, item: AgendaItem, to: int) -> AgendaItem:
    """Move an item to position ``to``; every item keeps a number, 1 to n with no gaps."""
    _require_clerk(user)
    meeting = _locked(item.meeting)
    _require_open_agenda(meeting)
    order = list(meeting.items.order_by("number").values_list("pk", flat=True))
    if not 1 <= to <= len(order):
        raise ValidationError({"to": f"Choose a position from 1 to {len(order)}."})
    order.remove(item.pk)
    order.insert(to - 1, item.pk)
    _renumber(meeting, order)
    if meeting.agenda_is_published:
        _rebuild_pack(meeting)
    return AgendaItem.objects.get(pk=item.pk)


def _renumber(meeting: Meeting, order: list[int]):
    # Out of the way first, so that no two items share a number at any moment (the unique constraint).
    meeting.items.update(number=F("number") + RENUMBER_OFFSET)
    for number, pk in enumerate(order, start=1):
        AgendaItem.objects.filter(pk=pk).update(number=number)


@transaction.atomic
def agenda_item_remove(*, user, item: AgendaItem) -> None:
    _require_clerk(user)
    meeting = _locked(item.meeting)
    if meeting.status != Meeting.Status.SCHEDULED:
        raise ValidationError("Items are removed only before the agenda is published.")
    item.delete()
    _renumber(meeting, list(meeting.items.order_by("number").values_list("pk", flat=True)))


def pdf_page_count(content: bytes) -> int:
    """The number of pages of a PDF, read from its content; a ValidationError if it is not a PDF."""
    if not content.startswith(b"%PDF-"):
        raise ValidationError({"file": "This file is not a PDF: upload the paper as a PDF."})
    try:
        pages = len(PdfReader(io.BytesIO(content)).pages)
    except (PdfReadError, ValueError, KeyError, TypeError) as error:
        raise ValidationError(
            {"file": "This PDF cannot be read: it may be damaged. Save it again and retry."}
        ) from error
    if pages == 0:
        raise ValidationError({"file": "This PDF has no pages."})
    return pages


@transaction.atomic
def paper_add(*, user, item: AgendaItem, title: str, kind: str, upload=None, target=None) -> Paper:
    """Add a paper to an item: an uploaded PDF (``upload``, checked by its content) or a link to
    ``target``, an object of the kind's field (a published report, a pack, a programme, an agreement,
    a risk of the register)."""
    _require_clerk(user)
    meeting = _locked(item.meeting)
    _require_open_agenda(meeting)
    paper = Paper(item=item, title=(title or "").strip(), kind=kind)
    if kind not in Paper.LINKS:
        raise ValidationError({"kind": "Choose what kind of paper this is."})
    if kind == Paper.Kind.UPLOAD:
        if upload is None:
            raise ValidationError({"file": "Choose the PDF to upload."})
        if upload.size > MAX_PAPER_BYTES:
            raise ValidationError({"file": "The PDF must be smaller than 20 MB."})
        content = upload.read()
        paper.page_count = pdf_page_count(content)
        paper.file.save(_pdf_name(upload.name), ContentFile(content), save=False)
    else:
        if target is None:
            raise ValidationError({Paper.LINKS[kind]: "Choose what the paper links to."})
        if kind == Paper.Kind.RISK and not selectors.paper_risks(user=user).filter(pk=target.pk).exists():
            raise ValidationError({"risk": "Choose a risk of the register that you may see."})
        setattr(paper, Paper.LINKS[kind], target)
    paper.full_clean()
    paper.save()
    if meeting.agenda_is_published:
        _rebuild_pack(meeting)
    return paper


def _pdf_name(name: str) -> str:
    stem = (name or "paper").rsplit("/", 1)[-1].rsplit(".", 1)[0][:80] or "paper"
    return f"{stem}.pdf"


# Minutes, decisions and actions -------------------------------------------------------------------


def _require_held(meeting: Meeting):
    """The meeting as stored now (locked), which must have been held."""
    meeting = _locked(meeting)
    if not meeting.is_held:
        raise ValidationError("Minutes and decisions are recorded once the meeting has been held.")
    return meeting


@transaction.atomic
def minute_record(*, user, item: AgendaItem, text: str) -> Minute:
    _require_clerk(user)
    _require_held(item.meeting)
    if not (text or "").strip():
        raise ValidationError({"text": "Write the minutes of the item."})
    minute = Minute.objects.filter(item=item).first() or Minute(item=item)
    minute.text = text.strip()
    minute.recorded_by = user
    minute.full_clean()
    minute.save()
    return minute


@transaction.atomic
def decision_record(*, user, item: AgendaItem, wording: str, saving_lines=(), programmes=(), agreements=()) -> Decision:
    """Record a resolution of the committee on an item, decided on the day of the meeting."""
    _require_clerk(user)
    meeting = _require_held(item.meeting)
    decision = Decision(item=item, wording=(wording or "").strip(), decided_on=meeting.meets_on, recorded_by=user)
    decision.full_clean()
    decision.save()
    decision.saving_lines.set(saving_lines)
    decision.programmes.set(programmes)
    decision.agreements.set(agreements)
    return decision


@transaction.atomic
def minutes_approve(*, user, item: AgendaItem) -> Decision:
    """The committee approves the minutes of its last meeting, at the item the agenda carries for it."""
    _require_clerk(user)
    if item.kind != AgendaItem.Kind.MINUTES:
        raise ValidationError("Minutes are approved at the item 'Minutes of the last meeting'.")
    _require_held(item.meeting)
    earlier = _locked(item.minutes_of)
    if earlier.status == Meeting.Status.MINUTES_APPROVED:
        raise ValidationError("These minutes are already approved.")
    if earlier.status != Meeting.Status.HELD:
        raise ValidationError("Only the minutes of a meeting that was held can be approved.")
    earlier.status = Meeting.Status.MINUTES_APPROVED
    earlier.minutes_approved_at = item.meeting
    earlier.save()
    return decision_record(
        user=user,
        item=item,
        wording=f"That the minutes of the meeting held on {earlier.meets_on:%-d %B %Y} "
        "be approved as a correct record.",
    )


@transaction.atomic
def action_create(
    *, user, item: AgendaItem, title: str, owner, due_on: dt.date, decision: Decision | None = None
) -> Action:
    _require_clerk(user)
    _require_held(item.meeting)
    if decision is not None and decision.item_id != item.pk:
        raise ValidationError({"decision": "The decision must be one taken on this item."})
    if owner is None or owner.role not in ACTION_OWNER_ROLES:
        raise ValidationError({"owner": "An action's owner is a oneSource officer or a committee member."})
    action = Action(item=item, decision=decision, title=(title or "").strip(), owner=owner, due_on=due_on)
    action.full_clean()
    action.save()
    return action


@transaction.atomic
def action_update_post(
    *, user, action: Action, note: str, status: str, posted_on: dt.date | None = None
) -> ActionUpdate:
    """A dated note of progress, by the owner or the clerk; the action takes its status."""
    if not Action.objects.editable_by(user).filter(pk=action.pk).exists():
        raise PermissionDenied("Only the action's owner or the clerk may report progress on it.")
    action = Action.objects.select_for_update().get(pk=action.pk)
    posted_on = posted_on or timezone.localdate()
    if posted_on > timezone.localdate():
        raise ValidationError({"posted_on": "This date cannot be in the future."})
    update = ActionUpdate(action=action, posted_on=posted_on, note=(note or "").strip(), status=status, author=user)
    update.full_clean()
    update.save()
    action.status = status
    action.full_clean()
    action.save()
    return update


def _send_reminder(action: Action, template: str, subject: str) -> None:
    body = render_to_string(template, {"action": action, "portal_url": settings.PORTAL_URL})
    send_mail(subject[:150], body, settings.DEFAULT_FROM_EMAIL, [action.owner.email])


def action_reminders_send(*, today: dt.date | None = None) -> dict:
    """Email each owner once a week before an action falls due, and once when it is overdue.

    Each action is handled in its own transaction with its row locked, so two runs at once never
    send the same reminder twice; a reminder is recorded against the due date it was sent for.
    """
    today = today or timezone.localdate()
    candidates = (
        Action.objects.open()
        .exclude(owner__email="")
        .filter(due_on__lte=today + dt.timedelta(days=selectors.DUE_SOON_DAYS))
        .values_list("pk", flat=True)
    )
    sent = {"due_soon": 0, "overdue": 0}
    for pk in list(candidates):
        with transaction.atomic():
            action = (
                Action.objects.select_for_update(of=("self",), skip_locked=True)
                .select_related("owner", "item__meeting")
                .filter(pk=pk)
                .first()
            )
            if action is None or not action.is_open:
                continue
            if action.due_on < today:
                if action.overdue_sent_for != action.due_on:
                    _send_reminder(action, "governance/email/action_overdue.txt", f"Overdue: {action.title}")
                    action.overdue_sent_for = action.due_on
                    action.save(update_fields=["overdue_sent_for"])
                    sent["overdue"] += 1
            elif action.due_soon_sent_for != action.due_on:
                _send_reminder(action, "governance/email/action_due_soon.txt", f"Due in a week: {action.title}")
                action.due_soon_sent_for = action.due_on
                action.save(update_fields=["due_soon_sent_for"])
                sent["due_soon"] += 1
    return sent


def agenda_pack_build(*, meeting_id: int) -> str:
    """Build the meeting's agenda pack (the agenda and its non-exempt papers, page-numbered) and store it."""
    from . import pack as documents

    meeting = Meeting.objects.select_related("committee").get(pk=meeting_id)
    try:
        content, pages = documents.agenda_pack(meeting)
        with transaction.atomic():
            meeting = Meeting.objects.select_for_update().get(pk=meeting_id)
            if meeting.pack:
                meeting.pack.delete(save=False)
            meeting.pack.save(f"agenda-pack-{meeting.meets_on:%Y-%m-%d}.pdf", ContentFile(content), save=False)
            meeting.pack_status, meeting.pack_error = Meeting.PackStatus.READY, ""
            meeting.pack_pages, meeting.pack_built_at = pages, timezone.now()
            meeting.save(
                update_fields=["pack", "pack_status", "pack_error", "pack_pages", "pack_built_at", "updated_at"]
            )
        return meeting.pack_status
    except Exception as error:  # the meeting page shows why the pack failed
        logger.exception("Agenda pack of meeting %s failed", meeting_id)
        Meeting.objects.filter(pk=meeting_id).update(
            pack_status=Meeting.PackStatus.FAILED, pack_error=str(error)[:4000]
        )
        return Meeting.PackStatus.FAILED
