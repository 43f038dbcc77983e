import datetime as dt

import factory

from apps.transformation.models import Project, Technique
from tests.factories import ServiceAreaFactory


class TechniqueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Technique
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Technique {n}")
    slug = factory.Sequence(lambda n: f"technique-{n}")


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project
        skip_postgeneration_save = True

    area = factory.SubFactory(ServiceAreaFactory)
    title = factory.Sequence(lambda n: f"Project {n}")
    starts_on = dt.date(2016, 4, 1)
    planned_end_on = dt.date(2017, 3, 31)

    @factory.post_generation
    def techniques(self, create, extracted, **kwargs):
        if create and extracted:
            self.techniques.set(extracted)

    @factory.post_generation
    def customers_consulted(self, create, extracted, **kwargs):
        if create and extracted:
            self.customers_consulted.set(extracted)
