from django import forms
from django.utils import timezone

from apps.accounts.models import User
from apps.catalogue.models import ServiceArea
from apps.core.forms import PortalForm
from apps.core.roles import STAFF_ROLES
from apps.partners.models import Partner

from .models import Project, Technique


class ProjectForm(PortalForm):
    area = forms.ModelChoiceField(queryset=ServiceArea.objects.all(), label="Service area")
    title = forms.CharField(max_length=200)
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
    lead = forms.ModelChoiceField(queryset=User.objects.filter(role__in=STAFF_ROLES, is_active=True), required=False)
    starts_on = forms.DateField(label="Start date")
    planned_end_on = forms.DateField(label="Planned end", help_text="Analysis takes up to six months.")
    techniques = forms.ModelMultipleChoiceField(
        queryset=Technique.objects.all(), widget=forms.CheckboxSelectMultiple, required=False
    )
    customers_consulted = forms.ModelMultipleChoiceField(
        queryset=Partner.objects.all(), widget=forms.CheckboxSelectMultiple, required=False
    )
    consultation_notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    rag = forms.ChoiceField(choices=Project.Rag.choices, label="RAG status")


class StageForm(PortalForm):
    stage = forms.ChoiceField(choices=Project.Stage.choices, label="New stage")
    changed_on = forms.DateField(label="Date of the move", initial=timezone.localdate)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, label="Why")


class ProjectUpdateForm(PortalForm):
    posted_on = forms.DateField(label="Date of the update", initial=timezone.localdate)
    rag = forms.ChoiceField(choices=Project.Rag.choices, label="RAG status")
    narrative = forms.CharField(label="What has happened", widget=forms.Textarea(attrs={"rows": 5}))
