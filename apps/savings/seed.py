"""The two savings programmes of the Strategic Plan 2016, in the plan's words, with their real totals.

Both totals are annual levels of savings: £10.6m of benefits realised over April 2014 – March 2019
and £4.2m "per annum" on top, "making a total of £14.8 million" a year once both are delivered (a
run-rate), never a sum over the years. Saving lines are not in the plan: the demo adds illustrative ones.
"""

from decimal import Decimal

from apps.core.seeding import upsert

from .models import Programme

#: "making a total of £14.8 million": the annual savings once both programmes are delivered.
ANNUAL_TOTAL = Decimal("14800000.00")
ANNUAL_TOTAL_NOTE = (
    "The £14.8 million is an annual level of savings once both programmes are delivered (a run-rate), "
    "not a sum over the years."
)

PROGRAMMES = [
    {
        "slug": "original-business-case",
        "name": "Original business case",
        "description": "The financial benefits of £10.6 million from the original business case for oneSource are "
        "currently on track to be realised over its first five years from April 2014 to March 2019, facilitated by "
        "a set of transformation projects over the first three years.",
        "total": Decimal("10600000.00"),
        "first_year": 2014,
        "last_year": 2018,
        "display_order": 1,
    },
    {
        "slug": "additional-savings",
        "name": "Additional savings",
        "description": "Additional savings of £4.2 million per annum have been promised already to the partner "
        "councils, including Bexley, over and above the original business case, making a total of £14.8 million. "
        + ANNUAL_TOTAL_NOTE,
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
    return f"{len(PROGRAMMES)} savings programmes ({created} new), £{total:,.2f} a year in all once delivered"
