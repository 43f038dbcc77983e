"""Directors and lead officers for the demo users, and illustrative cost shares."""

from decimal import Decimal

from django.apps import apps

from apps.core.seeding import upsert
from apps.partners.models import Partner

from .models import CostShare, Service, ServiceArea

# Illustrative distribution formulae (not published figures): area code -> {partner slug: %}.
COST_SHARES = {
    2016: {
        "FIN": {"havering": Decimal("38.00"), "newham": Decimal("42.00"), "bexley": Decimal("20.00")},
        **{
            code: {"havering": Decimal("45.00"), "newham": Decimal("55.00")}
            for code in ("GEN", "BS", "HR", "EXT", "LEG", "AM", "ICT")
        },
    },
}


def load(*, password: str) -> str:
    User = apps.get_model("accounts", "User")
    for username, code in (("director.ict", "ICT"), ("director.exchequer", "EXT")):
        ServiceArea.objects.filter(code=code, director__isnull=True).update(
            director=User.objects.get(username=username)
        )
    Service.objects.filter(area__code="EXT", lead_officer__isnull=True).update(
        lead_officer=User.objects.get(username="officer.exchequer")
    )
    partners = {p.slug: p for p in Partner.objects.all()}
    rows = 0
    for year, areas in COST_SHARES.items():
        for code, shares in areas.items():
            area = ServiceArea.objects.get(code=code)
            for slug, percentage in shares.items():
                upsert(
                    CostShare,
                    area=area,
                    partner=partners[slug],
                    financial_year=year,
                    defaults={"percentage": percentage},
                )
                rows += 1
    return f"directors and lead officers set, {rows} cost shares"
