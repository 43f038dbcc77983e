from django import forms

from apps.core.forms import PortalForm
from apps.kpis.models import KPI


class StandardForm(PortalForm):
    kpi = forms.ModelChoiceField(queryset=KPI.objects.active().select_related("area"), label="Measured by KPI")
    description = forms.CharField(
        max_length=250, label="Standard", help_text="For example: 95% of invoices paid within 30 days."
    )
    target = forms.DecimalField(
        max_digits=18,
        decimal_places=4,
        required=False,
        label="Target",
        help_text="In the KPI's unit. Leave blank to take the KPI's target for this partner.",
    )
