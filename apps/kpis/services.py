"""Writes to measurements and targets. The entry grid, the import, the API and system feeds all call these."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import DecimalValidator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from apps.core.conflicts import insert_or_conflict
from apps.core.inputs import normalise_zero
from apps.core.periods import (
    FinancialYear,
    last_month,
    month_from_text,
    month_label,
    month_start,
    working_days_between,
)
from apps.core.policy import has_area, role_of
from apps.core.rag import Rag
from apps.core.roles import Role
from apps.partners.models import Partner

from .imports import COLUMNS, ImportFileError, RowError, read_table
from .models import KPI, Measurement, ReturnReminder, Target
from .selectors import SubscriptionBook, TargetBook, my_returns, return_deadline, target_for

Status = Measurement.Status
FIGURE_FIELDS = ("value", "numerator", "denominator")
RELATED_FIELDS = ("kpi", "partner", "entered_by", "submitted_by", "decided_by")


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
    if measurement.pk:
        measurement.save()
        return
    insert_or_conflict(
        measurement,
        message=f"Someone else saved the {month_label(measurement.period)} figure of {measurement.kpi.code} for "
        f"{measurement.partner.short_name} a moment ago, so nothing was saved. It is shown as stored now: "
        "check it and save again.",
        current=lambda: Measurement.objects.filter(
            kpi=measurement.kpi, partner=measurement.partner, period=measurement.period
        ).first(),
    )


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


def _existing_for(figures: list[Figure], *, lock: bool = True) -> dict[tuple, Measurement]:
    """The stored measurements of ``figures`` by (KPI, partner, month), locked (unless not ``lock``),
    in one query."""
    if not figures:
        return {}
    rows = (
        (Measurement.objects.select_for_update() if lock else Measurement.objects)
        .filter(
            kpi__in={figure.kpi.pk for figure in figures},
            partner__in={figure.partner.pk for figure in figures},
            period__in={figure.period for figure in figures},
        )
        .order_by("pk")
    )
    return {(row.kpi_id, row.partner_id, row.period): row for row in rows}


def _same_figure(measurement: Measurement, figure: Figure) -> bool:
    return (
        bool(measurement.pk)
        and measurement.commentary == figure.commentary
        and all(getattr(measurement, name) == getattr(figure, name) for name in FIGURE_FIELDS)
    )


def _changes(measurement: Measurement | None, figure: Figure, status: str) -> bool:
    """Whether saving ``figure`` with ``status`` changes the stored measurement (None: none is stored)."""
    if measurement is None or not measurement.pk:
        return True
    same = _same_figure(measurement, figure)
    if measurement.status == Status.APPROVED:
        return not same
    # Saving a draft leaves an unchanged submitted figure with its director rather than withdrawing it.
    return not (
        same and (measurement.status == status or (measurement.status, status) == (Status.SUBMITTED, Status.DRAFT))
    )


def _apply(measurement: Measurement, figure: Figure, *, user, status: str, source: str) -> bool:
    """Put a checked figure on the measurement, unsaved; returns whether anything changed."""
    if not _changes(measurement, figure, status):
        return False
    if measurement.pk and measurement.status == Status.APPROVED:
        # An approved figure is locked: changing it sends it back to its director.
        status = Status.SUBMITTED
    for name in FIGURE_FIELDS:
        setattr(measurement, name, getattr(figure, name))
    measurement.commentary = figure.commentary
    measurement.source = source
    measurement.entered_by = user
    measurement.status = status
    measurement.return_reason = ""
    measurement.decided_by = measurement.decided_at = None
    if status == Status.SUBMITTED:
        measurement.submitted_by, measurement.submitted_at = user, timezone.now()
    return True


_LOOK_UP = object()


def _store(figure: Figure, *, user, status: str, source: str, existing=_LOOK_UP) -> tuple[Measurement, bool]:
    """Write a checked figure; returns the measurement and whether anything changed.

    ``existing`` is the figure's stored measurement (or None) when the caller has read it, locked, already."""
    if existing is _LOOK_UP:
        existing = _existing(figure)
    measurement = existing or Measurement(kpi=figure.kpi, partner=figure.partner, period=figure.period)
    if not _apply(measurement, figure, user=user, status=status, source=source):
        return measurement, False
    _clean_checked(measurement)
    _save(measurement, user)
    return measurement, True


def _clean_checked(measurement: Measurement) -> None:
    """The field rules of a figure already checked whole: its rows, its checks (``_validate_figures``,
    ``check_figure``, an import's checks of the whole file) and its month. Checking again that the rows
    it names exist, that it is the only figure of its month and the database's constraints would cost
    ten queries a figure; the constraints stay in the database, and a figure saved by someone else a
    moment before is a ``Conflict`` (``_save``)."""
    measurement.full_clean(exclude=RELATED_FIELDS, validate_unique=False, validate_constraints=False)


def _validate_figures(figures: Iterable[Figure], *, user) -> list[dict[str, str]]:
    """The problems of each figure, by field, reading subscriptions and targets once for them all."""
    figures = list(figures)
    if not figures:
        return []
    for kpi in {figure.kpi for figure in figures}:
        if not can_enter(user, kpi):
            raise PermissionDenied(f"You may not enter figures for {kpi.code}.")
    periods = {figure.period for figure in figures}
    taken = SubscriptionBook.between(min(periods), max(periods), {figure.partner.pk for figure in figures})
    targets = TargetBook.for_kpis({f.kpi.pk for f in figures}, {FinancialYear.of(p).start_year for p in periods})
    problems = []
    for figure in figures:
        if figure.kpi.computed:
            problems.append(
                {
                    "kpi": f"{figure.kpi.code} is computed by the portal from its own records: "
                    "its figures are not entered."
                }
            )
            continue
        if not taken.takes(figure.kpi, figure.partner.pk, figure.period):
            problems.append(
                {
                    "partner": f"{figure.partner.short_name} does not take the service {figure.kpi.code} "
                    f"measures in {month_label(figure.period)}."
                }
            )
            continue
        problems.append(check_figure(figure, target=targets.get(figure.kpi.pk, figure.partner.pk, figure.period)))
    return problems


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
    errors = _validate_figures([figure], user=user)[0]
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
    entered = {key: figure for key, figure in figures.items() if not figure.is_blank}
    status = Status.SUBMITTED if submit else Status.DRAFT
    # Only the figures this save changes are checked, locked and written: a row sent back as it is
    # stored is left as it is, and two officers saving different cells of one page do not wait on
    # each other. The month's stored figures are read at once, not one query per row of the grid.
    stored = _existing_for(list(entered.values()), lock=False)
    changing = {
        key: figure
        for key, figure in entered.items()
        if _changes(stored.get((figure.kpi.pk, figure.partner.pk, figure.period)), figure, status)
    }
    errors = {
        f"{key}-{name}": message
        for key, problems in zip(changing, _validate_figures(changing.values(), user=user), strict=True)
        for name, message in problems.items()
    }
    if errors:
        raise ValidationError(errors)
    locked = _existing_for(list(changing.values()))
    return sum(
        _store(
            figure,
            user=user,
            status=status,
            source=Measurement.Source.MANUAL,
            existing=locked.get((figure.kpi.pk, figure.partner.pk, figure.period)),
        )[1]
        for figure in changing.values()
    )


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
    if not SubscriptionBook.between(figure.period, figure.period, [partner.pk]).takes(kpi, partner.pk, figure.period):
        errors["partner"] = f"{partner.short_name} does not take the service {kpi.code} measures."
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
def target_save(
    *, user, kpi: KPI, financial_year: int, partner: Partner | None, value, tolerance, is_onesource: bool = False
) -> Target:
    """Set the target of a KPI for a year: for every partner, for one, or for oneSource as a whole."""
    if not can_manage_targets(user, kpi):
        raise PermissionDenied(f"Only an administrator or the director of {kpi.area} sets its targets.")
    if is_onesource and partner is not None:
        raise ValidationError({"partner": "A target for oneSource as a whole has no partner: choose Every partner."})
    target = Target.objects.filter(
        kpi=kpi, financial_year=financial_year, partner=partner, is_onesource=bool(is_onesource)
    ).first()
    target = target or Target(kpi=kpi, financial_year=financial_year, partner=partner, is_onesource=bool(is_onesource))
    target.value, target.tolerance = value, tolerance or Decimal(0)
    target.full_clean()
    target.save()
    return target


@dataclass
class ImportResult:
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)


def _decimal(text: str, column: str, row: int, errors: list) -> Decimal | None:
    if not text:
        return None
    try:
        number = Decimal(text.replace(",", "").replace("£", "").replace("%", ""))
    except InvalidOperation:
        errors.append(RowError(row, column, f"“{text}” is not a number."))
        return None
    if not number.is_finite() or abs(number) >= Decimal(10) ** 14:
        errors.append(RowError(row, column, f"“{text}” is not a number the portal can store."))
        return None
    # The figure's own precision: a float from Excel such as 100/3 (33.333333333333336) or 0.00001 is
    # refused here, by row and column, rather than when the row is saved.
    model_field = Measurement._meta.get_field(column)
    try:
        DecimalValidator(model_field.max_digits, model_field.decimal_places)(number)
    except ValidationError:
        errors.append(
            RowError(
                row,
                column,
                f"“{text}” has more decimal places than a figure keeps (at most {model_field.decimal_places}): "
                "round it in the spreadsheet.",
            )
        )
        return None
    return normalise_zero(number)


def _period(text: str, row: int, errors: list) -> dt.date | None:
    try:
        period = month_from_text(text)
    except ValueError:
        errors.append(RowError(row, "month", f"“{text}” is not a month; write it as YYYY-MM, for example 2016-04."))
        return None
    if period > month_start(timezone.localdate()):
        errors.append(RowError(row, "month", f"{month_label(period)} has not started yet."))
        return None
    return period


@transaction.atomic
def measurements_import(*, user, upload, submit: bool = False) -> ImportResult:
    """Import a CSV or Excel file of figures: every row is checked first, and all go in or none.

    The result lists every error by row (as numbered in the spreadsheet, the header being row 1)
    and column. Importing the same file again changes nothing. An approved figure is never
    overwritten: a row that would change one is an error.
    """
    try:
        table = read_table(upload)
    except ImportFileError as error:
        return ImportResult(errors=error.row_errors or [RowError(0, "file", message) for message in error.messages])
    errors: list[RowError] = []
    kpis = {k.code.upper(): k for k in KPI.objects.active().select_related("area")}
    partners = {}
    for partner in Partner.objects.all():
        partners[partner.slug.lower()] = partners[partner.short_name.lower()] = partner
    allowed = {code: can_enter(user, kpi) for code, kpi in kpis.items()}
    parsed = []
    seen = {}
    for number, raw in enumerate(table, start=2):
        row_errors: list[RowError] = []
        kpi = kpis.get(raw["kpi_code"].upper())
        if kpi is None:
            row_errors.append(RowError(number, "kpi_code", f"There is no KPI “{raw['kpi_code']}”."))
        elif not allowed[kpi.code]:
            row_errors.append(RowError(number, "kpi_code", f"You may not enter figures for {kpi.code}."))
        partner = partners.get(raw["partner"].lower())
        if partner is None:
            row_errors.append(RowError(number, "partner", f"There is no partner “{raw['partner']}”."))
        period = _period(raw["month"], number, row_errors)
        figures = {name: _decimal(raw[name], name, number, row_errors) for name in FIGURE_FIELDS}
        if not row_errors:
            key = (kpi.pk, partner.pk, period)
            if key in seen:
                row_errors.append(
                    RowError(number, "month", f"Row {seen[key]} already gives this KPI, partner and month.")
                )
            seen[key] = number
        errors += row_errors
        if not row_errors:
            parsed.append((number, Figure(kpi, partner, period, commentary=raw["commentary"], **figures)))
    stored = _stored_for(parsed) if parsed else {}
    if parsed:
        errors += _check_import(user, parsed, stored)
    if errors:
        return ImportResult(
            errors=sorted(errors, key=lambda e: (e.row, COLUMNS.index(e.column) if e.column in COLUMNS else 0))
        )
    return _write_import(user, parsed, stored, submit=submit)


def _check_import(user, parsed, stored) -> list[RowError]:
    """Checks that need the database, read in a few queries whatever the file's length."""
    errors = []
    problems = _validate_figures((figure for _, figure in parsed), user=user)
    for (number, figure), row_problems in zip(parsed, problems, strict=True):
        errors += [RowError(number, name, message) for name, message in row_problems.items()]
        existing = stored.get((figure.kpi.pk, figure.partner.pk, figure.period))
        if not row_problems and existing and existing.status == Status.APPROVED and not _same_figure(existing, figure):
            errors.append(
                RowError(
                    number,
                    "kpi_code",
                    f"The {month_label(figure.period)} figure of {figure.kpi.code} for {figure.partner.short_name} "
                    "is approved: an import does not overwrite it. Change it on its own page.",
                )
            )
    return errors


def _stored_for(parsed) -> dict:
    kpi_ids = {f.kpi.pk for _, f in parsed}
    partner_ids = {f.partner.pk for _, f in parsed}
    periods = {f.period for _, f in parsed}
    return {
        (m.kpi_id, m.partner_id, m.period): m
        for m in Measurement.objects.select_for_update().filter(
            kpi__in=kpi_ids, partner__in=partner_ids, period__in=periods
        )
    }


def _write_import(user, parsed, stored, *, submit: bool) -> ImportResult:
    status = Status.SUBMITTED if submit else Status.DRAFT
    result = ImportResult()
    new, changed = [], []
    for _, figure in parsed:
        measurement = stored.get((figure.kpi.pk, figure.partner.pk, figure.period))
        target = measurement or Measurement(kpi=figure.kpi, partner=figure.partner, period=figure.period)
        if not _apply(target, figure, user=user, status=status, source=Measurement.Source.IMPORT):
            result.unchanged += 1
            continue
        _clean_checked(target)
        (changed if measurement else new).append(target)
    bulk_create_with_history(new, Measurement, batch_size=500, default_user=user)
    bulk_update_with_history(
        changed,
        Measurement,
        [
            *FIGURE_FIELDS,
            "commentary",
            "source",
            "entered_by",
            "status",
            "return_reason",
            "decided_by",
            "decided_at",
            "submitted_by",
            "submitted_at",
            "updated_at",
        ],
        batch_size=500,
        default_user=user,
    )
    result.created, result.changed = len(new), len(changed)
    return result


REMIND_WORKING_DAYS_BEFORE = 2


def return_reminders_send(*, today: dt.date) -> int:
    """Email each data owner whose return for last month is due within 2 working days or overdue.

    Each owner gets at most one reminder per return per day, however often this runs. Returns how
    many were sent.
    """
    period = last_month(today)
    deadline = return_deadline(period)
    if working_days_between(today, deadline) > REMIND_WORKING_DAYS_BEFORE:
        return 0
    owners = get_user_model().objects.filter(owned_kpis__is_active=True, is_active=True).exclude(email="").distinct()
    sent = 0
    for owner in owners:
        returns = my_returns(user=owner, period=period)
        if not returns.to_enter:
            continue
        with transaction.atomic():
            _, created = ReturnReminder.objects.get_or_create(user=owner, period=period, sent_on=today)
            if not created:
                continue
            overdue = today > deadline
            send_mail(
                subject=f"KPI return for {month_label(period)} {'overdue' if overdue else 'due'}",
                message=(
                    f"Your KPI figures for {month_label(period)} are {'overdue: they were ' if overdue else ''}"
                    f"due by {deadline:%A %-d %B %Y}.\n\n"
                    f"{len(returns.to_enter)} figure(s) still to enter or submit:\n"
                    + "\n".join(
                        f"- {row.kpi.code} {row.kpi.name}: {row.partner.short_name}" for row in returns.to_enter
                    )
                    + f"\n\nEnter them in the portal at {reverse('kpis:entry_grid')}?month={period:%Y-%m}\n"
                ),
                from_email=None,
                recipient_list=[owner.email],
            )
        sent += 1
    return sent


KPI_FIELDS = (
    "code",
    "name",
    "definition",
    "area",
    "service",
    "unit",
    "polarity",
    "frequency",
    "data_owner",
    "decimal_places",
    "is_rate",
    "numerator_label",
    "denominator_label",
    "aggregation",
    "is_active",
)


@transaction.atomic
def kpi_save(*, user, kpi: KPI | None = None, **data) -> KPI:
    """Define a KPI or change its definition: an administrator, or the director of its service area."""
    if kpi is not None and not KPI.objects.editable_by(user).filter(pk=kpi.pk).exists():
        raise PermissionDenied("Only an administrator or the area's director changes this KPI.")
    kpi = kpi or KPI()
    for name in KPI_FIELDS:
        if name in data:
            setattr(kpi, name, data[name])
    if role_of(user) != Role.ADMIN and not (
        role_of(user) == Role.DIRECTOR and kpi.area_id and has_area(user, kpi.area_id)
    ):
        raise PermissionDenied("You may define KPIs only for your own service areas.")
    if kpi.service_id and kpi.service.area_id != kpi.area_id:
        raise ValidationError({"service": f"{kpi.service} is not a service of {kpi.area}."})
    if kpi.pk and kpi.measurements.exists():
        stored = KPI.objects.get(pk=kpi.pk)
        if (stored.is_rate, stored.unit) != (kpi.is_rate, kpi.unit):
            raise ValidationError(
                {"is_rate": "This KPI has figures: its unit and whether it is a rate can no longer change."}
            )
    kpi.full_clean()
    kpi.save()
    return kpi
