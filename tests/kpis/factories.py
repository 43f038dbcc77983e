import datetime as dt
from decimal import Decimal

import factory

from apps.kpis.models import KPI, Measurement, Target
from tests.factories import PartnerFactory, ServiceAreaFactory


class KPIFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KPI
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"T-{n:02d}")
    name = factory.Sequence(lambda n: f"Test measure {n}")
    definition = "What is counted."
    area = factory.SubFactory(ServiceAreaFactory)
    unit = KPI.Unit.PERCENT
    polarity = KPI.Polarity.HIGHER
    decimal_places = 1
    is_rate = True
    numerator_label = "Done on time"
    denominator_label = "Done"


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    kpi = factory.SubFactory(KPIFactory)
    financial_year = 2016
    value = Decimal("95")
    tolerance = Decimal("2")


class MeasurementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measurement

    kpi = factory.SubFactory(KPIFactory)
    partner = factory.SubFactory(PartnerFactory)
    period = dt.date(2016, 4, 1)
    numerator = Decimal("96")
    denominator = Decimal("100")
    status = Measurement.Status.APPROVED
