"""Partners and customers named in the oneSource Strategic Plan 2016, as the plan names them.

Only Havering and Newham (April 2014) and Bexley (April 2016) have a joining date in the plan; the
others are named without one, so their date is left unknown."""

import datetime as dt

from apps.core.seeding import upsert

from .models import Partner

K, A, S = Partner.Kind, Partner.Arrangement, Partner.Sector
APRIL_2014 = dt.date(2014, 4, 1)
APRIL_2016 = dt.date(2016, 4, 1)

PARTNERS = [
    # slug, name, short name, kind, arrangement, sector, joined on, organisations, notes
    (
        "havering",
        "London Borough of Havering",
        "Havering",
        K.FOUNDING_PARTNER,
        A.JOINT_COMMITTEE,
        S.LONDON_BOROUGH,
        APRIL_2014,
        1,
        "Founded oneSource with Newham in April 2014.",
    ),
    (
        "newham",
        "London Borough of Newham",
        "Newham",
        K.FOUNDING_PARTNER,
        A.JOINT_COMMITTEE,
        S.LONDON_BOROUGH,
        APRIL_2014,
        1,
        "Founded oneSource with Havering in April 2014.",
    ),
    (
        "bexley",
        "London Borough of Bexley",
        "Bexley",
        K.PARTNER,
        A.JOINT_COMMITTEE,
        S.LONDON_BOROUGH,
        APRIL_2016,
        1,
        "Joined in April 2016 to share Financial Services.",
    ),
    (
        "norfolk",
        "Norfolk Council",
        "Norfolk",
        K.CUSTOMER,
        A.GOODS_AND_SERVICES_ACT,
        S.OTHER,
        None,
        1,
        "ICT customer: the 2016/17 delivery plan will “Embed the services provided to Norfolk Council”.",
    ),
    (
        "lancashire",
        "Lancashire County Council",
        "Lancashire",
        K.CUSTOMER,
        A.GOODS_AND_SERVICES_ACT,
        S.COUNTY_COUNCIL,
        None,
        1,
        "Pensions administration: the 2016/17 delivery plan establishes joint working with Lancashire County "
        "Council to create a cohesive new team.",
    ),
    (
        "schools",
        "Schools",
        "Schools",
        K.CUSTOMER,
        A.GOODS_AND_SERVICES_ACT,
        S.SCHOOL,
        None,
        1,
        "“A range of services are also provided to a multitude of schools, academies, associations and clubs”: "
        "grouped as one customer.",
    ),
    (
        "academies",
        "Academies",
        "Academies",
        K.CUSTOMER,
        A.GOODS_AND_SERVICES_ACT,
        S.ACADEMY,
        None,
        1,
        "“A range of services are also provided to a multitude of schools, academies, associations and clubs”: "
        "grouped as one customer.",
    ),
    (
        "associations-and-clubs",
        "Associations and clubs",
        "Associations and clubs",
        K.CUSTOMER,
        A.COMMERCIAL,
        S.ASSOCIATION,
        None,
        1,
        "“A range of services are also provided to a multitude of schools, academies, associations and clubs”: "
        "grouped as one customer.",
    ),
    (
        "health-and-safety-customers",
        "Health and Safety advisory customers",
        "H&S customers",
        K.CUSTOMER,
        A.COMMERCIAL,
        S.OTHER,
        None,
        95,
        "The 95 other customers of the Health and Safety advisory service, grouped as one customer.",
    ),
]


def load() -> str:
    created = 0
    for slug, name, short, kind, arrangement, sector, joined, count, notes in PARTNERS:
        _, was_created = upsert(
            Partner,
            slug=slug,
            defaults={
                "name": name,
                "short_name": short,
                "kind": kind,
                "arrangement": arrangement,
                "sector": sector,
                "joined_on": joined,
                "customer_count": count,
                "notes": notes,
            },
        )
        created += was_created
    return f"{len(PARTNERS)} partners and customers ({created} new)"
