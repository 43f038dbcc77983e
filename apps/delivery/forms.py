from django import forms
from django.utils import timezone

from apps.accounts.models import User
from apps.core.forms import PortalForm
from apps.core.periods import financial_year_choices
from apps.core.roles import STAFF_ROLES

from .models import ActivityStatus, progress_validators


class ActivityUpdateForm(PortalForm):
    posted_on = forms.DateField(label="Date of the update", initial=timezone.localdate)
    status = forms.ChoiceField(choices=ActivityStatus.choices)
    progress = forms.IntegerField(
        label="Progress (per cent)",
        help_text="From 0 to 100.",
        validators=progress_validators,
    )
    narrative = forms.CharField(label="What has happened", widget=forms.Textarea(attrs={"rows": 5}))


class ActivityChangeForm(PortalForm):
    title = forms.CharField(max_length=300)
    owner = forms.ModelChoiceField(queryset=User.objects.filter(role__in=STAFF_ROLES, is_active=True), required=False)
    starts_on = forms.DateField(label="Start date")
    due_on = forms.DateField(label="Due date")


class RollForwardForm(PortalForm):
    financial_year = forms.TypedChoiceField(label="New plan year", coerce=int, choices=())

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        choices = financial_year_choices(plan.financial_year + 1, plan.financial_year + 3)
        self.fields["financial_year"].choices = choices
        self.fields["financial_year"].initial = plan.financial_year + 1


class PlanPublishForm(PortalForm):
    pass
