"""Directors and lead officers for the demo users, illustrative cost shares for every year to this
one, and the services of the customers the plan names without saying what they take or since when."""

import datetime as dt
from decimal import Decimal

from django.apps import apps
from django.utils import timezone

from apps.core.periods import FinancialYear
from apps.core.seeding import upsert
from apps.partners.models import Partner

from .models import CostShare, Service, ServiceArea, Subscription

FOUNDING_SHARES = {"havering": Decimal("45.00"), "newham": Decimal("55.00")}
WITH_BEXLEY = {"havering": Decimal("38.00"), "newham": Decimal("42.00"), "bexley": Decimal("20.00")}
BEXLEY_JOINED = 2016
FIRST_YEAR = 2014

# Illustrative: customer slug -> (service slugs, from). The plan names these customers only.
CUSTOMER_SERVICES = {
    "norfolk": (["it-support", "application-development"], dt.date(2016, 4, 1)),
    "lancashire": ([], None),  # a joint team with oneSource, not a buyer of its services
    "schools": (["transactional-hr-and-payroll", "health-and-safety", "facilities-management"], dt.date(2014, 4, 1)),
    "academies": (["transactional-hr-and-payroll", "health-and-safety"], dt.date(2014, 9, 1)),
    "associations-and-clubs": (["health-and-safety"], dt.date(2015, 4, 1)),
    "health-and-safety-customers": (["health-and-safety"], dt.date(2014, 4, 1)),
}


def _cost_shares(last_year: int) -> int:
    partners = {p.slug: p for p in Partner.objects.filter(slug__in=WITH_BEXLEY)}
    rows = 0
    for year in range(FIRST_YEAR, last_year + 1):
        for area in ServiceArea.objects.all():
            shares = WITH_BEXLEY if area.code == "FIN" and year >= BEXLEY_JOINED else FOUNDING_SHARES
            for slug, percentage in shares.items():
                upsert(
                    CostShare,
                    area=area,
                    partner=partners[slug],
                    financial_year=year,
                    defaults={"percentage": percentage},
                )
                rows += 1
    return rows


def load(*, password: str) -> str:
    User = apps.get_model("accounts", "User")
    for username, code in (("director.ict", "ICT"), ("director.exchequer", "EXT")):
        ServiceArea.objects.filter(code=code, director__isnull=True).update(
            director=User.objects.get(username=username)
        )
    Service.objects.filter(area__code="EXT", lead_officer__isnull=True).update(
        lead_officer=User.objects.get(username="officer.exchequer")
    )
    services = {s.slug: s for s in Service.objects.all()}
    taken = 0
    for slug, (service_slugs, starts_on) in CUSTOMER_SERVICES.items():
        partner = Partner.objects.filter(slug=slug).first()
        if partner is None:
            continue
        for service_slug in service_slugs:
            upsert(
                Subscription,
                partner=partner,
                service=services[service_slug],
                ends_on=None,
                defaults={"starts_on": starts_on},
            )
            taken += 1
    rows = _cost_shares(FinancialYear.of(timezone.localdate()).start_year)
    return f"directors and lead officers set, {taken} illustrative customer subscriptions, {rows} cost shares"
