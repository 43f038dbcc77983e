from django import forms
from django.utils import timezone

from apps.accounts.models import User
from apps.catalogue.models import Service, ServiceArea
from apps.core.forms import PortalForm
from apps.core.roles import STAFF_ROLES
from apps.delivery.models import Activity, StrategicObjective
from apps.kpis.models import KPI
from apps.partners.models import Partner
from apps.savings.models import SavingLine
from apps.slas.models import Agreement
from apps.transformation.models import Project

from .models import Category, MitigatingAction, Risk
from .scoring import IMPACT_LABELS, LIKELIHOOD_LABELS, SCALE

LIKELIHOOD_CHOICES = [(n, f"{n} – {LIKELIHOOD_LABELS[n]}") for n in SCALE]
IMPACT_CHOICES = [(n, f"{n} – {IMPACT_LABELS[n]}") for n in SCALE]


def _staff():
    return User.objects.filter(role__in=STAFF_ROLES, is_active=True).order_by("username")


def _score(label, choices):
    return forms.TypedChoiceField(label=label, choices=choices, coerce=int)


def _links(queryset, label):
    return forms.ModelMultipleChoiceField(queryset=queryset, required=False, label=label, widget=forms.SelectMultiple)


class RiskForm(PortalForm):
    title = forms.CharField(max_length=200)
    cause = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), help_text="Because of …")
    event = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), help_text="… there is a risk that …")
    effect = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), help_text="… which would lead to …")
    category = forms.ChoiceField(choices=Category.choices)
    area = forms.ModelChoiceField(
        queryset=ServiceArea.objects.all(), required=False, label="Service area", empty_label="oneSource as a whole"
    )
    owner = forms.ModelChoiceField(queryset=_staff())
    objective = forms.ModelChoiceField(
        queryset=StrategicObjective.objects.select_related("plan").order_by("-plan__financial_year", "position"),
        required=False,
        label="Strategic objective",
    )
    inherent_likelihood = _score("Inherent likelihood (before controls)", LIKELIHOOD_CHOICES)
    inherent_impact = _score("Inherent impact (before controls)", IMPACT_CHOICES)
    residual_likelihood = _score("Residual likelihood (with the controls in place)", LIKELIHOOD_CHOICES)
    residual_impact = _score("Residual impact (with the controls in place)", IMPACT_CHOICES)
    target_likelihood = _score("Target likelihood (once the actions are done)", LIKELIHOOD_CHOICES)
    target_impact = _score("Target impact (once the actions are done)", IMPACT_CHOICES)
    review_on = forms.DateField(label="Next review")
    is_principal = forms.BooleanField(
        required=False, label="Principal risk: report it to the Joint Committee in the monthly pack"
    )
    saving_lines = _links(SavingLine.objects.order_by("reference"), "Saving lines it threatens")
    activities = _links(
        Activity.objects.select_related("objective__plan").order_by("-objective__plan__financial_year", "title"),
        "Delivery plan activities",
    )
    projects = _links(Project.objects.order_by("title"), "Transformation projects")
    services = _links(Service.objects.order_by("name"), "Services")
    kpis = _links(KPI.objects.order_by("code"), "KPIs")
    agreements = _links(Agreement.objects.select_related("partner").order_by("reference", "-version"), "Agreements")
    partners = _links(Partner.objects.order_by("name"), "Partners and customers")

    def __init__(self, *args, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            # Scores change through an assessment, which the register keeps.
            for kind in ("inherent", "residual"):
                del self.fields[f"{kind}_likelihood"], self.fields[f"{kind}_impact"]
            self.fields["status"] = forms.ChoiceField(choices=Risk.Status.choices)
        else:
            self.fields["note"] = forms.CharField(
                required=False, label="Note on the first assessment", widget=forms.Textarea(attrs={"rows": 2})
            )
            self.fields["review_on"].initial = timezone.localdate


class AssessmentForm(PortalForm):
    assessed_on = forms.DateField(label="Date of the assessment", initial=timezone.localdate)
    inherent_likelihood = _score("Inherent likelihood", LIKELIHOOD_CHOICES)
    inherent_impact = _score("Inherent impact", IMPACT_CHOICES)
    residual_likelihood = _score("Residual likelihood", LIKELIHOOD_CHOICES)
    residual_impact = _score("Residual impact", IMPACT_CHOICES)
    review_on = forms.DateField(label="Next review")
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, label="What has changed")


class ControlForm(PortalForm):
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="The control in place")


class ActionForm(PortalForm):
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="What will be done")
    owner = forms.ModelChoiceField(queryset=_staff())
    due_on = forms.DateField(label="Due by")
    status = forms.ChoiceField(choices=MitigatingAction.Status.choices)
