"""The growth objective of the Strategic Plan 2016: the existing customers it names, as opportunities.

The plan names who oneSource is growing with, not what each is worth: the values and probabilities
are left at nothing here for the business development lead to estimate (the demo fills in
illustrative ones).
"""

import datetime as dt
from decimal import Decimal

from apps.catalogue.models import Service
from apps.partners.models import Partner

from .models import OnboardingTask, Opportunity

APRIL_2016 = dt.date(2016, 4, 1)

# title, partner slug, services of interest, stage (on-boarding ones get their on-boarding tasks)
OPPORTUNITIES = [
    ("Further Bexley services on-boarded to oneSource", "bexley", [], Opportunity.Stage.DISCUSSION),
    (
        "Pensions Admin joint team with Lancashire County Council",
        "lancashire",
        ["Pensions Administration"],
        Opportunity.Stage.ONBOARDING,
    ),
    (
        "Embed the ICT services provided to Norfolk",
        "norfolk",
        ["IT Support", "Application Development"],
        Opportunity.Stage.ONBOARDING,
    ),
    ("Further traded services to schools", "schools", [], Opportunity.Stage.LEAD),
    ("Further traded services to academies", "academies", [], Opportunity.Stage.LEAD),
    (
        "Health and Safety advisory service: more customers",
        "health-and-safety-customers",
        ["Health and Safety"],
        Opportunity.Stage.LEAD,
    ),
]


def load() -> str:
    partners = {p.slug: p for p in Partner.objects.filter(slug__in=[row[1] for row in OPPORTUNITIES])}
    made = 0
    for title, slug, service_names, stage in OPPORTUNITIES:
        partner = partners.get(slug)
        if partner is None:
            continue
        if Opportunity.objects.filter(title=title).exists():
            continue  # once in the pipeline, it moves on there: running the seed again changes nothing
        opportunity = Opportunity(
            title=title,
            partner=partner,
            joins_as=Partner.Kind.PARTNER if partner.kind == Partner.Kind.PARTNER else Partner.Kind.CUSTOMER,
            stage=stage,
            expected_start=APRIL_2016,
            expected_annual_value=Decimal("0.00"),
            probability=0,
        )
        opportunity.full_clean()
        opportunity.save()
        opportunity.services.set(Service.objects.filter(name__in=service_names))
        if stage == Opportunity.Stage.ONBOARDING:
            for position, (kind, _) in enumerate(OnboardingTask.Kind.choices, start=1):
                OnboardingTask.objects.get_or_create(
                    opportunity=opportunity, kind=kind, defaults={"position": position}
                )
        made += 1
    return f"{made} growth opportunities named by the plan added"
