"""Illustrative pipeline values and traded income for the demo (DEBUG only), relative to today.

Every figure here is invented for illustration, and says so."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from apps.accounts.models import User
from apps.catalogue.models import Service
from apps.core.periods import FinancialYear, add_months, month_start
from apps.partners.models import Partner

from . import services
from .models import Opportunity, TradedIncome

ILLUSTRATIVE = "Illustrative demo figure."

# seeded title: (stage, annual value, probability, months to the expected start, next step)
PIPELINE = {
    "Further Bexley services on-boarded to oneSource": (
        Opportunity.Stage.BUSINESS_CASE,
        "450000.00",
        60,
        5,
        "Business case to Bexley's cabinet",
    ),
    "Further traded services to schools": (Opportunity.Stage.PROPOSAL, "120000.00", 40, 4, "Proposal to head teachers"),
    "Further traded services to academies": (Opportunity.Stage.DISCUSSION, "80000.00", 25, 7, "Meet the trust boards"),
    "Health and Safety advisory service: more customers": (
        Opportunity.Stage.LEAD,
        "30000.00",
        20,
        3,
        "Mail-out to local clubs",
    ),
    "Pensions Admin joint team with Lancashire County Council": (None, "200000.00", 100, -6, ""),
    "Embed the ICT services provided to Norfolk": (None, "350000.00", 100, -9, ""),
}

# customer slug, service name, budget a year
INCOME = [
    ("schools", "Transactional HR and Payroll", "240000.00"),
    ("schools", "Health and Safety", "60000.00"),
    ("academies", "Transactional HR and Payroll", "150000.00"),
    ("academies", "Health and Safety", "40000.00"),
    ("health-and-safety-customers", "Health and Safety", "190000.00"),
    ("norfolk", "IT Support", "350000.00"),
    ("lancashire", "Pensions Administration", "200000.00"),
]


def load(*, password) -> str:
    today = timezone.localdate()
    admin = User.objects.filter(username="admin").first()
    lead = User.objects.filter(username="director.exchequer").first() or admin
    if admin is None:
        return "no growth data (demo users missing)"
    for title, (stage, value, probability, months, step) in PIPELINE.items():
        opportunity = Opportunity.objects.filter(title=title, probability=0).first()
        if opportunity is None:
            continue
        changes = {
            "expected_annual_value": Decimal(value),
            "probability": probability,
            "expected_start": month_start(add_months(today, months)),
            "owner": lead,
            "next_step": f"{step} ({ILLUSTRATIVE.lower()[:-1]})" if step else "",
            "next_step_on": today + dt.timedelta(days=14) if step else None,
        }
        services.opportunity_save(user=admin, opportunity=opportunity, **changes)
        if stage:
            Opportunity.objects.filter(pk=opportunity.pk).update(stage=stage)
    trust = "Illustrative Multi-Academy Trust"
    if not Opportunity.objects.filter(organisation_name=trust).exists():
        opportunity = services.opportunity_save(
            user=admin,
            title="Payroll and Health and Safety for a multi-academy trust",
            organisation_name=trust,
            joins_as=Partner.Kind.CUSTOMER,
            arrangement=Partner.Arrangement.GOODS_AND_SERVICES_ACT,
            sector=Partner.Sector.ACADEMY,
            expected_annual_value=Decimal("95000.00"),
            probability=70,
            expected_start=month_start(add_months(today, 2)),
            owner=lead,
            next_step="Trust board to sign off (illustrative)",
            next_step_on=today + dt.timedelta(days=10),
            services=list(Service.objects.filter(name__in=["Transactional HR and Payroll", "Health and Safety"])),
        )
        Opportunity.objects.filter(pk=opportunity.pk).update(stage=Opportunity.Stage.BUSINESS_CASE)
    lines = _traded_income(admin, today)
    return f"illustrative pipeline values and {lines} traded income lines"


def _traded_income(admin, today) -> int:
    this_year = FinancialYear.of(today).start_year
    partners = {p.slug: p for p in Partner.objects.filter(slug__in={row[0] for row in INCOME})}
    service_by_name = {s.name: s for s in Service.objects.filter(name__in={row[1] for row in INCOME})}
    made = 0
    for year in (this_year - 1, this_year):
        for slug, service_name, budget in INCOME:
            partner, service = partners.get(slug), service_by_name.get(service_name)
            if partner is None or service is None:
                continue
            if TradedIncome.objects.filter(partner=partner, service=service, financial_year=year).exists():
                continue
            line = services.traded_income_set(
                user=admin, partner=partner, service=service, financial_year=year, budget=Decimal(budget)
            )
            TradedIncome.objects.filter(pk=line.pk).update(notes=ILLUSTRATIVE)
            monthly = (Decimal(budget) / 12).quantize(Decimal("0.01"))
            start = FinancialYear(year).starts_on
            for n in range(12):
                period = add_months(start, n)
                if period >= month_start(today):
                    break
                # A little under budget in some months, over in others: a believable variance.
                factor = Decimal("0.92") if (n + made) % 3 == 0 else Decimal("1.03")
                services.traded_income_actual_record(
                    user=admin, line=line, period=period, amount=(monthly * factor).quantize(Decimal("0.01"))
                )
            made += 1
    return made
