"""Illustrative points of contact at the Joint Committee partners (names are not real people)."""

from apps.core.seeding import upsert

from .models import Contact, Partner

R = Contact.Responsibility
CONTACTS = {
    "havering": [
        ("Helen Price", "Head of Client Services", R.CLIENT_LEAD),
        ("Harry Cole", "Chief Finance Officer", R.FINANCE_LEAD),
        ("Hazel Grant", "Chief Executive", R.SLA_SIGNATORY),
    ],
    "newham": [
        ("Nadia Khan", "Client Relationship Manager", R.CLIENT_LEAD),
        ("Noel Ford", "Director of Finance", R.FINANCE_LEAD),
        ("Nora Bell", "Chief Executive", R.SLA_SIGNATORY),
    ],
    "bexley": [
        ("Beth Shaw", "Deputy Director, Finance", R.CLIENT_LEAD),
        ("Bilal Aziz", "Director of Finance", R.FINANCE_LEAD),
        ("Bryony Hale", "Chief Executive", R.SLA_SIGNATORY),
    ],
}


def load(*, password: str) -> str:
    count = 0
    for slug, people in CONTACTS.items():
        partner = Partner.objects.get(slug=slug)
        for name, title, responsibility in people:
            email = name.lower().replace(" ", ".") + f"@{slug}.example"
            upsert(
                Contact,
                partner=partner,
                email=email,
                responsibility=responsibility,
                defaults={"name": name, "job_title": title},
            )
            count += 1
    return f"{count} contacts"
