"""Writes to measurements and targets. The entry grid, the import, the API and system feeds all call these."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from apps.core.periods import month_label, month_start
from apps.core.policy import has_area, role_of
from apps.core.rag import Rag
from apps.core.roles import Role
from apps.partners.models import Partner

from .models import KPI, Measurement, Target
from .selectors import partners_measured, target_for

Status = Measurement.Status
FIGURE_FIELDS = ("value", "numerator", "denominator")


def can_enter(user, kpi: KPI) -> bool:
    role = role_of(user)
    if role == Role.ADMIN:
        return True
    return role in (Role.DIRECTOR, Role.OFFICER) and has_area(user, kpi.area_id)


def can_approve(user, kpi: KPI) -> bool:
    role = role_of(user)
    return role == Role.ADMIN or (role == Role.DIRECTOR and has_area(user, kpi.area_id))


def can_manage_targets(user, kpi: KPI) -> bool:
    return can_approve(user, kpi)


@dataclass
class Figure:
    """A figure as entered, before it is stored: checked against the KPI's unit and its target."""

    kpi: KPI
    partner: Partner
    period: dt.date
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    commentary: str = ""
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def result(self) -> Decimal | None:
        return self.kpi.rate_value(self.numerator, self.denominator) if self.kpi.is_rate else self.value

    @property
    def is_blank(self) -> bool:
        return all(getattr(self, name) is None for name in FIGURE_FIELDS) and not self.commentary.strip()


def check_figure(figure: Figure, *, target: Target | None) -> dict[str, str]:
    """The problems with a figure, by field: what the unit allows, and commentary for a red result."""
    kpi, errors = figure.kpi, {}
    if kpi.is_rate:
        if figure.value is not None:
            errors["value"] = f"{kpi.code} is a rate: enter a numerator and a denominator, not a value."
        if figure.numerator is None:
            errors["numerator"] = f"Enter the numerator ({kpi.numerator_label})."
        elif figure.numerator < 0:
            errors["numerator"] = "The numerator cannot be negative."
        if figure.denominator is None:
            errors["denominator"] = f"Enter the denominator ({kpi.denominator_label})."
        elif figure.denominator <= 0:
            errors["denominator"] = "The denominator must be more than 0."
        if not errors and kpi.unit == KPI.Unit.PERCENT and figure.numerator > figure.denominator:
            errors["numerator"] = "The numerator cannot be more than the denominator: a percentage is at most 100."
    else:
        if figure.numerator is not None or figure.denominator is not None:
            errors["value"] = f"{kpi.code} is not a rate: enter a value, not a numerator and a denominator."
        elif figure.value is None:
            errors["value"] = "Enter a value."
        elif kpi.unit == KPI.Unit.PERCENT and not (0 <= figure.value <= 100):
            errors["value"] = "A percentage must be from 0 to 100."
        elif kpi.unit in (KPI.Unit.COUNT, KPI.Unit.DAYS) and figure.value < 0:
            errors["value"] = f"A number of {kpi.get_unit_display().lower()} cannot be negative."
        elif kpi.unit == KPI.Unit.COUNT and figure.value != figure.value.to_integral_value():
            errors["value"] = "A count is a whole number."
    if not errors and target and target.rate(figure.result) == Rag.RED and not figure.commentary.strip():
        errors["commentary"] = "This figure is red against its target: explain why in the commentary."
    return errors


def _save(measurement: Measurement, user) -> None:
    # The audit trail names the person even when the change comes from the API or a task.
    measurement._history_user = user
    measurement.save()


def _clean_period(period: dt.date) -> dt.date:
    if period > month_start(timezone.localdate()):
        raise ValidationError({"period": f"{month_label(period)} has not started yet."})
    return month_start(period)


def _existing(figure: Figure) -> Measurement | None:
    return (
        Measurement.objects.select_for_update()
        .filter(kpi=figure.kpi, partner=figure.partner, period=figure.period)
        .first()
    )


def _store(figure: Figure, *, user, status: str, source: str) -> tuple[Measurement, bool]:
    """Write a checked figure; returns the measurement and whether anything changed."""
    measurement = _existing(figure) or Measurement(kpi=figure.kpi, partner=figure.partner, period=figure.period)
    new = {name: getattr(figure, name) for name in FIGURE_FIELDS}
    same_figure = (
        measurement.pk
        and all(getattr(measurement, name) == value for name, value in new.items())
        and measurement.commentary == figure.commentary
    )
    if measurement.pk and measurement.status == Status.APPROVED:
        if same_figure:
            return measurement, False
        # An approved figure is locked: changing it sends it back to its director.
        status = Status.SUBMITTED
    if same_figure and measurement.status == status:
        return measurement, False
    for name, value in new.items():
        setattr(measurement, name, value)
    measurement.commentary = figure.commentary
    measurement.source = source
    measurement.entered_by = user
    measurement.status = status
    measurement.return_reason = ""
    measurement.decided_by = measurement.decided_at = None
    if status == Status.SUBMITTED:
        measurement.submitted_by, measurement.submitted_at = user, timezone.now()
    measurement.full_clean()
    _save(measurement, user)
    return measurement, True


def _validate_figure(figure: Figure, *, user) -> dict[str, str]:
    if not can_enter(user, figure.kpi):
        raise PermissionDenied(f"You may not enter figures for {figure.kpi.code}.")
    if figure.partner not in partners_measured(kpi=figure.kpi, period=figure.period):
        return {"partner": f"{figure.partner.short_name} does not take the service {figure.kpi.code} measures."}
    return check_figure(figure, target=target_for(kpi=figure.kpi, partner=figure.partner, period=figure.period))


@transaction.atomic
def measurement_record(
    *,
    user,
    kpi: KPI,
    partner: Partner,
    period: dt.date,
    value=None,
    numerator=None,
    denominator=None,
    commentary: str = "",
    submit: bool = False,
) -> Measurement:
    """Enter or change one figure, as a draft or submitted for approval."""
    figure = Figure(kpi, partner, _clean_period(period), value, numerator, denominator, commentary or "")
    errors = _validate_figure(figure, user=user)
    if errors:
        raise ValidationError(errors)
    status = Status.SUBMITTED if submit else Status.DRAFT
    return _store(figure, user=user, status=status, source=Measurement.Source.MANUAL)[0]


@transaction.atomic
def measurement_grid_save(*, user, period: dt.date, figures: dict[str, Figure], submit: bool) -> int:
    """Save a month of the entry grid, all cells or none.

    ``figures`` maps each cell's name to its figure; blank rows are skipped. Errors name the cell
    (``"<cell>"`` for the row, ``"<cell>-<field>"`` for a field) so that the page can show them.
    Returns how many figures changed.
    """
    period = _clean_period(period)
    errors = {}
    for key, figure in figures.items():
        if figure.is_blank:
            continue
        for name, message in _validate_figure(figure, user=user).items():
            errors[f"{key}-{name}"] = message
    if errors:
        raise ValidationError(errors)
    status = Status.SUBMITTED if submit else Status.DRAFT
    changed = 0
    for figure in figures.values():
        if not figure.is_blank:
            changed += _store(figure, user=user, status=status, source=Measurement.Source.MANUAL)[1]
    return changed


@transaction.atomic
def measurement_submit(*, user, measurement: Measurement) -> Measurement:
    measurement = Measurement.objects.select_for_update().select_related("kpi", "partner").get(pk=measurement.pk)
    if not can_enter(user, measurement.kpi):
        raise PermissionDenied(f"You may not submit figures for {measurement.kpi.code}.")
    if measurement.status not in (Status.DRAFT, Status.RETURNED):
        raise ValidationError(
            f"Only a draft or returned figure can be submitted; this one is {measurement.get_status_display().lower()}."
        )
    errors = check_figure(
        Figure(
            measurement.kpi,
            measurement.partner,
            measurement.period,
            measurement.value,
            measurement.numerator,
            measurement.denominator,
            measurement.commentary,
        ),
        target=target_for(kpi=measurement.kpi, partner=measurement.partner, period=measurement.period),
    )
    if errors:
        raise ValidationError(errors)
    measurement.status = Status.SUBMITTED
    measurement.return_reason = ""
    measurement.submitted_by, measurement.submitted_at = user, timezone.now()
    measurement.full_clean()
    _save(measurement, user)
    return measurement


def _decide(*, user, measurement: Measurement, status: str, reason: str = "") -> Measurement:
    measurement = Measurement.objects.select_for_update().select_related("kpi", "partner").get(pk=measurement.pk)
    if not can_approve(user, measurement.kpi):
        raise PermissionDenied(f"Only the director of {measurement.kpi.area} approves its figures.")
    if measurement.status != Status.SUBMITTED:
        raise ValidationError(
            "Only a submitted figure can be approved or returned; "
            f"this one is {measurement.get_status_display().lower()}."
        )
    measurement.status = status
    measurement.return_reason = reason
    measurement.decided_by, measurement.decided_at = user, timezone.now()
    measurement.full_clean()
    _save(measurement, user)
    return measurement


@transaction.atomic
def measurement_approve(*, user, measurement: Measurement) -> Measurement:
    return _decide(user=user, measurement=measurement, status=Status.APPROVED)


@transaction.atomic
def measurement_return(*, user, measurement: Measurement, reason: str) -> Measurement:
    if not (reason or "").strip():
        raise ValidationError({"reason": "Say why the figure is returned, so that it can be put right."})
    return _decide(user=user, measurement=measurement, status=Status.RETURNED, reason=reason.strip())


@transaction.atomic
def measurement_record_system(
    *, kpi: KPI, partner: Partner, period: dt.date, value=None, numerator=None, denominator=None
) -> Measurement:
    """Store a figure computed by the portal itself (from enquiries, say): approved on arrival.

    A system figure needs no human check, so it is approved as it is stored; recording the same
    figure again changes nothing.
    """
    figure = Figure(kpi, partner, month_start(period), value, numerator, denominator)
    errors = check_figure(figure, target=None)
    if errors:
        raise ValidationError(errors)
    measurement = _existing(figure) or Measurement(kpi=kpi, partner=partner, period=figure.period)
    new = {"value": value, "numerator": numerator, "denominator": denominator}
    if (
        measurement.pk
        and measurement.status == Status.APPROVED
        and all(getattr(measurement, k) == (None if v is None else Decimal(v)) for k, v in new.items())
    ):
        return measurement
    for name, figure_value in new.items():
        setattr(measurement, name, figure_value)
    now = timezone.now()
    measurement.source = Measurement.Source.SYSTEM
    measurement.status = Status.APPROVED
    measurement.return_reason = ""
    measurement.submitted_at = measurement.decided_at = now
    measurement.full_clean()
    _save(measurement, None)
    return measurement


@transaction.atomic
def target_save(*, user, kpi: KPI, financial_year: int, partner: Partner | None, value, tolerance) -> Target:
    """Set the target of a KPI for a year (for every partner, or for one)."""
    if not can_manage_targets(user, kpi):
        raise PermissionDenied(f"Only an administrator or the director of {kpi.area} sets its targets.")
    target = Target.objects.filter(kpi=kpi, financial_year=financial_year, partner=partner).first()
    target = target or Target(kpi=kpi, financial_year=financial_year, partner=partner)
    target.value, target.tolerance = value, tolerance or Decimal(0)
    target.full_clean()
    target.save()
    return target
