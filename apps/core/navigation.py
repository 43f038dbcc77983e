"""The service navigation: what each role may use. An entry shows once its app provides the URL."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

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


def entries_for(user, path: str) -> list[dict]:
    if not user.is_authenticated:
        return []
    section = path.strip("/").split("/", 1)[0]
    items = []
    for entry in ENTRIES:
        if user.role not in entry.roles:
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        items.append({"label": entry.label, "url": url, "current": section == entry.section})
    return items
