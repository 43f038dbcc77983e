"""Writes to the service catalogue. Forms and the API both call these."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from apps.core.conflicts import insert_or_conflict
from apps.core.periods import fy_label
from apps.core.policy import is_admin, role_of
from apps.core.roles import Role
from apps.core.tasks import send_portal_email
from apps.partners.models import Partner

from .models import CommissioningRequest, CostShare, Service, ServiceArea, Subscription

#: Sent inside the transaction that accepts a request, with ``request`` and ``user``: the
#: agreements app adds the new service to a draft version of the partner's agreement.
commissioning_request_accepted = Signal()


def _overlapping(partner, service, starts_on, ends_on):
    """A subscription of the partner to the service in force at some time from ``starts_on`` to ``ends_on``."""
    until = ends_on if ends_on is not None else dt.date.max
    return Subscription.objects.filter(partner=partner, service=service).in_force_between(starts_on, until).first()


@transaction.atomic
def subscription_create(
    *, user, partner: Partner, service: Service, starts_on: dt.date, ends_on: dt.date | None = None
) -> Subscription:
    if not is_admin(user):
        raise PermissionDenied("Only the oneSource performance team may add subscriptions.")
    clash = _overlapping(partner, service, starts_on, ends_on)
    if clash:
        raise ValidationError(
            {
                "service": f"{partner.short_name} already takes {service.name} from "
                f"{clash.starts_on:%d %B %Y}{f' to {clash.ends_on:%d %B %Y}' if clash.ends_on else ''}."
            }
        )
    subscription = Subscription(partner=partner, service=service, starts_on=starts_on, ends_on=ends_on)
    subscription.full_clean()
    subscription.save()
    return subscription


@transaction.atomic
def subscription_end(*, user, subscription: Subscription, ends_on: dt.date) -> Subscription:
    if not is_admin(user):
        raise PermissionDenied("Only the oneSource performance team may end subscriptions.")
    subscription.ends_on = ends_on
    subscription.full_clean()
    subscription.save()
    return subscription


@transaction.atomic
def commissioning_request_submit(
    *, user, service: Service, needed_from: dt.date, details: str, partner: Partner | None = None
) -> CommissioningRequest:
    """A partner officer asks for an additional service for their own partner.

    The performance team may also record a request on a partner's behalf (``partner`` given).
    """
    role = role_of(user)
    if role == Role.PARTNER_OFFICER:
        partner = user.partner
    elif role != Role.ADMIN:
        raise PermissionDenied("Requests for services are made by partner officers.")
    if partner is None:
        raise ValidationError({"partner": "Choose the partner the service is for."})
    if not service.is_available:
        raise ValidationError({"service": f"{service.name} is not open to new requests."})
    if Subscription.objects.current(needed_from).filter(partner=partner, service=service).exists():
        raise ValidationError({"service": f"{partner.short_name} already takes {service.name}."})
    if CommissioningRequest.objects.open().filter(partner=partner, service=service).exists():
        raise ValidationError({"service": f"{partner.short_name} already has an open request for {service.name}."})
    request = CommissioningRequest(
        partner=partner, service=service, requested_by=user, needed_from=needed_from, details=details
    )
    request.full_clean()
    insert_or_conflict(
        request,
        message=f"{partner.short_name} already has an open request for {service.name}: it was sent a moment ago.",
        current=lambda: CommissioningRequest.objects.open().filter(partner=partner, service=service).first(),
    )
    _notify_deciders(request)
    return request


def _decidable(user, request: CommissioningRequest) -> CommissioningRequest:
    """The request locked for the decision, if the user may decide it (admins, the area's director)."""
    locked = CommissioningRequest.objects.editable_by(user).select_for_update().filter(pk=request.pk).first()
    if locked is None:
        raise PermissionDenied("Only the performance team or the service's director may decide this request.")
    if not locked.is_open:
        raise ValidationError(f"This request is already {locked.get_status_display().lower()}.")
    return locked


@transaction.atomic
def commissioning_request_start_review(*, user, request: CommissioningRequest) -> CommissioningRequest:
    request = _decidable(user, request)
    request.status = CommissioningRequest.Status.UNDER_REVIEW
    request.save(update_fields=["status", "updated_at"])
    return request


@transaction.atomic
def commissioning_request_accept(
    *, user, request: CommissioningRequest, starts_on: dt.date | None = None, reason: str = ""
) -> CommissioningRequest:
    """Accept: the subscription is created in the same transaction, or nothing is."""
    request = _decidable(user, request)
    starts_on = starts_on or request.needed_from
    clash = _overlapping(request.partner, request.service, starts_on, None)
    if clash:
        raise ValidationError(
            {
                "starts_on": f"{request.partner.short_name} already takes {request.service.name} "
                f"from {clash.starts_on:%d %B %Y}."
            }
        )
    subscription = Subscription(partner=request.partner, service=request.service, starts_on=starts_on)
    subscription.full_clean()
    subscription.save()
    _decide(request, user, CommissioningRequest.Status.ACCEPTED, reason, subscription=subscription)
    commissioning_request_accepted.send(sender=CommissioningRequest, request=request, user=user)
    return request


@transaction.atomic
def commissioning_request_decline(*, user, request: CommissioningRequest, reason: str) -> CommissioningRequest:
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason for declining, so the partner knows why."})
    request = _decidable(user, request)
    _decide(request, user, CommissioningRequest.Status.DECLINED, reason.strip())
    return request


@transaction.atomic
def commissioning_request_withdraw(*, user, request: CommissioningRequest) -> CommissioningRequest:
    role = role_of(user)
    own = role == Role.PARTNER_OFFICER and request.partner_id == user.partner_id
    if not (own or role == Role.ADMIN):
        raise PermissionDenied("Only the partner that made the request may withdraw it.")
    request = CommissioningRequest.objects.select_for_update().get(pk=request.pk)
    if not request.is_open:
        raise ValidationError(f"This request is already {request.get_status_display().lower()}.")
    request.status = CommissioningRequest.Status.WITHDRAWN
    request.save(update_fields=["status", "updated_at"])
    return request


def _decide(request, user, status, reason, subscription=None):
    request.status = status
    request.decided_by = user
    request.decided_at = timezone.now()
    request.decision_reason = reason
    request.subscription = subscription
    request.full_clean()
    request.save()
    send_portal_email.delay_on_commit(
        to=[request.requested_by.email],
        subject=f"Your request for {request.service.name} was {request.get_status_display().lower()}",
        body=(
            f"{request.service.name} for {request.partner.name}: {request.get_status_display()}.\n"
            + (f"Reason: {reason}\n" if reason else "")
            + "You can see the request in the oneSource portal."
        ),
    )


def _notify_deciders(request):
    director = request.service.area.director
    if director and director.email:
        send_portal_email.delay_on_commit(
            to=[director.email],
            subject=f"{request.partner.short_name} asks for {request.service.name}",
            body=f"{request.partner.name} would like {request.service.name} from "
            f"{request.needed_from:%d %B %Y}.\n\n{request.details}",
        )


@transaction.atomic
def cost_shares_set(*, user, area: ServiceArea, financial_year: int, shares: dict[Partner, Decimal]) -> list[CostShare]:
    """Replace the distribution formula of an area for a year. The shares must sum to exactly 100%."""
    if not (is_admin(user) or ServiceArea.objects.editable_by(user).filter(pk=area.pk).exists()):
        raise PermissionDenied("Only the performance team or the area's director may set cost shares.")
    errors = {}
    for partner, percentage in shares.items():
        if percentage is None or not Decimal(0) <= percentage <= Decimal(100):
            errors[f"share_{partner.slug}"] = f"{partner.short_name}'s share must be from 0 to 100%."
    total = sum((p for p in shares.values() if p is not None), Decimal(0))
    if not errors and total != Decimal(100):
        errors["__all__"] = (
            f"The shares of {area.name} for {fy_label(financial_year)} add up to {total:.2f}%; "
            "they must add up to 100%."
        )
    if errors:
        raise ValidationError(errors)
    CostShare.objects.filter(area=area, financial_year=financial_year).exclude(partner__in=shares).delete()
    saved = []
    for partner, percentage in shares.items():
        share, _ = CostShare.objects.update_or_create(
            area=area, partner=partner, financial_year=financial_year, defaults={"percentage": percentage}
        )
        saved.append(share)
    return saved
