"""The demo users of the README, one per role (password given by ``load_demo``)."""

from django.apps import apps

from apps.core.roles import Role

from .models import User
from .services import user_create

# username, first name, last name, role, partner slug, service area codes, job title
DEMO_USERS = [
    ("admin", "Alex", "Admin", Role.ADMIN, None, [], "Performance and business services manager"),
    ("director.ict", "Dana", "Ito", Role.DIRECTOR, None, ["ICT"], "Director of ICT Services"),
    (
        "director.exchequer",
        "Eden",
        "Carter",
        Role.DIRECTOR,
        None,
        ["EXT"],
        "Director of Exchequer and Transactional Services",
    ),
    ("officer.exchequer", "Omar", "Eke", Role.OFFICER, None, ["EXT"], "Exchequer performance officer"),
    ("officer.havering", "Hana", "Verma", Role.PARTNER_OFFICER, "havering", [], "Client lead, Havering"),
    ("officer.newham", "Nia", "Ward", Role.PARTNER_OFFICER, "newham", [], "Client lead, Newham"),
    ("officer.bexley", "Ben", "Lowe", Role.PARTNER_OFFICER, "bexley", [], "Finance client lead, Bexley"),
    ("committee", "Chris", "Moss", Role.COMMITTEE_MEMBER, None, [], "Joint Committee member"),
]


def load(*, password: str) -> str:
    Partner = apps.get_model("partners", "Partner")
    ServiceArea = apps.get_model("catalogue", "ServiceArea")
    created = 0
    for username, first, last, role, partner_slug, area_codes, title in DEMO_USERS:
        if User.objects.filter(username=username).exists():
            continue
        user_create(
            username=username,
            role=role,
            password=password,
            partner=Partner.objects.get(slug=partner_slug) if partner_slug else None,
            service_areas=ServiceArea.objects.filter(code__in=area_codes),
            first_name=first,
            last_name=last,
            job_title=title,
            email=f"{username}@onesource.example",
        )
        created += 1
    return f"{len(DEMO_USERS)} demo users ({created} new)"
