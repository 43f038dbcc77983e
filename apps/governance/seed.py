"""The Joint Committee: "We are governed by Members through a Joint Committee which receives key
reports and makes strategic decisions about its operation" (the Strategic Plan 2016). Its councils are
the partners in the Joint Committee arrangement: Havering, Newham and, from April 2016, Bexley."""

from apps.core.seeding import upsert
from apps.partners.models import Partner

from .models import Committee

NAME = "oneSource Joint Committee"
DESCRIPTION = (
    "oneSource is governed by Members through a Joint Committee which receives key reports and makes "
    "strategic decisions about its operation. Members of the London Boroughs of Havering and Newham, and of "
    "Bexley since April 2016, sit on it."
)


def load() -> str:
    committee, _ = upsert(Committee, slug="joint-committee", defaults={"name": NAME, "description": DESCRIPTION})
    councils = Partner.objects.filter(arrangement=Partner.Arrangement.JOINT_COMMITTEE).exclude(
        kind=Partner.Kind.CUSTOMER
    )
    if set(committee.councils.all()) != set(councils):
        committee.councils.set(councils)
    return f"the Joint Committee of {', '.join(c.short_name for c in councils.order_by('name'))}"
