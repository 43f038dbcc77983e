import datetime as dt
from decimal import Decimal

import factory

from apps.slas.models import Agreement, CustomerObligation, ServiceSchedule, ServiceStandard
from tests.factories import PartnerFactory, ServiceFactory
from tests.kpis.factories import KPIFactory


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement

    partner = factory.SubFactory(PartnerFactory)
    reference = factory.LazyAttribute(lambda o: f"SLA-{o.partner.slug[:3].upper()}")
    version = 1
    title = factory.LazyAttribute(lambda o: f"oneSource services to {o.partner.name}")
    starts_on = dt.date(2016, 4, 1)
    ends_on = dt.date(2019, 3, 31)
    review_due_on = dt.date(2017, 3, 1)


class ScheduleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceSchedule

    agreement = factory.SubFactory(AgreementFactory)
    service = factory.SubFactory(ServiceFactory)
    scope = "The whole service, as described in the catalogue."
    annual_charge = Decimal("125000.00")


class StandardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceStandard

    agreement = factory.SubFactory(AgreementFactory)
    kpi = factory.SubFactory(KPIFactory)
    description = factory.LazyAttribute(lambda o: f"{o.kpi.name}: at least {o.target}%")
    target = Decimal("95")


class ObligationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CustomerObligation

    agreement = factory.SubFactory(AgreementFactory)
    description = factory.Sequence(lambda n: f"Send the monthly returns by the 10th ({n}).")


def signed_draft(world, slug="havering", **kwargs):
    """A draft with a schedule for a service the partner takes, ready to sign."""
    service = world["services"]["payroll" if slug == "havering" else "council_tax"]
    agreement = AgreementFactory(partner=world[slug], **kwargs)
    ScheduleFactory(agreement=agreement, service=service)
    return agreement
