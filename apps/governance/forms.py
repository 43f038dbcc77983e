from django import forms

from apps.accounts.models import User
from apps.core.forms import PortalForm
from apps.core.roles import STAFF_ROLES
from apps.reports.models import CommitteePack, PublishedReport
from apps.savings.models import Programme, SavingLine
from apps.slas.models import Agreement

from . import selectors
from .models import ACTION_OWNER_ROLES, SCHEDULE_12A, Action, AgendaItem, Attendance, Paper


class MeetingForm(PortalForm):
    meets_on = forms.DateField(label="Date")
    starts_at = forms.TimeField(
        label="Time", help_text="For example 18:30.", widget=forms.TimeInput(attrs={"type": "time"})
    )
    place = forms.CharField(max_length=200, required=False, help_text="Leave empty for a meeting held online only.")
    online_link = forms.URLField(required=False, label="Online link", assume_scheme="https")


class CancelForm(PortalForm):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Why is the meeting cancelled?")


class ConfirmForm(PortalForm):
    """A page whose only input is the button."""


class AgendaItemForm(PortalForm):
    title = forms.CharField(max_length=200)
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    lead_officer = forms.ModelChoiceField(
        queryset=User.objects.filter(role__in=STAFF_ROLES, is_active=True), required=False
    )
    purpose = forms.ChoiceField(choices=AgendaItem.Purpose.choices, widget=forms.RadioSelect)
    is_exempt = forms.BooleanField(required=False, label="Exempt from publication")
    exempt_paragraph = forms.TypedChoiceField(
        choices=[("", "Not exempt"), *SCHEDULE_12A],
        coerce=int,
        empty_value=None,
        required=False,
        label="Local Government Act 1972, Schedule 12A paragraph",
        help_text="Required when the item is exempt.",
    )


class MoveForm(PortalForm):
    to = forms.IntegerField(min_value=1, label="Move to number")


class PaperForm(PortalForm):
    title = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=Paper.Kind.choices, widget=forms.RadioSelect, label="What is the paper?")
    file = forms.FileField(required=False, label="PDF file", help_text="For an uploaded paper: a PDF of up to 20 MB.")
    published_report = forms.ModelChoiceField(
        queryset=PublishedReport.objects.latest_versions().select_related("report__partner"),
        required=False,
        label="Published monthly report",
    )
    committee_pack = forms.ModelChoiceField(
        queryset=CommitteePack.objects.filter(status=CommitteePack.Status.READY), required=False, label="Committee pack"
    )
    programme = forms.ModelChoiceField(queryset=Programme.objects.all(), required=False, label="Savings programme")
    agreement = forms.ModelChoiceField(
        queryset=Agreement.objects.select_related("partner"), required=False, label="Service level agreement"
    )
    risk = forms.ModelChoiceField(
        queryset=None, required=False, label="Risk", help_text="Principal risks first. Risks stay inside the portal."
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["risk"].queryset = selectors.paper_risks(user=user)
        self.fields["risk"].label_from_instance = _risk_label

    def target(self):
        kind = self.cleaned_data["kind"]
        return None if kind == Paper.Kind.UPLOAD else self.cleaned_data.get(Paper.LINKS[kind])


def _risk_label(risk) -> str:
    return f"{risk.reference} {risk.title}" + (" (principal risk)" if risk.is_principal else "")


class MinuteForm(PortalForm):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}), label="Minutes of the item")


class DecisionForm(PortalForm):
    wording = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), label="Resolution", help_text="RESOLVED: …")
    saving_lines = forms.ModelMultipleChoiceField(
        queryset=SavingLine.objects.order_by("reference"), required=False, label="Saving lines it decided on"
    )
    programmes = forms.ModelMultipleChoiceField(queryset=Programme.objects.all(), required=False)
    agreements = forms.ModelMultipleChoiceField(
        queryset=Agreement.objects.select_related("partner"), required=False, label="Agreements"
    )


class ActionForm(PortalForm):
    title = forms.CharField(max_length=200, label="Action")
    owner = forms.ModelChoiceField(queryset=User.objects.filter(role__in=ACTION_OWNER_ROLES, is_active=True))
    due_on = forms.DateField(label="Due date")
    decision = forms.ModelChoiceField(queryset=None, required=False, label="From the decision")

    def __init__(self, *args, item=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = item.decisions.all() if item else Action.objects.none()


class ActionUpdateForm(PortalForm):
    status = forms.ChoiceField(choices=Action.Status.choices, widget=forms.RadioSelect)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label="What has been done")


class AttendanceForm(PortalForm):
    """One choice per member, substitute and officer of the committee: present, apologies or absent."""

    NOT_RECORDED = ""

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.people = list(people)
        choices = [(self.NOT_RECORDED, "Not recorded"), *Attendance.Presence.choices]
        for person in self.people:
            self.fields[person["key"]] = forms.ChoiceField(
                choices=choices, required=False, label=person["label"], widget=forms.RadioSelect
            )

    def rows(self) -> list[dict]:
        made = []
        for person in self.people:
            presence = self.cleaned_data.get(person["key"])
            if presence:
                made.append(
                    {
                        "user": person["user"],
                        "capacity": person["capacity"],
                        "council": person["council"],
                        "presence": presence,
                    }
                )
        return made
