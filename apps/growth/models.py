"""Growing the business: the pipeline of prospective partners and customers, their on-boarding, and
the income traded services bring in."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from apps.catalogue.models import Service
from apps.core.models import TimeStampedModel
from apps.core.money import MoneyField
from apps.core.periods import fy_label
from apps.core.policy import PolicyQuerySet, role_of
from apps.core.roles import Role
from apps.partners.models import Partner
from apps.slas.models import Agreement

STAFF = {"role__in": [Role.ADMIN, Role.DIRECTOR, Role.OFFICER]}


class OpportunityQuerySet(PolicyQuerySet):
    def visible_to(self, user):
        # Business development is oneSource's own: a partner officer does not see the pipeline.
        if role_of(user) == Role.PARTNER_OFFICER:
            return self.none()
        return super().visible_to(user)

    def editable_by(self, user):
        role = role_of(user)
        if role == Role.ADMIN:
            return self
        if role in (Role.DIRECTOR, Role.OFFICER):
            return self.filter(owner=user)
        return self.none()


class Opportunity(TimeStampedModel):
    """A prospective partner or customer, or more services for an existing one, on its way to "live"."""

    class Stage(models.TextChoices):
        LEAD = "lead", "Lead"
        DISCUSSION = "discussion", "Discussion"
        PROPOSAL = "proposal", "Proposal"
        BUSINESS_CASE = "business_case", "Business case"
        AGREED = "agreed", "Agreed"
        ONBOARDING = "onboarding", "On-boarding"
        LIVE = "live", "Live"
        LOST = "lost", "Lost"

    class ValueKind(models.TextChoices):
        INCOME = "income", "Income"
        SAVINGS = "savings", "Savings"

    title = models.CharField(max_length=200)
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opportunities",
        help_text="An existing partner or customer, or one in the prospect state.",
    )
    organisation_name = models.CharField(
        max_length=200, blank=True, help_text="A new organisation, not yet in the portal."
    )
    joins_as = models.CharField(
        max_length=20,
        choices=[(Partner.Kind.PARTNER, "Partner"), (Partner.Kind.CUSTOMER, "Customer")],
        default=Partner.Kind.CUSTOMER,
    )
    arrangement = models.CharField(max_length=30, choices=Partner.Arrangement.choices, blank=True)
    sector = models.CharField(max_length=20, choices=Partner.Sector.choices, blank=True)
    services = models.ManyToManyField(Service, blank=True, related_name="opportunities")
    stage = models.CharField(max_length=16, choices=Stage.choices, default=Stage.LEAD)
    lost_reason = models.TextField(blank=True)
    value_kind = models.CharField(max_length=10, choices=ValueKind.choices, default=ValueKind.INCOME)
    expected_annual_value = MoneyField(help_text="Expected income (or savings) a year, in pounds.")
    probability = models.PositiveSmallIntegerField(help_text="Per cent.")
    expected_start = models.DateField()
    cost_share = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="A Joint Committee partner's share of each service area's cost, in per cent.",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opportunities",
        limit_choices_to=STAFF,
    )
    next_step = models.CharField(max_length=250, blank=True)
    next_step_on = models.DateField(null=True, blank=True)
    agreement = models.ForeignKey(
        Agreement, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    agreed_on = models.DateField(null=True, blank=True, editable=False)

    history = HistoricalRecords()
    objects = OpportunityQuerySet.as_manager()

    class Meta:
        ordering = ["expected_start", "title"]
        verbose_name_plural = "opportunities"
        constraints = [
            models.CheckConstraint(
                condition=Q(partner__isnull=False) | ~Q(organisation_name=""),
                name="opportunity_names_an_organisation",
                violation_error_message="Choose an existing partner or name the new organisation.",
            ),
            models.CheckConstraint(
                condition=~Q(stage="lost") | ~Q(lost_reason=""),
                name="opportunity_lost_has_reason",
                violation_error_message="Say why the opportunity was lost.",
            ),
            models.CheckConstraint(
                condition=Q(probability__gte=0, probability__lte=100),
                name="opportunity_probability_percent",
                violation_error_message="The probability is a percentage from 0 to 100.",
            ),
            models.CheckConstraint(
                condition=Q(expected_annual_value__gte=0),
                name="opportunity_value_not_negative",
                violation_error_message="The expected value cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(cost_share__isnull=True) | Q(cost_share__gt=0, cost_share__lt=100),
                name="opportunity_cost_share_percent",
                violation_error_message="A cost share is more than 0 and less than 100 per cent.",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("growth:opportunity_detail", kwargs={"pk": self.pk})

    @property
    def organisation(self) -> str:
        return self.partner.name if self.partner_id else self.organisation_name


class OnboardingTaskQuerySet(PolicyQuerySet):
    def visible_to(self, user):
        return self.filter(opportunity__in=Opportunity.objects.visible_to(user))


class OnboardingTask(TimeStampedModel):
    """A step between "agreed" and "live"; the opportunity is live once every step is done."""

    class Kind(models.TextChoices):
        AGREEMENT_SIGNED = "agreement_signed", "Agreement signed"
        DATA_MIGRATED = "data_migrated", "Data migrated"
        SERVICE_LIVE = "service_live", "Service live"
        FIRST_KPI_RETURN = "first_kpi_return", "First KPI return"

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="tasks")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    position = models.PositiveSmallIntegerField()
    done_on = models.DateField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()
    objects = OnboardingTaskQuerySet.as_manager()

    class Meta:
        ordering = ["opportunity", "position"]
        constraints = [
            models.UniqueConstraint(fields=["opportunity", "kind"], name="onboarding_task_once"),
            models.CheckConstraint(
                condition=Q(done_on__isnull=True, done_by__isnull=True)
                | Q(done_on__isnull=False, done_by__isnull=False),
                name="onboarding_task_done_by_someone",
            ),
        ]

    def __str__(self):
        return f"{self.opportunity}: {self.get_kind_display()}"


class TradedIncomeQuerySet(PolicyQuerySet):
    partner_lookup = "partner"
    area_lookup = "service__area"


class TradedIncome(TimeStampedModel):
    """The income budgeted from one customer for one service in a financial year."""

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="traded_income")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="traded_income")
    financial_year = models.PositiveSmallIntegerField(help_text="The year it starts in: 2016 is 2016/17.")
    budget = MoneyField()
    notes = models.CharField(max_length=250, blank=True)

    history = HistoricalRecords()
    objects = TradedIncomeQuerySet.as_manager()

    class Meta:
        ordering = ["-financial_year", "partner__name", "service__name"]
        verbose_name_plural = "traded income"
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "service", "financial_year"],
                name="traded_income_once_a_year",
                violation_error_message="This customer already has a budget for this service in this year.",
            ),
            models.CheckConstraint(
                condition=Q(budget__gte=0),
                name="traded_income_budget_not_negative",
                violation_error_message="A budget cannot be negative.",
            ),
        ]

    def __str__(self):
        return f"{self.partner.short_name}, {self.service.name}, {fy_label(self.financial_year)}"

    def get_absolute_url(self):
        return reverse("growth:income_detail", kwargs={"pk": self.pk})

    @property
    def year_label(self) -> str:
        return fy_label(self.financial_year)


class TradedIncomeActualQuerySet(PolicyQuerySet):
    partner_lookup = "line__partner"
    area_lookup = "line__service__area"


class TradedIncomeActual(TimeStampedModel):
    """The income actually received in one month of the line's year."""

    line = models.ForeignKey(TradedIncome, on_delete=models.CASCADE, related_name="actuals")
    period = models.DateField(help_text="The month (its first day).")
    amount = MoneyField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()
    objects = TradedIncomeActualQuerySet.as_manager()

    class Meta:
        ordering = ["line", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["line", "period"],
                name="traded_income_actual_once_a_month",
                violation_error_message="This month already has an actual; change it instead.",
            ),
            models.CheckConstraint(condition=Q(period__day=1), name="traded_income_actual_first_of_month"),
        ]

    def __str__(self):
        return f"{self.line}: {self.period:%B %Y}"
