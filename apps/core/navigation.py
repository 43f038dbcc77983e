"""The service navigation: what each role may use. An entry shows once its app provides the URL."""

import functools
from dataclasses import dataclass

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

from .roles import Role

ALL_ROLES = frozenset(Role)
STAFF_AND_COMMITTEE = frozenset({Role.ADMIN, Role.DIRECTOR, Role.OFFICER, Role.COMMITTEE_MEMBER})


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    roles: frozenset = ALL_ROLES
    section: str = ""  # the first path segment that marks the entry as current


ENTRIES = (
    NavEntry("Dashboard", "core:dashboard", section=""),
    NavEntry("Partners", "partners:partner_list", section="partners"),
    NavEntry("Services", "catalogue:service_list", section="services"),
    NavEntry("Agreements", "slas:agreement_list", section="slas"),
    NavEntry("KPIs", "kpis:kpi_list", STAFF_AND_COMMITTEE, section="kpis"),
    NavEntry("Savings", "savings:tracker", section="savings"),
    NavEntry("Delivery plan", "delivery:plan_current", section="delivery"),
    NavEntry("Projects", "transformation:project_list", STAFF_AND_COMMITTEE, section="projects"),
    NavEntry("Risks", "risks:risk_list", section="risks"),
    NavEntry("Growth", "growth:pipeline", STAFF_AND_COMMITTEE, section="growth"),
    NavEntry("Enquiries", "customers:enquiry_list", section="enquiries"),
    NavEntry("Reports", "reports:report_list", section="reports"),
    NavEntry("Committee", "governance:meeting_list", STAFF_AND_COMMITTEE, section="committee"),
    NavEntry("Audit", "core:audit", frozenset({Role.ADMIN}), section="audit"),
)


@functools.lru_cache(maxsize=256)
def _url(url_name: str, urlconf: str, prefix: str) -> str | None:
    """``reverse`` of a name without arguments, worked out once per URLconf and script prefix."""
    try:
        return reverse(url_name, urlconf=urlconf)
    except NoReverseMatch:
        return None


def entries_for(user, path: str) -> list[dict]:
    if not user.is_authenticated:
        return []
    section = path.strip("/").split("/", 1)[0]
    items = []
    for entry in ENTRIES:
        if user.role not in entry.roles:
            continue
        url = _url(entry.url_name, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())
        if url is None:
            continue
        items.append({"label": entry.label, "url": url, "current": section == entry.section})
    return items
