from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views import generic

from apps.core.generic import PortalListView, ServiceFormView
from apps.core.policy import is_admin, role_of
from apps.core.roles import STAFF_ROLES, Role

from . import selectors, services
from .filters import EnquiryFilterSet, FeedbackFilterSet, ImprovementActionFilterSet
from .forms import (
    EnquiryRaiseForm,
    FeedbackLogForm,
    ImprovementActionForm,
    ManageForm,
    RatingForm,
    ReplyForm,
    StaffResponseForm,
    SurveyAnswerForm,
    SurveyForm,
)
from .models import Enquiry, EnquiryMessage, Feedback, ImprovementAction


class RolesOnlyMixin:
    """Pages for some roles only; to anyone else they do not exist."""

    roles = STAFF_ROLES

    def dispatch(self, request, *args, **kwargs):
        if role_of(request.user) not in self.roles:
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class EnquiryListView(PortalListView):
    """Partner officers: their council's enquiries. Staff: the queue, least time left first."""

    model = Enquiry
    filterset_class = EnquiryFilterSet
    template_name = "customers/enquiry_list.html"

    def get_queryset(self):
        return selectors.enquiry_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = selectors.with_clocks(context["object_list"])
        if role_of(self.request.user) == Role.COMMITTEE_MEMBER:
            context["figures"] = selectors.enquiry_figures(user=self.request.user)
        return context


def _enquiry_or_404(user, pk):
    try:
        return selectors.enquiry_detail(user=user, pk=pk)
    except Enquiry.DoesNotExist:
        raise Http404("No such enquiry.") from None


class EnquiryDetailView(generic.TemplateView):
    template_name = "customers/enquiry_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        enquiry = _enquiry_or_404(user, kwargs["pk"])
        allowed = selectors.enquiry_allowed_actions(user=user, enquiry=enquiry)
        context = super().get_context_data(**kwargs)
        if allowed["manage"]:
            form = StaffResponseForm(
                assignable=selectors.assignable_staff(enquiry=enquiry),
                initial={"status": enquiry.status, "assignee": enquiry.assignee_id},
            )
        else:
            form = ReplyForm() if allowed["reply"] else None
        context.update(
            enquiry=enquiry,
            clock=enquiry.clock(timezone.now()),
            reply_form=form,
            can_manage=allowed["manage"],
            can_rate=allowed["rate"],
        )
        return context


class EnquiryCreateView(RolesOnlyMixin, ServiceFormView):
    roles = {Role.PARTNER_OFFICER}
    form_class = EnquiryRaiseForm
    heading = "Raise an enquiry"
    submit_label = "Send enquiry"
    success_message = "Enquiry {object.reference} sent. We will reply within the target for its priority."

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_cancel_url(self):
        return reverse("customers:enquiry_list")

    def perform(self, form):
        return services.enquiry_raise(user=self.request.user, **form.cleaned_data)


class EnquiryActionMixin:
    """A form about one enquiry the user may see; another partner's enquiry is a 404."""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.enquiry = _enquiry_or_404(request.user, kwargs["pk"])
        self.caption = f"{self.enquiry.reference}: {self.enquiry.subject}"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "caption": self.caption}

    def get_cancel_url(self):
        return self.enquiry.get_absolute_url()

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except PermissionDenied:
            raise Http404 from None


class EnquiryReplyView(EnquiryActionMixin, ServiceFormView):
    """A reply; staff of the enquiry's area send the status and assignee with it, in one form."""

    heading = "Reply"
    submit_label = "Send reply"
    success_message = "Reply sent."

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.staff = Enquiry.objects.editable_by(request.user).filter(pk=self.enquiry.pk).exists()
        if self.staff:
            self.heading = "Reply and update"
            self.submit_label = "Save and send"
            self.success_message = "Enquiry updated."

    def get_form_class(self):
        return StaffResponseForm if self.staff else ReplyForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.staff:
            kwargs["assignable"] = selectors.assignable_staff(enquiry=self.enquiry)
        return kwargs

    def get_initial(self):
        return {"status": self.enquiry.status, "assignee": self.enquiry.assignee_id} if self.staff else {}

    def perform(self, form):
        if self.staff:
            services.enquiry_respond(user=self.request.user, enquiry=self.enquiry, **form.cleaned_data)
            return self.enquiry
        services.enquiry_reply(user=self.request.user, enquiry=self.enquiry, **form.cleaned_data)
        return self.enquiry


class EnquiryManageView(EnquiryActionMixin, ServiceFormView):
    heading = "Status and assignment"
    submit_label = "Save"
    success_message = "Enquiry updated."
    form_class = ManageForm

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if not Enquiry.objects.editable_by(request.user).filter(pk=self.enquiry.pk).exists():
            raise Http404

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "assignable": selectors.assignable_staff(enquiry=self.enquiry)}

    def get_initial(self):
        return {"status": self.enquiry.status, "assignee": self.enquiry.assignee_id}

    def perform(self, form):
        return services.enquiry_update(user=self.request.user, enquiry=self.enquiry, **form.cleaned_data)


class EnquiryRateView(EnquiryActionMixin, ServiceFormView):
    form_class = RatingForm
    heading = "Rate how your enquiry was handled"
    submit_label = "Send rating"
    success_message = "Thank you for your rating."

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if role_of(request.user) != Role.PARTNER_OFFICER:
            raise Http404

    def perform(self, form):
        services.enquiry_rate(user=self.request.user, enquiry=self.enquiry, **form.cleaned_data)
        return self.enquiry


def message_attachment(request, pk, message_pk):
    message = get_object_or_404(
        EnquiryMessage.objects.visible_to(request.user).exclude(attachment=""), enquiry_id=pk, pk=message_pk
    )
    extension = message.attachment.name.rsplit(".", 1)[-1]
    response = FileResponse(
        message.attachment.open("rb"), as_attachment=True, filename=message.attachment_name or message.attachment.name
    )
    response["Content-Type"] = services.ATTACHMENT_TYPES.get(extension, "application/octet-stream")
    return response


class FeedbackListView(PortalListView):
    model = Feedback
    filterset_class = FeedbackFilterSet
    template_name = "customers/feedback_list.html"

    def get_queryset(self):
        return selectors.feedback_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["averages"] = {
            by: list(selectors.feedback_averages(user=user, by=by)) for by in ("service", "partner", "month")
        }
        context["can_log"] = role_of(user) in STAFF_ROLES
        return context


class FeedbackCreateView(RolesOnlyMixin, ServiceFormView):
    form_class = FeedbackLogForm
    heading = "Log workshop or informal feedback"
    submit_label = "Save feedback"
    success_message = "Feedback saved."

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_cancel_url(self):
        return reverse("customers:feedback_list")

    def perform(self, form):
        services.feedback_log(user=self.request.user, **form.cleaned_data)
        return reverse("customers:feedback_list")


class SurveyListView(generic.ListView):
    template_name = "customers/survey_list.html"
    paginate_by = 25

    def get_queryset(self):
        return selectors.survey_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "can_open": is_admin(self.request.user)}


class SurveyCreateView(RolesOnlyMixin, ServiceFormView):
    roles = {Role.ADMIN}
    form_class = SurveyForm
    heading = "Open a satisfaction survey"
    submit_label = "Open survey"
    success_message = "Survey opened."

    def get_cancel_url(self):
        return reverse("customers:survey_list")

    def perform(self, form):
        return services.survey_open(user=self.request.user, **form.cleaned_data)


class SurveyDetailView(ServiceFormView):
    """A survey: partner officers answer it here; staff see how many have."""

    form_class = SurveyAnswerForm
    template_name = "customers/survey_detail.html"
    submit_label = "Send answer"
    success_message = "Thank you for your answer."

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.survey = get_object_or_404(selectors.survey_list(user=request.user), pk=kwargs["pk"])
        self.heading = self.survey.title

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        can_answer = (
            role_of(self.request.user) == Role.PARTNER_OFFICER and self.survey.is_open and not self.survey.answered
        )
        return {**context, "survey": self.survey, "can_answer": can_answer}

    def perform(self, form):
        services.survey_answer(user=self.request.user, survey=self.survey, **form.cleaned_data)
        return reverse("customers:survey_list")


class ActionListView(PortalListView):
    """Open improvement actions by service; the filter shows done and cancelled ones too."""

    model = ImprovementAction
    filterset_class = ImprovementActionFilterSet
    template_name = "customers/action_list.html"
    paginate_by = 100

    def get_queryset(self):
        if self.request.GET.get("status"):
            return selectors.action_list(user=self.request.user).order_by("service__name", "due_on", "pk")
        return selectors.open_actions(user=self.request.user)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "can_raise": role_of(self.request.user) in STAFF_ROLES}


class ActionCreateView(RolesOnlyMixin, ServiceFormView):
    form_class = ImprovementActionForm
    heading = "Raise an improvement action"
    submit_label = "Save action"
    success_message = "Improvement action saved."

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        initial = {}
        for name in ("enquiry", "feedback"):
            if self.request.GET.get(name, "").isdigit():
                initial[name] = int(self.request.GET[name])
                initial["origin"] = name
        return initial

    def get_cancel_url(self):
        return reverse("customers:action_list")

    def perform(self, form):
        services.improvement_action_save(user=self.request.user, **form.cleaned_data)
        return reverse("customers:action_list")


class ActionUpdateView(RolesOnlyMixin, ServiceFormView):
    form_class = ImprovementActionForm
    heading = "Change an improvement action"
    submit_label = "Save changes"
    success_message = "Improvement action saved."

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.item = get_object_or_404(ImprovementAction.objects.editable_by(request.user), pk=kwargs["pk"])

    def get_form_kwargs(self):
        # The form edits a copy, so that a rejected change never touches the action in hand.
        return {
            **super().get_form_kwargs(),
            "user": self.request.user,
            "instance": ImprovementAction.objects.get(pk=self.item.pk),
        }

    def get_cancel_url(self):
        return reverse("customers:action_list")

    def perform(self, form):
        services.improvement_action_save(user=self.request.user, improvement_action=self.item, **form.cleaned_data)
        return reverse("customers:action_list")
