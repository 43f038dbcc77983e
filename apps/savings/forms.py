from django import forms

from apps.core.forms import PortalForm
from apps.core.periods import fy_label
from apps.core.widgets import MoneyInput as MoneyWidget

from .models import Status


class MoneyInput(forms.DecimalField):
    widget = MoneyWidget

    def __init__(self, **kwargs):
        super().__init__(max_digits=14, decimal_places=2, **kwargs)


class SavingsUpdateForm(PortalForm):
    forecast = MoneyInput(label="Full-year forecast", help_text="In pounds: what the line will save this year.")
    achieved = MoneyInput(label="Achieved to date", help_text="In pounds.")
    status = forms.ChoiceField(choices=Status.choices, widget=forms.RadioSelect)
    commentary = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Required unless the line is on track or achieved: what is late, short or over, and why.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class RephaseForm(PortalForm):
    from_year = forms.TypedChoiceField(coerce=int, label="Move from")
    to_year = forms.TypedChoiceField(coerce=int, label="Move to")
    amount = MoneyInput(label="Amount to move", help_text="In pounds.")
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, from_years, to_years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_year"].choices = [(y, fy_label(y)) for y in from_years]
        self.fields["to_year"].choices = [(y, fy_label(y)) for y in to_years]
