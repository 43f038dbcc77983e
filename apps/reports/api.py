"""Published reports and committee packs through the API: read-only, by the same policy as the pages."""

from rest_framework import serializers, viewsets

from apps.core.api import PolicyViewSetMixin, PortalModelSerializer

from .filters import PublishedReportFilterSet
from .models import CommitteePack, PublishedReport


class PublishedReportSerializer(PortalModelSerializer):
    period = serializers.DateField(source="report.period")
    partner = serializers.SlugRelatedField(source="report.partner", slug_field="slug", read_only=True, allow_null=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = PublishedReport
        fields = [
            "id",
            "period",
            "partner",
            "version",
            "reason",
            "published_at",
            "is_latest",
            "headline",
            "snapshot",
            "url",
        ]

    def get_url(self, obj) -> str:
        return obj.get_absolute_url()


class PublishedReportListSerializer(PublishedReportSerializer):
    """A list gives each version's headline figures; a report's whole snapshot is on its own URL."""

    class Meta(PublishedReportSerializer.Meta):
        fields = [f for f in PublishedReportSerializer.Meta.fields if f != "snapshot"]


class PublishedReportViewSet(PolicyViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Published monthly reports: a partner officer's own council's only. The list leaves out the snapshots."""

    model = PublishedReport
    serializer_class = PublishedReportSerializer
    filterset_class = PublishedReportFilterSet

    def get_serializer_class(self):
        return PublishedReportListSerializer if self.action == "list" else PublishedReportSerializer

    def scope_queryset(self, queryset):
        queryset = queryset.select_related("report__partner").defer("report__snapshot", "report__headline")
        return queryset.defer("snapshot") if self.action == "list" else queryset


class CommitteePackSerializer(PortalModelSerializer):
    class Meta:
        model = CommitteePack
        fields = ["id", "period", "status", "built_at"]


class CommitteePackViewSet(PolicyViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Joint Committee packs: administrators and committee members only."""

    model = CommitteePack
    serializer_class = CommitteePackSerializer
    filterset_fields = ["period", "status"]


def register(router):
    router.register("reports", PublishedReportViewSet, basename="report")
    router.register("committee-packs", CommitteePackViewSet, basename="committee-pack")
