from django import forms

from apps.accounts.models import User
from apps.catalogue.models import Service
from apps.core.forms import PortalForm
from apps.core.roles import STAFF_ROLES
from apps.kpis.models import KPI
from apps.partners.models import Partner


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


class AgreementForm(PortalForm):
    partner = forms.ModelChoiceField(queryset=Partner.objects.all(), to_field_name="slug")
    reference = forms.CharField(max_length=30, help_text="For example SLA-HAV; later versions keep it.")
    title = forms.CharField(max_length=200)
    summary = forms.CharField(widget=forms.Textarea, required=False)
    starts_on = forms.DateField()
    ends_on = forms.DateField()
    review_due_on = forms.DateField(label="Review due on")
    owner = forms.ModelChoiceField(
        queryset=User.objects.filter(role__in=STAFF_ROLES),
        required=False,
        label="oneSource owner",
        help_text="Review reminders go to them.",
    )


class ScheduleForm(PortalForm):
    service = forms.ModelChoiceField(queryset=Service.objects.select_related("area"), to_field_name="slug")
    scope = forms.CharField(widget=forms.Textarea, help_text="The products and services provided.")
    annual_charge = forms.DecimalField(max_digits=14, decimal_places=2, min_value=0, label="Annual charge (£)")


class ObligationForm(PortalForm):
    description = forms.CharField(max_length=250, label="What the partner provides")
    service = forms.ModelChoiceField(
        queryset=Service.objects.select_related("area"),
        to_field_name="slug",
        required=False,
        help_text="Leave blank for an obligation that applies to the whole agreement.",
    )
