from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
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


class IdentityProvider(models.Model):
    """A partner's own OpenID Connect identity provider: its officers sign in with their council account.

    One per partner, and each email domain belongs to one provider only, so the domain of a work email
    picks the provider, and a provider can only ever sign people in to its own partner.
    """

    partner = models.OneToOneField(
        "partners.Partner",
        on_delete=models.PROTECT,
        related_name="identity_provider",
        help_text="The council or customer whose officers this provider signs in. A new user becomes a "
        "partner officer of this partner and nothing more.",
    )
    name = models.CharField(max_length=120, help_text="Shown on the sign-in page, e.g. “Havering staff account”.")
    issuer = models.URLField(
        max_length=300,
        unique=True,
        help_text="The issuer URL; its /.well-known/openid-configuration is read for the endpoints and keys.",
    )
    client_id = models.CharField(max_length=255)
    client_secret_env = models.CharField(
        "client secret environment variable",
        max_length=100,
        blank=True,
        help_text="The name of an environment variable that holds the client secret. Takes precedence "
        "over a secret stored here.",
    )
    client_secret_encrypted = models.TextField(blank=True, editable=False)
    scopes = models.CharField(max_length=255, default="openid email profile")
    is_active = models.BooleanField(default=True, help_text="Untick to stop sign-in through this provider.")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(client_secret_env="") | ~Q(client_secret_encrypted=""),
                name="identity_provider_has_a_client_secret",
                violation_error_message="Give the client secret, or the environment variable that holds it.",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        from urllib.parse import urlsplit

        from django.core.exceptions import ValidationError

        parts = urlsplit(self.issuer or "")
        loopback = parts.hostname in ("127.0.0.1", "localhost", "::1")
        if parts.scheme != "https" and not (parts.scheme == "http" and loopback):
            raise ValidationError({"issuer": "The issuer must be an https:// address."})
        if parts.query or parts.fragment:
            raise ValidationError({"issuer": "The issuer has no query or fragment."})

    @property
    def client_secret(self) -> str:
        from .secrets import client_secret_of

        return client_secret_of(self)


class IdentityProviderDomain(models.Model):
    """An email domain whose people may sign in through a provider (``havering.gov.uk``)."""

    provider = models.ForeignKey(IdentityProvider, on_delete=models.CASCADE, related_name="domains")
    domain = models.CharField(max_length=253, unique=True, help_text="Lower case, without the @.")

    class Meta:
        ordering = ["domain"]
        constraints = [
            models.CheckConstraint(
                condition=Q(domain=Lower("domain")) & ~Q(domain__contains="@") & ~Q(domain=""),
                name="identity_provider_domain_is_a_lower_case_domain",
                violation_error_message="Give the domain in lower case, without the @.",
            ),
        ]

    def __str__(self):
        return self.domain


class ExternalIdentity(models.Model):
    """The account at a provider (its ``sub``) that a portal user signs in with."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="external_identity")
    provider = models.ForeignKey(IdentityProvider, on_delete=models.PROTECT, related_name="identities")
    subject = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "subject"], name="external_identity_unique_per_provider"),
        ]

    def __str__(self):
        return f"{self.subject} at {self.provider}"
