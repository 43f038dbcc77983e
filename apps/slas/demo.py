"""Illustrative service level agreements of the three councils, renewed every three years to today.

The plan says SLAs exist ("SLAs are two way agreements clarifying both oneSource services and
customer input") but gives none of their dates, charges or standards: everything here is invented
and marked illustrative. Each council's first version starts when it joined; each is reviewed and
renewed for three years at a time, so that the version in force today has its next review ahead
and no version past its end is in force. Newham's current version is under review, its next version
signed by oneSource and waiting for Newham's officer.
"""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q
from django.utils import timezone

from apps.accounts.models import User
from apps.catalogue.models import Service, Subscription
from apps.core.periods import add_months, add_months_exact, month_start
from apps.kpis.models import KPI
from apps.partners.models import Partner

from . import services
from .models import Agreement, ServiceSchedule

TERM_YEARS = 3
# slug: reference, title, first day, the partner officer who signs (None: not yet signed by the partner)
AGREEMENTS = {
    "havering": ("SLA-HAV", "oneSource services to the London Borough of Havering", dt.date(2014, 4, 1)),
    "newham": ("SLA-NEW", "oneSource services to the London Borough of Newham", dt.date(2014, 4, 1)),
    "bexley": ("SLA-BEX", "Shared Financial Services with the London Borough of Bexley", dt.date(2016, 4, 1)),
}
SIGNATORIES = {"havering": "officer.havering", "newham": "officer.newham", "bexley": "officer.bexley"}
AWAITING_PARTNER = "newham"

# Illustrative annual charge of one service, by area, before the partner's weighting and yearly uplift.
CHARGE_BY_AREA = {
    "GEN": 60000,
    "BS": 90000,
    "HR": 140000,
    "EXT": 210000,
    "LEG": 160000,
    "AM": 120000,
    "ICT": 110000,
    "FIN": 650000,
}
WEIGHT = {"havering": Decimal("1.00"), "newham": Decimal("1.35"), "bexley": Decimal("0.80")}
UPLIFT = Decimal("1.03")  # each renewal

# KPI code -> the level committed to, in the KPI's unit.
STANDARD_TARGETS = {
    "EXT-01": "96.5",
    "EXT-02": "97.5",
    "EXT-03": "95.0",
    "EXT-04": "22.0",
    "EXT-05": "10.0",
    "EXT-06": "99.50",
    "HR-01": "8.00",
    "HR-02": "35.0",
    "ICT-01": "70.0",
    "ICT-02": "99.50",
    "ICT-03": "90.0",
    "LEG-01": "90.0",
    "LEG-02": "85.0",
    "AM-01": "90.0",
    "AM-02": "2",
    "BS-01": "80",
    "FIN-01": "95.0",
    "FIN-02": "100",
    "FIN-03": "1500000",
}

# The customer's side: (service slug or None for the whole agreement, obligation)
FOUNDING_OBLIGATIONS = [
    (None, "Name a client lead and an SLA signatory, and tell oneSource when either changes."),
    (None, "Attend the quarterly performance review with oneSource."),
    ("transactional-hr-and-payroll", "Send payroll changes, starters and leavers by the 10th of the month."),
    (
        "council-tax-and-benefits",
        "Pass on benefit claims and changes of circumstance received by council offices within 2 working days.",
    ),
    ("it-support", "Raise every ICT request and fault through the service desk."),
]
OBLIGATIONS = {
    "havering": FOUNDING_OBLIGATIONS,
    "newham": FOUNDING_OBLIGATIONS,
    "bexley": [
        (None, "Name a client lead and an SLA signatory, and tell oneSource when either changes."),
        ("financial-services", "Budget holders return their monitoring forecasts by working day 3 of each month."),
        ("financial-services", "Agree the closedown timetable with oneSource by 31 January each year."),
    ],
}


def charge(slug: str, service: Service, version: int) -> Decimal:
    amount = Decimal(CHARGE_BY_AREA[service.area.code]) * WEIGHT[slug] * UPLIFT ** (version - 1)
    return (amount / 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP) * 100


def _describe(kpi: KPI, target: Decimal) -> str:
    bound = "at least" if kpi.higher_is_better else "at most"
    return f"{kpi.name}: {bound} {kpi.format(target)}"


def _services_taken(partner: Partner, day: dt.date) -> list[Service]:
    taken = Subscription.objects.current(day).filter(partner=partner).values("service_id")
    return list(Service.objects.filter(pk__in=taken).select_related("area").order_by("area__display_order", "name"))


def _kpis_for(taken: list[Service]) -> list[KPI]:
    areas = {s.area_id for s in taken}
    return list(
        KPI.objects.active()
        .filter(Q(service__in=taken) | Q(service__isnull=True, area__in=areas))
        .filter(code__in=STANDARD_TARGETS)
        .order_by("code")
    )


def _review_due(starts_on: dt.date, ends_on: dt.date, today: dt.date) -> dt.date:
    """Six months before the end; for the version in force today, never a date already past."""
    due = add_months_exact(ends_on, -6)
    if due <= today <= ends_on:
        due = min(add_months(month_start(today), 2), ends_on)
    return max(due, starts_on)


def _term(starts_on: dt.date, today: dt.date) -> tuple[dt.date, dt.date, dt.date]:
    ends_on = add_months_exact(starts_on, 12 * TERM_YEARS) - dt.timedelta(days=1)
    return starts_on, ends_on, _review_due(starts_on, ends_on, today)


def _sign(agreement: Agreement, admin, partner_officer, signed_on: dt.date) -> Agreement:
    services.agreement_sign(user=admin, agreement=agreement)
    if partner_officer is None:
        return agreement
    services.agreement_sign(user=partner_officer, agreement=agreement)
    # Signed a fortnight before the version starts, as it would have been.
    moment = timezone.make_aware(dt.datetime.combine(signed_on - dt.timedelta(days=14), dt.time(11)))
    Agreement.objects.filter(pk=agreement.pk).update(
        partner_signed_at=moment, onesource_signed_at=moment, activated_at=moment
    )
    return agreement


def _first_version(partner: Partner, admin, today: dt.date) -> Agreement:
    reference, title, first_day = AGREEMENTS[partner.slug]
    starts_on, ends_on, review = _term(first_day, today)
    agreement = services.agreement_create(
        user=admin,
        partner=partner,
        reference=reference,
        title=title,
        starts_on=starts_on,
        ends_on=ends_on,
        review_due_on=review,
        owner=admin,
    )
    Agreement.objects.filter(pk=agreement.pk).update(illustrative=True)
    agreement.refresh_from_db()
    taken = _services_taken(partner, starts_on)
    by_slug = {s.slug: s for s in Service.objects.all()}
    for service in taken:
        scope = service.description or f"The {service.name} service, as oneSource provides it to its partners."
        services.schedule_add(
            user=admin,
            agreement=agreement,
            service=service,
            scope=scope,
            annual_charge=charge(partner.slug, service, 1),
        )
    for kpi in _kpis_for(taken):
        target = Decimal(STANDARD_TARGETS[kpi.code])
        services.standard_add(
            user=admin, agreement=agreement, kpi=kpi, description=_describe(kpi, target), target=target
        )
    for service_slug, description in OBLIGATIONS[partner.slug]:
        services.obligation_add(
            user=admin, agreement=agreement, description=description, service=by_slug.get(service_slug)
        )
    return agreement


def _renew(current: Agreement, admin, today: dt.date) -> Agreement:
    """Review the version in force and draft the next three years, with this term's charges."""
    draft = services.agreement_start_review(user=admin, agreement=current)
    starts_on, ends_on, review = _term(current.ends_on + dt.timedelta(days=1), today)
    Agreement.objects.filter(pk=draft.pk).update(starts_on=starts_on, ends_on=ends_on, review_due_on=review)
    draft.refresh_from_db()
    for schedule in ServiceSchedule.objects.filter(agreement=draft).select_related("service__area"):
        schedule.annual_charge = charge(current.partner.slug, schedule.service, draft.version)
        schedule.save(update_fields=["annual_charge"])
    return draft


def load(*, password: str) -> str:
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        return "no agreements (no admin user)"
    today = timezone.localdate()
    made = 0
    for slug in AGREEMENTS:
        partner = Partner.objects.get(slug=slug)
        if Agreement.objects.filter(partner=partner).exists():
            continue
        officer = User.objects.get(username=SIGNATORIES[slug])
        agreement = _sign(_first_version(partner, admin, today), admin, officer, AGREEMENTS[slug][2])
        made += 1
        # Renewed until the version in force runs on past the next few months.
        while agreement.ends_on < add_months(today, 3):
            agreement = _sign(_renew(agreement, admin, today), admin, officer, agreement.ends_on)
            made += 1
        if slug == AWAITING_PARTNER:
            _sign(_renew(agreement, admin, today), admin, None, agreement.ends_on)
            made += 1
    return f"{made} illustrative agreement versions, renewed every {TERM_YEARS} years to today"
