"""Monthly performance reports: one per month and scope, computed by Celery, frozen when published."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from apps.core.models import TimeStampedModel
from apps.core.periods import month_label
from apps.core.policy import PolicyQuerySet, role_of
from apps.core.roles import Role
from apps.partners.models import Partner

#: The scope of a report that covers oneSource as a whole, in URLs.
ONESOURCE = "onesource"


class MonthlyReportQuerySet(PolicyQuerySet):
    """The working copy of a report, drafts included: the performance team's (administrators') alone."""

    partner_lookup = "partner"

    def visible_to(self, user):
        return self if role_of(user) == Role.ADMIN else self.none()

    def editable_by(self, user):
        return self.visible_to(user)


class MonthlyReport(TimeStampedModel):
    """One month's performance report for one partner, or for oneSource as a whole (no partner)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Queued"
        RUNNING = "running", "Computing"
        READY = "ready", "Ready to publish"
        FAILED = "failed", "Failed"
        PUBLISHED = "published", "Published"

    DRAFT_STATUSES = (Status.PENDING, Status.RUNNING, Status.READY, Status.FAILED)

    period = models.DateField(help_text="The first day of the month reported.")
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, null=True, blank=True, related_name="monthly_reports"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    version = models.PositiveSmallIntegerField(default=1, help_text="The version being prepared or last published.")
    snapshot = models.JSONField(default=dict, blank=True, help_text="Every figure of the report, as computed.")
    headline = models.JSONField(
        default=dict, blank=True, help_text="The few figures the comparison across partners reads, kept apart."
    )
    error = models.TextField(blank=True)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Sections computed so far.")
    revision_reason = models.TextField(blank=True, help_text="Why a published report is being revised.")
    requested_at = models.DateTimeField(null=True, blank=True)
    generated_at = models.DateTimeField(null=True, blank=True)

    objects = MonthlyReportQuerySet.as_manager()

    class Meta:
        ordering = ["-period", "partner__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "partner"],
                name="report_one_per_period_partner",
                violation_error_message="There is already a report for this partner and month.",
            ),
            models.UniqueConstraint(
                fields=["period"],
                condition=Q(partner__isnull=True),
                name="report_one_onesource_per_period",
                violation_error_message="There is already a oneSource report for this month.",
            ),
            models.CheckConstraint(
                condition=Q(period__day=1),
                name="report_period_first_of_month",
                violation_error_message="A report's period is the first day of its month.",
            ),
            models.CheckConstraint(
                condition=~Q(status="failed") | ~Q(error=""),
                name="report_failed_has_error",
                violation_error_message="A failed report records its error.",
            ),
        ]

    def __str__(self):
        return f"{self.scope_name} — {month_label(self.period)}"

    @property
    def scope_name(self) -> str:
        return self.partner.name if self.partner_id else "oneSource"

    @property
    def scope_slug(self) -> str:
        return self.partner.slug if self.partner_id else ONESOURCE

    @property
    def period_label(self) -> str:
        return month_label(self.period)

    @property
    def is_draft(self) -> bool:
        return self.status in self.DRAFT_STATUSES

    @property
    def in_progress(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.RUNNING)

    def get_absolute_url(self):
        return reverse("reports:report_detail", kwargs={"period": f"{self.period:%Y-%m}", "scope": self.scope_slug})


class PublishedReportQuerySet(PolicyQuerySet):
    """Published versions: everyone signed in reads them, a partner officer only their own council's."""

    partner_lookup = "report__partner"

    def _for_partner(self, user):
        # Not the oneSource-wide report either: it holds every partner's figures.
        return self.filter(report__partner=user.partner_id)

    def editable_by(self, user):
        return self.none()  # a published version is frozen

    def latest_versions(self):
        return self.filter(is_latest=True)


class PublishedReport(models.Model):
    """A version of a report as it was published: frozen, with why it replaced the version before."""

    report = models.ForeignKey(MonthlyReport, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveSmallIntegerField()
    snapshot = models.JSONField()
    headline = models.JSONField(default=dict)
    reason = models.TextField(blank=True, help_text="Why this version replaced the one before.")
    is_latest = models.BooleanField(default=True)
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = PublishedReportQuerySet.as_manager()

    class Meta:
        ordering = ["-report__period", "report__partner__name", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "version"],
                name="published_report_one_per_version",
                violation_error_message="This version of the report is already published.",
            ),
            models.UniqueConstraint(
                fields=["report"],
                condition=Q(is_latest=True),
                name="published_report_one_latest",
                violation_error_message="Only one version of a report is the latest.",
            ),
            models.CheckConstraint(
                condition=Q(version=1) | ~Q(reason=""),
                name="published_report_revision_has_reason",
                violation_error_message="A revised report needs a reason.",
            ),
        ]

    def __str__(self):
        return f"{self.report} (version {self.version})"

    def get_absolute_url(self):
        return self.report.get_absolute_url() + ("" if self.is_latest else f"?version={self.version}")


class PackQuerySet(PolicyQuerySet):
    """The Joint Committee pack holds every partner's figures: administrators and committee members only."""

    def visible_to(self, user):
        return self if role_of(user) in (Role.ADMIN, Role.COMMITTEE_MEMBER) else self.none()

    def editable_by(self, user):
        return self if role_of(user) == Role.ADMIN else self.none()


class CommitteePack(TimeStampedModel):
    """The month's pack for the Joint Committee, built by a task as a PDF and an Excel workbook."""

    class Status(models.TextChoices):
        PENDING = "pending", "Being built"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    period = models.DateField(unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    pdf = models.FileField(upload_to="packs/", blank=True)
    workbook = models.FileField(upload_to="packs/", blank=True)
    error = models.TextField(blank=True)
    built_at = models.DateTimeField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = PackQuerySet.as_manager()

    class Meta:
        ordering = ["-period"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period__day=1),
                name="pack_period_first_of_month",
                violation_error_message="A pack's period is the first day of its month.",
            ),
        ]

    def __str__(self):
        return f"Joint Committee pack — {month_label(self.period)}"

    @property
    def period_label(self) -> str:
        return month_label(self.period)
