"""The risk register: what could stop oneSource meeting its objectives, scored, owned and reviewed."""

from functools import reduce
from operator import or_

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from apps.catalogue.models import Service, ServiceArea
from apps.core.models import TimeStampedModel
from apps.core.policy import PolicyQuerySet, area_ids, role_of
from apps.core.roles import Role
from apps.delivery.models import Activity, StrategicObjective
from apps.kpis.models import KPI
from apps.partners.models import Partner
from apps.savings.models import SavingLine
from apps.slas.models import Agreement
from apps.transformation.models import Project

from .scoring import score_rag

STAFF = {"role__in": [Role.ADMIN, Role.DIRECTOR, Role.OFFICER]}
SCORE_MESSAGE = "Likelihood and impact are each scored from 1 to 5."


def _score_constraints(prefix: str, *kinds: str) -> list:
    """Likelihood and impact 1–5, and the stored score their product, for each kind of score."""
    constraints = []
    for kind in kinds:
        likelihood, impact, score = f"{kind}_likelihood", f"{kind}_impact", f"{kind}_score"
        constraints += [
            models.CheckConstraint(
                condition=Q(**{f"{likelihood}__gte": 1, f"{likelihood}__lte": 5, f"{impact}__gte": 1})
                & Q(**{f"{impact}__lte": 5}),
                name=f"{prefix}_{kind}_1_to_5",
                violation_error_message=SCORE_MESSAGE,
            ),
            models.CheckConstraint(
                condition=Q(**{score: F(likelihood) * F(impact)}),
                name=f"{prefix}_{kind}_score_is_product",
                violation_error_message="A score is its likelihood times its impact.",
            ),
        ]
    return constraints


class Category(models.TextChoices):
    SAVINGS_AND_FINANCE = "savings_and_finance", "Savings and finance"
    SERVICE_DELIVERY = "service_delivery", "Service delivery"
    PARTNERSHIP_AND_ONBOARDING = "partnership_and_onboarding", "Partnership and on-boarding"
    ICT_AND_INFORMATION = "ict_and_information", "ICT and information"
    PEOPLE = "people", "People"
    LEGAL_AND_COMPLIANCE = "legal_and_compliance", "Legal and compliance"


#: How a risk is tied to a partner's own rows: the partner itself, a saving it shares, its agreement.
PARTNER_LINKS = ("partners", "saving_lines__shares__partner", "agreements__partner")


def partner_link_q(partner_id, prefix: str = "") -> Q:
    """A risk tied to a partner's own rows (``PARTNER_LINKS``)."""
    return reduce(or_, (Q(**{f"{prefix}{path}": partner_id}) for path in PARTNER_LINKS))


def partners_linked(risk_ids, partner_ids) -> dict[int, set[int]]:
    """Which of ``partner_ids`` each of the risks is tied to (``PARTNER_LINKS``), by risk id: one query
    whatever the number of partners."""
    risk_ids, partner_ids = list(risk_ids), list(partner_ids)
    linked: dict[int, set[int]] = {}
    if not risk_ids or not partner_ids:
        return linked
    by_link = [
        Risk.objects.filter(pk__in=risk_ids, **{f"{path}__in": partner_ids}).order_by().values_list("pk", path)
        for path in PARTNER_LINKS
    ]
    for risk_id, partner_id in by_link[0].union(*by_link[1:]):
        linked.setdefault(risk_id, set()).add(partner_id)
    return linked


class RiskQuerySet(PolicyQuerySet):
    area_lookup = "area"

    def visible_to(self, user):
        role = role_of(user)
        if role in (Role.ADMIN, Role.DIRECTOR):
            return self
        if role == Role.COMMITTEE_MEMBER:
            # The Joint Committee is shown the principal risks only.
            return self.filter(is_principal=True)
        if role == Role.OFFICER:
            return self.filter(Q(area__in=area_ids(user)) | Q(area__isnull=True) | Q(owner=user))
        if role == Role.PARTNER_OFFICER and user.partner_id is not None:
            linked = Risk.objects.filter(partner_link_q(user.partner_id)).values("pk")
            return self.filter(pk__in=linked)
        return self.none()

    def editable_by(self, user):
        role = role_of(user)
        if role == Role.ADMIN:
            return self
        if role == Role.DIRECTOR:
            return self.filter(Q(area__in=area_ids(user)) | Q(owner=user))
        if role == Role.OFFICER:
            return self.filter(owner=user)
        return self.none()

    def open(self):
        return self.filter(status=Risk.Status.OPEN)

    def review_overdue(self, today=None):
        return self.open().filter(review_on__lt=today or timezone.localdate())


class Risk(TimeStampedModel):
    """A risk to an objective: cause, event and effect, scored before and after its controls."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    Category = Category

    title = models.CharField(max_length=200)
    cause = models.TextField(help_text="Because of … (what gives rise to the risk).")
    event = models.TextField(help_text="… there is a risk that … (what might happen).")
    effect = models.TextField(help_text="… which would lead to … (the consequence).")
    category = models.CharField(max_length=30, choices=Category.choices)
    area = models.ForeignKey(
        ServiceArea,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="risks",
        help_text="The service area that answers for it; none for a risk to oneSource as a whole.",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_risks", limit_choices_to=STAFF
    )
    objective = models.ForeignKey(
        StrategicObjective,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="risks",
        verbose_name="strategic objective",
    )
    saving_lines = models.ManyToManyField(SavingLine, blank=True, related_name="risks")
    activities = models.ManyToManyField(Activity, blank=True, related_name="risks")
    projects = models.ManyToManyField(Project, blank=True, related_name="risks")
    services = models.ManyToManyField(Service, blank=True, related_name="risks")
    kpis = models.ManyToManyField(KPI, blank=True, related_name="risks", verbose_name="KPIs")
    agreements = models.ManyToManyField(Agreement, blank=True, related_name="risks")
    partners = models.ManyToManyField(Partner, blank=True, related_name="risks")
    inherent_likelihood = models.PositiveSmallIntegerField()
    inherent_impact = models.PositiveSmallIntegerField()
    inherent_score = models.PositiveSmallIntegerField(editable=False)
    residual_likelihood = models.PositiveSmallIntegerField()
    residual_impact = models.PositiveSmallIntegerField()
    residual_score = models.PositiveSmallIntegerField(editable=False)
    target_likelihood = models.PositiveSmallIntegerField()
    target_impact = models.PositiveSmallIntegerField()
    target_score = models.PositiveSmallIntegerField(editable=False)
    is_principal = models.BooleanField(
        "principal risk", default=False, help_text="Reported to the Joint Committee in its pack."
    )
    review_on = models.DateField("next review", help_text="When the owner next reviews the risk.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)

    history = HistoricalRecords()
    objects = RiskQuerySet.as_manager()

    class Meta:
        ordering = ["-residual_score", "title"]
        constraints = [
            *_score_constraints("risk", "inherent", "residual", "target"),
            models.CheckConstraint(
                condition=Q(residual_score__lte=F("inherent_score")),
                name="risk_residual_not_above_inherent",
                violation_error_message="The residual score cannot be above the inherent score.",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("risks:risk_detail", kwargs={"pk": self.pk})

    @property
    def reference(self) -> str:
        return f"R{self.pk:03d}"

    @property
    def inherent_rag(self):
        return score_rag(self.inherent_score)

    @property
    def residual_rag(self):
        return score_rag(self.residual_score)

    @property
    def target_rag(self):
        return score_rag(self.target_score)

    def review_overdue_on(self, today) -> bool:
        return self.status == self.Status.OPEN and self.review_on < today


class RiskChildQuerySet(PolicyQuerySet):
    def visible_to(self, user):
        return self.filter(risk__in=Risk.objects.visible_to(user))


class RiskControl(TimeStampedModel):
    """A control already in place that lowers the risk from its inherent to its residual score."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="controls")
    description = models.TextField()

    history = HistoricalRecords()
    objects = RiskChildQuerySet.as_manager()

    class Meta:
        ordering = ["risk", "pk"]

    def __str__(self):
        return self.description[:80]


class MitigatingActionQuerySet(RiskChildQuerySet):
    def open(self):
        return self.filter(status__in=MitigatingAction.OPEN_STATUSES)

    def overdue(self, today=None):
        return self.open().filter(due_on__lt=today or timezone.localdate())


class MitigatingAction(TimeStampedModel):
    """Something still to be done to bring the risk down to its target score."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"

    OPEN_STATUSES = (Status.NOT_STARTED, Status.IN_PROGRESS)

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="risk_actions", limit_choices_to=STAFF
    )
    due_on = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NOT_STARTED)

    history = HistoricalRecords()
    objects = MitigatingActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self):
        return self.description[:80]

    def overdue_on(self, today) -> bool:
        return self.status in self.OPEN_STATUSES and self.due_on < today


class RiskAssessment(models.Model):
    """A dated scoring of a risk: the register's history of scores, from which its trend is drawn."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="assessments")
    assessed_on = models.DateField()
    inherent_likelihood = models.PositiveSmallIntegerField()
    inherent_impact = models.PositiveSmallIntegerField()
    inherent_score = models.PositiveSmallIntegerField(editable=False)
    residual_likelihood = models.PositiveSmallIntegerField()
    residual_impact = models.PositiveSmallIntegerField()
    residual_score = models.PositiveSmallIntegerField(editable=False)
    note = models.TextField(blank=True)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = RiskChildQuerySet.as_manager()

    class Meta:
        ordering = ["-assessed_on", "-created_at"]
        constraints = [
            *_score_constraints("assessment", "inherent", "residual"),
            models.CheckConstraint(
                condition=Q(residual_score__lte=F("inherent_score")),
                name="assessment_residual_not_above_inherent",
                violation_error_message="The residual score cannot be above the inherent score.",
            ),
        ]

    def __str__(self):
        return f"{self.risk}: {self.residual_score} on {self.assessed_on:%d %B %Y}"

    @property
    def residual_rag(self):
        return score_rag(self.residual_score)


class RiskReminder(models.Model):
    """A reminder sent: a review falling due, or an action overdue; once for each date."""

    class Kind(models.TextChoices):
        REVIEW_DUE = "review_due", "Review due"
        ACTION_OVERDUE = "action_overdue", "Action overdue"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="reminders")
    action = models.ForeignKey(
        MitigatingAction, on_delete=models.CASCADE, null=True, blank=True, related_name="reminders"
    )
    due_on = models.DateField(help_text="The review or due date the reminder was sent for.")
    recipients = models.TextField()
    sent_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = RiskChildQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["risk", "due_on"], condition=Q(kind="review_due"), name="risk_review_reminder_once"
            ),
            models.UniqueConstraint(
                fields=["action", "due_on"], condition=Q(kind="action_overdue"), name="risk_action_reminder_once"
            ),
            models.CheckConstraint(
                condition=Q(kind="review_due", action__isnull=True) | Q(kind="action_overdue", action__isnull=False),
                name="risk_reminder_action_matches_kind",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.risk} ({self.due_on:%d %B %Y})"
