"""The 2016/17 delivery plan of the Strategic Plan 2016, as its table prints it.

Each activity keeps the service codes printed beside it: "All" is every service area, "Ex & Trans"
is EXT, "Legal" is LEG; "Ex & Trans with BS" is led by both. The plan's footnote decides which
councils an activity supporting the councils' corporate priorities supports: "Plan only refers to
Newham and Havering unless Bexley is explicitly referenced". Two of them reference Bexley: "Support
all three Councils ..." and "Integration of systems and processes across Havering, Newham and Bexley ...".
"""

import datetime as dt

from apps.catalogue.models import ServiceArea
from apps.core.seeding import upsert
from apps.partners.models import Partner

from .models import Activity, Outcome, Plan, StrategicObjective

YEAR = 2016
VISION = (
    "to be the one source of innovative support to all public services, delivering affordable quality at all times."
)
ALL = "All"
BOTH_COUNCILS = ("havering", "newham")
THREE_COUNCILS = (*BOTH_COUNCILS, "bexley")


def councils_referenced(title: str) -> tuple[str, ...]:
    """The footnote's rule: Havering and Newham, and Bexley only where the activity references it."""
    return THREE_COUNCILS if "Bexley" in title or "all three Councils" in title else BOTH_COUNCILS


# Objective -> (outcomes, key activities, activities supporting the councils' corporate priorities).
# Activities are (title, codes); the councils a corporate one supports follow the footnote.
PLAN = [
    (
        "Focusing on our customers",
        [
            "Delivering services within targets and to customers satisfaction",
            "Support the customer councils' financial strategies",
            "Deliver key projects",
        ],
        [
            ("Review of all service level agreements", [ALL]),
            ("Embed performance reporting to customers in-line with the performance Management Framework", [ALL]),
            (
                "Provide transformation service to customer councils including rapid improvement events and "
                "problem solving workshops",
                ["BS"],
            ),
            ("Bed in the 1Oracle system in LBN and roll out of a single operation for a shared service", [ALL]),
            ("Develop online services for customers", ["EXT"]),
        ],
        [
            ("Support all three Councils in achieving their Financial Strategies", [ALL]),
            (
                "Support both councils in the development of a fit for purpose organisation, including "
                "organisational development and culture",
                ["HR"],
            ),
            ("Help to deliver\\support key corporate projects", [ALL]),
        ],
    ),
    (
        "Transforming our services",
        [
            "Embedding new structures, joint working, new processes, common approaches and where appropriate "
            "team locations",
            "Being creative and innovative in re-designing services, thinking and acting differently",
            "Creating a virtual organisation to allow the oneSource operating model to work seamlessly across "
            "locations",
        ],
        [
            ("Jointly procure contracts and services", [ALL]),
            ("Continuously improve services already transformed", ["BS"]),
            ("Deliver the timetabled transformation projects to review services", ["BS"]),
            (
                "Review and implement oneSource accommodation strategy to reflect oneSource as a virtual organisation",
                ["AM"],
            ),
            ("To develop VERTO / MAPP to have self service functionality", ["BS"]),
            (
                "Continued development of self-service through dashboards, intranet, training and other "
                "self-service processes",
                ["EXT"],
            ),
        ],
        [],
    ),
    (
        "Delivering savings",
        [
            "Re-design and restructure services",
            "Implementing the outcome of service reviews and delivery of related savings",
            "Procure together to get better economies of scale",
            "Improved medium term financial planning and support for delivery of savings programmes",
        ],
        [
            (
                "Deliver savings through implementation of new structures and embed new working processes for "
                "Asset Management, Finance, People Transactional, Finance Transactional, HR & OD",
                [ALL],
            ),
            (
                "Maximise the potential of the IKEN case management system within Legal and potential role out "
                "to other services",
                ["BS"],
            ),
            (
                "To review the Council Tax and Housing Benefits service including process review, new ways of "
                "working and restructure in order to increase income collection and reduce costs",
                ["EXT", "BS"],
            ),
        ],
        [
            (
                "Continue to support and, where appropriate, lead the implementation of corporate IT systems, "
                "including 1Oracle",
                [ALL],
            ),
            ("Deploy new technology and systems to support business processes", ["ICT"]),
            (
                "Integration of systems and processes across Havering, Newham and Bexley through oneSource ERP "
                "self service",
                ["ICT"],
            ),
        ],
    ),
    (
        "Growing our business",
        [],
        [
            (
                "Continue to engage potential partners through implementing the Business Development and "
                "Marketing Plan",
                ["BS"],
            ),
            ("To work with LB Bexley to consider the on boarding of further services to oneSource", ["BS"]),
            (
                "Implement Pensions Admin Restructure to establish joint working with Lancashire County Council "
                "to create a cohesive new team",
                ["EXT"],
            ),
            ("Generate income through reuse of ICT systems & related services", ["ICT"]),
            ("Embed the services provided to Norfolk Council", ["ICT"]),
        ],
        [],
    ),
    (
        "Innovation",
        [
            "Improve partner councils' customer experience through improved web enabled services and business "
            "intelligence.",
            "Share systems wherever possible",
            "Cost effective and fit for purpose IT solutions in place",
            "Deployment of technology to support collaboration, business processes and enable one Source and "
            "partner councils to be 'digital by design' to improve workforce agility and flexible working "
            "capability.",
        ],
        [
            ("Implement common systems in use across boroughs supporting joint working", [ALL]),
            (
                "Deploy new technologies to support partner council and oneSource operating models and flexible "
                "working e.g. business intelligence",
                ["ICT"],
            ),
            (
                "Continue to develop self-service through dashboards, intranet, training and other self-service "
                "processes",
                ["EXT"],
            ),
            ("Upgrade ICT server infrastructure and exploit cloud opportunities", ["ICT"]),
            ("Develop and deploy digital customer services and employee offers", ["ICT"]),
        ],
        [
            (
                "Continue to develop and implement the councils' Accommodation \\ Asset Management Strategy",
                ["AM"],
            ),
            (
                "Deliver the various aspects of the schools expansion programme and other capital projects",
                ["AM"],
            ),
            (
                "Support the implementation of the new Havering Intranet, including Yammer and Newham's social "
                "care system (Azeus).",
                ["ICT"],
            ),
        ],
    ),
    (
        "Embedding the oneSource culture",
        [
            "Embed the oneSource values and the 'oneSource way'",
            "Share skilled and knowledgeable staff",
            "Enabling self-service and effective provision of management information",
        ],
        [
            ("Provision of quality services as business as usual", [ALL]),
            ("Develop and embed KPI and performance culture across oneSource", ["BS"]),
            ("Promote and help services adopt, implement and enforce the Digital Principles.", ["ICT"]),
            ("Digital employee offer — Collaboration Tools & EDRM consolidation", ["ICT"]),
        ],
        [],
    ),
]


def _lead(obj, codes, areas):
    everything = codes == [ALL]
    chosen = list(areas.values()) if everything else [areas[code] for code in codes]
    if obj.all_areas != everything:
        obj.all_areas = everything
        obj.save(update_fields=["all_areas"])
    if {area.pk for area in obj.lead_areas.all()} != {area.pk for area in chosen}:
        obj.lead_areas.set(chosen)


def load() -> str:
    areas = {area.code: area for area in ServiceArea.objects.all()}
    partners = {partner.slug: partner for partner in Partner.objects.filter(slug__in=THREE_COUNCILS)}
    year_start, year_end = dt.date(YEAR, 4, 1), dt.date(YEAR + 1, 3, 31)
    plan, _ = upsert(Plan, financial_year=YEAR, defaults={"vision": VISION, "status": Plan.Status.PUBLISHED})
    counts = {"outcomes": 0, "key": 0, "corporate": 0}
    for position, (title, outcomes, key_activities, corporate_activities) in enumerate(PLAN, start=1):
        objective, _ = upsert(StrategicObjective, plan=plan, position=position, defaults={"title": title})
        for number, outcome_title in enumerate(outcomes, start=1):
            outcome, _ = upsert(Outcome, objective=objective, position=number, defaults={"title": outcome_title})
            _lead(outcome, [ALL], areas)
            counts["outcomes"] += 1
        rows = [(Activity.Kind.KEY, title, codes, ()) for title, codes in key_activities]
        rows += [
            (Activity.Kind.CORPORATE, title, codes, councils_referenced(title)) for title, codes in corporate_activities
        ]
        numbers = {Activity.Kind.KEY: 0, Activity.Kind.CORPORATE: 0}
        for kind, activity_title, codes, councils in rows:
            numbers[kind] += 1
            lookup = {"objective": objective, "kind": kind, "position": numbers[kind]}
            defaults = {"title": activity_title}
            if not Activity.objects.filter(**lookup).exists():
                # The plan runs for the year; owners, dates and progress are then the services' to set.
                defaults.update(starts_on=year_start, due_on=year_end)
            activity, _ = upsert(Activity, defaults=defaults, **lookup)
            _lead(activity, codes, areas)
            wanted = {partners[slug].pk for slug in councils if slug in partners}
            if {p.pk for p in activity.supported_partners.all()} != wanted:
                activity.supported_partners.set(wanted)
            counts["key" if kind == Activity.Kind.KEY else "corporate"] += 1
    return (
        f"plan {plan.year_label}: {len(PLAN)} objectives, {counts['outcomes']} outcomes, "
        f"{counts['key']} key activities, {counts['corporate']} supporting the councils' priorities"
    )
