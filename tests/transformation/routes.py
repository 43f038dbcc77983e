"""Transformation projects in the isolation matrix: oneSource's own programme, not shown to partners."""

from tests.isolation import Route

from .factories import ProjectFactory


def _project(world):
    from apps.transformation.models import Project

    return Project.objects.first() or ProjectFactory(area=world["areas"]["EXT"], title="Council Tax review")


def _update(world):
    from apps.transformation.models import ProjectUpdate

    project = _project(world)
    return ProjectUpdate.objects.first() or ProjectUpdate.objects.create(
        project=project, posted_on=project.starts_on, rag="green", narrative="Started.", author=world["users"]["admin"]
    )


def _change(world):
    from apps.transformation.models import ProjectStageChange

    project = _project(world)
    return ProjectStageChange.objects.first() or ProjectStageChange.objects.create(
        project=project,
        from_stage="scoping",
        to_stage="analysis",
        changed_on=project.starts_on,
        changed_by=world["users"]["admin"],
    )


PAGES = {
    "transformation:project_list": Route.page(lambda w: _project(w) and "/projects/", other=["Council Tax review"]),
    "transformation:project_create": Route.denied("/projects/new/"),
    "transformation:project_detail": Route.denied(lambda w: _project(w).get_absolute_url()),
    "transformation:project_change": Route.denied(lambda w: f"/projects/{_project(w).pk}/edit/"),
    "transformation:project_stage": Route.denied(lambda w: f"/projects/{_project(w).pk}/stage/"),
    "transformation:project_update": Route.denied(lambda w: f"/projects/{_project(w).pk}/update/"),
}

API = {
    "project-list": Route.listing(lambda w: _project(w) and "/api/v1/projects/", other=["Council Tax review"]),
    "project-detail": Route.denied(lambda w: f"/api/v1/projects/{_project(w).pk}/"),
    "project-stage": Route.action(other=lambda w: f"/api/v1/projects/{_project(w).pk}/stage/"),
    "projectstagechange-list": Route.listing(
        lambda w: _change(w) and "/api/v1/project-stage-changes/", other=['"to_stage"']
    ),
    "projectstagechange-detail": Route.denied(lambda w: f"/api/v1/project-stage-changes/{_change(w).pk}/"),
    "projectupdate-list": Route.listing(lambda w: _update(w) and "/api/v1/project-updates/", other=["Started."]),
    "projectupdate-detail": Route.denied(lambda w: f"/api/v1/project-updates/{_update(w).pk}/"),
}
