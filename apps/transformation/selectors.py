"""Reads of transformation projects, each in a fixed number of queries."""

from django.db.models import Prefetch

from .models import Project, ProjectStageChange, ProjectUpdate


def project_list(*, user):
    return (
        Project.objects.visible_to(user)
        .with_flags()
        .select_related("area", "lead")
        .prefetch_related("techniques")
        .order_by("area__display_order", "title")
    )


def project_detail(*, user, pk: int) -> Project:
    """Raises Project.DoesNotExist when the user may not see it."""
    return (
        project_list(user=user)
        .prefetch_related(
            "customers_consulted",
            Prefetch("updates", queryset=ProjectUpdate.objects.select_related("author")),
            Prefetch("stage_changes", queryset=ProjectStageChange.objects.select_related("changed_by")),
        )
        .get(pk=pk)
    )


def can_change_project(*, user, project: Project) -> bool:
    return Project.objects.editable_by(user).filter(pk=project.pk).exists()
