"""Service areas and the services of "The services we offer" in the Strategic Plan 2016.

Service names are the plan's words. Where the plan's wording needed reading (a word the text
extraction garbled, a name split over a sentence), ``READINGS`` gives the words as the plan prints
them, so that a test can find each name in the plan's text. Who takes what is only what the plan
says: Havering and Newham, the founding councils (April 2014), take the services they brought
together, including the Pensions administration team joint with Lancashire County Council; Bexley,
from April 2016, shares Financial Services and has the client management of its Capita contract.
The other customers are named in the plan without their services or dates: the demo gives them some.
"""

import datetime as dt

from django.utils.text import slugify

from apps.core.seeding import upsert
from apps.partners.models import Partner

from .models import Service, ServiceArea, Subscription

# The plan's services key, as printed beneath the delivery plan: area code -> the key's entry.
SERVICES_KEY = {
    "BS": "BS – Business Services",
    "HR": "HR – Human Resources and Organisational Development",
    "EXT": "Ex & Trans – Exchequer and Transactional Services",
    "LEG": "Legal – Legal Services",
    "AM": "AM – Asset Management",
    "ICT": "ICT – ICT Services",
    "FIN": "FIN – Financial Services",
}

# code, name, description, the services listed under it in the plan ("The services we offer")
AREAS = [
    ("GEN", "General", "Consultancy and Intelligent Client.", ["Consultancy", "Intelligent Client"]),
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
            "Bailiff Service",
            "Debt recovery",
            "Pensions Administration",
        ],
    ),
    ("LEG", "Legal and Governance", "", ["Legal Services", "Democratic Services", "Election services"]),
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

# Service name -> the words the plan prints for it, where the name is a reading of them.
READINGS = {
    # "Human Resources: Strategic HR and Operational, Organisational Development, ..."
    "Strategic and Operational HR": "Strategic HR and Operational",
    # The text extraction turned "IT" into a symbol: "ICT:  $\Pi$  Support. Telephony, ..."
    "IT Support": "Support. Telephony",
    # "Implement Pensions Admin Restructure to establish joint working with Lancashire County Council"
    "Pensions Administration": "Pensions Admin Restructure",
}

DESCRIPTIONS = {
    "Client Management of the Bexley Capita contract": (
        "Client Management of the Bexley Capita contract (covering Council Tax, Benefits, NNDR and debt recovery)."
    ),
    "Bailiff Service": "Financial enforcement services for the non-payment of council tax and parking.",
    "Debt recovery": "Financial enforcement services for the non-payment of council tax and parking.",
    "Health and Safety": "Health and Safety advisory service, having an additional 95 customers.",
    "Pensions Administration": (
        "Pensions Admin Restructure to establish joint working with Lancashire County Council to create a "
        "cohesive new team."
    ),
}

FOUNDING = ("havering", "newham")
APRIL_2014 = dt.date(2014, 4, 1)
APRIL_2016 = dt.date(2016, 4, 1)
# Bexley joined "to share Financial Services"; the Capita contract it has is Bexley's own.
BEXLEY = ["Financial Services", "Client Management of the Bexley Capita contract"]
# Services that exist for one partner's sake, not taken by the founding councils.
NOT_FOUNDING = {"Client Management of the Bexley Capita contract"}


def _described(code: str, description: str) -> str:
    key = f"Services key: {SERVICES_KEY[code]}." if code in SERVICES_KEY else ""
    return " ".join(part for part in (description, key) if part)


def load() -> str:
    services = {}
    for order, (code, name, description, service_names) in enumerate(AREAS, start=1):
        area, _ = upsert(
            ServiceArea,
            code=code,
            defaults={"name": name, "description": _described(code, description), "display_order": order},
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
    taken += [(partners["bexley"], services[name], APRIL_2016) for name in BEXLEY]
    for partner, service, starts in taken:
        upsert(Subscription, partner=partner, service=service, ends_on=None, defaults={"starts_on": starts})
    return f"{len(AREAS)} service areas, {len(services)} services, {len(taken)} subscriptions"
