"""Writes to transformation projects. Forms and the API both call these."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from apps.core.policy import is_admin, role_of
from apps.core.roles import Role

from .models import Project, ProjectStageChange, ProjectUpdate

PROJECT_FIELDS = ("area", "title", "summary", "lead", "starts_on", "planned_end_on", "consultation_notes", "rag")
PROJECT_RELATIONS = ("techniques", "customers_consulted")


def _may_create_in(user, area) -> bool:
    if is_admin(user):
        return True
    return role_of(user) == Role.DIRECTOR and user.service_areas.filter(pk=area.pk).exists()


def _require_editable(user, project: Project):
    if not Project.objects.editable_by(user).filter(pk=project.pk).exists():
        raise PermissionDenied("Only the project's lead, the area's director or an administrator may change it.")


def _not_in_future(day: dt.date, field: str):
    if day > timezone.localdate():
        raise ValidationError({field: "This date cannot be in the future."})


@transaction.atomic
def project_save(*, user, project: Project | None = None, **data) -> Project:
    """Create a project (``project`` None) or change one, with its techniques and customers consulted."""
    if project is None:
        project = Project()
        area = data.get("area")
        if area is None or not _may_create_in(user, area):
            raise PermissionDenied("Only an administrator or the area's director may start a project there.")
    else:
        _require_editable(user, project)
        project = Project.objects.select_for_update().get(pk=project.pk)
        if "area" in data and data["area"] != project.area and not _may_create_in(user, data["area"]):
            raise PermissionDenied("You may not move a project into another director's area.")
    for name in PROJECT_FIELDS:
        if name in data:
            setattr(project, name, data[name])
    project.full_clean()
    project.save()
    for name in PROJECT_RELATIONS:
        if name in data:
            getattr(project, name).set(data[name])
    return project


@transaction.atomic
def project_move_stage(
    *, user, project: Project, stage: str, note: str = "", changed_on: dt.date | None = None
) -> ProjectStageChange:
    """Move a project to another stage and record the move; entering analysis starts its six months."""
    _require_editable(user, project)
    project = Project.objects.select_for_update().get(pk=project.pk)
    changed_on = changed_on or timezone.localdate()
    _not_in_future(changed_on, "changed_on")
    if changed_on < project.starts_on:
        raise ValidationError({"changed_on": "A project cannot change stage before it starts."})
    change = ProjectStageChange(
        project=project,
        from_stage=project.stage,
        to_stage=stage,
        changed_on=changed_on,
        changed_by=user,
        note=(note or "").strip(),
    )
    if stage == project.stage:
        raise ValidationError({"stage": f"The project is already at the {project.get_stage_display().lower()} stage."})
    change.full_clean()
    change.save()
    project.stage = stage
    if stage == Project.Stage.ANALYSIS:
        project.analysis_started_on = changed_on
    project.full_clean()
    project.save()
    return change


@transaction.atomic
def project_update_post(
    *, user, project: Project, rag: str, narrative: str, posted_on: dt.date | None = None
) -> ProjectUpdate:
    """Record a dated update; the project takes its RAG status."""
    _require_editable(user, project)
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.stage == Project.Stage.CLOSED:
        raise ValidationError("This project is closed: it takes no more updates.")
    posted_on = posted_on or timezone.localdate()
    _not_in_future(posted_on, "posted_on")
    update = ProjectUpdate(
        project=project, posted_on=posted_on, rag=rag, narrative=(narrative or "").strip(), author=user
    )
    update.full_clean()
    update.save()
    project.rag = rag
    project.save()
    return update
