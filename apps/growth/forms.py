from django import forms
from django.utils import timezone

from apps.accounts.models import User
from apps.catalogue.models import Service
from apps.core.forms import PortalForm
from apps.core.roles import STAFF_ROLES
from apps.partners.models import Partner

from .models import Opportunity
from .services import OPEN_STAGES


class OpportunityForm(PortalForm):
    title = forms.CharField(max_length=200)
    partner = forms.ModelChoiceField(
        queryset=Partner.objects.order_by("name"),
        required=False,
        empty_label="A new organisation (name it below)",
        label="Existing partner, customer or prospect",
    )
    organisation_name = forms.CharField(max_length=200, required=False, label="New organisation's name")
    joins_as = forms.ChoiceField(choices=Opportunity._meta.get_field("joins_as").choices, label="Would join as")
    arrangement = forms.ChoiceField(
        choices=[("", "—"), *Partner.Arrangement.choices], required=False, help_text="Needed for a new organisation."
    )
    sector = forms.ChoiceField(
        choices=[("", "—"), *Partner.Sector.choices], required=False, help_text="Needed for a new organisation."
    )
    services = forms.ModelMultipleChoiceField(
        queryset=Service.objects.select_related("area").order_by("area__display_order", "name"),
        required=False,
        label="Services of interest",
        widget=forms.CheckboxSelectMultiple,
    )
    value_kind = forms.ChoiceField(choices=Opportunity.ValueKind.choices, label="Expected value is")
    expected_annual_value = forms.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, label="Expected a year (£)"
    )
    probability = forms.IntegerField(min_value=0, max_value=100, label="Probability (%)")
    expected_start = forms.DateField(label="Expected start")
    cost_share = forms.DecimalField(
        max_digits=5,
        decimal_places=2,
        required=False,
        label="Share of each area's cost (%)",
        help_text="For a Joint Committee partner only.",
    )
    owner = forms.ModelChoiceField(queryset=User.objects.filter(role__in=STAFF_ROLES, is_active=True), required=False)
    next_step = forms.CharField(max_length=250, required=False)
    next_step_on = forms.DateField(required=False, label="Next step by")

    def clean(self):
        data = super().clean()
        if not data.get("partner") and not (data.get("organisation_name") or "").strip():
            self.add_error("organisation_name", "Choose an existing partner or name the new organisation.")
        return data


class StageForm(PortalForm):
    stage = forms.ChoiceField(
        choices=[c for c in Opportunity.Stage.choices if c[0] in (*OPEN_STAGES, "agreed", "lost")], label="New stage"
    )
    lost_reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label="Why it was lost (when lost)"
    )


class TaskDoneForm(PortalForm):
    done_on = forms.DateField(label="Done on", initial=timezone.localdate)


class ActualForm(PortalForm):
    period = forms.DateField(label="Month (any day in it)")
    amount = forms.DecimalField(max_digits=14, decimal_places=2, min_value=0, label="Income received (£)")
