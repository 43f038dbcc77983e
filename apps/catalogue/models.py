import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from apps.core.models import TimeStampedModel
from apps.core.periods import fy_label, month_end, month_start
from apps.core.policy import PolicyQuerySet, role_of
from apps.core.roles import Role
from apps.partners.models import Partner


class ServiceAreaQuerySet(PolicyQuerySet):
    """Service areas are the public face of oneSource: every signed-in user may read them."""

    def editable_by(self, user):
        if role_of(user) == Role.DIRECTOR:
            return self.filter(pk__in=user.service_areas.values("pk"))
        return super().editable_by(user)


class ServiceArea(TimeStampedModel):
    """One of oneSource's service areas, from the services key of the strategic plan."""

    code = models.CharField(max_length=10, unique=True)
    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    director = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="directed_areas",
        limit_choices_to={"role": Role.DIRECTOR},
    )
    display_order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()
    objects = ServiceAreaQuerySet.as_manager()

    class Meta:
        ordering = ["display_order", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("catalogue:area_detail", kwargs={"code": self.code})


class ServiceQuerySet(PolicyQuerySet):
    area_lookup = "area"

    def visible_to(self, user):
        # The catalogue is open to every signed-in user: partners choose what to commission from it.
        return self if role_of(user) else self.none()


class Service(TimeStampedModel):
    area = models.ForeignKey(ServiceArea, on_delete=models.PROTECT, related_name="services")
    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=160, unique=True)
    description = models.TextField(blank=True)
    lead_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_services",
        help_text="The oneSource lead officer, the point of contact for this service.",
    )
    is_available = models.BooleanField(default=True, help_text="Open to new commissioning requests.")

    history = HistoricalRecords()
    objects = ServiceQuerySet.as_manager()

    class Meta:
        ordering = ["area__display_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["area", "name"], name="service_unique_name_in_area"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("catalogue:service_detail", kwargs={"slug": self.slug})


def in_force_q(first: dt.date, last: dt.date, prefix: str = "") -> Q:
    """Subscriptions in force at some time from ``first`` to ``last`` (both included), as a filter.

    The one test of "in force": started on or before the last day and not ended before the first. For
    a month, a partner joining on 15 October is in force in October, and so is one leaving on 15
    October: each is reported, entered and counted for that month. ``prefix`` reaches the
    subscriptions from another model (``"subscriptions__"`` from a partner).
    """
    return Q(**{f"{prefix}starts_on__lte": last}) & (
        Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": first})
    )


def is_in_force(starts_on: dt.date, ends_on: dt.date | None, first: dt.date, last: dt.date) -> bool:
    """``in_force_q`` for a subscription already read: the same test, on its two dates."""
    return starts_on <= last and (ends_on is None or ends_on >= first)


class SubscriptionQuerySet(PolicyQuerySet):
    partner_lookup = "partner"
    area_lookup = "service__area"

    def in_force_between(self, first: dt.date, last: dt.date):
        return self.filter(in_force_q(first, last))

    def in_force_in(self, month: dt.date):
        """The subscriptions in force in the month that ``month`` falls in (see ``in_force_q``)."""
        return self.in_force_between(month_start(month), month_end(month))

    def current(self, day=None):
        """In force on one day (today when not given)."""
        day = day or timezone.localdate()
        return self.in_force_between(day, day)


class Subscription(TimeStampedModel):
    """A partner takes a service from a date, until a date or open-ended."""

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="subscriptions")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="subscriptions")
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords()
    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["partner__name", "service__area__display_order", "service__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "service"],
                condition=Q(ends_on__isnull=True),
                name="subscription_one_open_per_partner_service",
                violation_error_message="This partner already takes this service.",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="subscription_ends_after_start",
                violation_error_message="A subscription cannot end before it starts.",
            ),
        ]

    def __str__(self):
        return f"{self.partner.short_name}: {self.service.name}"

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        return is_in_force(self.starts_on, self.ends_on, today, today)


class CostShareQuerySet(PolicyQuerySet):
    partner_lookup = "partner"
    area_lookup = "area"


class CostShare(TimeStampedModel):
    """The percentage of a service area's shared cost that one Joint Committee partner bears."""

    area = models.ForeignKey(ServiceArea, on_delete=models.PROTECT, related_name="cost_shares")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="cost_shares")
    financial_year = models.PositiveSmallIntegerField(help_text="The year it starts in: 2016 is 2016/17.")
    percentage = models.DecimalField(max_digits=5, decimal_places=2)

    history = HistoricalRecords()
    objects = CostShareQuerySet.as_manager()

    class Meta:
        ordering = ["-financial_year", "area__display_order", "partner__name"]
        constraints = [
            models.UniqueConstraint(fields=["area", "partner", "financial_year"], name="cost_share_unique"),
            models.CheckConstraint(
                condition=Q(percentage__gte=0) & Q(percentage__lte=100),
                name="cost_share_percentage_0_to_100",
                violation_error_message="A share is a percentage from 0 to 100.",
            ),
        ]

    def __str__(self):
        return f"{self.area.code} {self.financial_year_label} {self.partner.short_name}: {self.percentage}%"

    @property
    def financial_year_label(self) -> str:
        return fy_label(self.financial_year)


class CommissioningRequestQuerySet(PolicyQuerySet):
    partner_lookup = "partner"
    area_lookup = "service__area"

    def open(self):
        return self.filter(status__in=CommissioningRequest.OPEN_STATUSES)


class CommissioningRequest(TimeStampedModel):
    """A partner asks for an additional service; oneSource accepts or declines it."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"
        UNDER_REVIEW = "under_review", "Under review"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"

    OPEN_STATUSES = (Status.SUBMITTED, Status.UNDER_REVIEW)

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="commissioning_requests")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="commissioning_requests")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="commissioning_requests"
    )
    needed_from = models.DateField(help_text="When the partner would like the service to start.")
    details = models.TextField(help_text="What the partner needs, and why.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commissioning_decisions",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    subscription = models.OneToOneField(
        Subscription, on_delete=models.SET_NULL, null=True, blank=True, related_name="request"
    )

    history = HistoricalRecords()
    objects = CommissioningRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "service"],
                condition=Q(status__in=["submitted", "under_review"]),
                name="commissioning_one_open_request_per_service",
                violation_error_message="This partner already has an open request for this service.",
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decision_reason=""),
                name="commissioning_decline_has_reason",
                violation_error_message="A declined request needs a reason.",
            ),
        ]

    def __str__(self):
        return f"{self.partner.short_name} asks for {self.service.name}"

    def get_absolute_url(self):
        return reverse("catalogue:request_detail", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES
