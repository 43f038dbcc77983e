"""The input policy: what any value the portal reads may be, for forms, FilterSets and serializers alike.

The base classes (``PortalForm``, ``PortalModelForm``, ``PortalFilterSet``, ``PortalSerializer``,
``PortalModelSerializer``) pass every field through ``bound_form_field`` or ``bound_serializer_field``,
so no field needs its own copy of these rules:

* dates and date-times lie between 1 January 2000 and 31 December 2100 (``DATE_MIN``, ``DATE_MAX``);
  a year, between 2000 and 2100;
* text is at most ``TEXT_MAX_LENGTH`` characters unless the field says less, and holds no NUL
  character and no lone surrogate (neither can be stored);
* whole numbers fit a 32-bit column unless the field says less; decimals have at most
  ``DECIMAL_MAX_DIGITS`` digits unless the field says less;
* ``-0`` is read as 0.

The request as a whole is checked too: a NUL in the path, the query string or a form field is refused
before any view runs (apps/core/middleware.py), and a JSON body is refused when it nests deeper than
``JSON_MAX_DEPTH`` or holds a string that cannot be stored (apps/core/api_parsers.py).
"""

import datetime as dt
import re
from decimal import Decimal

from django.core import validators
from django.core.exceptions import ValidationError

DATE_MIN = dt.date(2000, 1, 1)
DATE_MAX = dt.date(2100, 12, 31)
YEAR_MIN = DATE_MIN.year
YEAR_MAX = DATE_MAX.year
TEXT_MAX_LENGTH = 20_000
INTEGER_MIN = -(2**31)
INTEGER_MAX = 2**31 - 1
DECIMAL_MAX_DIGITS = 18
JSON_MAX_DEPTH = 32

UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
UNSTORABLE_MESSAGE = "This holds a character that cannot be stored (a NUL or a lone surrogate); remove it."
DATE_RANGE_MESSAGE = f"Give a date between {DATE_MIN:%-d %B %Y} and {DATE_MAX:%-d %B %Y}."


def is_storable(text: str) -> bool:
    return UNSTORABLE.search(text) is None


def refuse_unstorable(value) -> None:
    """A validator: text with a NUL or a lone surrogate is refused (PostgreSQL and UTF-8 cannot hold them)."""
    if isinstance(value, str) and not is_storable(value):
        raise ValidationError(UNSTORABLE_MESSAGE, code="unstorable")


def _date_of(value):
    return value.date() if isinstance(value, dt.datetime) else value


def refuse_out_of_range_date(value) -> None:
    if value is not None and not DATE_MIN <= _date_of(value) <= DATE_MAX:
        raise ValidationError(DATE_RANGE_MESSAGE, code="date_range")


def normalise_zero(value):
    """``-0`` (and ``-0.00``) is 0: a negative zero is never what anyone means."""
    if isinstance(value, Decimal) and value.is_zero() and value.is_signed():
        return abs(value)
    if isinstance(value, float) and value == 0:
        return 0.0
    return value


def normalise_zeros(values: dict) -> dict:
    for name, value in values.items():
        values[name] = normalise_zero(value)
    return values


def _has(validators_list, kind) -> bool:
    return any(isinstance(v, kind) for v in validators_list)


def bound_form_field(field) -> None:
    """Give a Django form field the policy's bounds where it has none of its own."""
    from django import forms

    if isinstance(field, forms.CharField):
        if field.max_length is None:
            field.max_length = TEXT_MAX_LENGTH
            field.validators.append(validators.MaxLengthValidator(TEXT_MAX_LENGTH))
            field.widget.attrs.update(field.widget_attrs(field.widget))
        field.validators.append(refuse_unstorable)
    elif isinstance(field, forms.DateField | forms.DateTimeField):
        field.validators.append(refuse_out_of_range_date)
    elif isinstance(field, forms.DecimalField):
        if field.max_digits is None:
            field.max_digits = DECIMAL_MAX_DIGITS
            field.validators.append(validators.DecimalValidator(DECIMAL_MAX_DIGITS, field.decimal_places))
    elif isinstance(field, forms.IntegerField):
        if not _has(field.validators, validators.MinValueValidator):
            field.validators.append(validators.MinValueValidator(INTEGER_MIN))
        if not _has(field.validators, validators.MaxValueValidator):
            field.validators.append(validators.MaxValueValidator(INTEGER_MAX))
    elif isinstance(field, forms.ModelChoiceField | forms.ChoiceField | forms.MultipleChoiceField):
        field.validators.append(refuse_unstorable)


def bound_serializer_field(field) -> None:
    """Give a DRF serializer field the policy's bounds where it has none of its own."""
    from rest_framework import serializers

    if field.read_only:
        return
    if isinstance(field, serializers.CharField):
        if field.max_length is None:
            field.max_length = TEXT_MAX_LENGTH
            field.validators.append(
                validators.MaxLengthValidator(
                    TEXT_MAX_LENGTH, message=f"Ensure this field has no more than {TEXT_MAX_LENGTH} characters."
                )
            )
        field.validators.append(refuse_unstorable)
    elif isinstance(field, serializers.DateField | serializers.DateTimeField):
        field.validators.append(refuse_out_of_range_date)
    elif isinstance(field, serializers.IntegerField):
        if field.min_value is None:
            field.min_value = INTEGER_MIN
            field.validators.append(validators.MinValueValidator(INTEGER_MIN))
        if field.max_value is None:
            field.max_value = INTEGER_MAX
            field.validators.append(validators.MaxValueValidator(INTEGER_MAX))
    elif isinstance(field, serializers.ListSerializer | serializers.ListField):
        child = getattr(field, "child", None)
        if child is not None:
            bound_serializer_field(child)
