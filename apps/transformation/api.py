from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.core.api import PolicyReadOnlyViewSet, PolicyViewSetMixin, PortalModelSerializer

from . import selectors, services
from .filters import ProjectFilterSet, ProjectUpdateFilterSet
from .models import Project, ProjectStageChange, ProjectUpdate


class ProjectSerializer(PortalModelSerializer):
    area = serializers.SlugRelatedField(slug_field="code", read_only=True)
    lead = serializers.StringRelatedField(allow_null=True)
    techniques = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    analysis_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = Project
        fields = [
            "id",
            "area",
            "title",
            "summary",
            "lead",
            "stage",
            "starts_on",
            "planned_end_on",
            "analysis_started_on",
            "analysis_overdue",
            "techniques",
            "customers_consulted",
            "consultation_notes",
            "rag",
        ]


class StageChangeSerializer(PortalModelSerializer):
    changed_by = serializers.StringRelatedField()

    class Meta:
        model = ProjectStageChange
        fields = ["id", "project", "from_stage", "to_stage", "changed_on", "changed_by", "note"]
        read_only_fields = ["project", "from_stage", "changed_by"]
        extra_kwargs = {"changed_on": {"required": False}}


class ProjectUpdateSerializer(PortalModelSerializer):
    author = serializers.StringRelatedField()
    posted_on = serializers.DateField(required=False)

    class Meta:
        model = ProjectUpdate
        fields = ["id", "project", "posted_on", "rag", "narrative", "author", "created_at"]
        read_only_fields = ["author", "created_at"]


class ProjectViewSet(PolicyReadOnlyViewSet):
    model = Project
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilterSet

    def get_queryset(self):
        return selectors.project_list(user=self.request.user).prefetch_related("customers_consulted")

    @extend_schema(responses={201: StageChangeSerializer})
    @action(detail=True, methods=["post"], serializer_class=StageChangeSerializer)
    def stage(self, request, pk=None):
        """Move the project to another stage; the move is recorded."""
        project = self.get_object()
        payload = StageChangeSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        change = services.project_move_stage(
            user=request.user,
            project=project,
            stage=data["to_stage"],
            note=data.get("note", ""),
            changed_on=data.get("changed_on"),
        )
        return Response(StageChangeSerializer(change).data, status=status.HTTP_201_CREATED)


class ProjectStageChangeViewSet(PolicyReadOnlyViewSet):
    model = ProjectStageChange
    serializer_class = StageChangeSerializer
    filterset_fields = ["project", "to_stage"]

    def scope_queryset(self, queryset):
        return queryset.select_related("changed_by")


class ProjectUpdateViewSet(PolicyViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    model = ProjectUpdate
    serializer_class = ProjectUpdateSerializer
    filterset_class = ProjectUpdateFilterSet

    def scope_queryset(self, queryset):
        return queryset.select_related("author")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        project = get_object_or_404(Project.objects.visible_to(self.request.user), pk=data.pop("project").pk)
        serializer.instance = services.project_update_post(user=self.request.user, project=project, **data)


def register(router):
    router.register("projects", ProjectViewSet, basename="project")
    router.register("project-stage-changes", ProjectStageChangeViewSet, basename="projectstagechange")
    router.register("project-updates", ProjectUpdateViewSet, basename="projectupdate")
