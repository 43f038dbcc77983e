import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.core.periods import add_months_exact
from apps.transformation import services
from apps.transformation.models import Project, ProjectStageChange, ProjectUpdate

from .factories import ProjectFactory


def move(project_world, stage, changed_on=None, username="director.exchequer", project="council_tax"):
    return services.project_move_stage(
        user=project_world["users"][username],
        project=project_world["projects"][project],
        stage=stage,
        note="Scoping agreed.",
        changed_on=changed_on,
    )


def test_moving_stage_is_recorded(project_world, client_for):
    today = timezone.localdate()
    move(project_world, "analysis", today - dt.timedelta(days=10))
    project = Project.objects.get(pk=project_world["projects"]["council_tax"].pk)
    assert project.stage == "analysis" and project.analysis_started_on == today - dt.timedelta(days=10)
    change = ProjectStageChange.objects.get()
    assert (change.from_stage, change.to_stage, change.changed_by.username) == (
        "scoping",
        "analysis",
        "director.exchequer",
    )
    text = client_for("committee").get(project.get_absolute_url()).content.decode()
    assert "Scoping agreed." in text and "Analysis" in text


def test_an_analysis_past_six_months_is_flagged(project_world, client_for):
    today = timezone.localdate()
    move(project_world, "analysis", add_months_exact(today, -6) - dt.timedelta(days=1))
    ProjectFactory(
        area=project_world["areas"]["EXT"], title="Fresh analysis", stage="analysis", analysis_started_on=today
    )
    response = client_for("admin").get("/projects/")
    flagged = {p.title for p in response.context["object_list"] if p.analysis_overdue}
    assert flagged == {"Council Tax and Housing Benefits review"}
    assert "Analysis past six months" in response.content.decode()
    only = client_for("admin").get("/projects/?analysis_overdue=true").context["object_list"]
    assert [p.title for p in only] == ["Council Tax and Housing Benefits review"]


def test_just_inside_six_months_is_not_flagged(project_world):
    today = timezone.localdate()
    move(project_world, "analysis", add_months_exact(today, -6))
    project = Project.objects.with_flags(today).get(pk=project_world["projects"]["council_tax"].pk)
    assert project.analysis_overdue is False


def test_the_same_stage_is_refused(project_world):
    with pytest.raises(ValidationError) as error:
        move(project_world, "scoping")
    assert error.value.message_dict == {"stage": ["The project is already at the scoping stage."]}
    assert not ProjectStageChange.objects.exists()


def test_updates_are_dated_and_set_the_rag(project_world, client_for):
    project = project_world["projects"]["council_tax"]
    client = client_for("officer.exchequer")
    response = client.post(
        f"/projects/{project.pk}/update/",
        {"posted_on": timezone.localdate().isoformat(), "rag": "red", "narrative": "Consultation delayed."},
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.rag == "red"
    text = client.get(project.get_absolute_url()).content.decode()
    assert "Consultation delayed." in text and "Value stream mapping" in text
    assert "London Borough of Havering, London Borough of Newham" in text


def test_a_closed_project_takes_no_updates(project_world):
    move(project_world, "closed")
    with pytest.raises(ValidationError, match=r"This project is closed: it takes no more updates\."):
        services.project_update_post(
            user=project_world["users"]["admin"],
            project=project_world["projects"]["council_tax"],
            rag="red",
            narrative="x",
        )
    assert not ProjectUpdate.objects.exists()


def test_a_planned_end_before_the_start_is_refused(project_world, client_for):
    response = client_for("director.exchequer").post(
        "/projects/new/",
        {
            "area": project_world["areas"]["EXT"].pk,
            "title": "Debt recovery review",
            "starts_on": "2026-06-01",
            "planned_end_on": "2026-05-01",
            "rag": "green",
        },
    )
    assert response.status_code == 200
    assert "The planned end cannot be before the start." in response.content.decode()
    assert not Project.objects.filter(title="Debt recovery review").exists()


def test_a_director_starts_a_project_in_their_area_with_techniques_and_customers(project_world, client_for):
    response = client_for("director.exchequer").post(
        "/projects/new/",
        {
            "area": project_world["areas"]["EXT"].pk,
            "title": "Debt recovery review",
            "starts_on": "2026-06-01",
            "planned_end_on": "2026-12-01",
            "rag": "green",
            "techniques": [project_world["vsm"].pk],
            "customers_consulted": [project_world["newham"].pk],
        },
    )
    assert response.status_code == 302
    project = Project.objects.get(title="Debt recovery review")
    assert [t.name for t in project.techniques.all()] == ["Value stream mapping"]
    assert [p.slug for p in project.customers_consulted.all()] == ["newham"]
    other_area = client_for("director.exchequer").post(
        "/projects/new/",
        {
            "area": project_world["areas"]["ICT"].pk,
            "title": "Not mine",
            "starts_on": "2026-06-01",
            "planned_end_on": "2026-12-01",
            "rag": "green",
        },
    )
    assert other_area.status_code == 403
    assert not Project.objects.filter(title="Not mine").exists()


def test_who_sees_and_changes_projects(project_world, client_for):
    council_tax, servers = project_world["projects"]["council_tax"], project_world["projects"]["servers"]
    officer = client_for("officer.exchequer")
    assert [p.title for p in officer.get("/projects/").context["object_list"]] == [council_tax.title]
    assert officer.get(servers.get_absolute_url()).status_code == 404
    assert client_for("officer.havering").get(council_tax.get_absolute_url()).status_code == 404
    assert list(client_for("officer.havering").get("/projects/").context["object_list"]) == []
    assert client_for("committee").get(servers.get_absolute_url()).status_code == 200
    assert client_for("committee").get(f"/projects/{servers.pk}/stage/").status_code == 403
    assert client_for("director.ict").get(f"/projects/{council_tax.pk}/stage/").status_code == 403
    assert client_for("director.ict").get(f"/projects/{servers.pk}/stage/").status_code == 200


@pytest.mark.parametrize("extra", [0, 30])
def test_project_list_queries_are_constant(project_world, client_for, django_assert_max_num_queries, extra):
    for n in range(extra):
        ProjectFactory(
            area=project_world["areas"]["EXT"],
            title=f"Extra {n}",
            techniques=[project_world["vsm"]],
            lead=project_world["users"]["director.exchequer"],
        )
    client = client_for("admin")
    with django_assert_max_num_queries(9):
        response = client.get("/projects/")
    assert response.context["paginator"].count == 2 + extra


def test_an_officer_leading_a_project_in_another_area_sees_and_updates_it(project_world, client_for):
    servers = project_world["projects"]["servers"]
    servers.lead = project_world["users"]["officer.exchequer"]
    servers.save()
    client = client_for("officer.exchequer")
    assert client.get(servers.get_absolute_url()).status_code == 200
    response = client.post(
        f"/projects/{servers.pk}/update/",
        {"posted_on": timezone.localdate().isoformat(), "rag": "green", "narrative": "Back on track."},
    )
    assert response.status_code == 302
    assert ProjectUpdate.objects.get().narrative == "Back on track."
