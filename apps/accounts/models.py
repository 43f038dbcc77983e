from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from apps.core.policy import PolicyQuerySet
from apps.core.roles import STAFF_ROLES, Role


class UserQuerySet(PolicyQuerySet):
    partner_lookup = "partner"

    def visible_to(self, user):
        # People are listed to oneSource staff; everyone else sees only themselves.
        if user.is_authenticated and user.role in STAFF_ROLES:
            return self
        return self.filter(pk=user.pk) if user.is_authenticated else self.none()


class PortalUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """A person who signs in. One role each; a partner officer belongs to exactly one partner."""

    Role = Role

    role = models.CharField(max_length=20, choices=Role.choices, default=Role.OFFICER)
    partner = models.ForeignKey(
        "partners.Partner",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="officers",
        help_text="Partner officers only: the council or customer they work for.",
    )
    service_areas = models.ManyToManyField(
        "catalogue.ServiceArea",
        blank=True,
        related_name="staff",
        help_text="Directors and officers: the service areas they work in.",
    )
    job_title = models.CharField(max_length=120, blank=True)

    objects = PortalUserManager()
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        ordering = ["last_name", "first_name", "username"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(role=Role.PARTNER_OFFICER) & Q(partner__isnull=False))
                | (~Q(role=Role.PARTNER_OFFICER) & Q(partner__isnull=True)),
                name="user_partner_only_for_partner_officers",
                violation_error_message="A partner officer needs a partner, and only they have one.",
            ),
        ]

    def __str__(self):
        return self.get_full_name() or self.username

    @property
    def is_portal_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_onesource_staff(self) -> bool:
        return self.role in STAFF_ROLES
