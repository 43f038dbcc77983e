from django import forms

from apps.accounts.models import User
from apps.catalogue.models import Service, Subscription
from apps.core.forms import PortalForm, PortalModelForm
from apps.core.roles import STAFF_ROLES, Role
from apps.partners.models import Partner

from .models import Enquiry, Feedback, ImprovementAction, Priority, SatisfactionSurvey
from .services import ACTION_FIELDS, MAX_MESSAGE_LENGTH

SCORE_CHOICES = [
    (n, f"{n} – {label}")
    for n, label in (
        (5, "very satisfied"),
        (4, "satisfied"),
        (3, "neither"),
        (2, "dissatisfied"),
        (1, "very dissatisfied"),
    )
]


class EnquiryRaiseForm(PortalForm):
    # No service is chosen for the officer: a preselected first service sends enquiries to the wrong team.
    service = forms.ModelChoiceField(
        queryset=Service.objects.none(),
        empty_label="Choose a service",
        error_messages={"required": "Choose the service your enquiry is about"},
    )
    subject = forms.CharField(max_length=200, required=False)
    priority = forms.ChoiceField(choices=Priority.choices, initial=Priority.NORMAL)
    details = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8, "maxlength": MAX_MESSAGE_LENGTH}),
        required=False,
        help_text="Plain text.",
    )
    attachment = forms.FileField(
        required=False, help_text="Optional: a PDF, PNG or JPEG image, or plain text, up to 5 MB."
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        taken = Subscription.objects.current().filter(partner_id=user.partner_id).values("service")
        self.fields["service"].queryset = Service.objects.filter(pk__in=taken).order_by("name")


class ReplyForm(PortalForm):
    # Length and emptiness are checked by the service, so that the page and the API give one message.
    body = forms.CharField(
        label="Your reply",
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": MAX_MESSAGE_LENGTH}),
        required=False,
        help_text=f"Plain text, up to {MAX_MESSAGE_LENGTH:,} characters.",
    )
    attachment = forms.FileField(
        required=False, help_text="Optional: a PDF, PNG or JPEG image, or plain text, up to 5 MB."
    )


class ManageForm(PortalForm):
    status = forms.ChoiceField(choices=Enquiry.Status.choices)
    assignee = forms.ModelChoiceField(queryset=None, required=False, empty_label="Nobody", label="Assigned to")

    def __init__(self, *args, assignable, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = assignable


class StaffResponseForm(ManageForm):
    """Staff's one form on an enquiry: a reply, the status and the assignee go together, so none is lost."""

    body = ReplyForm.base_fields["body"]
    attachment = ReplyForm.base_fields["attachment"]
    field_order = ["body", "attachment", "status", "assignee"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].help_text = (
            "Optional when you only change the status or who has it. "
            f"Plain text, up to {MAX_MESSAGE_LENGTH:,} characters. Replying takes an unassigned enquiry on."
        )


class RatingForm(PortalForm):
    score = forms.TypedChoiceField(
        choices=SCORE_CHOICES, coerce=int, widget=forms.RadioSelect, label="How well was your enquiry handled?"
    )
    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)


class SurveyAnswerForm(RatingForm):
    pass


class SurveyForm(PortalModelForm):
    class Meta:
        model = SatisfactionSurvey
        fields = ["service", "title", "question", "opens_on", "closes_on"]


class FeedbackLogForm(PortalForm):
    partner = forms.ModelChoiceField(queryset=Partner.objects.order_by("name"))
    service = forms.ModelChoiceField(queryset=Service.objects.none())
    source = forms.ChoiceField(choices=[(s.value, s.label) for s in Feedback.STAFF_LOGGED])
    score = forms.TypedChoiceField(choices=SCORE_CHOICES, coerce=int, widget=forms.RadioSelect)
    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    received_on = forms.DateField()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        services = Service.objects.select_related("area").order_by("name")
        if user.role != Role.ADMIN:
            services = services.filter(area__in=user.service_areas.all())
        self.fields["service"].queryset = services


class ImprovementActionForm(PortalModelForm):
    class Meta:
        model = ImprovementAction
        fields = ACTION_FIELDS

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        services = Service.objects.order_by("name")
        if user.role != Role.ADMIN:
            services = services.filter(area__in=user.service_areas.all())
        self.fields["service"].queryset = services
        self.fields["feedback"].queryset = Feedback.objects.visible_to(user).select_related("partner", "service")
        self.fields["enquiry"].queryset = Enquiry.objects.visible_to(user).select_related("partner")
        self.fields["owner"].queryset = User.objects.filter(role__in=STAFF_ROLES, is_active=True)
