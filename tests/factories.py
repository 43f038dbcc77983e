"""Factories shared by every app's tests.

An app with many models may keep its own in tests/<app>/factories.py.
"""

import datetime as dt
from decimal import Decimal

import factory
from django.utils.text import slugify

from apps.accounts.models import User
from apps.catalogue.models import CommissioningRequest, CostShare, Service, ServiceArea, Subscription
from apps.core.roles import Role
from apps.partners.models import Contact, Partner

PASSWORD = "a-long-test-password"


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
