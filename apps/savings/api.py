"""The savings tracker's API: the same policy, FilterSets and services as the pages.

Posting an update goes to ``/api/v1/savings/lines/<reference>/updates/`` with the version of the
line it was prepared from; a stale version answers 409 with what changed since.
"""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.core.api import PolicyReadOnlyViewSet, PortalModelSerializer, PortalSerializer
from apps.core.inputs import YEAR_MAX, YEAR_MIN

from . import selectors, services
from .filters import SavingLineFilterSet, SavingsUpdateFilterSet, YearTargetFilterSet
from .models import PartnerShare, Programme, SavingLine, SavingsUpdate, Status, YearTarget

MONEY = {"max_digits": 14, "decimal_places": 2}


class ProgrammeSerializer(PortalModelSerializer):
    class Meta:
        model = Programme
        fields = ["slug", "name", "description", "total", "first_year", "last_year"]


class PartnerShareSerializer(PortalModelSerializer):
    partner = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = PartnerShare
        fields = ["partner", "percentage"]


class SavingLineSerializer(PortalModelSerializer):
    programme = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    area = serializers.SlugRelatedField(slug_field="code", read_only=True)
    owner = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    shares = PartnerShareSerializer(source="shown_shares", many=True, read_only=True)
    latest_status = serializers.CharField(read_only=True, allow_null=True)
    project = serializers.SerializerMethodField(
        help_text="The transformation project delivering the line, to those who may see projects."
    )

    class Meta:
        model = SavingLine
        fields = [
            "reference",
            "title",
            "description",
            "programme",
            "area",
            "owner",
            "project",
            "category",
            "recurrence",
            "is_cashable",
            "version",
            "latest_status",
            "shares",
        ]

    def get_project(self, line) -> int | None:
        return line.project_id if getattr(line, "project_visible", False) else None


class YearTargetSerializer(PortalModelSerializer):
    line = serializers.SlugRelatedField(slug_field="reference", read_only=True)

    class Meta:
        model = YearTarget
        fields = ["id", "line", "financial_year", "amount"]


class SavingsUpdateSerializer(PortalModelSerializer):
    line = serializers.SlugRelatedField(slug_field="reference", read_only=True)
    recorded_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = SavingsUpdate
        fields = [
            "id",
            "line",
            "financial_year",
            "period",
            "forecast",
            "achieved",
            "status",
            "commentary",
            "line_version",
            "recorded_by",
            "recorded_at",
        ]


class SavingsUpdateInputSerializer(PortalSerializer):
    """Shape only; every rule is the service's, as on the page."""

    version = serializers.IntegerField(help_text="The line's version the update was prepared from.")
    financial_year = serializers.IntegerField(
        required=False, min_value=YEAR_MIN, max_value=YEAR_MAX, help_text="Defaults to the reporting year."
    )
    forecast = serializers.DecimalField(**MONEY)
    achieved = serializers.DecimalField(**MONEY)
    status = serializers.ChoiceField(choices=Status.choices)
    commentary = serializers.CharField(required=False, allow_blank=True, default="")


class StaleVersionSerializer(PortalSerializer):
    """The line changed since ``version`` was read: nothing was saved."""

    detail = serializers.CharField()
    changes = serializers.ListField(child=serializers.CharField(), help_text="What changed since, oldest first.")
    version = serializers.IntegerField(help_text="The line's version now.")


class ProgrammeViewSet(PolicyReadOnlyViewSet):
    model = Programme
    serializer_class = ProgrammeSerializer
    lookup_field = "slug"


class SavingLineViewSet(PolicyReadOnlyViewSet):
    model = SavingLine
    serializer_class = SavingLineSerializer
    filterset_class = SavingLineFilterSet
    lookup_field = "reference"

    def get_queryset(self):
        shares = PartnerShare.objects.visible_to(self.request.user).select_related("partner")
        return selectors.line_list(user=self.request.user).prefetch_related(
            Prefetch("shares", queryset=shares, to_attr="shown_shares")
        )

    @extend_schema(
        request=SavingsUpdateInputSerializer, responses={201: SavingsUpdateSerializer, 409: StaleVersionSerializer}
    )
    @action(detail=True, methods=["post"], url_path="updates", url_name="record-update")
    def record_update(self, request, reference=None):
        line = self.get_object()
        data = SavingsUpdateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        try:
            update = services.savings_update_record(
                user=request.user,
                line=line,
                expected_version=values.pop("version"),
                financial_year=values.pop("financial_year", selectors.reporting_year()),
                **values,
            )
        except services.StaleVersion as stale:
            return Response(
                {"detail": stale.messages[0], "changes": stale.changes, "version": stale.version},
                status=status.HTTP_409_CONFLICT,
            )
        return Response(SavingsUpdateSerializer(update).data, status=status.HTTP_201_CREATED)


class YearTargetViewSet(PolicyReadOnlyViewSet):
    model = YearTarget
    serializer_class = YearTargetSerializer
    filterset_class = YearTargetFilterSet

    def scope_queryset(self, queryset):
        return queryset.select_related("line")


class SavingsUpdateViewSet(PolicyReadOnlyViewSet):
    model = SavingsUpdate
    serializer_class = SavingsUpdateSerializer
    filterset_class = SavingsUpdateFilterSet

    def scope_queryset(self, queryset):
        return queryset.select_related("line", "recorded_by")


def register(router):
    router.register("savings/programmes", ProgrammeViewSet, basename="programme")
    router.register("savings/lines", SavingLineViewSet, basename="savingline")
    router.register("savings/year-targets", YearTargetViewSet, basename="yeartarget")
    router.register("savings/updates", SavingsUpdateViewSet, basename="savingsupdate")
