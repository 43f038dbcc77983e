"""Service level agreements: the two-way contract between oneSource and each partner.

An agreement has versions. A draft is signed by both sides and becomes active; a review makes a
new draft version, and activating it supersedes the version it was made from. Only one version
of a partner's agreement is in force (active or under review) at a time, which the database
enforces.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from apps.catalogue.models import Service
from apps.core.models import TimeStampedModel
from apps.core.money import format_money
from apps.core.policy import PolicyQuerySet, role_of
from apps.core.roles import Role
from apps.kpis.models import KPI
from apps.partners.models import Partner

IN_FORCE = ("active", "under_review")


class AgreementQuerySet(PolicyQuerySet):
    partner_lookup = "partner"

    def visible_to(self, user):
        queryset = super().visible_to(user)
        if role_of(user) == Role.COMMITTEE_MEMBER:
            # The committee sees what has been agreed, never a draft still being negotiated.
            return queryset.exclude(status=Agreement.Status.DRAFT)
        return queryset

    def in_force(self):
        return self.filter(status__in=IN_FORCE)

    def drafts(self):
        return self.filter(status=Agreement.Status.DRAFT)


class Agreement(TimeStampedModel):
    """One version of a partner's service level agreement."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ACTIVE = "active", "Active"
        UNDER_REVIEW = "under_review", "Under review"
        EXPIRED = "expired", "Expired"
        SUPERSEDED = "superseded", "Superseded"

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="agreements")
    reference = models.CharField(max_length=30, help_text="The same for every version, for example SLA-HAV.")
    version = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True, help_text="What the agreement covers, in a paragraph.")
    starts_on = models.DateField()
    ends_on = models.DateField()
    review_due_on = models.DateField(help_text="When both sides review the agreement.")
    illustrative = models.BooleanField(
        default=False,
        help_text="Invented for the demo (dates, charges and standards are examples); pages say so beside it.",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_agreements",
        help_text="The oneSource officer responsible for the agreement; review reminders go to them.",
    )
    previous = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="revisions",
        help_text="The version this one revises.",
    )
    partner_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    partner_signed_at = models.DateTimeField(null=True, blank=True)
    onesource_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    onesource_signed_at = models.DateTimeField(null=True, blank=True)
    activated_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()
    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = ["partner__name", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner"],
                condition=Q(status__in=IN_FORCE),
                name="agreement_one_in_force_per_partner",
                violation_error_message="This partner already has an agreement in force.",
            ),
            models.UniqueConstraint(
                fields=["partner", "version"],
                name="agreement_unique_version_per_partner",
                violation_error_message="This partner's agreement already has that version.",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")),
                name="agreement_ends_after_start",
                violation_error_message="The end date must be after the start date.",
            ),
            models.CheckConstraint(
                condition=Q(status="draft")
                | (Q(partner_signed_at__isnull=False) & Q(onesource_signed_at__isnull=False)),
                name="agreement_signed_by_both_unless_draft",
                violation_error_message="An agreement comes into force only once both sides have signed it.",
            ),
        ]

    def __str__(self):
        return f"{self.reference} version {self.version} ({self.partner.short_name})"

    def get_absolute_url(self):
        return reverse("slas:agreement_detail", kwargs={"pk": self.pk})

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_in_force(self) -> bool:
        return self.status in IN_FORCE

    @property
    def is_signed_by_partner(self) -> bool:
        return self.partner_signed_at is not None

    @property
    def is_signed_by_onesource(self) -> bool:
        return self.onesource_signed_at is not None


class AgreementPartQuerySet(PolicyQuerySet):
    partner_lookup = "agreement__partner"

    def visible_to(self, user):
        queryset = super().visible_to(user)
        if role_of(user) == Role.COMMITTEE_MEMBER:
            return queryset.exclude(agreement__status=Agreement.Status.DRAFT)
        return queryset


class ServiceSchedule(TimeStampedModel):
    """A service the agreement covers: what is provided, and what it costs the partner each year."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="schedules")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="schedules")
    scope = models.TextField(help_text="The products and services provided.")
    annual_charge = models.DecimalField(max_digits=14, decimal_places=2)

    history = HistoricalRecords()
    objects = AgreementPartQuerySet.as_manager()

    class Meta:
        ordering = ["agreement", "service__area__display_order", "service__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "service"],
                name="schedule_one_per_service",
                violation_error_message="The agreement already has a schedule for this service.",
            ),
            models.CheckConstraint(
                condition=Q(annual_charge__gte=0),
                name="schedule_charge_not_negative",
                violation_error_message="The annual charge cannot be negative.",
            ),
        ]

    def __str__(self):
        return f"{self.agreement}: {self.service.name}"

    @property
    def annual_charge_text(self) -> str:
        return format_money(self.annual_charge)


class ServiceStandard(TimeStampedModel):
    """A committed standard, measured each month by a KPI against the target agreed with the partner."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="standards")
    kpi = models.ForeignKey(KPI, on_delete=models.PROTECT, related_name="service_standards")
    description = models.CharField(max_length=250, help_text="For example: 95% of invoices paid within 30 days.")
    target = models.DecimalField(
        max_digits=18, decimal_places=4, help_text="The level committed to, in the KPI's unit."
    )

    history = HistoricalRecords()
    objects = AgreementPartQuerySet.as_manager()

    class Meta:
        ordering = ["agreement", "kpi__area__display_order", "kpi__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "kpi"],
                name="standard_one_per_kpi",
                violation_error_message="The agreement already has a standard measured by this KPI.",
            ),
        ]

    def __str__(self):
        return f"{self.kpi.code}: {self.description}"

    @property
    def target_text(self) -> str:
        return self.kpi.format(self.target)


class CustomerObligation(TimeStampedModel):
    """The customer's side of the two-way agreement."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="obligations")
    service = models.ForeignKey(
        Service,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="customer_obligations",
        help_text="Leave blank for an obligation that applies to the whole agreement.",
    )
    description = models.CharField(max_length=250, help_text="For example: payroll changes by the 10th.")

    history = HistoricalRecords()
    objects = AgreementPartQuerySet.as_manager()

    class Meta:
        ordering = ["agreement", "service__name", "description"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "description"],
                name="obligation_unique_per_agreement",
                violation_error_message="The agreement already has this obligation.",
            ),
        ]

    def __str__(self):
        return self.description


class ReviewReminder(TimeStampedModel):
    """A review reminder that was sent: each one goes once per review date."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="review_reminders")
    review_due_on = models.DateField()
    days_before = models.PositiveSmallIntegerField()
    recipients = models.TextField(help_text="The addresses it went to, one a line.")

    objects = AgreementPartQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "review_due_on", "days_before"],
                name="review_reminder_once",
                violation_error_message="This reminder has already been sent.",
            ),
        ]

    def __str__(self):
        return f"{self.agreement}: {self.days_before} days before {self.review_due_on:%d %B %Y}"
