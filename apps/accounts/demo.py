"""The demo users of the README, one per role (password given by ``load_demo``).

The demo admin and directors must sign in with two-factor like real ones, so they are set up with one
published authenticator key (DEMO_TOTP_SECRET): add it to an authenticator app, or print the current
code with ``manage.py demo_code admin``. Demo data only exists with DEBUG on.
"""

from base64 import b32decode

from django.apps import apps
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.core.policy import must_use_two_factor
from apps.core.roles import TWO_FACTOR_ROLES, Role

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


#: The demo's published authenticator key (base32, as an app takes it); DEBUG only, like the password.
DEMO_TOTP_SECRET = "ONES OURC EDEM OTWO FACT ORKE YFOR DEMO"  # noqa: S105 - documented demo key, DEBUG only
DEMO_DEVICE_NAME = "Demo authenticator"


def demo_totp_device(user) -> TOTPDevice:
    """The demo user's authenticator app, on the published key (made once)."""
    key = b32decode(DEMO_TOTP_SECRET.replace(" ", "")).hex()
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, confirmed=True, defaults={"name": DEMO_DEVICE_NAME, "key": key}
    )
    return device


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
    for user in User.objects.filter(username__in=[row[0] for row in DEMO_USERS]):
        if must_use_two_factor(user):
            demo_totp_device(user)
        elif user.role in TWO_FACTOR_ROLES:
            # TWO_FACTOR_ENFORCED off (the load test): the demo's admin and directors sign in with the
            # password alone, whatever an earlier load_demo gave them.
            TOTPDevice.objects.filter(user=user, name=DEMO_DEVICE_NAME).delete()
    return f"{len(DEMO_USERS)} demo users ({created} new)"
