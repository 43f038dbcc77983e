"""The committee's business through the API: read by the committee, written by the clerk through the
same services as the pages."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.accounts.models import User
from apps.core.api import PolicyViewSetMixin
from apps.core.roles import STAFF_ROLES
from apps.savings.models import Programme, SavingLine
from apps.slas.models import Agreement

from . import selectors, services
from .filters import ActionFilterSet, AgendaItemFilterSet, DecisionFilterSet, MeetingFilterSet
from .models import ACTION_OWNER_ROLES, Action, ActionUpdate, AgendaItem, Decision, Meeting, Paper


class VisibleRelatedField(serializers.PrimaryKeyRelatedField):
    """An id of a row the requesting user may see; any other id is refused as invalid."""

    def __init__(self, model, **kwargs):
        self.model = model
        super().__init__(**kwargs)

    def get_queryset(self):
        return self.model.objects.visible_to(self.context["request"].user)


@extend_schema_field({"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$", "example": "18:30"})
class ClockTimeField(serializers.TimeField):
    """A time of day on the clock, ``18:30``: no seconds, no time zone (the meeting's own, London)."""

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", input_formats=["%H:%M", "%H:%M:%S"], **kwargs)


class PaperSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Paper
        fields = ["id", "title", "kind", "page_count", "url"]

    @extend_schema_field(OpenApiTypes.STR)
    def get_url(self, paper) -> str:
        return reverse("governance:paper_download", kwargs={"pk": paper.pk})


class MeetingSerializer(serializers.ModelSerializer):
    committee = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    starts_at = ClockTimeField()
    pack_url = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = [
            "id",
            "committee",
            "meets_on",
            "starts_at",
            "place",
            "online_link",
            "status",
            "agenda_published_at",
            "minutes_approved_at",
            "cancelled_reason",
            "pack_status",
            "pack_pages",
            "pack_url",
        ]
        read_only_fields = ["status", "cancelled_reason", "pack_status"]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_pack_url(self, meeting) -> str | None:
        if meeting.pack_status != Meeting.PackStatus.READY:
            return None
        return reverse("governance:pack_download", kwargs={"pk": meeting.pk})


class PublishedSerializer(serializers.Serializer):
    warning = serializers.CharField(help_text="Why the publication is late, or empty.")
    meeting = MeetingSerializer()


class AgendaItemSerializer(serializers.ModelSerializer):
    meeting = VisibleRelatedField(Meeting)
    lead_officer = serializers.SlugRelatedField(
        slug_field="username",
        queryset=User.objects.filter(role__in=STAFF_ROLES, is_active=True),
        allow_null=True,
        required=False,
    )
    papers = PaperSerializer(many=True, read_only=True)

    class Meta:
        model = AgendaItem
        fields = [
            "id",
            "meeting",
            "number",
            "title",
            "summary",
            "lead_officer",
            "purpose",
            "kind",
            "minutes_of",
            "is_exempt",
            "exempt_paragraph",
            "papers",
        ]
        read_only_fields = ["number", "kind", "minutes_of"]


class CommitteeDecisionSerializer(serializers.ModelSerializer):
    item = VisibleRelatedField(AgendaItem)
    saving_lines = serializers.SlugRelatedField(
        slug_field="reference", many=True, queryset=SavingLine.objects.all(), required=False
    )
    programmes = serializers.SlugRelatedField(
        slug_field="slug", many=True, queryset=Programme.objects.all(), required=False
    )
    agreements = serializers.PrimaryKeyRelatedField(many=True, queryset=Agreement.objects.all(), required=False)

    class Meta:
        model = Decision
        fields = ["id", "item", "wording", "decided_on", "saving_lines", "programmes", "agreements"]
        read_only_fields = ["decided_on"]


class ActionUpdateSerializer(serializers.ModelSerializer):
    author = serializers.StringRelatedField()
    posted_on = serializers.DateField(required=False)

    class Meta:
        model = ActionUpdate
        fields = ["id", "posted_on", "status", "note", "author"]
        read_only_fields = ["author"]


class CommitteeActionSerializer(serializers.ModelSerializer):
    item = VisibleRelatedField(AgendaItem)
    decision = VisibleRelatedField(Decision, allow_null=True, required=False)
    owner = serializers.SlugRelatedField(
        slug_field="username", queryset=User.objects.filter(role__in=ACTION_OWNER_ROLES, is_active=True)
    )
    is_overdue = serializers.BooleanField(read_only=True)
    updates = ActionUpdateSerializer(many=True, read_only=True)

    class Meta:
        model = Action
        fields = ["id", "item", "decision", "title", "owner", "due_on", "status", "is_overdue", "updates"]
        read_only_fields = ["status"]


class GovernanceViewSet(PolicyViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Reads for whoever may see the committee's business; creates by the clerk, through a service."""


class MeetingViewSet(GovernanceViewSet):
    model = Meeting
    serializer_class = MeetingSerializer
    filterset_class = MeetingFilterSet

    def get_queryset(self):
        return selectors.meeting_list(user=self.request.user)

    def perform_create(self, serializer):
        data = serializer.validated_data
        meeting = services.meeting_schedule(user=self.request.user, committee=selectors.committee(), **data)
        serializer.instance = selectors.meeting_list(user=self.request.user).get(pk=meeting.pk)

    @extend_schema(request=None, responses={200: PublishedSerializer})
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        """Publish the agenda (its pack is built by a task); ``warning`` says when it is late."""
        meeting = self.get_object()
        warning = services.agenda_publish(user=request.user, meeting=meeting)
        meeting = self.get_queryset().get(pk=meeting.pk)
        return Response({"warning": warning, "meeting": MeetingSerializer(meeting).data})


class AgendaItemViewSet(GovernanceViewSet):
    model = AgendaItem
    serializer_class = AgendaItemSerializer
    filterset_class = AgendaItemFilterSet

    def scope_queryset(self, queryset):
        return queryset.select_related("lead_officer").prefetch_related("papers").order_by("meeting", "number")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.agenda_item_add(user=self.request.user, meeting=data.pop("meeting"), **data)


class DecisionViewSet(GovernanceViewSet):
    model = Decision
    serializer_class = CommitteeDecisionSerializer
    filterset_class = DecisionFilterSet

    def get_queryset(self):
        return selectors.decision_list(user=self.request.user)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.decision_record(user=self.request.user, item=data.pop("item"), **data)


class CommitteeActionViewSet(GovernanceViewSet):
    model = Action
    serializer_class = CommitteeActionSerializer
    filterset_class = ActionFilterSet

    def get_queryset(self):
        return selectors.action_list(user=self.request.user).prefetch_related("updates__author")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        action_ = services.action_create(user=self.request.user, item=data.pop("item"), **data)
        serializer.instance = self.get_queryset().get(pk=action_.pk)

    @extend_schema(request=ActionUpdateSerializer, responses={201: ActionUpdateSerializer})
    @action(detail=True, methods=["post"], url_path="record-update", serializer_class=ActionUpdateSerializer)
    def record_update(self, request, pk=None):
        """Report progress on the action (its owner or the clerk); the action takes the update's status."""
        committee_action = self.get_object()
        payload = ActionUpdateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        update = services.action_update_post(user=request.user, action=committee_action, **payload.validated_data)
        return Response(ActionUpdateSerializer(update).data, status=status.HTTP_201_CREATED)


def register(router):
    router.register("meetings", MeetingViewSet, basename="meeting")
    router.register("agenda-items", AgendaItemViewSet, basename="agendaitem")
    router.register("decisions", DecisionViewSet, basename="decision")
    router.register("committee-actions", CommitteeActionViewSet, basename="committeeaction")
