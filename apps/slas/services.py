"""Writes to agreements. Pages, the API, tasks and the commissioning receiver all call these."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from apps.catalogue.models import Service
from apps.core.policy import is_admin, role_of
from apps.core.roles import Role
from apps.core.tasks import send_portal_email
from apps.kpis.models import KPI
from apps.kpis.selectors import target_for
from apps.partners.models import Contact, Partner

from .models import Agreement, CustomerObligation, ReviewReminder, ServiceSchedule, ServiceStandard

#: Review reminders go this many days before the review date, once each.
REMINDER_DAYS = (60, 30, 7)


def can_manage(user) -> bool:
    """The oneSource performance team drafts and reviews agreements."""
    return is_admin(user)


def can_sign_for_onesource(user) -> bool:
    return role_of(user) in (Role.ADMIN, Role.DIRECTOR)


def can_sign_for_partner(user, agreement: Agreement) -> bool:
    return role_of(user) == Role.PARTNER_OFFICER and user.partner_id == agreement.partner_id


def can_sign_now(user, agreement: Agreement) -> bool:
    """Whether the user may sign this draft now: it is a draft and their side has not signed it yet."""
    return agreement.is_draft and (
        (can_sign_for_partner(user, agreement) and not agreement.is_signed_by_partner)
        or (can_sign_for_onesource(user) and not agreement.is_signed_by_onesource)
    )


def _require_manager(user):
    if not can_manage(user):
        raise PermissionDenied("Only the oneSource performance team may draft or review agreements.")


def _locked(agreement: Agreement) -> Agreement:
    return Agreement.objects.select_for_update().select_related("partner").get(pk=agreement.pk)


def _require_draft(agreement: Agreement, doing: str):
    if not agreement.is_draft:
        raise ValidationError(
            f"Version {agreement.version} of {agreement.reference} is {agreement.get_status_display().lower()}; "
            f"only a draft can be {doing}."
        )


def _clear_signatures(agreement: Agreement):
    """A draft whose content changes must be signed again by both sides."""
    if agreement.partner_signed_at or agreement.onesource_signed_at:
        agreement.partner_signed_by = agreement.partner_signed_at = None
        agreement.onesource_signed_by = agreement.onesource_signed_at = None
        agreement.save()


@transaction.atomic
def agreement_create(
    *,
    user,
    partner: Partner,
    reference: str,
    title: str,
    starts_on: dt.date,
    ends_on: dt.date,
    review_due_on: dt.date,
    summary: str = "",
    owner=None,
) -> Agreement:
    """A first draft agreement for a partner."""
    _require_manager(user)
    if ends_on is not None and starts_on is not None and ends_on <= starts_on:
        raise ValidationError({"ends_on": "The end date must be after the start date."})
    current = Agreement.objects.in_force().filter(partner=partner).first()
    if current is not None:
        raise ValidationError(
            {
                "partner": f"{partner.short_name} already has {current.reference} version {current.version} in "
                "force; start a review of it to make a new version."
            }
        )
    latest = Agreement.objects.filter(partner=partner).order_by("-version").first()
    agreement = Agreement(
        partner=partner,
        reference=reference,
        version=latest.version + 1 if latest else 1,
        title=title,
        summary=summary,
        starts_on=starts_on,
        ends_on=ends_on,
        review_due_on=review_due_on,
        owner=owner,
    )
    agreement.full_clean()
    agreement.save()
    return agreement


@transaction.atomic
def schedule_add(
    *, user, agreement: Agreement, service: Service, scope: str, annual_charge: Decimal
) -> ServiceSchedule:
    _require_manager(user)
    agreement = _locked(agreement)
    _require_draft(agreement, "changed")
    schedule = ServiceSchedule(agreement=agreement, service=service, scope=scope, annual_charge=annual_charge)
    schedule.full_clean()
    schedule.save()
    _clear_signatures(agreement)
    return schedule


@transaction.atomic
def standard_add(
    *, user, agreement: Agreement, kpi: KPI, description: str, target: Decimal | None = None
) -> ServiceStandard:
    """Add a standard measured by a KPI. With no target given, it takes the KPI's target for the
    partner in the year the agreement starts; a KPI with no target there is refused."""
    _require_manager(user)
    agreement = _locked(agreement)
    _require_draft(agreement, "changed")
    if target is None:
        found = target_for(kpi=kpi, partner=agreement.partner, period=agreement.starts_on)
        if found is None:
            raise ValidationError(
                {
                    "target": f"{kpi.code} has no target for {agreement.partner.short_name} in the year the "
                    "agreement starts; give the standard its target."
                }
            )
        target = found.value
    standard = ServiceStandard(agreement=agreement, kpi=kpi, description=description, target=target)
    standard.full_clean()
    standard.save()
    _clear_signatures(agreement)
    return standard


@transaction.atomic
def obligation_add(
    *, user, agreement: Agreement, description: str, service: Service | None = None
) -> CustomerObligation:
    _require_manager(user)
    agreement = _locked(agreement)
    _require_draft(agreement, "changed")
    obligation = CustomerObligation(agreement=agreement, service=service, description=description)
    obligation.full_clean()
    obligation.save()
    _clear_signatures(agreement)
    return obligation


@transaction.atomic
def agreement_sign(*, user, agreement: Agreement) -> Agreement:
    """Sign a draft for the user's side; once both sides have signed, it comes into force."""
    agreement = _locked(agreement)
    for_partner = can_sign_for_partner(user, agreement)
    if not (for_partner or can_sign_for_onesource(user)):
        raise PermissionDenied(
            f"{agreement.partner.short_name}'s agreement is signed by an officer of "
            f"{agreement.partner.short_name} and by a oneSource director or the performance team."
        )
    _require_draft(agreement, "signed")
    if not agreement.schedules.exists():
        raise ValidationError("An agreement needs at least one service schedule before it can be signed.")
    now = timezone.now()
    if for_partner:
        if agreement.is_signed_by_partner:
            raise ValidationError(f"{agreement.partner.short_name} has already signed this version.")
        agreement.partner_signed_by, agreement.partner_signed_at = user, now
    else:
        if agreement.is_signed_by_onesource:
            raise ValidationError("oneSource has already signed this version.")
        agreement.onesource_signed_by, agreement.onesource_signed_at = user, now
    agreement.full_clean()
    agreement.save()
    if agreement.is_signed_by_partner and agreement.is_signed_by_onesource:
        _activate(agreement)
    return agreement


def _activate(agreement: Agreement) -> None:
    """Bring a fully signed draft into force, superseding the version it revises, in one transaction.

    The partner row is locked first so that two drafts signed at the same moment are decided one
    after the other: the second finds the version in force is no longer the one it revises.
    """
    Partner.objects.select_for_update().get(pk=agreement.partner_id)
    current = Agreement.objects.in_force().filter(partner_id=agreement.partner_id).first()
    if current is not None and current.pk != agreement.previous_id:
        raise ValidationError(
            f"Version {current.version} of {agreement.partner.short_name}'s agreement came into force "
            f"while this draft was being signed; start a review of version {current.version} to change it."
        )
    if current is not None:
        current.status = Agreement.Status.SUPERSEDED
        current.save()
    agreement.status = Agreement.Status.ACTIVE
    agreement.activated_at = timezone.now()
    try:
        with transaction.atomic():
            agreement.save()
    except IntegrityError:
        # The database's one-in-force rule is the last word if anything slipped past the lock.
        raise ValidationError(
            f"{agreement.partner.short_name} already has an agreement in force; this version was not activated."
        ) from None


@transaction.atomic
def agreement_start_review(*, user, agreement: Agreement) -> Agreement:
    """Put the version in force under review and make a new draft version copying its content."""
    _require_manager(user)
    agreement = _locked(agreement)
    if not agreement.is_in_force:
        raise ValidationError(
            f"Version {agreement.version} is {agreement.get_status_display().lower()}; "
            "only the agreement in force can be reviewed."
        )
    draft = Agreement.objects.drafts().filter(partner_id=agreement.partner_id).first()
    if draft is not None:
        raise ValidationError(f"Version {draft.version} of {agreement.reference} is already in draft.")
    agreement.status = Agreement.Status.UNDER_REVIEW
    agreement.save()
    return _new_version(agreement)


def _new_version(agreement: Agreement) -> Agreement:
    latest = Agreement.objects.filter(partner_id=agreement.partner_id).order_by("-version").first()
    draft = Agreement(
        partner_id=agreement.partner_id,
        reference=agreement.reference,
        version=latest.version + 1,
        title=agreement.title,
        summary=agreement.summary,
        starts_on=agreement.starts_on,
        ends_on=agreement.ends_on,
        review_due_on=agreement.review_due_on,
        owner_id=agreement.owner_id,
        previous=agreement,
        illustrative=agreement.illustrative,
    )
    draft.full_clean()
    draft.save()
    # Copied with their history, so that every row of the new version has an audit trail from its start.
    bulk_create_with_history(
        [
            ServiceSchedule(agreement=draft, service_id=s.service_id, scope=s.scope, annual_charge=s.annual_charge)
            for s in agreement.schedules.all()
        ],
        ServiceSchedule,
    )
    bulk_create_with_history(
        [
            ServiceStandard(agreement=draft, kpi_id=s.kpi_id, description=s.description, target=s.target)
            for s in agreement.standards.all()
        ],
        ServiceStandard,
    )
    bulk_create_with_history(
        [
            CustomerObligation(agreement=draft, service_id=o.service_id, description=o.description)
            for o in agreement.obligations.all()
        ],
        CustomerObligation,
    )
    return draft


@transaction.atomic
def agreement_add_commissioned_service(*, user, request) -> Agreement | None:
    """An accepted commissioning request puts the service on a draft of the partner's agreement.

    The draft already open is used, else a new version of the agreement in force is drafted. A
    partner with no agreement yet gets none here: its first agreement is drafted by the team.
    """
    partner = request.partner
    draft = Agreement.objects.select_for_update().drafts().filter(partner=partner).order_by("-version").first()
    if draft is None:
        current = Agreement.objects.in_force().filter(partner=partner).first()
        if current is None:
            return None
        draft = _new_version(current)
    if draft.schedules.filter(service=request.service).exists():
        return draft
    schedule = ServiceSchedule(
        agreement=draft,
        service=request.service,
        scope=f"{request.service.name}, as commissioned: {request.details}",
        annual_charge=Decimal("0.00"),
    )
    # The history names the person who accepted the request, not the process that added the row.
    schedule._history_user = user
    schedule.full_clean()
    schedule.save()
    _clear_signatures(draft)
    return draft


@transaction.atomic
def agreements_expire(*, today: dt.date | None = None) -> int:
    """Agreements in force whose end date has passed become expired."""
    today = today or timezone.localdate()
    expired = 0
    for agreement in Agreement.objects.select_for_update().in_force().filter(ends_on__lt=today):
        agreement.status = Agreement.Status.EXPIRED
        agreement.save()
        expired += 1
    return expired


def reminder_due(review_due_on: dt.date, today: dt.date) -> int | None:
    """Which reminder (60, 30 or 7 days) is due today, if any.

    Each reminder has a window down to the next one, so a day the task did not run is caught up
    the day after, and the unique record of each sent reminder makes it go once.
    """
    days_left = (review_due_on - today).days
    if days_left < 0:
        return None
    for days, next_days in zip(REMINDER_DAYS, (*REMINDER_DAYS[1:], -1), strict=True):
        if next_days < days_left <= days:
            return days
    return None


def reminder_recipients(agreement: Agreement) -> list[str]:
    signatories = Contact.objects.filter(
        partner_id=agreement.partner_id, responsibility=Contact.Responsibility.SLA_SIGNATORY
    ).values_list("email", flat=True)
    # The officer who signed this version in the portal is the partner's signatory too.
    people = [agreement.owner, agreement.partner_signed_by]
    return sorted({*(person.email for person in people if person and person.email), *signatories})


@transaction.atomic
def review_reminder_send(*, agreement: Agreement, today: dt.date | None = None) -> ReviewReminder | None:
    """Email the owner and the partner's signatory when a review reminder is due; record it once."""
    today = today or timezone.localdate()
    agreement = (
        Agreement.objects.select_for_update(of=("self",))
        .select_related("partner", "owner", "partner_signed_by")
        .get(pk=agreement.pk)
    )
    days = reminder_due(agreement.review_due_on, today) if agreement.is_in_force else None
    if days is None:
        return None
    if ReviewReminder.objects.filter(
        agreement=agreement, review_due_on=agreement.review_due_on, days_before=days
    ).exists():
        return None
    recipients = reminder_recipients(agreement)
    reminder = ReviewReminder.objects.create(
        agreement=agreement, review_due_on=agreement.review_due_on, days_before=days, recipients="\n".join(recipients)
    )
    send_portal_email.delay_on_commit(
        to=recipients,
        subject=f"{agreement.partner.short_name}'s service level agreement is due for review in {days} days",
        body=(
            f"{agreement.title} ({agreement.reference}, version {agreement.version}) between oneSource and "
            f"{agreement.partner.name} is due for review on {agreement.review_due_on:%d %B %Y}.\n\n"
            "Please agree a date to review it together. You can read the agreement in the oneSource portal."
        ),
    )
    return reminder
