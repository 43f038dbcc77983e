import datetime as dt

from django import forms

from apps.core.forms import PortalForm
from apps.core.periods import completed_months, month_label


def month_choices(count: int = 36) -> list[tuple[str, str]]:
    """The months that have ended, newest first: a report is for a whole month."""
    return [(f"{m:%Y-%m}", month_label(m)) for m in completed_months(count)]


class MonthForm(PortalForm):
    month = forms.ChoiceField(label="Month", choices=())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = month_choices()

    def clean_month(self) -> dt.date:
        return dt.date.fromisoformat(f"{self.cleaned_data['month']}-01")


class ReviseForm(PortalForm):
    reason = forms.CharField(
        label="Why is the report being revised?",
        help_text="Readers see this beside the new version, for example: Newham's October collection figure corrected.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Say why the report is being revised: readers will see it."},
    )
