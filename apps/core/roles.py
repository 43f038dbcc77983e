from django.db import models


class Role(models.TextChoices):
    ADMIN = "admin", "Administrator"
    DIRECTOR = "director", "oneSource director"
    OFFICER = "officer", "oneSource officer"
    PARTNER_OFFICER = "partner_officer", "Partner officer"
    COMMITTEE_MEMBER = "committee_member", "Joint Committee member"


#: Roles of oneSource's own staff, who work across partners.
STAFF_ROLES = frozenset({Role.ADMIN, Role.DIRECTOR, Role.OFFICER})

#: Roles that must sign in with a second factor (a code from an authenticator app).
TWO_FACTOR_ROLES = frozenset({Role.ADMIN, Role.DIRECTOR})
