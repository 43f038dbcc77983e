"""Illustrative saving lines, their updates, and the medium-term programmes that followed the plan.

Only the two programmes and their totals are the plan's (seed.py); every line, phasing, update and
later programme here is invented and marked illustrative. The original business case and the
additional savings run April 2014 – March 2019 and are closed, each year with its final update; the
councils' medium-term financial plans follow, four years at a time, and the one in progress today
has a director's update for every month of this year up to last month. Deterministic: the same data
on every run for the same month.
"""

import datetime as dt
import random
from decimal import Decimal

from django.apps import apps
from django.utils import timezone

from apps.catalogue.models import ServiceArea
from apps.core.periods import FinancialYear, add_months, fy_label, month_start
from apps.partners.models import Partner
from apps.transformation.models import Project

from . import services
from .models import Programme, SavingLine, SavingsUpdate, Status

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
}

# How each year of the plan's programmes closed, where it was not simply achieved:
# reference -> {year: (status, achieved % of the year's target, commentary)}.
CLOSED = {
    "OBC-LEG-01": {2016: (Status.OVER_ACHIEVED, 120, "IKEN case management rolled out to Property early.")},
    "OBC-AM-02": {
        2016: (Status.NOT_ACHIEVABLE, 0, "The building release was withdrawn by the council; a new site was found.")
    },
    "ADD-EXT-01": {2016: (Status.SLIPPED, 70, "Lancashire's joint team started in the autumn, not in April.")},
    "ADD-ICT-01": {2018: (Status.OVER_ACHIEVED, 110, "A second council bought the reused systems.")},
}
# Moved to a later year with the reason given, before the year closed: (reference, from, to, £, reason).
REPHASED = [
    ("OBC-EXT-01", 2016, 2017, 150000, "Restructure consultation extended; a quarter of the saving lands in 2017/18."),
]

# The councils' medium-term financial plans after the business case: four years at a time from 2019/20.
MTFP_FIRST_YEAR, MTFP_YEARS = 2019, 4
# (area, title, category, shares, share of the programme's lines' money in thousands per year)
MTFP_LINES = [
    ("FIN", "Finance restructure across the three councils", R, HNB, (250, 150, 100, 0)),
    ("EXT", "Revenues and benefits automation", P, HN, (200, 200, 150, 100)),
    ("ICT", "Data centre exit and cloud hosting", B, HN, (0, 300, 200, 100)),
    ("HR", "Recruitment and onboarding self-service", P, HN, (100, 100, 50, 50)),
    ("AM", "Corporate estate rationalisation", R, EVEN, (150, 150, 200, 150)),
    ("LEG", "Legal services traded with other councils", INC, HN, (50, 100, 100, 100)),
    ("BS", "Shared programme office for the councils' transformation", R, HN, (80, 70, 50, 50)),
]
# A story per line for the year in progress: (status, forecast % of target, commentary)
STORIES = [
    (Status.ON_TRACK, 100, ""),
    (Status.AT_RISK, 80, "A supplier's delay puts part of the saving at risk; mitigation agreed."),
    (Status.ON_TRACK, 100, ""),
    (Status.SLIPPED, 60, "Consultation took longer than planned; the balance lands next year."),
    (Status.OVER_ACHIEVED, 115, "Demand fell faster than forecast."),
    (Status.ON_TRACK, 100, ""),
    (Status.AT_RISK, 85, "Depends on a council decision due next month."),
]


def _percent(amount: Decimal, percent) -> Decimal:
    return (amount * Decimal(percent) / 100).quantize(Decimal("0.01"))


def _mtfp_starts(last_year: int) -> list[int]:
    return list(range(MTFP_FIRST_YEAR, last_year + 1, MTFP_YEARS))


def _create_line(admin, programme, area, reference, title, category, recurring, cashable, shares, amounts, partners):
    line = services.saving_line_create(
        user=admin,
        programme=programme,
        area=area,
        reference=reference,
        title=title,
        category=category,
        recurrence=SavingLine.Recurrence.RECURRING if recurring else SavingLine.Recurrence.ONE_OFF,
        is_cashable=cashable,
        shares={partners[slug]: Decimal(p) for slug, p in shares.items()},
        targets=amounts,
    )
    SavingLine.objects.filter(pk=line.pk).update(illustrative=True)
    return line


def _close_year(line, recorder, year: int, target: Decimal, closing) -> None:
    """The year's final update: achieved, or how it ended."""
    status, achieved, commentary = closing or (Status.ACHIEVED, 100, "")
    services.savings_update_record(
        user=recorder,
        line=line,
        expected_version=line.version,
        financial_year=year,
        forecast=_percent(target, achieved),
        achieved=_percent(target, achieved),
        status=status,
        commentary=commentary,
    )


def _monthly_updates(line, recorder, year: int, target: Decimal, story, last_month: dt.date) -> int:
    """A director's update for each month of ``year`` up to last month, kept as the line's history."""
    status = story[0]
    months = [m for m in FinancialYear(year).months() if m <= last_month]
    rows = []
    for number, period in enumerate(months, start=1):
        early = number <= 2  # a story shows after the first months of the year
        row_status, row_forecast, row_commentary = (Status.ON_TRACK, 100, "") if early else story
        forecast = _percent(target, row_forecast)
        achieved = _percent(forecast, Decimal(100 * number) / 12)
        if number == 12 and status in (Status.ON_TRACK, Status.OVER_ACHIEVED):
            row_status = Status.ACHIEVED if status == Status.ON_TRACK else Status.OVER_ACHIEVED
        rows.append(
            SavingsUpdate(
                line=line,
                financial_year=year,
                period=period,
                forecast=forecast,
                achieved=achieved,
                status=row_status,
                commentary=row_commentary,
                line_version=line.version + number,
                recorded_by=recorder,
            )
        )
    made = SavingsUpdate.objects.bulk_create(rows)
    for update in made:
        # Recorded in the first days of the month after the one reported.
        moment = timezone.make_aware(
            dt.datetime.combine(add_months(update.period, 1) + dt.timedelta(days=3), dt.time(9))
        )
        SavingsUpdate.objects.filter(pk=update.pk).update(recorded_at=min(moment, timezone.now()))
    if made:
        line.version += len(made)
        SavingLine.objects.filter(pk=line.pk).update(version=line.version)
    return len(made)


def _plan_programmes(admin, programmes, partners, areas) -> int:
    created = 0
    for reference, programme, code, title, category, recurring, cashable, shares, targets in LINES:
        if SavingLine.objects.filter(reference=reference).exists():
            continue
        amounts = {year: Decimal(thousands * 1000) for year, thousands in targets.items()}
        line = _create_line(
            admin,
            programmes[programme],
            areas[code],
            reference,
            title,
            category,
            recurring,
            cashable,
            shares,
            amounts,
            partners,
        )
        created += 1
        recorder = areas[code].director or admin
        for ref, from_year, to_year, amount, reason in REPHASED:
            if ref == reference:
                services.target_rephase(
                    user=recorder,
                    line=line,
                    expected_version=line.version,
                    from_year=from_year,
                    to_year=to_year,
                    amount=Decimal(amount),
                    reason=reason,
                )
                amounts[from_year] -= amount
                amounts[to_year] = amounts.get(to_year, Decimal(0)) + amount
        for year in sorted(amounts):
            _close_year(line, recorder, year, amounts[year], CLOSED.get(reference, {}).get(year))
    return created


def _medium_term(admin, partners, areas, last_month: dt.date) -> tuple[int, int]:
    current = FinancialYear.of(last_month).start_year
    lines = updates = 0
    for order, first in enumerate(_mtfp_starts(current), start=3):
        last = first + MTFP_YEARS - 1
        slug = f"medium-term-plan-{first}"
        total = sum((Decimal(sum(phasing) * 1000) for *_, phasing in MTFP_LINES), Decimal(0))
        programme, made = Programme.objects.get_or_create(
            slug=slug,
            defaults={
                "name": f"Medium-term financial plan {fy_label(first)} to {fy_label(last)}",
                "description": "Illustrative: the savings oneSource agreed with the councils for their medium-term "
                "financial plans after the original business case and the additional savings were delivered.",
                "total": total,
                "first_year": first,
                "last_year": last,
                "display_order": order,
                "illustrative": True,
            },
        )
        if not made:
            continue
        rng = random.Random(f"savings:{first}")  # noqa: S311 - illustrative data, not security
        for number, (code, title, category, shares, phasing) in enumerate(MTFP_LINES, start=1):
            amounts = {first + i: Decimal(k * 1000) for i, k in enumerate(phasing) if k}
            line = _create_line(
                admin,
                programme,
                areas[code],
                f"MT{first % 100:02d}-{code}-01",
                title,
                category,
                True,
                True,
                shares,
                amounts,
                partners,
            )
            lines += 1
            recorder = areas[code].director or admin
            story = STORIES[(number + first) % len(STORIES)]
            for year, target in sorted(amounts.items()):
                if year < current:
                    closing = None if rng.random() < 0.8 else (Status.SLIPPED, 85, "Part of the saving came late.")
                    _close_year(line, recorder, year, target, closing)
                    updates += 1
                elif year == current:
                    updates += _monthly_updates(line, recorder, year, target, story, last_month)
    return lines, updates


def load(*, password: str) -> str:
    User = apps.get_model("accounts", "User")
    admin = User.objects.get(username="admin")
    programmes = {p.slug: p for p in Programme.objects.all()}
    partners = {p.slug: p for p in Partner.objects.all()}
    areas = {a.code: a for a in ServiceArea.objects.select_related("director")}
    created = _plan_programmes(admin, programmes, partners, areas)
    last_month = add_months(month_start(timezone.localdate()), -1)
    mtfp_lines, updates = _medium_term(admin, partners, areas, last_month)
    for reference, project_title in PROJECT_LINKS.items():
        line = SavingLine.objects.filter(reference=reference, project__isnull=True).first()
        project = Project.objects.filter(title=project_title).first()
        if line and project:
            services.saving_line_link_project(user=admin, line=line, project=project)
    return (
        f"{len(LINES)} illustrative lines of the plan's programmes ({created} new), closed at March 2019; "
        f"{mtfp_lines} new lines of the medium-term plans, {updates} of their updates to {last_month:%B %Y}"
    )
