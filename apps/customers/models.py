"""Customer contact: enquiries and their working-time clocks, feedback, and improvement actions."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from apps.catalogue.models import Service, Subscription
from apps.core import periods
from apps.core.models import OPEN_ACTION_STATUSES, ActionStatus, TimeStampedModel
from apps.core.policy import PolicyQuerySet, role_of
from apps.core.roles import Role
from apps.partners.models import Partner

#: Used when a service has no target of its own for a priority: (first response, resolution) in working days.
DEFAULT_TARGET_DAYS = {
    "urgent": (Decimal("0.5"), Decimal("2")),
    "high": (Decimal("1"), Decimal("5")),
    "normal": (Decimal("2"), Decimal("10")),
    "low": (Decimal("5"), Decimal("20")),
}
#: A warning is due once this share of a target has been used.
WARNING_SHARE = Decimal("0.75")


class Priority(models.TextChoices):
    URGENT = "urgent", "Urgent"
    HIGH = "high", "High"
    NORMAL = "normal", "Normal"
    LOW = "low", "Low"


class ResponseTargetQuerySet(PolicyQuerySet):
    area_lookup = "service__area"

    def visible_to(self, user):
        # Targets are published to customers, so every signed-in user may read them.
        return self if role_of(user) else self.none()


class ResponseTarget(TimeStampedModel):
    """How quickly a service answers and resolves an enquiry of one priority, in working days."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="response_targets")
    priority = models.CharField(max_length=10, choices=Priority.choices)
    first_response_days = models.DecimalField(
        max_digits=4, decimal_places=1, validators=[MinValueValidator(Decimal("0.1"))]
    )
    resolution_days = models.DecimalField(
        max_digits=4, decimal_places=1, validators=[MinValueValidator(Decimal("0.1"))]
    )

    history = HistoricalRecords()
    objects = ResponseTargetQuerySet.as_manager()

    class Meta:
        ordering = ["service__name", "priority"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "priority"],
                name="response_target_one_per_service_priority",
                violation_error_message="This service already has a target for that priority.",
            ),
            models.CheckConstraint(
                condition=Q(first_response_days__gt=0) & Q(resolution_days__gte=models.F("first_response_days")),
                name="response_target_resolution_after_response",
                violation_error_message="The resolution target cannot be shorter than the first-response target.",
            ),
        ]

    def __str__(self):
        return f"{self.service}: {self.get_priority_display()}"


class EnquiryQuerySet(PolicyQuerySet):
    partner_lookup = "partner"
    area_lookup = "service__area"

    def visible_to(self, user):
        # The committee sees the figures (selectors.enquiry_figures), never an individual enquiry.
        if role_of(user) == Role.COMMITTEE_MEMBER:
            return self.none()
        return super().visible_to(user)

    def editable_by(self, user):
        """Staff who may reply, assign and change status: officers and directors of the service's area."""
        role = role_of(user)
        if role == Role.ADMIN:
            return self
        if role in (Role.DIRECTOR, Role.OFFICER):
            return self._for_areas(user)
        return self.none()

    def figures_visible_to(self, user):
        """The rows counted in figures: the committee's figures cover every partner."""
        if role_of(user) == Role.COMMITTEE_MEMBER:
            return self
        return self.visible_to(user)


class Enquiry(TimeStampedModel):
    """A partner's question or request about a service, with its thread and its clocks.

    Two clocks run in office time from ``opened_at``: the first response and the resolution. A clock
    stops while the enquiry awaits the customer (or is resolved): ``paused_at`` is set, and on resuming
    the paused office time is added to ``paused_seconds`` and the due moments move on by as much. The
    due and warning moments are stored so that the queue is ordered and alerts are found in SQL.
    """

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in_progress", "In progress"
        AWAITING_CUSTOMER = "awaiting_customer", "Awaiting customer"
        RESOLVED = "resolved", "Resolved"
        CLOSED = "closed", "Closed"

    class Channel(models.TextChoices):
        PORTAL = "portal", "Portal"
        EMAIL = "email", "Email"
        PHONE = "phone", "Telephone"
        MEETING = "meeting", "Meeting"

    RUNNING_STATUSES = (Status.OPEN, Status.IN_PROGRESS)
    ACTIVE_STATUSES = (Status.OPEN, Status.IN_PROGRESS, Status.AWAITING_CUSTOMER)

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="enquiries")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="enquiries")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="enquiries_raised")
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.PORTAL)
    subject = models.CharField(max_length=200)
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="enquiries_assigned",
    )

    opened_at = models.DateTimeField()
    first_response_target_seconds = models.PositiveIntegerField()
    resolution_target_seconds = models.PositiveIntegerField()
    first_response_due_at = models.DateTimeField()
    first_response_warn_at = models.DateTimeField()
    resolution_due_at = models.DateTimeField()
    resolution_warn_at = models.DateTimeField()
    paused_at = models.DateTimeField(null=True, blank=True)
    paused_seconds = models.PositiveIntegerField(default=0)
    first_responded_at = models.DateTimeField(null=True, blank=True)
    first_response_met = models.BooleanField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution_met = models.BooleanField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Alerts go once each: these record that they went.
    response_warning_sent_at = models.DateTimeField(null=True, blank=True)
    response_breach_sent_at = models.DateTimeField(null=True, blank=True)
    resolution_warning_sent_at = models.DateTimeField(null=True, blank=True)
    resolution_breach_sent_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = EnquiryQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at"]
        verbose_name_plural = "enquiries"
        indexes = [models.Index(fields=["status", "resolution_due_at"], name="enquiry_status_due")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(subject=""), name="enquiry_has_subject", violation_error_message="Enter a subject."
            ),
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=True) | Q(status__in=["resolved", "closed"]),
                name="enquiry_resolved_only_when_resolved",
            ),
            models.CheckConstraint(
                condition=Q(resolution_target_seconds__gte=models.F("first_response_target_seconds")),
                name="enquiry_resolution_target_after_response",
            ),
        ]

    def __str__(self):
        return f"{self.reference}: {self.subject}"

    def get_absolute_url(self):
        return reverse("customers:enquiry_detail", kwargs={"pk": self.pk})

    @property
    def reference(self) -> str:
        return f"ENQ-{self.pk:05d}" if self.pk else "ENQ-new"

    @property
    def is_paused(self) -> bool:
        return self.paused_at is not None

    def elapsed_seconds(self, at) -> int:
        """Office time the clock has run from opening until ``at``, pauses left out."""
        elapsed = periods.working_seconds_between(self.opened_at, at) - self.paused_seconds
        if self.paused_at is not None:
            elapsed -= periods.working_seconds_between(self.paused_at, at)
        return max(0, elapsed)

    @property
    def working_seconds_to_resolve(self) -> int | None:
        """Office time from opening to resolution, less the time the clock stood still awaiting the
        customer: the enquiry's one clock, which its page and the monthly report's median both read."""
        return None if self.resolved_at is None else self.elapsed_seconds(self.resolved_at)

    @property
    def resolve_time_text(self) -> str:
        seconds = self.working_seconds_to_resolve
        return "–" if seconds is None else periods.format_working_time(seconds)

    def clock(self, now) -> dict | None:
        """The clock that matters now (first response until answered, then resolution), or None once settled."""
        if self.status == self.Status.CLOSED or self.resolved_at is not None:
            return None
        if self.first_responded_at is None:
            name, target, due_at = (
                "first response",
                self.first_response_target_seconds,
                self.first_response_due_at,
            )
        else:
            name, target, due_at = (
                "resolution",
                self.resolution_target_seconds,
                self.resolution_due_at,
            )
        elapsed = self.elapsed_seconds(now)
        return {
            "name": name,
            "target": target,
            "elapsed": elapsed,
            "left": target - elapsed,
            "used_percent": round(100 * elapsed / target) if target else 100,
            "due_at": None if self.is_paused else due_at,
            "paused": self.is_paused,
            "warning": elapsed >= target * WARNING_SHARE and elapsed <= target,
            "breached": elapsed > target,
            "left_text": periods.format_working_time(target - elapsed),
            "over_text": periods.format_working_time(elapsed - target),
        }

    @property
    def is_breached(self) -> bool:
        return self.first_response_met is False or self.resolution_met is False


def attachment_path(instance, filename):
    return f"enquiries/{instance.enquiry_id}/{filename}"


class EnquiryMessageQuerySet(PolicyQuerySet):
    partner_lookup = "enquiry__partner"
    area_lookup = "enquiry__service__area"

    def visible_to(self, user):
        if role_of(user) == Role.COMMITTEE_MEMBER:
            return self.none()
        return super().visible_to(user)


class EnquiryMessage(models.Model):
    """One message in an enquiry's thread. Its body is plain text, shown escaped."""

    enquiry = models.ForeignKey(Enquiry, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="enquiry_messages")
    body = models.TextField()
    sent_at = models.DateTimeField()
    from_staff = models.BooleanField(help_text="Written by oneSource staff rather than the customer.")
    attachment = models.FileField(upload_to=attachment_path, blank=True)
    attachment_name = models.CharField(max_length=200, blank=True)

    objects = EnquiryMessageQuerySet.as_manager()

    class Meta:
        ordering = ["sent_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(body=""), name="enquiry_message_has_body", violation_error_message="Enter a message."
            ),
        ]

    def __str__(self):
        return f"{self.author} on {self.enquiry.reference}"

    def get_attachment_url(self):
        return reverse("customers:message_attachment", kwargs={"pk": self.enquiry_id, "message_pk": self.pk})


class SatisfactionSurveyQuerySet(PolicyQuerySet):
    area_lookup = "service__area"

    def visible_to(self, user):
        queryset = super().visible_to(user)
        if role_of(user) == Role.PARTNER_OFFICER:
            # A partner officer is asked about the services their council takes.
            taken = Subscription.objects.filter(partner_id=user.partner_id).values("service")
            queryset = queryset.filter(service__in=taken)
        return queryset

    def open_on(self, day):
        return self.filter(opens_on__lte=day, closes_on__gte=day)


class SatisfactionSurvey(TimeStampedModel):
    """A satisfaction survey of one service, open to its customers for a period."""

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="surveys")
    title = models.CharField(max_length=200)
    question = models.CharField(
        max_length=300,
        default="How satisfied are you with this service overall? (1 very dissatisfied, 5 very satisfied)",
    )
    opens_on = models.DateField()
    closes_on = models.DateField()
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="surveys_opened")

    history = HistoricalRecords()
    objects = SatisfactionSurveyQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_on", "service__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")),
                name="survey_closes_after_opening",
                violation_error_message="A survey cannot close before it opens.",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("customers:survey_detail", kwargs={"pk": self.pk})


class FeedbackQuerySet(PolicyQuerySet):
    partner_lookup = "partner"
    area_lookup = "service__area"

    def visible_to(self, user):
        # Individual comments are not for the committee: it sees the averages.
        if role_of(user) == Role.COMMITTEE_MEMBER:
            return self.none()
        return super().visible_to(user)

    def figures_visible_to(self, user):
        if role_of(user) == Role.COMMITTEE_MEMBER:
            return self
        return self.visible_to(user)


class Feedback(TimeStampedModel):
    """A satisfaction score from 1 to 5 with a comment, from a partner about a service."""

    class Source(models.TextChoices):
        ENQUIRY = "enquiry", "Enquiry rating"
        SURVEY = "survey", "Satisfaction survey"
        WORKSHOP = "workshop", "Workshop"
        INFORMAL = "informal", "Informal contact"

    STAFF_LOGGED = (Source.WORKSHOP, Source.INFORMAL)

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="feedback")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="feedback")
    source = models.CharField(max_length=10, choices=Source.choices)
    score = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(blank=True)
    received_on = models.DateField()
    enquiry = models.OneToOneField(Enquiry, on_delete=models.CASCADE, null=True, blank=True, related_name="rating")
    survey = models.ForeignKey(
        SatisfactionSurvey, on_delete=models.PROTECT, null=True, blank=True, related_name="responses"
    )
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feedback_given",
        help_text="The partner officer who gave it, when given in the portal.",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="feedback_recorded"
    )

    history = HistoricalRecords()
    objects = FeedbackQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name_plural = "feedback"
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=1) & Q(score__lte=5),
                name="feedback_score_1_to_5",
                violation_error_message="A score is from 1 to 5.",
            ),
            models.CheckConstraint(
                condition=(Q(source="enquiry") & Q(enquiry__isnull=False))
                | (~Q(source="enquiry") & Q(enquiry__isnull=True)),
                name="feedback_enquiry_rating_names_its_enquiry",
            ),
            models.CheckConstraint(
                condition=(Q(source="survey") & Q(survey__isnull=False))
                | (~Q(source="survey") & Q(survey__isnull=True)),
                name="feedback_survey_answer_names_its_survey",
            ),
            models.UniqueConstraint(
                fields=["survey", "given_by"],
                condition=Q(survey__isnull=False),
                name="feedback_one_answer_per_survey_and_person",
                violation_error_message="You have already answered this survey.",
            ),
        ]

    def __str__(self):
        return f"{self.partner.short_name}, {self.service}: {self.score}/5"


class ImprovementActionQuerySet(PolicyQuerySet):
    partner_lookup = "partner"
    area_lookup = "service__area"

    def visible_to(self, user):
        if role_of(user) == Role.PARTNER_OFFICER and user.partner_id:
            # Lessons that concern no partner in particular are shared with every partner.
            return self.filter(Q(partner_id=user.partner_id) | Q(partner__isnull=True))
        return super().visible_to(user)

    def editable_by(self, user):
        if role_of(user) in (Role.DIRECTOR, Role.OFFICER):
            return self._for_areas(user)
        return super().editable_by(user)

    def open(self):
        return self.filter(status__in=ImprovementAction.OPEN_STATUSES)


class ImprovementAction(TimeStampedModel):
    """Continuous improvement: what was learnt, from where, and what is being done about it."""

    class Origin(models.TextChoices):
        FEEDBACK = "feedback", "Feedback"
        ENQUIRY = "enquiry", "Enquiry"
        REVIEW = "review", "Review"

    Status = ActionStatus
    OPEN_STATUSES = OPEN_ACTION_STATUSES

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="improvement_actions")
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="improvement_actions",
        help_text="The partner it concerns, if one in particular.",
    )
    origin = models.CharField(max_length=10, choices=Origin.choices)
    feedback = models.ForeignKey(
        Feedback, on_delete=models.SET_NULL, null=True, blank=True, related_name="improvement_actions"
    )
    enquiry = models.ForeignKey(
        Enquiry, on_delete=models.SET_NULL, null=True, blank=True, related_name="improvement_actions"
    )
    review = models.CharField(max_length=200, blank=True, help_text="The review it came from, when from a review.")
    learnt = models.TextField("What was learnt")
    action = models.TextField("The action")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="improvement_actions")
    due_on = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    completed_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords()
    objects = ImprovementActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="done") | Q(completed_on__isnull=False),
                name="improvement_action_done_has_date",
                violation_error_message="Give the date a done action was completed.",
            ),
        ]

    def __str__(self):
        return self.action[:80]

    def get_absolute_url(self):
        return reverse("customers:action_update", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES
