"""The two savings programmes of the Strategic Plan 2016, with their real totals."""

from decimal import Decimal

from apps.core.seeding import upsert

from .models import Programme

PROGRAMMES = [
    {
        "slug": "original-business-case",
        "name": "Original business case",
        "description": "The financial benefits of £10.6 million from the original business case for oneSource, "
        "to be realised over its first five years from April 2014 to March 2019, facilitated by a set of "
        "transformation projects over the first three years, management restructuring and quick wins.",
        "total": Decimal("10600000.00"),
        "first_year": 2014,
        "last_year": 2018,
        "display_order": 1,
    },
    {
        "slug": "additional-savings",
        "name": "Additional savings",
        "description": "Additional savings of £4.2 million per annum promised to the partner councils, "
        "including Bexley, over and above the original business case, making a total of £14.8 million.",
        "total": Decimal("4200000.00"),
        "first_year": 2016,
        "last_year": 2018,
        "display_order": 2,
    },
]


def load() -> str:
    created = 0
    for row in PROGRAMMES:
        data = dict(row)
        _, new = upsert(Programme, slug=data.pop("slug"), defaults=data)
        created += new
    total = sum((row["total"] for row in PROGRAMMES), Decimal(0))
    return f"{len(PROGRAMMES)} savings programmes ({created} new), £{total:,.2f} in all"
