"""Factories shared by every app's tests.

An app with many models may keep its own in tests/<app>/factories.py.
"""

import datetime as dt
import time
from decimal import Decimal

import factory
from django.utils.text import slugify
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts.models import User
from apps.catalogue.models import CommissioningRequest, CostShare, Service, ServiceArea, Subscription
from apps.core.roles import TWO_FACTOR_ROLES, Role
from apps.partners.models import Contact, Partner

PASSWORD = "a-long-test-password"
#: The authenticator key of the test users who have two-factor on (hex, as django-otp stores it).
TOTP_KEY = "3132333435363738393031323334353637383930"


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"London Borough of Testshire {n}")
    short_name = factory.LazyAttribute(lambda o: o.name.replace("London Borough of ", ""))
    slug = factory.LazyAttribute(lambda o: slugify(o.short_name))
    kind = Partner.Kind.PARTNER
    arrangement = Partner.Arrangement.JOINT_COMMITTEE
    sector = Partner.Sector.LONDON_BOROUGH
    joined_on = dt.date(2014, 4, 1)


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    partner = factory.SubFactory(PartnerFactory)
    name = factory.Sequence(lambda n: f"Contact {n}")
    responsibility = Contact.Responsibility.CLIENT_LEAD
    email = factory.Sequence(lambda n: f"contact{n}@council.example")


class ServiceAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceArea
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"A{n}")
    name = factory.LazyAttribute(lambda o: f"Area {o.code}")


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    area = factory.SubFactory(ServiceAreaFactory)
    name = factory.Sequence(lambda n: f"Service {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class SubscriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subscription

    partner = factory.SubFactory(PartnerFactory)
    service = factory.SubFactory(ServiceFactory)
    starts_on = dt.date(2014, 4, 1)


class CostShareFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CostShare

    area = factory.SubFactory(ServiceAreaFactory)
    partner = factory.SubFactory(PartnerFactory)
    financial_year = 2016
    percentage = Decimal("50.00")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    email = factory.LazyAttribute(lambda o: f"{o.username}@onesource.example")
    role = Role.OFFICER
    is_staff = factory.LazyAttribute(lambda o: o.role == Role.ADMIN)
    is_superuser = factory.LazyAttribute(lambda o: o.role == Role.ADMIN)
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def service_areas(self, create, extracted, **kwargs):
        if create and extracted:
            self.service_areas.set(extracted)

    @factory.post_generation
    def two_factor(self, create, extracted, **kwargs):
        """Admins and directors have set up their authenticator app, as they must (``two_factor=False``:
        one who has not yet); anyone else only with ``two_factor=True``."""
        wanted = self.role in TWO_FACTOR_ROLES if extracted is None else extracted
        if create and wanted:
            TOTPDevice.objects.get_or_create(user=self, confirmed=True, defaults={"name": "Phone", "key": TOTP_KEY})


def totp_code(user) -> str:
    """The code the user's authenticator app shows now, or, if that one was just used, the next one
    (django-otp takes one step ahead and refuses a code used before)."""
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    step = max(totp.t(), device.last_t + 1)
    totp.time = device.t0 + step * device.step
    return f"{totp.token():0{device.digits}d}"


def sign_in(client, user):
    """Sign the test client in as a person who has been through both steps: the password, then, if
    they have an authenticator app, its code (recorded in the session as django-otp records it)."""
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


class CommissioningRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommissioningRequest

    partner = factory.SubFactory(PartnerFactory)
    service = factory.SubFactory(ServiceFactory)
    requested_by = factory.SubFactory(
        UserFactory, role=Role.PARTNER_OFFICER, partner=factory.SelfAttribute("..partner")
    )
    needed_from = dt.date(2016, 10, 1)
    details = "We need this service from the autumn."
