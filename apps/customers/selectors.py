"""Reads for customer contact: each starts from what the access policy lets the user see."""

import datetime as dt

from django.db.models import (
    Avg,
    BooleanField,
    Case,
    Count,
    DateTimeField,
    ExpressionWrapper,
    F,
    Prefetch,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from apps.accounts.models import User
from apps.core import periods
from apps.core.policy import role_of
from apps.core.roles import STAFF_ROLES, Role

from .models import Enquiry, EnquiryMessage, Feedback, ImprovementAction, SatisfactionSurvey


def breached_q(now) -> Q:
    """Enquiries that missed a target, or are past one now (a stopped clock counts until it stopped)."""
    clock_stopped = Coalesce(F("paused_at"), Value(now, output_field=DateTimeField()))
    return (
        Q(first_response_met=False)
        | Q(resolution_met=False)
        | Q(first_responded_at__isnull=True, first_response_due_at__lt=clock_stopped)
        | Q(resolved_at__isnull=True, resolution_due_at__lt=clock_stopped)
    )


def _with_clock(queryset, now):
    """The moment the running clock runs out (none while stopped), to order by time left."""
    return queryset.annotate(
        next_due_at=Case(
            When(paused_at__isnull=False, then=Value(None, output_field=DateTimeField())),
            When(Q(status=Enquiry.Status.CLOSED) | Q(resolved_at__isnull=False), then=Value(None)),
            When(first_responded_at__isnull=True, then=F("first_response_due_at")),
            default=F("resolution_due_at"),
            output_field=DateTimeField(),
        ),
        breached=ExpressionWrapper(breached_q(now), output_field=BooleanField()),
    )


def enquiry_list(*, user, now=None):
    """The enquiries the user may see, the one with least time left first (stopped clocks last)."""
    now = now or timezone.now()
    queryset = (
        Enquiry.objects.visible_to(user)
        .select_related("partner", "service__area", "assignee", "raised_by")
        .annotate(
            awaiting_rating=ExpressionWrapper(
                Q(resolved_at__isnull=False, rating__isnull=True), output_field=BooleanField()
            )
        )
    )
    return _with_clock(queryset, now).order_by(F("next_due_at").asc(nulls_last=True), "-opened_at")


def with_clocks(enquiries, now=None) -> list:
    """Attach each enquiry's clock (``enquiry.clock_now``) for display; no queries."""
    now = now or timezone.now()
    rows = list(enquiries)
    for enquiry in rows:
        enquiry.clock_now = enquiry.clock(now)
    return rows


def enquiry_detail(*, user, pk: int) -> Enquiry:
    """One enquiry with its thread and rating; raises Enquiry.DoesNotExist when the user may not see it."""
    messages = EnquiryMessage.objects.select_related("author")
    return (
        Enquiry.objects.visible_to(user)
        .select_related("partner", "service__area", "service__lead_officer", "assignee", "raised_by", "rating")
        .prefetch_related(Prefetch("messages", queryset=messages))
        .get(pk=pk)
    )


def enquiry_allowed_actions(*, user, enquiry: Enquiry) -> dict[str, bool]:
    """What the user may do with an enquiry they can see, as the services will allow it."""
    manage = Enquiry.objects.editable_by(user).filter(pk=enquiry.pk).exists()
    customer = role_of(user) == Role.PARTNER_OFFICER and user.partner_id == enquiry.partner_id
    return {
        "manage": manage,
        "reply": enquiry.status != Enquiry.Status.CLOSED and (manage or customer),
        "rate": customer and enquiry.resolved_at is not None and not hasattr(enquiry, "rating"),
    }


def assignable_staff(*, enquiry):
    """Who may take an enquiry on: active officers and directors of its service's area."""
    return User.objects.filter(
        role__in=(Role.OFFICER, Role.DIRECTOR), service_areas=enquiry.service.area_id, is_active=True
    ).order_by("first_name", "last_name", "username")


def enquiry_figures(*, user, since=None):
    """Volume and timeliness by partner and service, for everyone who may see figures (the committee too)."""
    queryset = Enquiry.objects.figures_visible_to(user)
    if since:
        queryset = queryset.filter(opened_at__date__gte=since)
    return (
        queryset.values("partner__short_name", "service__name")
        .annotate(
            total=Count("pk"),
            answered=Count("pk", filter=Q(first_response_met__isnull=False)),
            answered_in_time=Count("pk", filter=Q(first_response_met=True)),
            resolved=Count("pk", filter=Q(resolution_met__isnull=False)),
            resolved_in_time=Count("pk", filter=Q(resolution_met=True)),
        )
        .order_by("partner__short_name", "service__name")
    )


def feedback_list(*, user):
    return Feedback.objects.visible_to(user).select_related("partner", "service", "given_by", "recorded_by", "survey")


def feedback_averages(*, user, by: str = "service", queryset=None):
    """Average score and number of responses by ``service``, ``partner`` or ``month``."""
    queryset = queryset if queryset is not None else Feedback.objects.figures_visible_to(user)
    if by == "month":
        grouped = queryset.annotate(month=TruncMonth("received_on")).values("month").order_by("-month")
    elif by == "partner":
        grouped = queryset.values("partner__short_name").order_by("partner__short_name")
    else:
        grouped = queryset.values("service__name").order_by("service__name")
    return grouped.annotate(average=Avg("score"), responses=Count("pk"))


def survey_list(*, user, today=None):
    today = today or timezone.localdate()
    queryset = (
        SatisfactionSurvey.objects.visible_to(user)
        .select_related("service")
        .annotate(
            response_count=Count("responses"),
            is_open=ExpressionWrapper(Q(opens_on__lte=today, closes_on__gte=today), output_field=BooleanField()),
        )
    )
    if role_of(user) == Role.PARTNER_OFFICER:
        queryset = queryset.annotate(
            answered=Count("responses", filter=Q(responses__given_by=user)),
        )
    return queryset.order_by("-opens_on", "service__name", "pk")


def open_actions(*, user):
    """Open improvement actions, grouped by service (the page regroups on the ordering)."""
    return (
        ImprovementAction.objects.visible_to(user)
        .open()
        .select_related("service__area", "partner", "owner")
        .order_by("service__name", "due_on", "pk")
    )


def action_list(*, user):
    return ImprovementAction.objects.visible_to(user).select_related("service__area", "partner", "owner")


def monthly_contact_figures(*, month: dt.date) -> list[dict]:
    """System-fed performance figures for one month, per partner and service.

    * enquiries answered within target: of the enquiries whose first response was due or given in the
      month, how many were answered within the first-response target (``answered_within_target`` out of
      ``answered_total``); one still unanswered at the end of the month after its due moment counts as missed;
    * satisfaction: the sum and number of feedback scores received in the month, so that averages
      across partners or months stay honest (Σ score / Σ responses).

    Two grouped queries whatever the number of enquiries.
    """
    zone = timezone.get_current_timezone()
    first = periods.month_start(month)
    starts = dt.datetime.combine(first, dt.time.min, tzinfo=zone)
    ends = dt.datetime.combine(periods.add_months(first, 1), dt.time.min, tzinfo=zone)
    answered_in_month = Q(first_responded_at__gte=starts, first_responded_at__lt=ends)
    missed_unanswered = Q(
        first_responded_at__isnull=True,
        first_response_due_at__gte=starts,
        first_response_due_at__lt=ends,
    ) | Q(first_responded_at__gte=ends, first_response_due_at__gte=starts, first_response_due_at__lt=ends)
    timeliness = (
        Enquiry.objects.filter(answered_in_month | missed_unanswered)
        .values("partner_id", "service_id")
        .annotate(
            answered_within_target=Count("pk", filter=answered_in_month & Q(first_response_met=True)),
            answered_total=Count("pk"),
        )
        .order_by()
    )
    satisfaction = (
        Feedback.objects.filter(received_on__gte=first, received_on__lt=periods.add_months(first, 1))
        .values("partner_id", "service_id")
        .annotate(satisfaction_sum=Sum("score"), satisfaction_count=Count("pk"))
        .order_by()
    )
    figures: dict[tuple[int, int], dict] = {}
    empty = {"answered_within_target": 0, "answered_total": 0, "satisfaction_sum": 0, "satisfaction_count": 0}
    for row in [*timeliness, *satisfaction]:
        key = (row.pop("partner_id"), row.pop("service_id"))
        figures.setdefault(key, {"partner_id": key[0], "service_id": key[1], **empty}).update(row)
    return [figures[key] for key in sorted(figures)]


# Page contributions ------------------------------------------------------------------------------


def dashboard_panel(user):
    """A partner officer's open enquiries and those waiting for a rating; staff's enquiries to act on:
    new ones nobody has taken on, their own, and any near or past a target."""
    role = role_of(user)
    now = timezone.now()
    active = Q(status__in=Enquiry.ACTIVE_STATUSES)
    if role == Role.PARTNER_OFFICER:
        # One query for both lists: those waiting for a rating first, then the open ones by time left.
        rows = with_clocks(
            enquiry_list(user=user, now=now)
            .select_related(None)
            .select_related("assignee")  # all the panel shows of another row; fewer joins to plan
            .filter(active | Q(resolved_at__isnull=False, rating__isnull=True))
            .order_by(F("awaiting_rating").desc(), F("next_due_at").asc(nulls_last=True), "-opened_at")[:20],
            now,
        )
        return {
            "kind": "partner",
            "enquiries": [row for row in rows if row.status in Enquiry.ACTIVE_STATUSES][:10],
            "to_rate": [row for row in rows if row.awaiting_rating][:10],
        }
    if role in STAFF_ROLES:
        to_act_on = (
            Q(status=Enquiry.Status.OPEN, assignee__isnull=True)
            | Q(assignee=user)
            | Q(first_responded_at__isnull=True, first_response_warn_at__lte=now)
            | Q(first_responded_at__isnull=False, resolution_warn_at__lte=now)
        )
        rows = with_clocks(
            enquiry_list(user=user, now=now)
            .select_related(None)
            .select_related("partner", "assignee")  # what the panel shows of other rows
            .filter(active, to_act_on, paused_at__isnull=True)[:10],
            now,
        )
        return {"kind": "staff", "enquiries": rows}
    return None


def partner_section(user, partner):
    """On a partner's page: its open enquiries (for those who may read them) and its satisfaction."""
    enquiries = None
    if role_of(user) != Role.COMMITTEE_MEMBER:
        enquiries = with_clocks(
            enquiry_list(user=user).filter(partner=partner, status__in=Enquiry.ACTIVE_STATUSES)[:20]
        )
    satisfaction = feedback_averages(
        user=user, by="service", queryset=Feedback.objects.figures_visible_to(user).filter(partner=partner)
    )
    return {"partner": partner, "enquiries": enquiries, "satisfaction": list(satisfaction)}
