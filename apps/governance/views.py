"""The committee's pages: members read, the clerk (an administrator) drafts, publishes and records."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views import generic
from django.views.decorators.http import require_POST

from apps.core.generic import PortalListView, ServiceFormView

from . import forms, selectors, services
from .filters import ActionFilterSet, DecisionFilterSet, MeetingFilterSet
from .models import Action, AgendaItem, Meeting, Paper, may_clerk, reads_committee_pages


class CommitteeReaderMixin:
    """The committee's pages are for its members, the clerk and oneSource's staff (404 to others)."""

    def dispatch(self, request, *args, **kwargs):
        if not reads_committee_pages(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class MeetingListView(CommitteeReaderMixin, PortalListView):
    model = Meeting
    filterset_class = MeetingFilterSet
    template_name = "governance/meeting_list.html"

    def get_queryset(self):
        return selectors.meeting_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            may_clerk=may_clerk(user), next_meeting=selectors.next_meeting(user=user), **kwargs
        )


class MemberListView(CommitteeReaderMixin, generic.TemplateView):
    template_name = "governance/member_list.html"

    def get_context_data(self, **kwargs):
        committee = selectors.committee()
        return super().get_context_data(
            committee=committee,
            members=list(selectors.members()),
            officers=list(committee.officers.select_related("user")) if committee else [],
            **kwargs,
        )


class MeetingDetailView(CommitteeReaderMixin, generic.TemplateView):
    template_name = "governance/meeting_detail.html"

    def get_context_data(self, **kwargs):
        try:
            detail = selectors.meeting_detail(user=self.request.user, pk=kwargs["pk"])
        except Meeting.DoesNotExist:
            raise Http404("No such meeting.") from None
        return super().get_context_data(may_clerk=may_clerk(self.request.user), **detail, **kwargs)


class ClerkFormMixin:
    """A clerk's form about one meeting or item: 404 if the user may not see it, 403 if not the clerk."""

    def dispatch(self, request, *args, **kwargs):
        if not reads_committee_pages(request.user):
            raise Http404
        self.load(request, **kwargs)
        if not may_clerk(request.user):
            raise PermissionDenied("Only the committee's clerk may do this.")
        return super().dispatch(request, *args, **kwargs)


class MeetingFormMixin(ClerkFormMixin):
    def load(self, request, pk):
        self.meeting = get_object_or_404(Meeting.objects.visible_to(request.user), pk=pk)

    def get_cancel_url(self):
        return self.meeting.get_absolute_url()

    def get_context_data(self, **kwargs):
        return super().get_context_data(caption=str(self.meeting), **kwargs)


class ItemFormMixin(ClerkFormMixin):
    def load(self, request, pk):
        self.item = get_object_or_404(AgendaItem.objects.visible_to(request.user).select_related("meeting"), pk=pk)

    def get_cancel_url(self):
        return self.item.get_absolute_url()

    def get_context_data(self, **kwargs):
        return super().get_context_data(caption=f"{self.item.meeting}: item {self.item}", **kwargs)


class MeetingCreateView(ServiceFormView):
    form_class = forms.MeetingForm
    heading = "Schedule a meeting"
    submit_label = "Schedule meeting"
    success_message = "Meeting scheduled: now add the items of its agenda."

    def dispatch(self, request, *args, **kwargs):
        if not reads_committee_pages(request.user):
            raise Http404
        if not may_clerk(request.user):
            raise PermissionDenied("Only the committee's clerk may schedule a meeting.")
        return super().dispatch(request, *args, **kwargs)

    def get_cancel_url(self):
        return reverse("governance:meeting_list")

    def perform(self, form):
        return services.meeting_schedule(user=self.request.user, committee=selectors.committee(), **form.cleaned_data)


class MeetingChangeView(MeetingFormMixin, ServiceFormView):
    form_class = forms.MeetingForm
    heading = "Change the meeting's date, time or place"
    submit_label = "Save changes"
    success_message = "Meeting changed."

    def get_initial(self):
        return {name: getattr(self.meeting, name) for name in services.MEETING_FIELDS}

    def perform(self, form):
        return services.meeting_change(user=self.request.user, meeting=self.meeting, **form.cleaned_data)


class AgendaPublishView(MeetingFormMixin, ServiceFormView):
    form_class = forms.ConfirmForm
    heading = "Publish the agenda"
    submit_label = "Publish the agenda"

    def get_context_data(self, **kwargs):
        warning = selectors.publication_warning(self.meeting, timezone.localdate())
        intro = (
            f"Members and the public will see the agenda and its papers (exempt items excepted), and the agenda "
            f"pack will be built. For five clear working days' notice, publish by "
            f"{selectors.publish_by(self.meeting.meets_on):%-d %B %Y}."
        )
        return super().get_context_data(intro=intro, warning=warning, **kwargs)

    def get_template_names(self):
        return ["governance/publish.html"]

    def perform(self, form):
        warning = services.agenda_publish(user=self.request.user, meeting=self.meeting)
        if warning:
            messages.warning(self.request, warning)
        messages.success(self.request, "Agenda published. The agenda pack is being built.")
        return self.meeting


class MeetingCancelView(MeetingFormMixin, ServiceFormView):
    form_class = forms.CancelForm
    heading = "Cancel the meeting"
    submit_label = "Cancel the meeting"
    success_message = "Meeting cancelled."

    def perform(self, form):
        return services.meeting_cancel(user=self.request.user, meeting=self.meeting, **form.cleaned_data)


class MeetingHeldView(MeetingFormMixin, ServiceFormView):
    form_class = forms.ConfirmForm
    heading = "Record that the meeting was held"
    submit_label = "The meeting was held"
    success_message = "Meeting recorded as held: record its attendance, minutes, decisions and actions."

    def perform(self, form):
        return services.meeting_mark_held(user=self.request.user, meeting=self.meeting)


class AttendanceView(MeetingFormMixin, ServiceFormView):
    form_class = forms.AttendanceForm
    heading = "Record attendance and apologies"
    submit_label = "Save attendance"
    success_message = "Attendance saved."

    def people(self):
        people = []
        for membership in selectors.members(on=self.meeting.meets_on):
            people.append(
                {
                    "key": f"member_{membership.user_id}",
                    "label": f"{membership.user} ({membership.council.short_name}, "
                    f"{membership.get_kind_display().lower()})",
                    "user": membership.user,
                    "council": membership.council,
                    "capacity": membership.kind,
                }
            )
        for officer in self.meeting.committee.officers.select_related("user"):
            people.append(
                {
                    "key": f"officer_{officer.user_id}",
                    "label": f"{officer.user} ({officer.title})",
                    "user": officer.user,
                    "council": None,
                    "capacity": "officer",
                }
            )
        return people

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "people": self.people()}

    def get_initial(self):
        recorded = {row.user_id: row.presence for row in self.meeting.attendances.all()}
        initial = {}
        for person in self.people():
            initial[person["key"]] = recorded.get(person["user"].pk, "")
        return initial

    def get_context_data(self, **kwargs):
        return super().get_context_data(intro=selectors.quorum(self.meeting).summary, **kwargs)

    def perform(self, form):
        services.attendance_record(user=self.request.user, meeting=self.meeting, rows=form.rows())
        return self.meeting


class ItemCreateView(MeetingFormMixin, ServiceFormView):
    form_class = forms.AgendaItemForm
    heading = "Add an item to the agenda"
    submit_label = "Add item"
    success_message = "Item {object} added."

    def get_initial(self):
        return {"purpose": AgendaItem.Purpose.INFORMATION}

    def perform(self, form):
        return services.agenda_item_add(user=self.request.user, meeting=self.meeting, **form.cleaned_data)


class ItemDetailView(CommitteeReaderMixin, generic.TemplateView):
    template_name = "governance/item_detail.html"

    def get_context_data(self, **kwargs):
        try:
            item = selectors.item_detail(user=self.request.user, pk=kwargs["pk"])
        except AgendaItem.DoesNotExist:
            raise Http404("No such item.") from None
        return super().get_context_data(item=item, may_clerk=may_clerk(self.request.user), **kwargs)


class ItemChangeView(ItemFormMixin, ServiceFormView):
    form_class = forms.AgendaItemForm
    heading = "Change the item"
    submit_label = "Save changes"
    success_message = "Item {object} saved."

    def get_initial(self):
        return {name: getattr(self.item, name) for name in services.ITEM_FIELDS}

    def perform(self, form):
        return services.agenda_item_change(user=self.request.user, item=self.item, **form.cleaned_data)


class ItemMoveView(ItemFormMixin, ServiceFormView):
    form_class = forms.MoveForm
    heading = "Move the item"
    submit_label = "Move"
    success_message = "Agenda renumbered."

    def get_initial(self):
        return {"to": self.item.number}

    def perform(self, form):
        services.agenda_item_move(user=self.request.user, item=self.item, to=form.cleaned_data["to"])
        return self.item.meeting


class PaperCreateView(ItemFormMixin, ServiceFormView):
    form_class = forms.PaperForm
    heading = "Add a paper"
    submit_label = "Add paper"
    success_message = "Paper added."

    def get_initial(self):
        return {"kind": Paper.Kind.UPLOAD}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def perform(self, form):
        services.paper_add(
            user=self.request.user,
            item=self.item,
            title=form.cleaned_data["title"],
            kind=form.cleaned_data["kind"],
            upload=form.cleaned_data.get("file"),
            target=form.target(),
        )
        return self.item


class MinuteView(ItemFormMixin, ServiceFormView):
    form_class = forms.MinuteForm
    heading = "Minutes of the item"
    submit_label = "Save minutes"
    success_message = "Minutes saved."

    def get_initial(self):
        minute = getattr(self.item, "minute", None)
        return {"text": minute.text if minute else ""}

    def perform(self, form):
        services.minute_record(user=self.request.user, item=self.item, **form.cleaned_data)
        return self.item


class DecisionCreateView(ItemFormMixin, ServiceFormView):
    form_class = forms.DecisionForm
    heading = "Record a decision"
    submit_label = "Record decision"
    success_message = "Decision recorded."

    def perform(self, form):
        services.decision_record(user=self.request.user, item=self.item, **form.cleaned_data)
        return self.item


class MinutesApproveView(ItemFormMixin, ServiceFormView):
    form_class = forms.ConfirmForm
    heading = "Approve the minutes of the last meeting"
    submit_label = "The minutes were approved"
    success_message = "Minutes approved; the decision is recorded."

    def perform(self, form):
        services.minutes_approve(user=self.request.user, item=self.item)
        return self.item


class ActionCreateView(ItemFormMixin, ServiceFormView):
    form_class = forms.ActionForm
    heading = "Record an action"
    submit_label = "Record action"
    success_message = "Action recorded: it is on its owner's dashboard."

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "item": self.item}

    def perform(self, form):
        services.action_create(user=self.request.user, item=self.item, **form.cleaned_data)
        return self.item


class DecisionListView(CommitteeReaderMixin, PortalListView):
    model = None
    filterset_class = DecisionFilterSet
    template_name = "governance/decision_list.html"

    def get_queryset(self):
        return selectors.decision_list(user=self.request.user)


class ActionListView(CommitteeReaderMixin, PortalListView):
    model = Action
    filterset_class = ActionFilterSet
    template_name = "governance/action_list.html"

    def get_queryset(self):
        return selectors.action_list(user=self.request.user)


class ActionDetailView(CommitteeReaderMixin, generic.TemplateView):
    template_name = "governance/action_detail.html"

    def get_context_data(self, **kwargs):
        try:
            action = selectors.action_detail(user=self.request.user, pk=kwargs["pk"])
        except Action.DoesNotExist:
            raise Http404("No such action.") from None
        may_update = Action.objects.editable_by(self.request.user).filter(pk=action.pk).exists()
        return super().get_context_data(action=action, may_update=may_update, **kwargs)


class ActionUpdateView(ServiceFormView):
    form_class = forms.ActionUpdateForm
    heading = "Report progress on the action"
    submit_label = "Save progress"
    success_message = "Progress recorded."

    def dispatch(self, request, *args, **kwargs):
        self.action = get_object_or_404(Action.objects.visible_to(request.user), pk=kwargs["pk"])
        if not Action.objects.editable_by(request.user).filter(pk=self.action.pk).exists():
            raise PermissionDenied("Only the action's owner or the clerk may report progress on it.")
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"status": self.action.status}

    def get_cancel_url(self):
        return self.action.get_absolute_url()

    def get_context_data(self, **kwargs):
        return super().get_context_data(caption=self.action.title, **kwargs)

    def perform(self, form):
        services.action_update_post(user=self.request.user, action=self.action, **form.cleaned_data)
        return self.action


def paper_download(request, pk):
    """An uploaded paper's PDF, or the page of what the paper links to; exempt papers for members only."""
    if not reads_committee_pages(request.user):
        raise Http404
    paper = get_object_or_404(Paper.objects.visible_to(request.user), pk=pk)
    return _paper_response(paper)


def _paper_response(paper: Paper):
    if paper.kind == Paper.Kind.UPLOAD:
        return FileResponse(
            paper.file.open("rb"), content_type="application/pdf", filename=paper.file.name.rsplit("/", 1)[-1]
        )
    target = paper.target
    if paper.kind == Paper.Kind.COMMITTEE_PACK:
        return redirect(reverse("reports:pack_download", kwargs={"period": f"{target.period:%Y-%m}", "kind": "pdf"}))
    if paper.kind == Paper.Kind.PROGRAMME:
        return redirect(reverse("savings:tracker") + f"?programme={target.slug}")
    return redirect(target.get_absolute_url())


def pack_download(request, pk):
    if not reads_committee_pages(request.user):
        raise Http404
    meeting = get_object_or_404(Meeting.objects.visible_to(request.user).agenda_published(), pk=pk)
    return _pack_response(meeting)


def _pack_response(meeting: Meeting):
    if meeting.pack_status != Meeting.PackStatus.READY or not meeting.pack:
        raise Http404("The agenda pack is not ready yet.")
    name = f"agenda-pack-{meeting.meets_on:%Y-%m-%d}.pdf"
    return FileResponse(meeting.pack.open("rb"), content_type="application/pdf", filename=name)


@require_POST
def item_remove(request, pk):
    if not reads_committee_pages(request.user):
        raise Http404
    item = get_object_or_404(AgendaItem.objects.visible_to(request.user).select_related("meeting"), pk=pk)
    try:
        services.agenda_item_remove(user=request.user, item=item)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Item removed; the agenda is renumbered.")
    return redirect(item.meeting)
