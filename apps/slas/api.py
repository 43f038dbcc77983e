"""Agreements over the API: the same policy, FilterSets, selectors and services as the pages."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from apps.core.api import PolicyReadOnlyViewSet, PortalModelSerializer, PortalSerializer
from apps.core.periods import month_from_text

from . import selectors, services
from .filters import AgreementFilterSet, ObligationFilterSet, ScheduleFilterSet, StandardFilterSet
from .models import Agreement, CustomerObligation, ServiceSchedule, ServiceStandard

MONTH_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"


class AgreementSerializer(PortalModelSerializer):
    partner = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    partner_signed_by = serializers.StringRelatedField(allow_null=True)
    onesource_signed_by = serializers.StringRelatedField(allow_null=True)

    class Meta:
        model = Agreement
        fields = [
            "id",
            "partner",
            "reference",
            "version",
            "status",
            "title",
            "summary",
            "starts_on",
            "ends_on",
            "review_due_on",
            "previous",
            "partner_signed_by",
            "partner_signed_at",
            "onesource_signed_by",
            "onesource_signed_at",
            "activated_at",
        ]


class ScheduleSerializer(PortalModelSerializer):
    service = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = ServiceSchedule
        fields = ["id", "agreement", "service", "scope", "annual_charge"]


class LatestSerializer(PortalSerializer):
    period = serializers.DateField(allow_null=True)
    result = serializers.DecimalField(max_digits=24, decimal_places=4, allow_null=True)
    outcome = serializers.CharField()


class StandardSerializer(PortalModelSerializer):
    kpi = serializers.SlugRelatedField(slug_field="code", read_only=True)
    latest = LatestSerializer(read_only=True, help_text="The latest month with an approved figure.")

    class Meta:
        model = ServiceStandard
        fields = ["id", "agreement", "kpi", "description", "target", "latest"]


class ObligationSerializer(PortalModelSerializer):
    service = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)

    class Meta:
        model = CustomerObligation
        fields = ["id", "agreement", "service", "description"]


class MonthComplianceSerializer(PortalSerializer):
    period = serializers.DateField()
    met = serializers.IntegerField()
    missed = serializers.IntegerField()
    not_measured = serializers.IntegerField()
    measured = serializers.IntegerField()
    rate = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)


class AgreementViewSet(PolicyReadOnlyViewSet):
    """Agreements the user may see. ``sign`` signs for the user's side; ``start_review`` drafts a new version;
    ``compliance`` gives 12 months of standards met over standards measured (``?month=YYYY-MM`` to end)."""

    model = Agreement
    serializer_class = AgreementSerializer
    filterset_class = AgreementFilterSet

    def get_queryset(self):
        return selectors.agreement_list(user=self.request.user).select_related(
            "partner_signed_by", "onesource_signed_by"
        )

    def _act(self, request, pk, service):
        agreement = get_object_or_404(self.get_queryset(), pk=pk)
        result = service(user=request.user, agreement=agreement)
        return Response(self.get_serializer(result).data)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        return self._act(request, pk, services.agreement_sign)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"], url_path="start-review", url_name="start-review")
    def start_review(self, request, pk=None):
        return self._act(request, pk, services.agreement_start_review)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "month",
                str,
                pattern=MONTH_PATTERN,
                description="The last month of the twelve, as YYYY-MM; the agreement's latest month by default.",
            )
        ],
        responses=MonthComplianceSerializer(many=True),
        filters=False,
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def compliance(self, request, pk=None):
        agreement = get_object_or_404(self.get_queryset(), pk=pk)
        month = request.query_params.get("month")
        try:
            end = month_from_text(month) if month is not None else selectors.default_month(agreement)
        except ValueError as error:
            raise serializers.ValidationError({"month": [str(error)]}) from None
        result = selectors.agreement_compliance(agreement=agreement, end=end)
        return Response(MonthComplianceSerializer(result.by_month, many=True).data)


class ScheduleViewSet(PolicyReadOnlyViewSet):
    model = ServiceSchedule
    serializer_class = ScheduleSerializer
    filterset_class = ScheduleFilterSet

    def scope_queryset(self, queryset):
        return queryset.select_related("service")


class StandardViewSet(PolicyReadOnlyViewSet):
    model = ServiceStandard
    serializer_class = StandardSerializer
    filterset_class = StandardFilterSet

    def paginate_queryset(self, queryset):
        # The latest compliance is worked out for the page of standards shown, in two queries.
        page = super().paginate_queryset(queryset)
        return selectors.attach_latest(page) if page is not None else None

    def scope_queryset(self, queryset):
        return selectors.with_latest_period(queryset)

    def get_object(self):
        return selectors.attach_latest([super().get_object()])[0]


class ObligationViewSet(PolicyReadOnlyViewSet):
    model = CustomerObligation
    serializer_class = ObligationSerializer
    filterset_class = ObligationFilterSet

    def scope_queryset(self, queryset):
        return queryset.select_related("service")


def register(router):
    router.register("agreements", AgreementViewSet, basename="agreement")
    router.register("agreement-schedules", ScheduleViewSet, basename="serviceschedule")
    router.register("agreement-standards", StandardViewSet, basename="servicestandard")
    router.register("agreement-obligations", ObligationViewSet, basename="customerobligation")
