from decimal import Decimal

from django import forms

from apps.core.forms import InputPolicyFormMixin, PortalForm
from apps.core.periods import financial_year_choices
from apps.partners.models import Partner

from .models import Service, Subscription


class CommissioningRequestForm(PortalForm):
    service = forms.ModelChoiceField(
        queryset=Service.objects.none(),
        to_field_name="slug",
        empty_label="Choose a service",
        help_text="The services oneSource offers that your council does not take yet.",
        error_messages={"required": "Choose the service your council would like"},
    )
    needed_from = forms.DateField(label="When would you like it to start?")
    details = forms.CharField(
        widget=forms.Textarea, label="What do you need, and why?", help_text="Scope, volumes and any deadlines."
    )

    def __init__(self, *args, partner, **kwargs):
        super().__init__(*args, **kwargs)
        taken = Subscription.objects.current().filter(partner=partner).values("service")
        self.fields["service"].queryset = (
            Service.objects.filter(is_available=True).exclude(pk__in=taken).select_related("area").order_by("name")
        )


class DecisionForm(PortalForm):
    reason = forms.CharField(widget=forms.Textarea, required=False, label="Reason")


class AcceptForm(DecisionForm):
    starts_on = forms.DateField(
        required=False, label="Service starts on", help_text="Leave blank for the date asked for."
    )


class SubscriptionForm(PortalForm):
    partner = forms.ModelChoiceField(queryset=Partner.objects.all(), to_field_name="slug")
    service = forms.ModelChoiceField(queryset=Service.objects.select_related("area"), to_field_name="slug")
    starts_on = forms.DateField()
    ends_on = forms.DateField(required=False)


class CostSharesForm(PortalForm):
    """One percentage field per Joint Committee partner of the year."""

    def __init__(self, *args, partners, initial_shares, **kwargs):
        super().__init__(*args, **kwargs)
        self.partners = list(partners)
        for partner in self.partners:
            self.fields[f"share_{partner.slug}"] = forms.DecimalField(
                label=f"{partner.name} (%)",
                min_value=Decimal(0),
                max_value=Decimal(100),
                decimal_places=2,
                max_digits=5,
                initial=initial_shares.get(partner.pk),
            )
        self.helper.layout = None

    def shares(self):
        return {p: self.cleaned_data[f"share_{p.slug}"] for p in self.partners}


class FinancialYearForm(InputPolicyFormMixin, forms.Form):
    financial_year = forms.TypedChoiceField(choices=financial_year_choices, coerce=int)
