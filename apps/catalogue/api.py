from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.core.api import PolicyReadOnlyViewSet, PolicyViewSetMixin, PortalModelSerializer, PortalSerializer
from apps.partners.models import Partner

from . import selectors, services
from .filters import CommissioningRequestFilterSet, CostShareFilterSet, ServiceFilterSet, SubscriptionFilterSet
from .models import CommissioningRequest, CostShare, Service, ServiceArea, Subscription


class ServiceAreaSerializer(PortalModelSerializer):
    director = serializers.StringRelatedField(allow_null=True)

    class Meta:
        model = ServiceArea
        fields = ["id", "code", "name", "description", "director"]


class ServiceSerializer(PortalModelSerializer):
    area = serializers.SlugRelatedField(slug_field="code", read_only=True)
    lead_officer = serializers.StringRelatedField(allow_null=True)

    class Meta:
        model = Service
        fields = ["id", "slug", "name", "area", "description", "lead_officer", "is_available"]


class SubscriptionSerializer(PortalModelSerializer):
    partner = serializers.SlugRelatedField(slug_field="slug", queryset=Partner.objects.all())
    service = serializers.SlugRelatedField(slug_field="slug", queryset=Service.objects.all())
    is_current = serializers.BooleanField(read_only=True)

    class Meta:
        model = Subscription
        fields = ["id", "partner", "service", "starts_on", "ends_on", "is_current"]


class CostShareSerializer(PortalModelSerializer):
    area = serializers.SlugRelatedField(slug_field="code", read_only=True)
    partner = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = CostShare
        fields = ["id", "area", "partner", "financial_year", "financial_year_label", "percentage"]


class CommissioningRequestSerializer(PortalModelSerializer):
    partner = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    service = serializers.SlugRelatedField(slug_field="slug", queryset=Service.objects.all())
    requested_by = serializers.StringRelatedField()
    decided_by = serializers.StringRelatedField(allow_null=True)

    class Meta:
        model = CommissioningRequest
        fields = [
            "id",
            "partner",
            "service",
            "requested_by",
            "needed_from",
            "details",
            "status",
            "decided_by",
            "decided_at",
            "decision_reason",
            "subscription",
            "created_at",
        ]
        read_only_fields = ["status", "decided_at", "decision_reason", "subscription", "created_at"]


class DecisionSerializer(PortalSerializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    starts_on = serializers.DateField(required=False, allow_null=True, default=None)


class ServiceAreaViewSet(PolicyReadOnlyViewSet):
    model = ServiceArea
    serializer_class = ServiceAreaSerializer
    lookup_field = "code"

    def scope_queryset(self, queryset):
        return queryset.select_related("director")


class ServiceViewSet(PolicyReadOnlyViewSet):
    model = Service
    serializer_class = ServiceSerializer
    filterset_class = ServiceFilterSet
    lookup_field = "slug"

    def get_queryset(self):
        return selectors.service_list(user=self.request.user)


class SubscriptionViewSet(PolicyViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    model = Subscription
    serializer_class = SubscriptionSerializer
    filterset_class = SubscriptionFilterSet

    def get_queryset(self):
        return selectors.subscription_list(user=self.request.user)

    def perform_create(self, serializer):
        serializer.instance = services.subscription_create(user=self.request.user, **serializer.validated_data)


class CostShareViewSet(PolicyReadOnlyViewSet):
    model = CostShare
    serializer_class = CostShareSerializer
    filterset_class = CostShareFilterSet

    def get_queryset(self):
        return selectors.cost_share_list(user=self.request.user)


class CommissioningRequestViewSet(PolicyViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Requests for additional services: partner officers make them; admins and directors decide."""

    model = CommissioningRequest
    serializer_class = CommissioningRequestSerializer
    filterset_class = CommissioningRequestFilterSet

    def get_queryset(self):
        return selectors.commissioning_request_list(user=self.request.user)

    def perform_create(self, serializer):
        serializer.instance = services.commissioning_request_submit(user=self.request.user, **serializer.validated_data)

    def _decide(self, request, service, **extra):
        obj = self.get_object()
        service(user=request.user, request=obj, **extra)
        obj.refresh_from_db()
        return Response(self.get_serializer(obj).data)

    @extend_schema(request=DecisionSerializer, responses=CommissioningRequestSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        decision = DecisionSerializer(data=request.data)
        decision.is_valid(raise_exception=True)
        return self._decide(
            request,
            services.commissioning_request_accept,
            starts_on=decision.validated_data["starts_on"],
            reason=decision.validated_data["reason"],
        )

    @extend_schema(request=DecisionSerializer, responses=CommissioningRequestSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        decision = DecisionSerializer(data=request.data)
        decision.is_valid(raise_exception=True)
        return self._decide(request, services.commissioning_request_decline, reason=decision.validated_data["reason"])

    @extend_schema(request=None, responses=CommissioningRequestSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._decide(request, services.commissioning_request_withdraw)

    @extend_schema(request=None, responses=CommissioningRequestSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        return self._decide(request, services.commissioning_request_start_review)


def register(router):
    router.register("service-areas", ServiceAreaViewSet, basename="servicearea")
    router.register("services", ServiceViewSet, basename="service")
    router.register("subscriptions", SubscriptionViewSet, basename="subscription")
    router.register("cost-shares", CostShareViewSet, basename="costshare")
    router.register("commissioning-requests", CommissioningRequestViewSet, basename="commissioningrequest")
