"""Writes to the growth pipeline and traded income. Forms, the API and the seed call these.

Reaching "agreed" turns the opportunity into real rows in one transaction, with the portal's own
services (the Bexley pattern): the partner, its subscriptions, the cost shares of a Joint Committee
partner and a draft agreement listing the services, then the on-boarding tasks. If any of it is
refused, none of it is written.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from apps.catalogue.models import CostShare
from apps.catalogue.services import cost_shares_set, subscription_create
from apps.core.periods import FinancialYear, add_months_exact, month_start
from apps.core.policy import is_admin, role_of
from apps.core.roles import Role
from apps.partners.models import Partner
from apps.partners.services import partner_save
from apps.slas.models import Agreement
from apps.slas.services import agreement_create, agreement_start_review, schedule_add

from .models import OnboardingTask, Opportunity, TradedIncome, TradedIncomeActual

OPPORTUNITY_FIELDS = (
    "title",
    "partner",
    "organisation_name",
    "joins_as",
    "arrangement",
    "sector",
    "value_kind",
    "expected_annual_value",
    "probability",
    "expected_start",
    "cost_share",
    "owner",
    "next_step",
    "next_step_on",
)
#: Stages an opportunity is moved to by hand; "on-boarding" and "live" follow from its tasks.
OPEN_STAGES = (
    Opportunity.Stage.LEAD,
    Opportunity.Stage.DISCUSSION,
    Opportunity.Stage.PROPOSAL,
    Opportunity.Stage.BUSINESS_CASE,
)
#: A first agreement runs three years and is reviewed after one.
AGREEMENT_YEARS = 3


def can_add_opportunity(user) -> bool:
    return is_admin(user) or role_of(user) == Role.DIRECTOR


def can_change_opportunity(*, user, opportunity: Opportunity) -> bool:
    return Opportunity.objects.editable_by(user).filter(pk=opportunity.pk).exists()


def can_agree(user) -> bool:
    """Agreeing creates partners, subscriptions and agreements: the performance team's work."""
    return is_admin(user)


def can_manage_income(user) -> bool:
    return is_admin(user)


def weighted_value(*, value: Decimal, probability: int, stage: str) -> Decimal:
    """The pipeline's expected value of an opportunity: its annual value times its probability;
    nothing once lost."""
    if stage == Opportunity.Stage.LOST:
        return Decimal("0.00")
    return (value * Decimal(probability) / Decimal(100)).quantize(Decimal("0.01"))


def _require_editable(user, opportunity):
    if not can_change_opportunity(user=user, opportunity=opportunity):
        raise PermissionDenied("Only the opportunity's owner or an administrator may change it.")


@transaction.atomic
def opportunity_save(*, user, opportunity: Opportunity | None = None, **data) -> Opportunity:
    if opportunity is None:
        if not can_add_opportunity(user):
            raise PermissionDenied("Only an administrator or a director may add an opportunity.")
        opportunity = Opportunity()
    else:
        _require_editable(user, opportunity)
        opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    for name in OPPORTUNITY_FIELDS:
        if name in data:
            setattr(opportunity, name, data[name])
    if opportunity.partner_id:
        opportunity.organisation_name = ""
    opportunity.full_clean()
    opportunity.save()
    if "services" in data:
        opportunity.services.set(data["services"])
    return opportunity


@transaction.atomic
def opportunity_move_stage(*, user, opportunity: Opportunity, stage: str, lost_reason: str = "") -> Opportunity:
    """Move an opportunity along the pipeline; "agreed" on-boards it (see the module's note)."""
    _require_editable(user, opportunity)
    opportunity = Opportunity.objects.select_for_update(of=("self",)).select_related("partner").get(pk=opportunity.pk)
    current = opportunity.stage
    if stage == current:
        raise ValidationError({"stage": f"The opportunity is already at the {opportunity.get_stage_display()} stage."})
    if current not in OPEN_STAGES:
        state = opportunity.get_stage_display().lower()
        raise ValidationError({"stage": f"The opportunity is {state}: its stage no longer moves by hand."})
    if stage == Opportunity.Stage.LOST:
        if not (lost_reason or "").strip():
            raise ValidationError({"lost_reason": "Say why the opportunity was lost."})
        opportunity.lost_reason = lost_reason.strip()
    elif stage == Opportunity.Stage.AGREED:
        _onboard(user, opportunity)
    elif stage not in OPEN_STAGES:
        raise ValidationError({"stage": "On-boarding and live follow from the on-boarding tasks."})
    opportunity.stage = stage
    opportunity.full_clean()
    opportunity.save()
    return opportunity


def _onboard(user, opportunity: Opportunity) -> None:
    if not can_agree(user):
        raise PermissionDenied(
            "Only the oneSource performance team may mark an opportunity agreed: it creates the partner, "
            "its subscriptions and a draft agreement."
        )
    services = list(opportunity.services.select_related("area").order_by("area__display_order", "name"))
    if not services:
        raise ValidationError({"stage": "Choose the services of interest before marking the opportunity agreed."})
    partner = _partner_for(user, opportunity)
    for service in services:
        subscription_create(user=user, partner=partner, service=service, starts_on=opportunity.expected_start)
    if partner.arrangement == Partner.Arrangement.JOINT_COMMITTEE:
        _cost_shares(user, opportunity, partner, {service.area for service in services})
    agreement = _draft_agreement(user, opportunity, partner)
    charges = _split(opportunity.expected_annual_value if opportunity.value_kind == "income" else Decimal(0), services)
    scheduled = set(agreement.schedules.values_list("service_id", flat=True))
    for service, charge in zip(services, charges, strict=True):
        if service.pk not in scheduled:
            schedule_add(
                user=user,
                agreement=agreement,
                service=service,
                scope=f"{service.name}, as agreed in the growth pipeline ({opportunity.title}).",
                annual_charge=charge,
            )
    opportunity.partner = partner
    opportunity.agreement = agreement
    opportunity.agreed_on = timezone.localdate()
    for position, (kind, _) in enumerate(OnboardingTask.Kind.choices, start=1):
        OnboardingTask.objects.get_or_create(opportunity=opportunity, kind=kind, defaults={"position": position})


def _partner_for(user, opportunity: Opportunity) -> Partner:
    """The opportunity's partner, made for a new organisation, and out of the prospect state."""
    partner = opportunity.partner
    if partner is None:
        name = opportunity.organisation_name.strip()
        if Partner.objects.filter(name__iexact=name).exists():
            raise ValidationError({"organisation_name": f"{name} is already a partner: choose it instead."})
        missing = [f for f in ("arrangement", "sector") if not getattr(opportunity, f)]
        if missing:
            raise ValidationError(dict.fromkeys(missing, "Needed to add the new partner."))
        return partner_save(
            user=user,
            name=name,
            short_name=name[:60],
            slug=slugify(name)[:80],
            kind=opportunity.joins_as,
            arrangement=opportunity.arrangement,
            sector=opportunity.sector,
            joined_on=opportunity.expected_start,
        )
    if partner.kind == Partner.Kind.PROSPECT:
        return partner_save(user=user, partner=partner, kind=opportunity.joins_as, joined_on=opportunity.expected_start)
    return partner


def _cost_shares(user, opportunity: Opportunity, partner: Partner, areas) -> None:
    """The new partner takes ``cost_share`` per cent of each area's cost from the year it starts;
    the others' shares shrink in proportion, so the shares still add up to 100%."""
    if opportunity.cost_share is None:
        raise ValidationError({"cost_share": "A Joint Committee partner needs its share of the cost."})
    year = FinancialYear.of(opportunity.expected_start).start_year
    for area in sorted(areas, key=lambda a: a.display_order):
        current = {
            share.partner: share.percentage
            for share in CostShare.objects.filter(area=area, financial_year=year).select_related("partner")
            if share.partner_id != partner.pk
        }
        shares = _rescaled(current, Decimal(100) - opportunity.cost_share) if current else {}
        shares[partner] = opportunity.cost_share if current else Decimal(100)
        cost_shares_set(user=user, area=area, financial_year=year, shares=shares)


def _rescaled(shares: dict, total: Decimal) -> dict:
    """Shares scaled to add up to ``total`` exactly (to the hundredth; the rounding goes to the largest)."""
    whole = sum(shares.values())
    scaled = {p: (v * total / whole).quantize(Decimal("0.01")) for p, v in shares.items()}
    largest = max(scaled, key=lambda p: (scaled[p], -p.pk))
    scaled[largest] += total - sum(scaled.values())
    return scaled


def _split(amount: Decimal, services: list) -> list[Decimal]:
    """The annual value spread over the services, the pennies left over on the first."""
    each = (amount / len(services)).quantize(Decimal("0.01"), rounding="ROUND_DOWN")
    charges = [each] * len(services)
    charges[0] += amount - each * len(services)
    return charges


def _draft_agreement(user, opportunity: Opportunity, partner: Partner) -> Agreement:
    """The partner's open draft, a new draft version of the agreement in force, or a first draft."""
    draft = Agreement.objects.drafts().filter(partner=partner).order_by("-version").first()
    if draft is not None:
        return draft
    current = Agreement.objects.in_force().filter(partner=partner).first()
    if current is not None:
        return agreement_start_review(user=user, agreement=current)
    starts = opportunity.expected_start
    return agreement_create(
        user=user,
        partner=partner,
        reference=f"SLA-{slugify(partner.short_name).upper()[:24]}",
        title=f"Service level agreement between oneSource and {partner.name}",
        starts_on=starts,
        ends_on=add_months_exact(starts, 12 * AGREEMENT_YEARS) - dt.timedelta(days=1),
        review_due_on=add_months_exact(starts, 12),
        owner=opportunity.owner,
    )


@transaction.atomic
def onboarding_task_complete(*, user, task: OnboardingTask, done_on: dt.date | None = None) -> OnboardingTask:
    """Tick off an on-boarding step; the first moves the opportunity to on-boarding, the last to live."""
    opportunity = task.opportunity
    _require_editable(user, opportunity)
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    task = OnboardingTask.objects.select_for_update().get(pk=task.pk)
    if task.done_on is not None:
        raise ValidationError(f"{task.get_kind_display()} was already done on {task.done_on:%d %B %Y}.")
    done_on = done_on or timezone.localdate()
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": "This date cannot be in the future."})
    task.done_on, task.done_by = done_on, user
    task.full_clean()
    task.save()
    remaining = opportunity.tasks.filter(done_on__isnull=True).exists()
    opportunity.stage = Opportunity.Stage.ONBOARDING if remaining else Opportunity.Stage.LIVE
    opportunity.save()
    return task


# Traded income ---------------------------------------------------------------------------------------------


def _require_income_manager(user):
    if not can_manage_income(user):
        raise PermissionDenied("Only the oneSource performance team may set traded income.")


@transaction.atomic
def traded_income_set(*, user, partner, service, financial_year: int, budget: Decimal) -> TradedIncome:
    _require_income_manager(user)
    line = TradedIncome.objects.filter(partner=partner, service=service, financial_year=financial_year).first()
    line = line or TradedIncome(partner=partner, service=service, financial_year=financial_year)
    line.budget = budget
    line.full_clean()
    line.save()
    return line


@transaction.atomic
def traded_income_actual_record(*, user, line: TradedIncome, period: dt.date, amount: Decimal) -> TradedIncomeActual:
    """Record (or correct) the income received in a month of the line's year."""
    _require_income_manager(user)
    period = month_start(period)
    if FinancialYear.of(period).start_year != line.financial_year:
        raise ValidationError({"period": f"The month must fall in {line.year_label}."})
    if period > month_start(timezone.localdate()):
        raise ValidationError({"period": "Income cannot be recorded for a month still to come."})
    if amount is None or amount < 0:
        raise ValidationError({"amount": "Give the income received, zero or more."})
    actual = TradedIncomeActual.objects.filter(line=line, period=period).first()
    actual = actual or TradedIncomeActual(line=line, period=period)
    actual.amount, actual.recorded_by = amount, user
    actual.full_clean()
    actual.save()
    return actual
