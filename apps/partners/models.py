import datetime as dt

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from apps.core.models import TimeStampedModel
from apps.core.policy import PolicyQuerySet


class PartnerQuerySet(PolicyQuerySet):
    partner_lookup = "pk"

    def active_on(self, day: dt.date):
        # A partner whose joining date is not known (the plan names it without one) counts as a member.
        return self.filter(
            Q(joined_on__isnull=True) | Q(joined_on__lte=day), Q(left_on__isnull=True) | Q(left_on__gt=day)
        )

    def active(self):
        return self.active_on(timezone.localdate())

    def joint_committee(self):
        return self.filter(arrangement=Partner.Arrangement.JOINT_COMMITTEE)


class Partner(TimeStampedModel):
    """A council or other customer that buys services from oneSource."""

    class Kind(models.TextChoices):
        FOUNDING_PARTNER = "founding_partner", "Founding partner"
        PARTNER = "partner", "Partner"
        CUSTOMER = "customer", "Customer"
        # Not yet buying anything: in the growth pipeline, on its way to becoming a customer or partner.
        PROSPECT = "prospect", "Prospect"

    class Arrangement(models.TextChoices):
        JOINT_COMMITTEE = "joint_committee", "Joint Committee"
        GOODS_AND_SERVICES_ACT = (
            "goods_and_services_act",
            "Local Authority Goods and Services Act 1970",
        )
        OWNED_COMPANY = "owned_company", "Owned company"
        JOINT_VENTURE = "joint_venture", "Joint venture"
        COMMERCIAL = "commercial", "Commercial"

    class Sector(models.TextChoices):
        LONDON_BOROUGH = "london_borough", "London borough"
        COUNTY_COUNCIL = "county_council", "County council"
        SCHOOL = "school", "School"
        ACADEMY = "academy", "Academy"
        ASSOCIATION = "association", "Association"
        CLUB = "club", "Club"
        MUTUAL = "mutual", "Employee mutual"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=60)
    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    arrangement = models.CharField(max_length=30, choices=Arrangement.choices)
    sector = models.CharField(max_length=20, choices=Sector.choices)
    joined_on = models.DateField(
        null=True, blank=True, help_text="Left empty when the date is not known (the plan does not give it)."
    )
    left_on = models.DateField(null=True, blank=True)
    customer_count = models.PositiveIntegerField(
        default=1,
        help_text="How many organisations this record stands for (a grouped customer has more than one).",
    )
    notes = models.TextField(blank=True)

    history = HistoricalRecords()
    objects = PartnerQuerySet.as_manager()

    class Meta:
        ordering = ["joined_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="partner_left_after_joining",
                violation_error_message="The date the partner left must be on or after the date it joined.",
            ),
            models.CheckConstraint(condition=Q(customer_count__gte=1), name="partner_customer_count_positive"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("partners:partner_detail", kwargs={"slug": self.slug})

    @property
    def is_active(self) -> bool:
        today = timezone.localdate()
        joined = self.joined_on is None or self.joined_on <= today
        return joined and (self.left_on is None or self.left_on > today)


class ContactQuerySet(PolicyQuerySet):
    partner_lookup = "partner"


class Contact(TimeStampedModel):
    """A named point of contact at a partner."""

    class Responsibility(models.TextChoices):
        CLIENT_LEAD = "client_lead", "Client lead"
        FINANCE_LEAD = "finance_lead", "Finance lead"
        SLA_SIGNATORY = "sla_signatory", "SLA signatory"
        OTHER = "other", "Other"

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=120)
    job_title = models.CharField(max_length=120, blank=True)
    responsibility = models.CharField(max_length=20, choices=Responsibility.choices)
    email = models.EmailField()
    phone = models.CharField(max_length=40, blank=True)

    history = HistoricalRecords()
    objects = ContactQuerySet.as_manager()

    class Meta:
        ordering = ["partner__name", "responsibility", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "email", "responsibility"],
                name="contact_unique_per_partner_responsibility",
                violation_error_message="This person already has that responsibility for this partner.",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.get_responsibility_display()}, {self.partner.short_name})"
