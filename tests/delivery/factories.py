import datetime as dt

import factory

from apps.delivery.models import Activity, ActivityUpdate, Outcome, Plan, StrategicObjective
from tests.factories import UserFactory


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan
        django_get_or_create = ("financial_year",)

    financial_year = 2016
    vision = "to be the one source of innovative support to all public services"
    status = Plan.Status.PUBLISHED


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StrategicObjective

    plan = factory.SubFactory(PlanFactory)
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Objective {n}")


class OutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outcome

    objective = factory.SubFactory(ObjectiveFactory)
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Outcome {n}")


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity
        skip_postgeneration_save = True

    objective = factory.SubFactory(ObjectiveFactory)
    kind = Activity.Kind.KEY
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Activity {n}")
    starts_on = dt.date(2016, 4, 1)
    due_on = dt.date(2017, 3, 31)

    @factory.post_generation
    def lead_areas(self, create, extracted, **kwargs):
        if create and extracted:
            self.lead_areas.set(extracted)

    @factory.post_generation
    def supported_partners(self, create, extracted, **kwargs):
        if create and extracted:
            self.supported_partners.set(extracted)


class ActivityUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActivityUpdate

    activity = factory.SubFactory(ActivityFactory)
    posted_on = dt.date(2016, 6, 30)
    status = Activity.Status.ON_TRACK
    progress = 25
    narrative = "Going to plan."
    author = factory.SubFactory(UserFactory)
