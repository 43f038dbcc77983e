"""The savings tracker: programmes, saving lines, their phased targets and the directors' updates.

What the figures mean
---------------------
The Strategic Plan 2016 names two programmes: the original business case, £10.6m "over its first
five years from April 2014 to March 2019", and additional savings of "£4.2 million per annum ...
making a total of £14.8 million". Both are ongoing (recurring) savings: £10.6m is the annual saving
in place by 2018/19, and £4.2m the annual saving promised on top once it is in full effect. £14.8m
is therefore an annual level of savings once both are delivered (a run-rate), never a cumulative
sum. A programme's ``total`` is that annual saving, and its lines' year targets phase the build-up:

* ``YearTarget.amount`` is the saving a line newly delivers in that financial year. For a recurring
  line it is the step up in the full-year effect (the run-rate), which carries on in every later
  year without being counted again; for a one-off line it is cash saved in that year only.
* ``YearTarget.delivery_month`` is the month the step starts to save: a recurring step from
  October saves half its full-year effect in cash in its first year (see ``selectors.step_figures``).
* A director's update gives, for the year, the full-year forecast and the amount achieved to date
  in the same terms as the target.

Two figures follow, shown apart and never added together:

* **run-rate achieved to date**: the recurring steps achieved in the years up to the one being read,
  a saving *a year*, set beside the plan's £14.8m a year;
* **cumulative cash saved**: the cash the achieved savings have saved, year by year, since April
  2014; labelled as such and never set against £14.8m.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from apps.catalogue.models import ServiceArea
from apps.core.models import TimeStampedModel
from apps.core.money import MoneyField
from apps.core.periods import fy_label
from apps.core.policy import PolicyQuerySet
from apps.partners.models import Partner

#: The months of a financial year in order, April first, as choices of a delivery month.
DELIVERY_MONTHS = [(month, dt.date(2000, month, 1).strftime("%B")) for month in (*range(4, 13), 1, 2, 3)]


def delivered_from(financial_year: int, delivery_month: int | None) -> dt.date:
    """The first day of ``delivery_month`` within the financial year (1 April when it is not given)."""
    month = delivery_month or 4
    return dt.date(financial_year if month >= 4 else financial_year + 1, month, 1)


class ProgrammeQuerySet(PolicyQuerySet):
    """Programmes and their totals are oneSource's public commitments: every role reads them."""


class Programme(TimeStampedModel):
    """A savings programme and the total its lines' year targets add up to (see the module notes)."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    total = MoneyField(help_text="The annual saving the programme puts in place; its year targets add up to it.")
    first_year = models.PositiveSmallIntegerField(help_text="The financial year it starts in: 2014 is 2014/15.")
    last_year = models.PositiveSmallIntegerField(help_text="The last financial year of its phasing.")
    display_order = models.PositiveSmallIntegerField(default=0)
    illustrative = models.BooleanField(
        default=False,
        help_text="Invented for the demo (not a published programme); pages say so beside it.",
    )

    history = HistoricalRecords()
    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["display_order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(total__gt=0),
                name="programme_total_positive",
                violation_error_message="A total is positive.",
            ),
            models.CheckConstraint(
                condition=Q(last_year__gte=models.F("first_year")),
                name="programme_years_in_order",
                violation_error_message="The last year cannot come before the first.",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def period_label(self) -> str:
        return f"{fy_label(self.first_year)} to {fy_label(self.last_year)}"

    @property
    def months_label(self) -> str:
        """The months it is phased over: "April 2014 – March 2019"."""
        return f"April {self.first_year} – March {self.last_year + 1}"


class SavingLineQuerySet(PolicyQuerySet):
    # A partner officer sees the lines their partner has a share of (one share per partner and line).
    partner_lookup = "shares__partner"
    area_lookup = "area"


class SavingLine(TimeStampedModel):
    """One saving a director answers for, phased over financial years and shared between partners.

    ``version`` goes up by one with every change made through the services (an update, a
    re-phasing): a save that was started from an older version is refused, so nobody overwrites
    what someone else recorded meanwhile.
    """

    class Category(models.TextChoices):
        RESTRUCTURE = "restructure", "Restructure"
        PROCESS_REDESIGN = "process_redesign", "Process redesign"
        PROCUREMENT = "procurement", "Procurement"
        INCOME = "income", "Income"
        QUICK_WIN = "quick_win", "Quick win"

    class Recurrence(models.TextChoices):
        RECURRING = "recurring", "Recurring"
        ONE_OFF = "one_off", "One-off"

    reference = models.CharField(max_length=20, unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    illustrative = models.BooleanField(
        default=False,
        help_text="Invented for the demo (the plan gives programme totals, not lines); pages say so beside it.",
    )
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="lines")
    area = models.ForeignKey(ServiceArea, on_delete=models.PROTECT, related_name="saving_lines")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="saving_lines",
        help_text="The director who answers for it.",
    )
    category = models.CharField(max_length=20, choices=Category.choices)
    recurrence = models.CharField(max_length=10, choices=Recurrence.choices, default=Recurrence.RECURRING)
    is_cashable = models.BooleanField(default=True, help_text="Cashable: it reduces what the councils spend.")
    project = models.ForeignKey(
        "transformation.Project",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="saving_lines",
        help_text="The transformation project that delivers this saving.",
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords()
    objects = SavingLineQuerySet.as_manager()

    class Meta:
        ordering = ["programme__display_order", "area__display_order", "reference"]

    def __str__(self):
        return f"{self.reference} {self.title}"

    def get_absolute_url(self):
        return reverse("savings:line_detail", kwargs={"reference": self.reference})

    @property
    def is_recurring(self) -> bool:
        return self.recurrence == self.Recurrence.RECURRING


class PartnerShareQuerySet(PolicyQuerySet):
    partner_lookup = "partner"
    area_lookup = "line__area"


class PartnerShare(TimeStampedModel):
    """The percentage of a line's saving that goes to one partner; a line's shares add up to 100."""

    line = models.ForeignKey(SavingLine, on_delete=models.CASCADE, related_name="shares")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="saving_shares")
    percentage = models.DecimalField(max_digits=5, decimal_places=2)

    history = HistoricalRecords()
    objects = PartnerShareQuerySet.as_manager()

    class Meta:
        ordering = ["line", "partner__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["line", "partner"],
                name="partner_share_unique",
                violation_error_message="This partner already has a share of this line.",
            ),
            models.CheckConstraint(
                condition=Q(percentage__gt=0) & Q(percentage__lte=100),
                name="partner_share_percentage_range",
                violation_error_message="A share is a percentage above 0 and at most 100.",
            ),
        ]

    def __str__(self):
        return f"{self.line.reference}: {self.partner.short_name} {self.percentage}%"


class YearTargetQuerySet(PolicyQuerySet):
    partner_lookup = "line__shares__partner"
    area_lookup = "line__area"


class YearTarget(TimeStampedModel):
    """The saving a line is to deliver in one financial year (see the module notes)."""

    line = models.ForeignKey(SavingLine, on_delete=models.CASCADE, related_name="targets")
    financial_year = models.PositiveSmallIntegerField(help_text="The year it starts in: 2016 is 2016/17.")
    amount = MoneyField()
    delivery_month = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        choices=DELIVERY_MONTHS,
        help_text="The month of the year from which the saving counts; blank: from April, the whole year.",
    )

    history = HistoricalRecords()
    objects = YearTargetQuerySet.as_manager()

    class Meta:
        ordering = ["line", "financial_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["line", "financial_year"],
                name="year_target_unique",
                violation_error_message="This line already has a target for that year.",
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="year_target_amount_not_negative",
                violation_error_message="A target cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(delivery_month__isnull=True) | Q(delivery_month__gte=1, delivery_month__lte=12),
                name="year_target_delivery_month_is_a_month",
                violation_error_message="The delivery month is a month of the year (1 to 12).",
            ),
        ]

    def __str__(self):
        return f"{self.line.reference} {self.financial_year_label}: {self.amount}"

    @property
    def financial_year_label(self) -> str:
        return fy_label(self.financial_year)

    @property
    def delivered_from(self):
        """The first day the saving counts: 1 April of its year unless a later month is given."""
        return delivered_from(self.financial_year, self.delivery_month)


class Status(models.TextChoices):
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    SLIPPED = "slipped", "Slipped"
    ACHIEVED = "achieved", "Achieved"
    OVER_ACHIEVED = "over_achieved", "Over-achieved"
    NOT_ACHIEVABLE = "not_achievable", "Not achievable"


#: Statuses that need no explanation; every other one needs commentary.
STATUSES_WITHOUT_COMMENTARY = (Status.ON_TRACK, Status.ACHIEVED)
#: Statuses listed first on the tracker, as the committee must see them.
STATUSES_OF_CONCERN = (Status.AT_RISK, Status.SLIPPED, Status.NOT_ACHIEVABLE)


class SavingsUpdateQuerySet(PolicyQuerySet):
    partner_lookup = "line__shares__partner"
    area_lookup = "line__area"


class SavingsUpdate(models.Model):
    """A director's monthly account of a line for one year. Appended, never changed: the audit trail.

    ``line_version`` is the version of the line this update made; two updates can never both
    claim to follow the same version, so an overwritten update is impossible in the database too.
    """

    line = models.ForeignKey(SavingLine, on_delete=models.CASCADE, related_name="updates")
    financial_year = models.PositiveSmallIntegerField()
    period = models.DateField(help_text="The month reported on (its first day).")
    forecast = MoneyField(help_text="Full-year forecast for the year.")
    achieved = MoneyField(help_text="Achieved to date in the year.")
    status = models.CharField(max_length=20, choices=Status.choices)
    commentary = models.TextField(blank=True)
    line_version = models.PositiveIntegerField(editable=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = SavingsUpdateQuerySet.as_manager()

    class Meta:
        ordering = ["-recorded_at", "-line_version"]
        get_latest_by = "line_version"
        constraints = [
            models.UniqueConstraint(
                fields=["line", "line_version"],
                name="savings_update_one_per_version",
                violation_error_message="Someone else has already saved this version of the line.",
            ),
            models.CheckConstraint(
                condition=Q(forecast__gte=0),
                name="savings_update_forecast_not_negative",
                violation_error_message="The forecast cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(achieved__gte=0),
                name="savings_update_achieved_not_negative",
                violation_error_message="The amount achieved cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(status__in=STATUSES_WITHOUT_COMMENTARY) | ~Q(commentary=""),
                name="savings_update_commentary_when_needed",
                violation_error_message="Commentary is required unless the line is on track or achieved.",
            ),
        ]

    def __str__(self):
        return f"{self.line.reference} {fy_label(self.financial_year)}: {self.get_status_display()}"

    @property
    def financial_year_label(self) -> str:
        return fy_label(self.financial_year)


class RephasingQuerySet(PolicyQuerySet):
    partner_lookup = "line__shares__partner"
    area_lookup = "line__area"


class Rephasing(models.Model):
    """An amount of a line's target moved to a later year, with the reason: reported as slippage."""

    line = models.ForeignKey(SavingLine, on_delete=models.CASCADE, related_name="rephasings")
    from_year = models.PositiveSmallIntegerField()
    to_year = models.PositiveSmallIntegerField()
    amount = MoneyField()
    reason = models.TextField()
    line_version = models.PositiveIntegerField(editable=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = RephasingQuerySet.as_manager()

    class Meta:
        ordering = ["-recorded_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(to_year__gt=models.F("from_year")),
                name="rephasing_to_a_later_year",
                violation_error_message="A target can only be moved to a later year.",
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="rephasing_amount_positive",
                violation_error_message="The amount moved must be more than zero.",
            ),
            models.CheckConstraint(
                condition=~Q(reason=""), name="rephasing_has_reason", violation_error_message="Give the reason."
            ),
        ]

    def __str__(self):
        return f"{self.line.reference}: {self.amount} from {self.from_year_label} to {self.to_year_label}"

    @property
    def from_year_label(self) -> str:
        return fy_label(self.from_year)

    @property
    def to_year_label(self) -> str:
        return fy_label(self.to_year)
