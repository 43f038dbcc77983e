"""GOV.UK Design System widgets for the portal's forms and filters.

* ``GovukDateInput``: the date input (day, month, year in three boxes) for every ``DateField``, in
  place of the browser's date picker. The field still receives one ISO date, so its cleaning, the
  services and the API are unchanged; a link or an API call may still send ``name=2016-10-31``.
* ``YES_NO_EITHER``: the radios of a yes/no filter ("Either", "Yes", "No") in place of the
  "Unknown / Yes / No" select.
* ``month_select``: a select of completed months, newest first, for filters that take a month.
"""

import datetime as dt
from types import SimpleNamespace

from crispy_forms_gds.widgets import DateInputWidget
from django import forms

from .periods import completed_months, month_label

PARTS = ("day", "month", "year")


class GovukDateInput(DateInputWidget):
    def value_from_datadict(self, data, files, name):
        if name in data:  # a whole date, from a link or a client that sends one value
            return data.get(name)
        day, month, year = (str(data.get(f"{name}_{n}", "")).strip() for n in range(3))
        if not (day or month or year):
            return None
        if not (day and month and year):
            return "incomplete"  # refused by the DateField as not a date, so the error names the field
        return f"{year}-{month.zfill(2)}-{day.zfill(2)}"

    def value_omitted_from_data(self, data, files, name):
        return name not in data and all(f"{name}_{n}" not in data for n in range(3))

    def decompress(self, value):
        if isinstance(value, dt.date):
            return value.day, value.month, value.year
        if isinstance(value, str) and value.count("-") == 2:
            year, month, day = value.split("-")
            return day, month, year
        return None, None, None


def use_date_input(field: forms.DateField) -> None:
    """Give a DateField the GOV.UK date input.

    crispy-forms-gds draws a multi-widget field from the sub-fields of a MultiValueField (to mark the
    boxes in error); a DateField has none, so it is given one per box.
    """
    field.widget = GovukDateInput()
    field.fields = [SimpleNamespace(widget=widget) for widget in field.widget.widgets]


YES_NO_EITHER = [("", "Either"), ("true", "Yes"), ("false", "No")]


def month_select(*, count: int = 36, empty_label: str | None = "Any month") -> forms.Select:
    """A select of the ``count`` completed months, newest first, valued as their first day (2016-10-01)."""
    choices = [(m.isoformat(), month_label(m)) for m in completed_months(count)]
    return forms.Select(choices=[("", empty_label), *choices] if empty_label else choices)


class MoneyInput(forms.TextInput):
    """An amount in pounds: the GOV.UK input with a £ prefix, wide enough for millions."""

    template_name = "core/widgets/money.html"

    def __init__(self, attrs=None):
        super().__init__(
            attrs={
                "class": "govuk-input govuk-input--width-10",
                "inputmode": "decimal",
                "spellcheck": "false",
                **(attrs or {}),
            }
        )
