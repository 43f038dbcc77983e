"""Money is Decimal pounds with pence. Summaries read ``£10.6m``; detail reads ``£10,600,000.00``."""

from decimal import ROUND_HALF_UP, Decimal

from django.db import models

PENNY = Decimal("0.01")


class MoneyField(models.DecimalField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DecimalField", args, kwargs


def as_money(value) -> Decimal:
    return Decimal(value).quantize(PENNY, rounding=ROUND_HALF_UP)


def format_money(value) -> str:
    if value is None:
        return "–"
    amount = as_money(value)
    sign = "-" if amount < 0 else ""
    return f"{sign}£{abs(amount):,.2f}"


def format_money_short(value) -> str:
    if value is None:
        return "–"
    amount = Decimal(value)
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    if amount >= 1_000_000:
        text = f"{(amount / 1_000_000).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}m"
    elif amount >= 1_000:
        text = f"{(amount / 1_000).quantize(Decimal('1'), rounding=ROUND_HALF_UP)}k"
    else:
        text = f"{amount.quantize(Decimal('1'), rounding=ROUND_HALF_UP)}"
    return f"{sign}£{text}"
