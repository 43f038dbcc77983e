"""Writes to the savings tracker. Pages, the API and the demo data all call these.

Every change to a line (an update, a re-phasing) names the version of the line it was started
from. The version is checked and raised in one conditional UPDATE, which PostgreSQL serialises on
the row: of two saves started from the same version the second finds it gone and is refused with
an account of what changed, and nothing of either is lost.
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from apps.core.conflicts import insert_or_conflict
from apps.core.money import format_money
from apps.core.periods import FinancialYear, add_months, fy_label, month_start
from apps.core.policy import is_admin

from .models import (
    STATUSES_WITHOUT_COMMENTARY,
    PartnerShare,
    Rephasing,
    SavingLine,
    SavingsUpdate,
    Status,
    YearTarget,
)

HUNDRED = Decimal(100)


class StaleVersion(ValidationError):
    """The line changed since the form was opened; ``changes`` says how, ``version`` is the current one."""

    def __init__(self, *, line: SavingLine, expected_version: int):
        self.line = SavingLine.objects.get(pk=line.pk)
        self.version = self.line.version
        self.changes = describe_changes_since(line=self.line, version=expected_version)
        super().__init__(
            "Someone else saved this line while you were editing it, so your changes were not saved. "
            "What changed: " + " ".join(self.changes) + " Your figures are still in the form: check them "
            "against these changes and save again."
        )


def describe_changes_since(*, line: SavingLine, version: int) -> list[str]:
    """Sentences describing every update and re-phasing of ``line`` after ``version``, oldest first."""
    changes = []
    updates = list(
        SavingsUpdate.objects.filter(line=line, line_version__gt=version)
        .select_related("recorded_by")
        .order_by("line_version")
    )
    for update in updates:
        before = (
            SavingsUpdate.objects.filter(
                line=line, financial_year=update.financial_year, line_version__lt=update.line_version
            )
            .order_by("-line_version")
            .first()
        )
        parts = []
        for label, name, show in (
            ("status", "status", lambda u: u.get_status_display()),
            ("forecast", "forecast", lambda u: format_money(u.forecast)),
            ("achieved to date", "achieved", lambda u: format_money(u.achieved)),
        ):
            new = show(update)
            old = show(before) if before else "none"
            if before is None or getattr(before, name) != getattr(update, name):
                parts.append(f"{label} {old} → {new}")
        if update.commentary and (before is None or before.commentary != update.commentary):
            parts.append(f"commentary “{update.commentary}”")
        who = update.recorded_by.get_full_name() or update.recorded_by.username
        when = timezone.localtime(update.recorded_at).strftime("%d %B %Y %H:%M")
        changes.append(f"{who} updated {update.financial_year_label} at {when}: {'; '.join(parts) or 'no change'}.")
    for move in Rephasing.objects.filter(line=line, line_version__gt=version).select_related("recorded_by"):
        who = move.recorded_by.get_full_name() or move.recorded_by.username
        changes.append(
            f"{who} moved {format_money(move.amount)} from {fy_label(move.from_year)} to "
            f"{fy_label(move.to_year)} because “{move.reason}”."
        )
    return changes


def _require_editable(user, line: SavingLine) -> None:
    if not SavingLine.objects.editable_by(user).filter(pk=line.pk).exists():
        raise PermissionDenied("Only the director of this line's service area, or an administrator, may change it.")


def _take_version(*, line: SavingLine, expected_version: int) -> int:
    """Move the line from ``expected_version`` to the next one, or refuse: someone got there first."""
    moved = SavingLine.objects.filter(pk=line.pk, version=expected_version).update(
        version=F("version") + 1, updated_at=timezone.now()
    )
    if not moved:
        raise StaleVersion(line=line, expected_version=expected_version)
    line.version = expected_version + 1
    return line.version


def reporting_period(year: int, today: dt.date | None = None) -> dt.date:
    """The month an update made today reports on: this month, kept within the financial year."""
    fy = FinancialYear(year)
    month = month_start(today or timezone.localdate())
    return min(max(month, fy.starts_on), add_months(fy.starts_on, 11))


@transaction.atomic
def savings_update_record(
    *,
    user,
    line: SavingLine,
    expected_version: int,
    financial_year: int,
    forecast: Decimal,
    achieved: Decimal,
    status: str,
    commentary: str = "",
) -> SavingsUpdate:
    """Append the director's update of ``line`` for ``financial_year``."""
    _require_editable(user, line)
    commentary = (commentary or "").strip()
    errors = {}
    if not YearTarget.objects.filter(line=line, financial_year=financial_year).exists():
        errors["financial_year"] = f"{line.reference} has no target in {fy_label(financial_year)}."
    for name, label, amount in (("forecast", "forecast", forecast), ("achieved", "amount achieved", achieved)):
        if amount is None or amount < 0:
            errors[name] = f"Enter the {label} as £0.00 or more."
    if status not in STATUSES_WITHOUT_COMMENTARY and not commentary:
        errors["commentary"] = (
            f"Explain why the line is {Status(status).label.lower()}: commentary is required unless it is "
            "on track or achieved."
            if status in Status.values
            else "Commentary is required unless the line is on track or achieved."
        )
    update = SavingsUpdate(
        line=line,
        financial_year=financial_year,
        period=reporting_period(financial_year),
        forecast=forecast,
        achieved=achieved,
        status=status,
        commentary=commentary,
        line_version=expected_version + 1,
        recorded_by=user,
    )
    try:
        update.full_clean(exclude=["line_version"], validate_constraints=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, messages)
    if errors:
        raise ValidationError(errors)
    update.line_version = _take_version(line=line, expected_version=expected_version)
    # The version taken is the line's own; an update already stored under it (one per version, a
    # database constraint) means another save got there first: a conflict, not a 500.
    insert_or_conflict(
        update,
        message="Someone else saved this line a moment ago, so your changes were not saved. "
        "Check the line as it is now and save again.",
        current=lambda: SavingsUpdate.objects.filter(line=line, line_version=update.line_version).first(),
    )
    return update


@transaction.atomic
def target_rephase(
    *,
    user,
    line: SavingLine,
    expected_version: int,
    from_year: int,
    to_year: int,
    amount: Decimal,
    reason: str,
) -> Rephasing:
    """Move ``amount`` of the line's target from one year to a later one; the reason is required."""
    _require_editable(user, line)
    reason = (reason or "").strip()
    source = YearTarget.objects.filter(line=line, financial_year=from_year).first()
    errors = {}
    if not reason:
        errors["reason"] = "Give the reason for moving the target."
    if to_year <= from_year:
        errors["to_year"] = f"Choose a year after {fy_label(from_year)}: a target can only move later."
    if amount is None or amount <= 0:
        errors["amount"] = "The amount to move must be more than £0.00."
    elif source is None:
        errors["from_year"] = f"{line.reference} has no target in {fy_label(from_year)}."
    elif amount > source.amount:
        errors["amount"] = f"Only {format_money(source.amount)} is phased in {fy_label(from_year)}."
    if errors:
        raise ValidationError(errors)
    version = _take_version(line=line, expected_version=expected_version)
    source.amount -= amount
    source.full_clean()
    source.save()
    target, _ = YearTarget.objects.get_or_create(line=line, financial_year=to_year, defaults={"amount": Decimal(0)})
    target.amount += amount
    target.full_clean()
    target.save()
    move = Rephasing(
        line=line,
        from_year=from_year,
        to_year=to_year,
        amount=amount,
        reason=reason,
        line_version=version,
        recorded_by=user,
    )
    move.full_clean(exclude=["line_version"])
    move.save()
    return move


def check_shares(percentages) -> None:
    """A line's partner shares are each above 0% and add up to exactly 100%."""
    percentages = [Decimal(p) for p in percentages]
    total = sum(percentages, Decimal(0))
    if not percentages or total != HUNDRED:
        raise ValidationError(f"The partner shares add up to {total:.2f}%; they must add up to 100%.")
    if any(p <= 0 for p in percentages):
        raise ValidationError("Each partner share must be more than 0%.")


@transaction.atomic
def saving_line_create(
    *,
    user,
    programme,
    area,
    reference: str,
    title: str,
    category: str,
    shares: dict,
    targets: dict,
    recurrence: str = SavingLine.Recurrence.RECURRING,
    is_cashable: bool = True,
    owner=None,
    description: str = "",
    delivery_months: dict | None = None,
) -> SavingLine:
    """Add a line with its partner shares (``{partner: percentage}``) and targets (``{year: amount}``).

    ``delivery_months`` (``{year: month}``) gives the month a year's saving starts to count, when it
    is not April (the whole year).
    """
    delivery_months = delivery_months or {}
    if not is_admin(user):
        raise PermissionDenied("Only the oneSource performance team may add saving lines.")
    errors = {}
    try:
        check_shares(shares.values())
    except ValidationError as error:
        errors["shares"] = error.messages
    negative = [fy_label(year) for year, amount in sorted(targets.items()) if amount < 0]
    if negative:
        errors["targets"] = f"A target cannot be negative ({', '.join(negative)})."
    unknown = [fy_label(year) for year in sorted(delivery_months) if year not in targets]
    if unknown:
        errors["delivery_months"] = f"A delivery month is given for a year without a target ({', '.join(unknown)})."
    line = SavingLine(
        programme=programme,
        area=area,
        reference=reference,
        title=title,
        category=category,
        recurrence=recurrence,
        is_cashable=is_cashable,
        owner=owner if owner is not None else area.director,
        description=description,
    )
    try:
        line.full_clean()
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, messages)
    if errors:
        raise ValidationError(errors)
    line.save()
    for partner, percentage in shares.items():
        share = PartnerShare(line=line, partner=partner, percentage=Decimal(percentage))
        share.full_clean()
        share.save()
    for year, amount in targets.items():
        target = YearTarget(line=line, financial_year=year, amount=amount, delivery_month=delivery_months.get(year))
        target.full_clean()
        target.save()
    return line


@transaction.atomic
def saving_line_link_project(*, user, line: SavingLine, project) -> SavingLine:
    """Name the transformation project that delivers the line (or none)."""
    _require_editable(user, line)
    if project is not None and project.area_id != line.area_id:
        raise ValidationError({"project": f"{project.title} belongs to another service area than {line.reference}."})
    line.project = project
    line.full_clean()
    line.save(update_fields=["project", "updated_at"])
    return line
