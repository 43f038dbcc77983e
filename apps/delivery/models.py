"""The yearly delivery plan: the strategy's objectives, their outcomes and the owned activities."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from apps.catalogue.models import ServiceArea
from apps.core.models import TimeStampedModel
from apps.core.periods import fy_label
from apps.core.policy import PolicyQuerySet, area_ids, role_of
from apps.core.roles import STAFF_ROLES, Role
from apps.partners.models import Partner

PROGRESS_MESSAGE = "Progress is a percentage from 0 to 100."
progress_validators = [MinValueValidator(0, message=PROGRESS_MESSAGE), MaxValueValidator(100, message=PROGRESS_MESSAGE)]


class PlanQuerySet(PolicyQuerySet):
    """Every signed-in user reads the plan; only oneSource staff see a plan still in draft."""

    def visible_to(self, user):
        role = role_of(user)
        if role is None:
            return self.none()
        return self if role in STAFF_ROLES else self.filter(status=Plan.Status.PUBLISHED)


class Plan(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    financial_year = models.PositiveSmallIntegerField(unique=True, help_text="The year it starts in: 2016 is 2016/17.")
    vision = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    rolled_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="rolled_into"
    )

    history = HistoricalRecords()
    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["-financial_year"]

    def __str__(self):
        return f"Delivery plan {self.year_label}"

    @property
    def year_label(self) -> str:
        return fy_label(self.financial_year)

    def get_absolute_url(self):
        return reverse("delivery:plan_detail", kwargs={"year": self.financial_year})


class ObjectiveQuerySet(PolicyQuerySet):
    def visible_to(self, user):
        return self.filter(plan__in=Plan.objects.visible_to(user))


class StrategicObjective(TimeStampedModel):
    """One of the strategy's objectives, a column of the plan's table."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="objectives")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=120)

    history = HistoricalRecords()
    objects = ObjectiveQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "position"], name="objective_unique_position"),
            models.UniqueConstraint(
                fields=["plan", "title"],
                name="objective_unique_title",
                violation_error_message="This plan already has an objective of that name.",
            ),
        ]

    def __str__(self):
        return self.title


class OutcomeQuerySet(PolicyQuerySet):
    def visible_to(self, user):
        return self.filter(objective__plan__in=Plan.objects.visible_to(user))


class Outcome(TimeStampedModel):
    """A service-level priority or outcome under an objective."""

    objective = models.ForeignKey(StrategicObjective, on_delete=models.CASCADE, related_name="outcomes")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)
    all_areas = models.BooleanField(default=True, help_text="Led by every service area (“All” in the plan).")
    lead_areas = models.ManyToManyField(ServiceArea, blank=True, related_name="delivery_outcomes")

    objects = OutcomeQuerySet.as_manager()

    class Meta:
        ordering = ["objective", "position"]
        constraints = [
            models.UniqueConstraint(fields=["objective", "position"], name="outcome_unique_position"),
        ]

    def __str__(self):
        return self.title


class ActivityStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    OFF_TRACK = "off_track", "Off track"
    COMPLETE = "complete", "Complete"
    CANCELLED = "cancelled", "Cancelled"


#: GOV.UK tag colours of each status.
STATUS_COLOURS = {
    ActivityStatus.NOT_STARTED: "grey",
    ActivityStatus.ON_TRACK: "green",
    ActivityStatus.AT_RISK: "yellow",
    ActivityStatus.OFF_TRACK: "red",
    ActivityStatus.COMPLETE: "blue",
    ActivityStatus.CANCELLED: "grey",
}

#: Statuses of an activity that is finished with: never overdue, never rolled forward.
CLOSED_STATUSES = (ActivityStatus.COMPLETE, ActivityStatus.CANCELLED)


class ActivityQuerySet(PolicyQuerySet):
    def visible_to(self, user):
        return self.filter(objective__plan__in=Plan.objects.visible_to(user))

    def editable_by(self, user):
        """Admins; the owner; a director of one of its lead areas or of the owner's areas."""
        role = role_of(user)
        if role == Role.ADMIN:
            return self
        if role == Role.DIRECTOR:
            mine = Activity.objects.filter(
                Q(owner=user) | Q(lead_areas__in=area_ids(user)) | Q(owner__service_areas__in=area_ids(user))
            )
            return self.filter(pk__in=mine.values("pk"))
        if role == Role.OFFICER:
            return self.filter(owner=user)
        return self.none()

    def open(self):
        return self.exclude(status__in=CLOSED_STATUSES)

    def overdue(self, today=None):
        return self.open().filter(due_on__lt=today or timezone.localdate())

    def with_overdue(self, today=None):
        today = today or timezone.localdate()
        return self.annotate(
            is_overdue=models.Case(
                models.When(Q(due_on__lt=today) & ~Q(status__in=CLOSED_STATUSES), then=True),
                default=False,
                output_field=models.BooleanField(),
            )
        )


class Activity(TimeStampedModel):
    """A key activity of the plan, or one supporting the councils' corporate priorities."""

    class Kind(models.TextChoices):
        KEY = "key", "Key activity"
        CORPORATE = "corporate", "Supports the councils' corporate priorities"

    Status = ActivityStatus

    objective = models.ForeignKey(StrategicObjective, on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.KEY)
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)
    all_areas = models.BooleanField(default=False, help_text="Led by every service area (“All” in the plan).")
    lead_areas = models.ManyToManyField(ServiceArea, blank=True, related_name="delivery_activities")
    supported_partners = models.ManyToManyField(
        Partner,
        blank=True,
        related_name="supported_activities",
        help_text="The councils whose corporate priorities this activity supports.",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_activities",
        limit_choices_to={"role__in": [Role.ADMIN, Role.DIRECTOR, Role.OFFICER]},
    )
    starts_on = models.DateField()
    due_on = models.DateField()
    status = models.CharField(max_length=12, choices=ActivityStatus.choices, default=ActivityStatus.NOT_STARTED)
    progress = models.PositiveSmallIntegerField(default=0, validators=progress_validators, help_text="Per cent.")
    rolled_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="rolled_into"
    )
    # The due date each reminder was last sent for: once each, and again if the date moves.
    due_soon_sent_for = models.DateField(null=True, blank=True, editable=False)
    overdue_sent_for = models.DateField(null=True, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["due_soon_sent_for", "overdue_sent_for"])
    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["objective__position", "kind", "position"]
        verbose_name_plural = "activities"
        constraints = [
            models.UniqueConstraint(fields=["objective", "kind", "position"], name="activity_unique_position"),
            models.CheckConstraint(
                condition=Q(progress__gte=0) & Q(progress__lte=100),
                name="activity_progress_0_to_100",
                violation_error_message=PROGRESS_MESSAGE,
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("starts_on")),
                name="activity_due_after_start",
                violation_error_message="The due date cannot be before the start date.",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if self.starts_on and self.due_on and self.due_on < self.starts_on:
            raise ValidationError({"due_on": "The due date cannot be before the start date."})

    def get_absolute_url(self):
        return reverse("delivery:activity_detail", kwargs={"pk": self.pk})

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES

    def overdue_on(self, today) -> bool:
        return not self.is_closed and self.due_on < today

    @property
    def lead_codes(self) -> str:
        """The service codes as the plan prints them: "All", or "EXT, BS"."""
        return "All" if self.all_areas else ", ".join(area.code for area in self.lead_areas.all())

    @property
    def status_colour(self) -> str:
        return STATUS_COLOURS[self.status]


class ActivityUpdateQuerySet(PolicyQuerySet):
    def visible_to(self, user):
        return self.filter(activity__in=Activity.objects.visible_to(user))


class ActivityUpdate(models.Model):
    """A dated progress report on an activity; the latest sets the activity's status and progress."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="updates")
    posted_on = models.DateField(help_text="The date the update reports on.")
    status = models.CharField(max_length=12, choices=ActivityStatus.choices)
    progress = models.PositiveSmallIntegerField(validators=progress_validators, help_text="Per cent.")
    narrative = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="activity_updates")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ActivityUpdateQuerySet.as_manager()

    class Meta:
        ordering = ["-posted_on", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0) & Q(progress__lte=100),
                name="activity_update_progress_0_to_100",
                violation_error_message=PROGRESS_MESSAGE,
            ),
        ]

    def __str__(self):
        return f"{self.activity}: {self.get_status_display()} on {self.posted_on:%d %B %Y}"

    @property
    def status_colour(self) -> str:
        return STATUS_COLOURS[self.status]
