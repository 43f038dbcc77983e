"""Illustrative saving lines for every service area, phased to add up exactly to the programmes.

The lines and figures are examples, not published ones; only the programme totals are real (seed.py).
2014/15 and 2015/16 are delivered ("the first two years of savings have been delivered"); later
years carry a mix of statuses as the directors would report them.
"""

from decimal import Decimal

from django.apps import apps

from apps.catalogue.models import ServiceArea
from apps.partners.models import Partner
from apps.transformation.models import Project

from . import services
from .models import Programme, SavingLine, Status

OBC = "original-business-case"
ADD = "additional-savings"
R = SavingLine.Category.RESTRUCTURE
P = SavingLine.Category.PROCESS_REDESIGN
B = SavingLine.Category.PROCUREMENT
INC = SavingLine.Category.INCOME
Q = SavingLine.Category.QUICK_WIN
HN = {"havering": "45.00", "newham": "55.00"}
EVEN = {"havering": "50.00", "newham": "50.00"}
HNB = {"havering": "38.00", "newham": "42.00", "bexley": "20.00"}

# reference, programme, area, title, category, recurring, cashable, shares, {year: £ thousands}
LINES = [
    ("OBC-GEN-01", OBC, "GEN", "Single senior management team", R, True, True, EVEN, {2014: 600, 2015: 250}),
    (
        "OBC-BS-01",
        OBC,
        "BS",
        "Business improvement team working across both councils",
        R,
        True,
        False,
        HN,
        {2014: 180, 2015: 220, 2016: 150},
    ),
    ("OBC-HR-01", OBC, "HR", "Shared HR and OD structure", R, True, True, HN, {2014: 350, 2015: 400, 2016: 250}),
    (
        "OBC-HR-02",
        OBC,
        "HR",
        "Transactional HR and payroll on one system",
        P,
        True,
        True,
        HN,
        {2016: 300, 2017: 250, 2018: 150},
    ),
    (
        "OBC-EXT-01",
        OBC,
        "EXT",
        "Council Tax and Benefits process review and restructure",
        P,
        True,
        True,
        HN,
        {2015: 500, 2016: 600, 2017: 400, 2018: 300},
    ),
    ("OBC-EXT-02", OBC, "EXT", "Exchequer management restructure", R, True, True, EVEN, {2014: 450, 2015: 300}),
    (
        "OBC-LEG-01",
        OBC,
        "LEG",
        "Legal case management on IKEN",
        P,
        True,
        True,
        HN,
        {2015: 200, 2016: 250, 2017: 150},
    ),
    (
        "OBC-LEG-02",
        OBC,
        "LEG",
        "Election services: shared equipment and printing",
        Q,
        False,
        True,
        EVEN,
        {2014: 150, 2015: 100},
    ),
    (
        "OBC-AM-01",
        OBC,
        "AM",
        "Joint facilities management contracts",
        B,
        True,
        True,
        HN,
        {2014: 400, 2015: 450, 2016: 300, 2017: 150},
    ),
    (
        "OBC-AM-02",
        OBC,
        "AM",
        "Accommodation strategy: office space released",
        P,
        True,
        True,
        HN,
        {2016: 200, 2017: 250, 2018: 250},
    ),
    (
        "OBC-ICT-01",
        OBC,
        "ICT",
        "ICT infrastructure and contract consolidation",
        B,
        True,
        True,
        HN,
        {2014: 500, 2015: 600, 2016: 250, 2017: 150},
    ),
    ("OBC-FIN-01", OBC, "FIN", "Shared finance structure", R, True, True, HN, {2014: 270, 2015: 280, 2016: 50}),
    (
        "ADD-FIN-01",
        ADD,
        "FIN",
        "Financial services shared with Bexley",
        R,
        True,
        True,
        HNB,
        {2016: 600, 2017: 400},
    ),
    (
        "ADD-EXT-01",
        ADD,
        "EXT",
        "Pensions administration joint working with Lancashire",
        INC,
        True,
        True,
        HN,
        {2016: 200, 2017: 250},
    ),
    (
        "ADD-ICT-01",
        ADD,
        "ICT",
        "Income from reuse of ICT systems and services",
        INC,
        True,
        True,
        HN,
        {2016: 300, 2017: 250, 2018: 250},
    ),
    (
        "ADD-ICT-02",
        ADD,
        "ICT",
        "Server infrastructure moved to the cloud",
        B,
        True,
        True,
        HN,
        {2017: 200, 2018: 300},
    ),
    (
        "ADD-AM-01",
        ADD,
        "AM",
        "Joint procurement of facilities contracts, second round",
        B,
        True,
        True,
        HN,
        {2016: 150, 2017: 200},
    ),
    (
        "ADD-HR-01",
        ADD,
        "HR",
        "Self-service HR through the oneSource ERP",
        P,
        True,
        True,
        HN,
        {2017: 150, 2018: 150},
    ),
    (
        "ADD-BS-01",
        ADD,
        "BS",
        "New partners and customers sharing overheads",
        INC,
        True,
        True,
        HN,
        {2017: 100, 2018: 200},
    ),
    (
        "ADD-LEG-01",
        ADD,
        "LEG",
        "Legal services traded with schools and academies",
        INC,
        True,
        True,
        HN,
        {2016: 100, 2017: 150},
    ),
    ("ADD-GEN-01", ADD, "GEN", "Commercial management shared with new partners", R, True, True, HN, {2018: 250}),
]

# The transformation projects (apps/transformation/demo.py) behind some of the lines.
PROJECT_LINKS = {
    "OBC-EXT-01": "Council Tax and Housing Benefits review",
    "ADD-ICT-02": "Server infrastructure and cloud",
}

# The 2016/17 position and later forecasts: reference -> (year, status, forecast %, achieved %, commentary).
LATER_UPDATES = {
    "OBC-BS-01": [(2016, Status.ON_TRACK, 100, 60, "")],
    "OBC-HR-01": [(2016, Status.ACHIEVED, 100, 100, "")],
    "OBC-HR-02": [
        (2016, Status.AT_RISK, 80, 35, "The payroll system merger is three months late; savings follow it."),
        (2017, Status.ON_TRACK, 100, 0, ""),
    ],
    "OBC-EXT-01": [
        (2016, Status.SLIPPED, 75, 40, "Restructure consultation extended; a quarter of the saving lands in 2017/18."),
        (2017, Status.ON_TRACK, 100, 0, ""),
    ],
    "OBC-LEG-01": [(2016, Status.OVER_ACHIEVED, 120, 90, "IKEN case management rolled out to Property early.")],
    "OBC-AM-01": [(2016, Status.ON_TRACK, 100, 55, "")],
    "OBC-AM-02": [
        (2016, Status.NOT_ACHIEVABLE, 0, 0, "The building release was withdrawn by the council; a new site is sought.")
    ],
    "OBC-ICT-01": [(2016, Status.ON_TRACK, 100, 50, "")],
    "OBC-FIN-01": [(2016, Status.ACHIEVED, 100, 100, "")],
    "ADD-FIN-01": [(2016, Status.ON_TRACK, 100, 45, "")],
    "ADD-EXT-01": [(2016, Status.AT_RISK, 70, 20, "Lancashire's transfer date is not yet agreed.")],
    "ADD-ICT-01": [(2016, Status.ON_TRACK, 100, 40, ""), (2017, Status.AT_RISK, 80, 0, "Norfolk renewal uncertain.")],
    "ADD-AM-01": [(2016, Status.ON_TRACK, 100, 30, "")],
    "ADD-LEG-01": [(2016, Status.SLIPPED, 60, 15, "Academy contracts start in September rather than April.")],
}

DELIVERED_YEARS = (2014, 2015)


def _percent(amount: Decimal, percent: int) -> Decimal:
    return (amount * percent / 100).quantize(Decimal("0.01"))


def load(*, password: str) -> str:
    User = apps.get_model("accounts", "User")
    admin = User.objects.get(username="admin")
    programmes = {p.slug: p for p in Programme.objects.all()}
    partners = {p.slug: p for p in Partner.objects.all()}
    areas = {a.code: a for a in ServiceArea.objects.select_related("director")}
    created = 0
    for reference, programme, code, title, category, recurring, cashable, shares, targets in LINES:
        if SavingLine.objects.filter(reference=reference).exists():
            continue
        amounts = {year: Decimal(thousands * 1000) for year, thousands in targets.items()}
        line = services.saving_line_create(
            user=admin,
            programme=programmes[programme],
            area=areas[code],
            reference=reference,
            title=title,
            category=category,
            recurrence=SavingLine.Recurrence.RECURRING if recurring else SavingLine.Recurrence.ONE_OFF,
            is_cashable=cashable,
            shares={partners[slug]: Decimal(p) for slug, p in shares.items()},
            targets=amounts,
        )
        created += 1
        recorder = areas[code].director or admin
        rows = [(year, Status.ACHIEVED, 100, 100, "") for year in DELIVERED_YEARS if year in amounts]
        for year, status, forecast, achieved, commentary in rows + LATER_UPDATES.get(reference, []):
            services.savings_update_record(
                user=recorder,
                line=line,
                expected_version=line.version,
                financial_year=year,
                forecast=_percent(amounts[year], forecast),
                achieved=_percent(amounts[year], achieved),
                status=status,
                commentary=commentary,
            )
    for reference, project_title in PROJECT_LINKS.items():
        line = SavingLine.objects.filter(reference=reference, project__isnull=True).first()
        project = Project.objects.filter(title=project_title).first()
        if line and project:
            services.saving_line_link_project(user=admin, line=line, project=project)
    return f"{len(LINES)} saving lines ({created} new)"
