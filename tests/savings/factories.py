from decimal import Decimal

import factory

from apps.savings.models import PartnerShare, Programme, SavingLine, YearTarget
from tests.factories import ServiceAreaFactory


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"programme-{n}")
    name = factory.Sequence(lambda n: f"Programme {n}")
    total = Decimal("1000000.00")
    first_year = 2014
    last_year = 2018


class SavingLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SavingLine

    reference = factory.Sequence(lambda n: f"SL-{n:03d}")
    title = factory.Sequence(lambda n: f"Saving line {n}")
    programme = factory.SubFactory(ProgrammeFactory)
    area = factory.SubFactory(ServiceAreaFactory)
    category = SavingLine.Category.RESTRUCTURE


def make_line(*, area, partners: dict, targets: dict, programme=None, **kwargs) -> SavingLine:
    """A line with its shares (``{partner: "50.00"}``) and targets (``{2016: "1000.00"}``)."""
    line = SavingLineFactory(area=area, programme=programme or ProgrammeFactory(slug="programme"), **kwargs)
    for partner, percentage in partners.items():
        PartnerShare.objects.create(line=line, partner=partner, percentage=Decimal(percentage))
    for year, amount in targets.items():
        YearTarget.objects.create(line=line, financial_year=year, amount=Decimal(amount))
    return line
