"""KPIs, targets and measurements over the API: the same policy, FilterSets and services as the pages."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from apps.core.api import PolicyReadOnlyViewSet, PolicyViewSetMixin, PortalModelSerializer, PortalSerializer
from apps.core.api_lists import LongListPagination
from apps.partners.models import Partner

from . import selectors, services
from .filters import KPIFilterSet, MeasurementFilterSet, TargetFilterSet
from .models import KPI, Measurement, Target


class KPISerializer(PortalModelSerializer):
    area = serializers.SlugRelatedField(slug_field="code", read_only=True)
    service = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)

    class Meta:
        model = KPI
        fields = [
            "id",
            "code",
            "name",
            "definition",
            "area",
            "service",
            "unit",
            "polarity",
            "frequency",
            "decimal_places",
            "is_rate",
            "numerator_label",
            "denominator_label",
            "aggregation",
            "is_active",
        ]


class TargetSerializer(PortalModelSerializer):
    kpi = serializers.SlugRelatedField(slug_field="code", read_only=True)
    partner = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)

    class Meta:
        model = Target
        fields = ["id", "kpi", "financial_year", "partner", "is_onesource", "value", "tolerance"]


class MeasurementSerializer(PortalModelSerializer):
    kpi = serializers.SlugRelatedField(slug_field="code", queryset=KPI.objects.all())
    partner = serializers.SlugRelatedField(slug_field="slug", queryset=Partner.objects.all())
    result = serializers.DecimalField(max_digits=24, decimal_places=4, read_only=True, allow_null=True)
    submit = serializers.BooleanField(write_only=True, required=False, default=False)

    class Meta:
        model = Measurement
        fields = [
            "id",
            "kpi",
            "partner",
            "period",
            "value",
            "numerator",
            "denominator",
            "result",
            "commentary",
            "status",
            "source",
            "return_reason",
            "submitted_at",
            "decided_at",
            "submit",
        ]
        read_only_fields = ["status", "source", "return_reason", "submitted_at", "decided_at"]
        # The one-per-KPI-partner-month rule is the service's: entering a month again changes its figure.
        validators = []


class ReturnSerializer(PortalSerializer):
    reason = serializers.CharField()


class KPIViewSet(PolicyReadOnlyViewSet):
    model = KPI
    serializer_class = KPISerializer
    filterset_class = KPIFilterSet

    def scope_queryset(self, queryset):
        return queryset.select_related("area", "service")


class TargetViewSet(PolicyReadOnlyViewSet):
    model = Target
    serializer_class = TargetSerializer
    filterset_class = TargetFilterSet

    def scope_queryset(self, queryset):
        return queryset.select_related("kpi", "partner")


class MeasurementViewSet(PolicyViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Figures the user may see. POST enters one (as the entry grid does); ``submit``, ``approve``
    and ``return`` move it through its checks."""

    model = Measurement
    serializer_class = MeasurementSerializer
    filterset_class = MeasurementFilterSet
    pagination_class = LongListPagination

    def get_queryset(self):
        return selectors.measurement_list(user=self.request.user)

    def count_generation(self):
        return selectors.measurement_list_generation(user=self.request.user)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        measurement = services.measurement_record(
            user=request.user,
            kpi=data["kpi"],
            partner=data["partner"],
            period=data["period"],
            value=data.get("value"),
            numerator=data.get("numerator"),
            denominator=data.get("denominator"),
            commentary=data.get("commentary", ""),
            submit=data.get("submit", False),
        )
        return Response(self.get_serializer(measurement).data, status=status.HTTP_201_CREATED)

    def _act(self, request, pk, service, **kwargs):
        measurement = get_object_or_404(self.get_queryset(), pk=pk)
        measurement = service(user=request.user, measurement=measurement, **kwargs)
        return Response(self.get_serializer(measurement).data)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._act(request, pk, services.measurement_submit)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._act(request, pk, services.measurement_approve)

    @extend_schema(request=ReturnSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        measurement = get_object_or_404(self.get_queryset(), pk=pk)
        serializer = ReturnSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        measurement = services.measurement_return(
            user=request.user, measurement=measurement, reason=serializer.validated_data["reason"]
        )
        return Response(self.get_serializer(measurement).data)


def register(router):
    router.register("kpis", KPIViewSet, basename="kpi")
    router.register("kpi-targets", TargetViewSet, basename="target")
    router.register("measurements", MeasurementViewSet, basename="measurement")
