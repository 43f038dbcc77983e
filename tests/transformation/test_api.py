import pytest
from django.utils import timezone

from apps.transformation.models import ProjectStageChange, ProjectUpdate

from .factories import ProjectFactory


def test_projects_are_listed_with_their_flags(project_world, api_for):
    rows = api_for("committee").get("/api/v1/projects/", {"area": project_world["areas"]["EXT"].pk}).json()["results"]
    assert [(r["title"], r["techniques"], r["analysis_overdue"]) for r in rows] == [
        ("Council Tax and Housing Benefits review", ["value-stream-mapping"], False)
    ]


def test_partner_officers_get_no_projects(project_world, api_for):
    api = api_for("officer.havering")
    assert api.get("/api/v1/projects/").json()["count"] == 0
    assert api.get(f"/api/v1/projects/{project_world['projects']['council_tax'].pk}/").status_code == 404


def test_stage_moves_and_updates_through_the_api(project_world, api_for):
    project = project_world["projects"]["council_tax"]
    api = api_for("officer.exchequer")
    response = api.post(f"/api/v1/projects/{project.pk}/stage/", {"to_stage": "analysis", "note": "Go."}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["from_stage"] == "scoping"
    response = api.post(
        "/api/v1/project-updates/", {"project": project.pk, "rag": "amber", "narrative": "Mapping done."}, format="json"
    )
    assert response.status_code == 201
    assert api.get("/api/v1/project-stage-changes/").json()["count"] == 1
    project.refresh_from_db()
    assert (project.stage, project.rag, project.analysis_started_on) == ("analysis", "amber", timezone.localdate())


def test_bad_stage_move_is_refused(project_world, api_for):
    project = project_world["projects"]["council_tax"]
    response = api_for("admin").post(f"/api/v1/projects/{project.pk}/stage/", {"to_stage": "scoping"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"stage": ["The project is already at the scoping stage."]}
    future = api_for("admin").post(
        f"/api/v1/projects/{project.pk}/stage/", {"to_stage": "analysis", "changed_on": "2999-01-01"}, format="json"
    )
    assert future.status_code == 400 and "changed_on" in future.json()
    assert not ProjectStageChange.objects.exists()


def test_others_may_not_post(project_world, api_for):
    project = project_world["projects"]["council_tax"]
    data = {"project": project.pk, "rag": "red", "narrative": "x"}
    assert api_for("director.ict").post("/api/v1/project-updates/", data, format="json").status_code == 403
    assert api_for("officer.havering").post("/api/v1/project-updates/", data, format="json").status_code == 404
    assert not ProjectUpdate.objects.exists()


@pytest.mark.parametrize("extra", [0, 30])
def test_project_api_queries_are_constant(project_world, api_for, django_assert_max_num_queries, extra):
    for n in range(extra):
        ProjectFactory(area=project_world["areas"]["ICT"], title=f"More {n}", techniques=[project_world["vsm"]])
    api = api_for("admin")
    with django_assert_max_num_queries(7):
        response = api.get("/api/v1/projects/")
    assert response.json()["count"] == 2 + extra
