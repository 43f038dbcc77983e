"""The service level agreements of the Strategic Plan 2016, as first drafts.

"SLAs are two way agreements clarifying both oneSource services and customer input": each
agreement has a schedule for every service the partner takes, a standard for every KPI that
measures those services, and the customer's obligations. The plan gives no prices, so every
annual charge starts at £0.00 until the partners agree them; both sides then sign in the portal.
"""

import datetime as dt
from decimal import Decimal

from django.db.models import Q

from apps.catalogue.models import Service, Subscription
from apps.core.seeding import upsert
from apps.kpis.models import KPI
from apps.partners.models import Partner

from .models import Agreement, CustomerObligation, ServiceSchedule, ServiceStandard

APRIL_2016 = dt.date(2016, 4, 1)
# The business case runs five years from April 2014, to March 2019.
MARCH_2019 = dt.date(2019, 3, 31)
REVIEW = dt.date(2017, 3, 1)

AGREEMENTS = {
    # slug: reference, title
    "havering": ("SLA-HAV", "oneSource services to the London Borough of Havering"),
    "newham": ("SLA-NEW", "oneSource services to the London Borough of Newham"),
    "bexley": ("SLA-BEX", "Shared Financial Services with the London Borough of Bexley"),
}

# KPI code -> the level committed to, in the KPI's unit.
STANDARD_TARGETS = {
    "EXT-01": "96.5",
    "EXT-02": "97.5",
    "EXT-03": "95.0",
    "EXT-04": "22.0",
    "EXT-05": "10.0",
    "EXT-06": "99.50",
    "HR-01": "8.00",
    "HR-02": "35.0",
    "ICT-01": "70.0",
    "ICT-02": "99.50",
    "ICT-03": "90.0",
    "LEG-01": "90.0",
    "LEG-02": "85.0",
    "AM-01": "90.0",
    "AM-02": "2",
    "BS-01": "80",
    "FIN-01": "95.0",
    "FIN-02": "100",
    "FIN-03": "1500000",
}

# The customer's side: (service slug or None for the whole agreement, obligation)
FOUNDING_OBLIGATIONS = [
    (None, "Name a client lead and an SLA signatory, and tell oneSource when either changes."),
    (None, "Attend the quarterly performance review with oneSource."),
    ("transactional-hr-and-payroll", "Send payroll changes, starters and leavers by the 10th of the month."),
    (
        "council-tax-and-benefits",
        "Pass on benefit claims and changes of circumstance received by council offices within 2 working days.",
    ),
    ("it-support", "Raise every ICT request and fault through the service desk."),
]
OBLIGATIONS = {
    "havering": FOUNDING_OBLIGATIONS,
    "newham": FOUNDING_OBLIGATIONS,
    "bexley": [
        (None, "Name a client lead and an SLA signatory, and tell oneSource when either changes."),
        ("financial-services", "Budget holders return their monitoring forecasts by working day 3 of each month."),
        ("financial-services", "Agree the closedown timetable with oneSource by 31 January each year."),
    ],
}


def _describe(kpi: KPI, target: Decimal) -> str:
    bound = "at least" if kpi.higher_is_better else "at most"
    return f"{kpi.name}: {bound} {kpi.format(target)}"


def _services_taken(partner: Partner) -> list[Service]:
    taken = Subscription.objects.current(APRIL_2016).filter(partner=partner).values("service_id")
    return list(Service.objects.filter(pk__in=taken).select_related("area"))


def _kpis_for(services: list[Service]) -> list[KPI]:
    areas = {s.area_id for s in services}
    return list(
        KPI.objects.active()
        .filter(Q(service__in=services) | Q(service__isnull=True, area__in=areas))
        .filter(code__in=STANDARD_TARGETS)
        .order_by("code")
    )


def load() -> str:
    counts = {"agreements": 0, "schedules": 0, "standards": 0, "obligations": 0}
    services_by_slug = {s.slug: s for s in Service.objects.all()}
    for slug, (reference, title) in AGREEMENTS.items():
        partner = Partner.objects.get(slug=slug)
        agreement, _ = upsert(
            Agreement,
            partner=partner,
            version=1,
            defaults={
                "reference": reference,
                "title": title,
                "starts_on": APRIL_2016,
                "ends_on": MARCH_2019,
                "review_due_on": REVIEW,
            },
        )
        counts["agreements"] += 1
        services = _services_taken(partner)
        for service in services:
            scope = service.description or f"The {service.name} service, as oneSource provides it to its partners."
            # The charge is left as agreed once set: only a new schedule starts at £0.00.
            if not ServiceSchedule.objects.filter(agreement=agreement, service=service).exists():
                upsert(
                    ServiceSchedule,
                    agreement=agreement,
                    service=service,
                    defaults={"scope": scope, "annual_charge": Decimal("0.00")},
                )
            counts["schedules"] += 1
        for kpi in _kpis_for(services):
            target = Decimal(STANDARD_TARGETS[kpi.code])
            upsert(
                ServiceStandard,
                agreement=agreement,
                kpi=kpi,
                defaults={"description": _describe(kpi, target), "target": target},
            )
            counts["standards"] += 1
        for service_slug, description in OBLIGATIONS[slug]:
            service = services_by_slug.get(service_slug) if service_slug else None
            upsert(CustomerObligation, agreement=agreement, description=description, defaults={"service": service})
            counts["obligations"] += 1
    return ", ".join(f"{count} {name}" for name, count in counts.items())
