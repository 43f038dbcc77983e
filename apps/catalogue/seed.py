"""Service areas and the services of "The services we offer" in the Strategic Plan 2016."""

import datetime as dt

from django.utils.text import slugify

from apps.core.seeding import upsert
from apps.partners.models import Partner

from .models import Service, ServiceArea, Subscription

# code, name, the services listed under it in the plan
AREAS = [
    ("GEN", "General", "Consultancy and intelligent client.", ["Consultancy", "Intelligent Client"]),
    (
        "BS",
        "Business Services",
        "",
        ["Business Development", "Business Improvement", "Programmes Management Office"],
    ),
    (
        "HR",
        "Human Resources and Organisational Development",
        "",
        ["Strategic and Operational HR", "Organisational Development", "Transactional HR and Payroll"],
    ),
    (
        "EXT",
        "Exchequer and Transactional Services",
        "",
        [
            "Council Tax and Benefits",
            "NNDR",
            "Client Management of the Bexley Capita contract",
            "Financial Enforcement: Bailiff Service",
            "Financial Enforcement: Debt Recovery",
            "Pensions Administration",
        ],
    ),
    ("LEG", "Legal and Governance", "", ["Legal Services", "Democratic Services", "Election Services"]),
    (
        "AM",
        "Asset Management",
        "",
        [
            "Facilities Management",
            "Health and Safety",
            "Property Services",
            "Technical Services",
            "Transport",
        ],
    ),
    (
        "ICT",
        "ICT Services",
        "",
        [
            "IT Support",
            "Telephony",
            "Application Development",
            "Website Development",
            "Project Management",
            "Printing",
            "Business Continuity and Disaster Recovery",
        ],
    ),
    (
        "FIN",
        "Financial Services",
        "Shared with the London Borough of Bexley from April 2016.",
        ["Financial Services"],
    ),
]

DESCRIPTIONS = {
    "Client Management of the Bexley Capita contract": (
        "Client management of the Bexley Capita contract, covering Council Tax, Benefits, NNDR and debt recovery."
    ),
    "Financial Enforcement: Bailiff Service": "Enforcement for the non-payment of council tax and parking.",
    "Financial Enforcement: Debt Recovery": "Debt recovery for the non-payment of council tax and parking.",
    "Health and Safety": "Health and Safety advisory service, with 95 customers beyond the partners.",
    "Pensions Administration": "Joint working with Lancashire County Council.",
}

FOUNDING = ("havering", "newham")
APRIL_2014 = dt.date(2014, 4, 1)
APRIL_2016 = dt.date(2016, 4, 1)
# Services taken by the other partners and customers: slug -> (services, from)
OTHER_SUBSCRIPTIONS = {
    "bexley": (["Financial Services"], APRIL_2016),
    "norfolk": (["IT Support", "Application Development"], APRIL_2016),
    "lancashire": (["Pensions Administration"], APRIL_2016),
    "schools": (["Transactional HR and Payroll", "Health and Safety", "Facilities Management"], APRIL_2014),
    "academies": (["Transactional HR and Payroll", "Health and Safety"], APRIL_2014),
    "associations-and-clubs": (["Health and Safety"], APRIL_2014),
    "health-and-safety-customers": (["Health and Safety"], APRIL_2014),
}
# Services that exist for one partner's sake, not taken by the founding councils.
NOT_FOUNDING = {"Client Management of the Bexley Capita contract", "Pensions Administration"}


def load() -> str:
    services = {}
    for order, (code, name, description, service_names) in enumerate(AREAS, start=1):
        area, _ = upsert(
            ServiceArea,
            code=code,
            defaults={"name": name, "description": description, "display_order": order},
        )
        for service_name in service_names:
            services[service_name], _ = upsert(
                Service,
                slug=slugify(service_name),
                defaults={
                    "area": area,
                    "name": service_name,
                    "description": DESCRIPTIONS.get(service_name, ""),
                },
            )
    partners = {p.slug: p for p in Partner.objects.all()}
    taken = [
        (partners[slug], service, APRIL_2014)
        for slug in FOUNDING
        for name, service in services.items()
        if name not in NOT_FOUNDING
    ]
    taken += [
        (partners[slug], services[name], starts)
        for slug, (names, starts) in OTHER_SUBSCRIPTIONS.items()
        for name in names
    ]
    for partner, service, starts in taken:
        upsert(Subscription, partner=partner, service=service, ends_on=None, defaults={"starts_on": starts})
    return f"{len(AREAS)} service areas, {len(services)} services, {len(taken)} subscriptions"
