"""KPIs, their targets and the monthly measurements that are checked and approved before anyone sees them."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from apps.catalogue.models import Service, ServiceArea
from apps.core import periods
from apps.core.models import TimeStampedModel
from apps.core.periods import fy_label, month_label
from apps.core.policy import PolicyQuerySet, area_ids, role_of
from apps.core.rag import Rag, rag
from apps.core.roles import Role
from apps.partners.models import Partner

HUNDRED = Decimal(100)
ONE = Decimal(1)
#: The unit of the last place shown, by number of decimal places: 0 → 1, 2 → 0.01 (made once, used for
#: every figure shown).
QUANTA = {places: Decimal(1).scaleb(-places) for places in range(7)}


class KPIQuerySet(PolicyQuerySet):
    area_lookup = "area"

    def visible_to(self, user):
        # Definitions are public to every signed-in user: partners and the committee read the scorecards.
        return self if role_of(user) else self.none()

    def active(self):
        return self.filter(is_active=True)

    def returned(self):
        """The KPIs whose figures people enter and return each month (not those the portal computes)."""
        return self.filter(computed=False)


class KPI(TimeStampedModel):
    """A key performance indicator of one service area, measured for each partner that takes it."""

    class Unit(models.TextChoices):
        PERCENT = "percent", "Percentage"
        COUNT = "count", "Count"
        DAYS = "days", "Days"
        GBP = "gbp", "Pounds (£)"

    class Polarity(models.TextChoices):
        HIGHER = "higher", "Higher is better"
        LOWER = "lower", "Lower is better"

    class Frequency(models.TextChoices):
        MONTHLY = periods.MONTHLY, "Monthly"
        QUARTERLY = periods.QUARTERLY, "Quarterly"
        ANNUAL = periods.ANNUAL, "Annual"

    class Aggregation(models.TextChoices):
        SUM = "sum", "Sum of the figures"
        MEAN = "mean", "Mean of the figures"
        LATEST = "latest", "Latest figure"

    code = models.CharField(max_length=12, unique=True, help_text="For example EXT-03.")
    name = models.CharField(max_length=200)
    definition = models.TextField(help_text="What is counted, from which source, and how.")
    area = models.ForeignKey(ServiceArea, on_delete=models.PROTECT, related_name="kpis")
    service = models.ForeignKey(
        Service,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="kpis",
        help_text="The service measured: figures are kept for each partner that takes it. "
        "Leave blank to measure every partner of the service area.",
    )
    unit = models.CharField(max_length=10, choices=Unit.choices)
    polarity = models.CharField(max_length=10, choices=Polarity.choices)
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.MONTHLY)
    data_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_kpis",
        help_text="The officer who enters the figures each month.",
    )
    decimal_places = models.PositiveSmallIntegerField(default=1)
    is_rate = models.BooleanField(
        default=False,
        help_text="A rate is entered as a numerator and a denominator, so that totals across partners "
        "and months are Σnumerator / Σdenominator.",
    )
    numerator_label = models.CharField(max_length=120, blank=True)
    denominator_label = models.CharField(max_length=120, blank=True)
    aggregation = models.CharField(
        max_length=10,
        choices=Aggregation.choices,
        default=Aggregation.SUM,
        help_text="How figures add up over the months of a year: a sum, a mean, or the latest month (for "
        "balances and for cumulative or rolling rates). Rates always add up as Σnumerator / Σdenominator.",
    )
    is_active = models.BooleanField(default=True)
    computed = models.BooleanField(
        default=False,
        editable=False,
        help_text="Computed by the portal from its own records (enquiries, feedback): no one enters or "
        "returns its figures, so none is ever due or missing.",
    )
    illustrative = models.BooleanField(
        default=False,
        help_text="Invented for the demo (not from a published source); pages say so beside the KPI.",
    )

    history = HistoricalRecords()
    objects = KPIQuerySet.as_manager()

    class Meta:
        verbose_name = "KPI"
        verbose_name_plural = "KPIs"
        ordering = ["area__display_order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decimal_places__lte=4),
                name="kpi_decimal_places_at_most_4",
                violation_error_message="A KPI is shown with at most 4 decimal places.",
            ),
            models.CheckConstraint(
                condition=Q(is_rate=False) | (~Q(numerator_label="") & ~Q(denominator_label="")),
                name="kpi_rate_has_labels",
                violation_error_message="A rate needs a label for its numerator and its denominator.",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def is_due_in(self, month) -> bool:
        """Whether the KPI's figures for that month are due from the people who return them (a quarterly
        KPI's only at a quarter's end; a KPI the portal computes is never due from anyone)."""
        return not self.computed and periods.is_due_in(self.frequency, month)

    def get_absolute_url(self):
        return reverse("kpis:kpi_detail", kwargs={"code": self.code})

    @property
    def higher_is_better(self) -> bool:
        return self.polarity == self.Polarity.HIGHER

    @property
    def scale(self) -> Decimal:
        """A percentage rate is 100 × numerator / denominator; other rates (days per claim) are the plain ratio."""
        return HUNDRED if self.unit == self.Unit.PERCENT else ONE

    def rate_value(self, numerator, denominator) -> Decimal | None:
        if numerator is None or not denominator:
            return None
        return Decimal(numerator) * (HUNDRED if self.unit == self.Unit.PERCENT else ONE) / Decimal(denominator)

    def result_of(self, figure) -> Decimal | None:
        """A figure as reported (a measurement, or anything with its three fields): the rate for a rate
        KPI, else the value."""
        return self.result_from(figure.numerator, figure.denominator, figure.value)

    def result_from(self, numerator, denominator, value) -> Decimal | None:
        """``result_of`` a figure's three fields."""
        if self.is_rate:
            return self.rate_value(numerator, denominator)
        return value

    def shown(self, value) -> Decimal | None:
        """A figure as a reader sees it: rounded half up to the KPI's decimal places. Ratings and
        directions of travel are worked out on it, so that what is shown explains them."""
        if value is None:
            return None
        quantum = QUANTA.get(self.decimal_places) or Decimal(1).scaleb(-self.decimal_places)
        if not isinstance(value, Decimal):
            value = Decimal(value)
        return value.quantize(quantum, rounding=ROUND_HALF_UP)

    def format(self, value) -> str:
        if value is None:
            return "–"
        number = f"{self.shown(value):,.{self.decimal_places}f}"
        if self.unit == self.Unit.PERCENT:
            return f"{number}%"
        if self.unit == self.Unit.GBP:
            return f"£{number}"
        if self.unit == self.Unit.DAYS:
            return f"{number} days"
        return number


class TargetQuerySet(PolicyQuerySet):
    partner_lookup = "partner"
    area_lookup = "kpi__area"

    def _for_partner(self, user):
        # A target for all partners (no partner) applies to every partner, so every partner sees it.
        return self.filter(Q(partner=user.partner_id) | Q(partner__isnull=True, is_onesource=False))

    def visible_to(self, user):
        if role_of(user) == Role.OFFICER:
            # Officers read the targets of every KPI, as they read the definitions.
            return self
        return super().visible_to(user)

    def for_year(self, year: int):
        return self.filter(financial_year=year)


class Target(TimeStampedModel):
    """What a KPI should reach in a financial year, for all partners or for one partner."""

    kpi = models.ForeignKey(KPI, on_delete=models.CASCADE, related_name="targets")
    financial_year = models.PositiveSmallIntegerField(help_text="The year it starts in: 2016 is 2016/17.")
    partner = models.ForeignKey(
        Partner,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="kpi_targets",
        help_text="Leave blank for the target that applies to every partner.",
    )
    is_onesource = models.BooleanField(
        "For oneSource as a whole",
        default=False,
        help_text="A target for oneSource's total, in place of the one worked out from the partners' targets "
        "by the KPI's rule. It has no partner.",
    )
    value = models.DecimalField(max_digits=18, decimal_places=4)
    tolerance = models.DecimalField(
        max_digits=18,
        decimal_places=4,
        default=Decimal(0),
        help_text="Amber band, in the KPI's unit: a figure that misses the target by no more than this is amber.",
    )

    history = HistoricalRecords()
    objects = TargetQuerySet.as_manager()

    class Meta:
        ordering = ["kpi__code", "-financial_year", "partner__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kpi", "financial_year"],
                condition=Q(partner__isnull=True, is_onesource=False),
                name="target_one_general_per_kpi_year",
                violation_error_message="This KPI already has a target for every partner in that year.",
            ),
            models.UniqueConstraint(
                fields=["kpi", "financial_year"],
                condition=Q(is_onesource=True),
                name="target_one_onesource_per_kpi_year",
                violation_error_message="This KPI already has a target for oneSource as a whole in that year.",
            ),
            models.CheckConstraint(
                condition=Q(is_onesource=False) | Q(partner__isnull=True),
                name="target_onesource_has_no_partner",
                violation_error_message="A target for oneSource as a whole is not a partner's.",
            ),
            models.UniqueConstraint(
                fields=["kpi", "financial_year", "partner"],
                condition=Q(partner__isnull=False),
                name="target_one_per_kpi_year_partner",
                violation_error_message="This KPI already has a target for that partner in that year.",
            ),
            models.CheckConstraint(
                condition=Q(tolerance__gte=0),
                name="target_tolerance_not_negative",
                violation_error_message="The tolerance cannot be negative.",
            ),
        ]

    def __str__(self):
        whom = self.partner.short_name if self.partner_id else "all partners"
        whom = "oneSource as a whole" if self.is_onesource else whom
        return f"{self.kpi.code} {self.financial_year_label} ({whom}): {self.kpi.format(self.value)}"

    @property
    def financial_year_label(self) -> str:
        return fy_label(self.financial_year)

    @property
    def whom(self) -> str:
        if self.is_onesource:
            return "oneSource as a whole"
        return self.partner.short_name if self.partner_id else "Every partner"

    def rate(self, value) -> Rag:
        return rate_as_shown(self.kpi, value, self)


def rate_as_shown(kpi: KPI, value, target) -> Rag:
    """The RAG rating of a figure against a target (anything with a ``value`` and a ``tolerance``: a
    partner's target, oneSource's, or one worked out for a group), by the one rule of ``apps.core.rag``,
    on the figure and the target as displayed (``KPI.shown``): 96.46% shows as 96.5% and meets a 96.5%
    target. Grey without a figure or a target."""
    if target is None or value is None:
        return Rag.GREY
    return rag(kpi.shown(value), kpi.shown(target.value), target.tolerance, higher_is_better=kpi.higher_is_better)


class MeasurementQuerySet(PolicyQuerySet):
    partner_lookup = "partner"
    area_lookup = "kpi__area"

    def visible_to(self, user):
        queryset = super().visible_to(user)
        role = role_of(user)
        if role in (Role.PARTNER_OFFICER, Role.COMMITTEE_MEMBER):
            # Nobody outside oneSource sees a figure before its director has approved it.
            return queryset.approved()
        if role == Role.DIRECTOR:
            # A director sees drafts only in their own service areas.
            return queryset.filter(~Q(status=Measurement.Status.DRAFT) | Q(kpi__area__in=area_ids(user)))
        return queryset

    def editable_by(self, user):
        if role_of(user) == Role.OFFICER:
            return self._for_areas(user)
        return super().editable_by(user)

    def approved(self):
        return self.filter(status=Measurement.Status.APPROVED)


class Measurement(TimeStampedModel):
    """One KPI's figure for one partner and one month, and where it is in its checks."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        APPROVED = "approved", "Approved"
        RETURNED = "returned", "Returned"

    class Source(models.TextChoices):
        MANUAL = "manual", "Entered"
        IMPORT = "import", "Imported"
        SYSTEM = "system", "From a system"

    kpi = models.ForeignKey(KPI, on_delete=models.PROTECT, related_name="measurements")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="measurements")
    period = models.DateField(help_text="The first day of the month measured.")
    value = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    numerator = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    denominator = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    commentary = models.TextField(blank=True, help_text="Required when the figure is red.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.MANUAL)
    return_reason = models.TextField(blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()
    objects = MeasurementQuerySet.as_manager()

    class Meta:
        ordering = ["-period", "kpi__code", "partner__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kpi", "partner", "period"],
                name="measurement_one_per_kpi_partner_period",
                violation_error_message="There is already a figure for this KPI, partner and month.",
            ),
            models.CheckConstraint(
                condition=Q(period__day=1),
                name="measurement_period_first_of_month",
                violation_error_message="A period is the first day of its month.",
            ),
            models.CheckConstraint(
                condition=Q(denominator__isnull=True) | Q(denominator__gt=0),
                name="measurement_denominator_positive",
                violation_error_message="The denominator must be more than 0.",
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(return_reason=""),
                name="measurement_returned_has_reason",
                violation_error_message="A returned figure needs a reason.",
            ),
        ]
        indexes = [
            # Every figure of a status by month: the reports, and the API list's pages found by their keys
            # alone (apps.core.api_lists.LongListPagination), which this index holds.
            models.Index(
                fields=["status", "period"], include=["kpi", "partner", "id"], name="measurement_status_period"
            ),
            # A partner's figures, newest first: the partner's API list, scorecard and reports.
            models.Index(fields=["partner", "status", "period"], name="measurement_partner_status"),
            # A KPI's figures by month: its page, its latest month, the entry grid.
            models.Index(fields=["kpi", "status", "period"], name="measurement_kpi_status"),
        ]

    @classmethod
    def from_db(cls, db, field_names, values):
        measurement = super().from_db(db, field_names, values)
        # The status as read, so that a save can tell an approved figure changing (``apps.kpis.published``);
        # read without it, the figure is taken to have been approved.
        measurement.stored_status = measurement.__dict__.get("status", cls.Status.APPROVED)
        return measurement

    def __str__(self):
        return f"{self.kpi.code} {self.partner.short_name} {month_label(self.period)}"

    def get_absolute_url(self):
        return reverse("kpis:measurement_detail", kwargs={"pk": self.pk})

    @property
    def result(self) -> Decimal | None:
        """The figure as reported: the rate for a rate KPI, else the value."""
        return self.kpi.result_of(self)

    @property
    def has_figure(self) -> bool:
        return self.result is not None

    @property
    def period_label(self) -> str:
        return month_label(self.period)

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.APPROVED


class ReturnReminderQuerySet(PolicyQuerySet):
    def visible_to(self, user):
        if role_of(user) == Role.ADMIN:
            return self
        return self.filter(user=user) if role_of(user) else self.none()


class ReturnReminder(models.Model):
    """A reminder emailed to a data owner about a month's return, so that it goes at most once a day."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="return_reminders")
    period = models.DateField(help_text="The month whose figures are due.")
    sent_on = models.DateField()

    objects = ReturnReminderQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_on"]
        constraints = [
            models.UniqueConstraint(fields=["user", "period", "sent_on"], name="return_reminder_once_a_day"),
        ]

    def __str__(self):
        return f"{self.user} reminded about {month_label(self.period)} on {self.sent_on}"
