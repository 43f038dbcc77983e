"""Reads of the committee's business, each in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from apps.core.periods import add_working_days
from apps.partners.models import Partner
from apps.risks.models import Risk

from .models import (
    Action,
    ActionUpdate,
    AgendaItem,
    Attendance,
    Committee,
    Decision,
    Meeting,
    Membership,
    Paper,
    reads_committee_pages,
)

#: "Five clear working days" between publishing an agenda and the meeting (Local Government Act 1972
#: s.100B): neither the day of publication nor the day of the meeting counts.
CLEAR_WORKING_DAYS = 5

#: How far ahead an action counts as coming due (the reminder and the dashboards).
DUE_SOON_DAYS = 7


# The quorum ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Quorum:
    met: bool
    present: dict = field(default_factory=dict)  # council name → names of those present for it
    missing: tuple = ()  # founding councils with nobody present

    @property
    def summary(self) -> str:
        if self.met:
            return "Quorate: at least one member of each founding council is present."
        return "Not quorate: no member present for " + " or ".join(self.missing) + "."


def quorum(meeting: Meeting, attendances=None) -> Quorum:
    """The committee is quorate when at least one member (or substitute) of each founding council is
    present. ``attendances`` may be the meeting's rows already read, to spare a query."""
    if attendances is None:
        attendances = meeting.attendances.select_related("user", "council")
    present: dict[str, list[str]] = {}
    for row in attendances:
        if row.presence == Attendance.Presence.PRESENT and row.council_id is not None:
            present.setdefault(row.council.name, []).append(str(row.user))
    founding = founding_councils()
    missing = tuple(council.name for council in founding if council.name not in present)
    return Quorum(met=bool(founding) and not missing, present=present, missing=missing)


def founding_councils():
    return list(Partner.objects.filter(kind=Partner.Kind.FOUNDING_PARTNER).order_by("name"))


# Publishing an agenda ------------------------------------------------------------------------------


def publish_by(meeting_day: dt.date) -> dt.date:
    """The last day an agenda may be published with five clear working days before the meeting."""
    return add_working_days(meeting_day, -CLEAR_WORKING_DAYS) - dt.timedelta(days=1)


def publication_warning(meeting: Meeting, today: dt.date | None = None) -> str:
    """Empty when publishing today leaves five clear working days; else what the clerk must know."""
    today = today or timezone.localdate()
    if today <= publish_by(meeting.meets_on):
        return ""
    return (
        f"Published today, the agenda gives fewer than {CLEAR_WORKING_DAYS} clear working days' notice: "
        f"it should have been published by {publish_by(meeting.meets_on):%-d %B %Y}. Record the reason for "
        "the late item in the minutes."
    )


# Meetings -------------------------------------------------------------------------------------------


def committee() -> Committee | None:
    return Committee.objects.order_by("pk").first()


def meeting_list(*, user):
    return (
        Meeting.objects.visible_to(user)
        .select_related("committee")
        .annotate(item_count=Count("items", filter=Q(items__in=AgendaItem.objects.visible_to(user))))
        .order_by("-meets_on", "-starts_at")
    )


def _items(user, meeting_filter):
    return (
        AgendaItem.objects.visible_to(user)
        .filter(meeting_filter)
        .select_related("lead_officer", "minutes_of", "minute__recorded_by")
        .prefetch_related(
            Prefetch(
                "papers",
                queryset=Paper.objects.select_related(
                    "published_report__report__partner", "committee_pack", "programme", "agreement", "risk"
                ),
            ),
            Prefetch(
                "decisions", queryset=Decision.objects.prefetch_related("saving_lines", "programmes", "agreements")
            ),
            Prefetch("actions", queryset=Action.objects.select_related("owner")),
        )
        .order_by("number")
    )


def meeting_detail(*, user, pk: int) -> dict:
    """The meeting, its agenda as the user may read it, attendance and the quorum. Raises
    Meeting.DoesNotExist when the user may not see the meeting."""
    meeting = Meeting.objects.visible_to(user).select_related("committee", "minutes_approved_at").get(pk=pk)
    attendances = list(meeting.attendances.select_related("user", "council"))
    items = list(_items(user, Q(meeting=meeting)))
    open_actions = []
    if any(item.kind == AgendaItem.Kind.ACTIONS for item in items):
        open_actions = list(action_list(user=user).open().filter(item__meeting__meets_on__lt=meeting.meets_on))
    return {
        "meeting": meeting,
        "items": items,
        "attendances": attendances,
        "quorum": quorum(meeting, attendances),
        "open_actions": open_actions,
        "publish_by": publish_by(meeting.meets_on),
    }


def next_meeting(*, user, today: dt.date | None = None):
    today = today or timezone.localdate()
    return (
        Meeting.objects.visible_to(user)
        .filter(meets_on__gte=today)
        .exclude(status=Meeting.Status.CANCELLED)
        .order_by("meets_on", "starts_at")
        .first()
    )


def item_detail(*, user, pk: int) -> AgendaItem:
    """Raises AgendaItem.DoesNotExist when the user may not read the item."""
    return _items(user, Q()).select_related("meeting__committee").get(pk=pk)


def members(*, on: dt.date | None = None):
    """The committee's members and substitutes serving on a day, by council."""
    on = on or timezone.localdate()
    return (
        Membership.objects.filter(starts_on__lte=on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
        .select_related("user", "council", "committee")
        .order_by("council__name", "kind", "user__last_name")
    )


# Decisions and actions -----------------------------------------------------------------------------


def decision_list(*, user):
    return (
        Decision.objects.visible_to(user)
        .select_related("item__meeting")
        .prefetch_related("saving_lines", "programmes", "agreements")
        .order_by("-decided_on", "item__number", "pk")
    )


def action_list(*, user, today: dt.date | None = None):
    today = today or timezone.localdate()
    return (
        Action.objects.visible_to(user)
        .select_related("owner", "item__meeting", "decision")
        .annotate(
            is_overdue=Q(status__in=Action.OPEN_STATUSES, due_on__lt=today),
        )
        .order_by("due_on", "pk")
    )


def action_detail(*, user, pk: int) -> Action:
    return (
        action_list(user=user)
        .prefetch_related(Prefetch("updates", queryset=ActionUpdate.objects.select_related("author")))
        .get(pk=pk)
    )


def my_actions(*, user, today: dt.date | None = None):
    """The open actions the user owns, soonest due first."""
    return action_list(user=user, today=today).open().filter(owner=user)


def owns_open_actions(*, user) -> bool:
    """Whether ``my_actions`` can have any: a plain query, without the list's joins and visibility."""
    return Action.objects.open().filter(owner=user).exists()


def action_counts(*, user, today: dt.date | None = None) -> dict:
    today = today or timezone.localdate()
    return Action.objects.visible_to(user).aggregate(
        open=Count("pk", filter=Q(status__in=Action.OPEN_STATUSES)),
        overdue=Count("pk", filter=Q(status__in=Action.OPEN_STATUSES, due_on__lt=today)),
    )


def agenda_items(*, user, meeting: Meeting):
    """The items of a meeting the user may read, numbered, with their lead officers."""
    return AgendaItem.objects.visible_to(user).filter(meeting=meeting).select_related("lead_officer").order_by("number")


# The public pages (/open/): what anyone may read, signed in or not ----------------------------------


def public_meetings():
    return Meeting.objects.select_related("committee").order_by("-meets_on", "-starts_at")


def public_meeting_detail(pk: int) -> dict:
    """Raises Meeting.DoesNotExist for no such meeting."""
    meeting = public_meetings().get(pk=pk)
    approved = meeting.status == Meeting.Status.MINUTES_APPROVED
    items = list(
        AgendaItem.objects.filter(meeting=meeting, meeting__status__in=Meeting.AGENDA_STATUSES)
        .select_related("lead_officer", "minute")
        .prefetch_related(
            Prefetch("papers", queryset=Paper.objects.select_related("published_report__report")),
            Prefetch("decisions", queryset=Decision.objects.prefetch_related("saving_lines", "programmes")),
        )
        .order_by("number")
    )
    for item in items:
        item.public_papers = [] if item.is_exempt else [(p, public_paper_url(p)) for p in item.papers.all()]
        item.public_decisions = list(item.decisions.all()) if approved and not item.is_exempt else []
        item.public_minute = getattr(item, "minute", None) if approved and not item.is_exempt else None
    return {"meeting": meeting, "items": items, "minutes_approved": approved}


def paper_risks(*, user):
    """The risks the clerk may attach as papers: those of the register the user may see, the
    principal risks (those reported to the committee) first."""
    return Risk.objects.visible_to(user).order_by("-is_principal", "-residual_score", "title")


def public_paper(pk: int) -> Paper:
    """A paper anyone may read: of a published agenda and not of an exempt item (else DoesNotExist)."""
    return Paper.objects.public().select_related("item__meeting", "published_report__report").get(pk=pk)


def public_paper_url(paper: Paper) -> str | None:
    """Where the public reads a paper: the PDF, or the oneSource-wide figures of a linked report's
    month; None for what stays inside the portal (a council's agreement, the members' pack)."""
    from django.urls import reverse

    if paper.kind == Paper.Kind.UPLOAD:
        return reverse("open:paper_download", kwargs={"pk": paper.pk})
    if paper.kind == Paper.Kind.MONTHLY_REPORT:
        return reverse("open:figures_month", kwargs={"period": f"{paper.published_report.report.period:%Y-%m}"})
    return None


def saving_line_section(user, line):
    """On a saving line's page: the committee's decisions on the line. Members and staff follow
    each to its item; anyone else reads the decisions made public, on the open meeting page."""
    readers = reads_committee_pages(user)
    decisions = Decision.objects.visible_to(user) if readers else Decision.objects.public()
    rows = [
        {
            "decision": decision,
            "url": decision.get_absolute_url() if readers else decision.item.meeting.get_public_url(),
        }
        for decision in decisions.filter(saving_lines=line).select_related("item__meeting")
    ]
    return {"line": line, "decisions": rows} if rows else None


def public_decisions():
    return (
        Decision.objects.public()
        .select_related("item__meeting")
        .prefetch_related("saving_lines", "programmes")
        .order_by("-decided_on", "item__number", "pk")
    )


def next_public_meeting(today: dt.date | None = None):
    today = today or timezone.localdate()
    return public_meetings().filter(meets_on__gte=today).exclude(status=Meeting.Status.CANCELLED).last()
