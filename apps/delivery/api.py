from django.shortcuts import get_object_or_404
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.core.api import PolicyReadOnlyViewSet, PolicyViewSetMixin, PortalModelSerializer, PortalSerializer
from apps.core.policy import role_of
from apps.core.roles import Role

from . import selectors, services
from .filters import ActivityFilterSet, ActivityUpdateFilterSet
from .models import Activity, ActivityStatus, ActivityUpdate, Outcome, Plan, StrategicObjective


class PlanSerializer(PortalModelSerializer):
    year_label = serializers.CharField(read_only=True)

    class Meta:
        model = Plan
        fields = ["id", "financial_year", "year_label", "vision", "status", "rolled_from"]


class RollForwardSerializer(PortalSerializer):
    financial_year = serializers.IntegerField(required=False, help_text="The new year; the next one by default.")


class OutcomeSerializer(PortalModelSerializer):
    lead_areas = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Outcome
        fields = ["id", "position", "title", "all_areas", "lead_areas"]


class ObjectiveSerializer(PortalModelSerializer):
    outcomes = OutcomeSerializer(many=True, read_only=True)

    class Meta:
        model = StrategicObjective
        fields = ["id", "plan", "position", "title", "outcomes"]


class ActivitySerializer(PortalModelSerializer):
    lead_areas = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    lead_codes = serializers.CharField(read_only=True)
    owner = serializers.StringRelatedField(allow_null=True)
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = Activity
        fields = [
            "id",
            "objective",
            "kind",
            "position",
            "title",
            "all_areas",
            "lead_areas",
            "lead_codes",
            "owner",
            "starts_on",
            "due_on",
            "status",
            "progress",
            "is_overdue",
        ]


class PartnerActivitySerializer(ActivitySerializer):
    supports_my_council = serializers.BooleanField(read_only=True)

    class Meta(ActivitySerializer.Meta):
        fields = [*ActivitySerializer.Meta.fields, "supports_my_council"]


class StaffActivitySerializer(ActivitySerializer):
    supported_partners = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)

    class Meta(ActivitySerializer.Meta):
        fields = [*ActivitySerializer.Meta.fields, "supported_partners"]


class ActivityUpdateSerializer(PortalModelSerializer):
    author = serializers.StringRelatedField()
    status = serializers.ChoiceField(choices=ActivityStatus.choices)
    posted_on = serializers.DateField(required=False)
    # The service checks the range and says so in the portal's words.
    progress = serializers.IntegerField()

    class Meta:
        model = ActivityUpdate
        fields = ["id", "activity", "posted_on", "status", "progress", "narrative", "author", "created_at"]
        read_only_fields = ["author", "created_at"]


class PlanViewSet(PolicyReadOnlyViewSet):
    model = Plan
    serializer_class = PlanSerializer
    filterset_fields = ["financial_year", "status"]

    @extend_schema(responses={201: PlanSerializer})
    @action(detail=True, methods=["post"], url_path="roll-forward", serializer_class=RollForwardSerializer)
    def roll_forward(self, request, pk=None):
        plan = self.get_object()
        payload = RollForwardSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        new_plan = services.plan_roll_forward(user=request.user, plan=plan, **payload.validated_data)
        return Response(PlanSerializer(new_plan).data, status=status.HTTP_201_CREATED)


class ObjectiveViewSet(PolicyReadOnlyViewSet):
    model = StrategicObjective
    serializer_class = ObjectiveSerializer
    filterset_fields = ["plan"]

    def scope_queryset(self, queryset):
        return queryset.select_related("plan").prefetch_related("outcomes__lead_areas")


def _activity_for_either(**kwargs):
    """A partner officer's activity says whether it supports their council; staff see every partner it supports."""
    return PolymorphicProxySerializer(
        component_name="Activity",
        serializers=[StaffActivitySerializer, PartnerActivitySerializer],
        resource_type_field_name=None,
        **kwargs,
    )


@extend_schema_view(
    list=extend_schema(responses=_activity_for_either(many=True)),
    retrieve=extend_schema(responses=_activity_for_either()),
)
class ActivityViewSet(PolicyReadOnlyViewSet):
    model = Activity
    filterset_class = ActivityFilterSet

    def get_serializer_class(self):
        partner = role_of(self.request.user) == Role.PARTNER_OFFICER
        return PartnerActivitySerializer if partner else StaffActivitySerializer

    def get_queryset(self):
        return selectors.activity_rows(user=self.request.user).order_by(
            "objective__plan__financial_year", "objective__position", "kind", "position"
        )


class ActivityUpdateViewSet(PolicyViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Updates on activities; posting one goes through the same service as the page."""

    model = ActivityUpdate
    serializer_class = ActivityUpdateSerializer
    filterset_class = ActivityUpdateFilterSet

    def scope_queryset(self, queryset):
        return queryset.select_related("author")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        activity = get_object_or_404(Activity.objects.visible_to(self.request.user), pk=data.pop("activity").pk)
        serializer.instance = services.activity_update_post(user=self.request.user, activity=activity, **data)


def register(router):
    router.register("plans", PlanViewSet, basename="plan")
    router.register("objectives", ObjectiveViewSet, basename="strategicobjective")
    router.register("activities", ActivityViewSet, basename="activity")
    router.register("activity-updates", ActivityUpdateViewSet, basename="activityupdate")
