from decimal import Decimal

import pytest

from apps.savings.models import SavingsUpdate, Status
from tests.savings.factories import make_line
from tests.transformation.factories import ProjectFactory

LINES = "/api/v1/savings/lines/"


@pytest.fixture
def lines(world, reporting_2016):
    shared = make_line(
        area=world["areas"]["ICT"],
        partners={world["havering"]: "60.00", world["newham"]: "40.00"},
        targets={2016: "1000.00"},
        reference="ICT-SHARED",
    )
    newham_only = make_line(
        area=world["areas"]["EXT"],
        partners={world["newham"]: "100.00"},
        targets={2016: "700.00"},
        reference="EXT-NEWHAM",
    )
    return {"shared": shared, "newham_only": newham_only}


def update_body(**overrides):
    body = {"version": 1, "forecast": "800.00", "achieved": "200.00", "status": "at_risk", "commentary": "Late."}
    body.update(overrides)
    return body


def test_posting_an_update_goes_through_the_service(api_for, lines):
    response = api_for("director.ict").post(f"{LINES}ICT-SHARED/updates/", update_body(), format="json")
    assert response.status_code == 201, response.content
    assert response.json()["line_version"] == 2 and response.json()["financial_year"] == 2016
    assert SavingsUpdate.objects.get().forecast == Decimal("800.00")


def test_a_stale_version_answers_409_with_what_changed(api_for, lines):
    client = api_for("director.ict")
    assert client.post(f"{LINES}ICT-SHARED/updates/", update_body(), format="json").status_code == 201
    response = api_for("admin").post(
        f"{LINES}ICT-SHARED/updates/", update_body(status="on_track", commentary=""), format="json"
    )
    assert response.status_code == 409
    assert response.json()["version"] == 2
    assert "£800.00" in response.json()["changes"][0]
    assert SavingsUpdate.objects.count() == 1


def test_bad_input_is_400_naming_the_field(api_for, lines):
    client = api_for("director.ict")
    response = client.post(f"{LINES}ICT-SHARED/updates/", update_body(forecast="-1.00"), format="json")
    assert response.status_code == 400 and "forecast" in response.json()
    response = client.post(f"{LINES}ICT-SHARED/updates/", update_body(commentary=""), format="json")
    assert response.status_code == 400 and "commentary" in response.json()
    assert not SavingsUpdate.objects.exists()


def test_a_director_cannot_update_another_areas_line_by_api(api_for, lines):
    response = api_for("director.exchequer").post(f"{LINES}ICT-SHARED/updates/", update_body(), format="json")
    assert response.status_code == 403
    assert (
        api_for("officer.havering").post(f"{LINES}EXT-NEWHAM/updates/", update_body(), format="json").status_code == 404
    )
    assert not SavingsUpdate.objects.exists()


def test_partner_officer_sees_only_their_lines_and_share(api_for, lines):
    body = api_for("officer.havering").get(LINES).json()
    assert [line["reference"] for line in body["results"]] == ["ICT-SHARED"]
    assert body["results"][0]["shares"] == [{"partner": "havering", "percentage": "60.00"}]


def test_a_lines_transformation_project_is_named_only_to_those_who_may_see_projects(api_for, lines, world):
    project = ProjectFactory(area=world["areas"]["ICT"], title="Cloud")
    lines["shared"].project = project
    lines["shared"].save(update_fields=["project"])
    assert api_for("officer.havering").get(f"{LINES}ICT-SHARED/").json()["project"] is None
    assert api_for("officer.havering").get(LINES).json()["results"][0]["project"] is None
    assert api_for("director.ict").get(f"{LINES}ICT-SHARED/").json()["project"] == project.pk


def test_filters_by_programme_area_year_status_and_owner(api_for, lines, world):
    client = api_for("admin")
    client.post(f"{LINES}ICT-SHARED/updates/", update_body(), format="json")
    assert [r["reference"] for r in client.get(LINES, {"area": "EXT"}).json()["results"]] == ["EXT-NEWHAM"]
    assert [r["reference"] for r in client.get(LINES, {"status": "at_risk", "year": 2016}).json()["results"]] == [
        "ICT-SHARED"
    ]
    assert client.get(LINES, {"year": 2017}).json()["count"] == 0
    updates = client.get("/api/v1/savings/updates/", {"status": Status.AT_RISK, "area": "ICT", "year": 2016}).json()
    assert updates["count"] == 1
    assert client.get("/api/v1/savings/year-targets/", {"area": "EXT"}).json()["count"] == 1
    assert client.get("/api/v1/savings/updates/", {"owner": "nobody"}).json()["count"] == 0


@pytest.mark.parametrize("count", [1, 15])
def test_api_lists_run_a_fixed_number_of_queries(api_for, world, lines, count, django_assert_max_num_queries):
    for n in range(count):
        line = make_line(
            area=world["areas"]["ICT"],
            partners={world["havering"]: "50.00", world["newham"]: "50.00"},
            targets={2016: "10.00"},
            reference=f"ICT-{n}",
        )
        SavingsUpdate.objects.create(
            line=line,
            financial_year=2016,
            period="2016-09-01",
            forecast=1,
            achieved=1,
            status="on_track",
            line_version=2,
            recorded_by=world["users"]["admin"],
        )
    client = api_for("officer.havering")
    for url, most in ((LINES, 5), ("/api/v1/savings/year-targets/", 4), ("/api/v1/savings/updates/", 4)):
        with django_assert_max_num_queries(most):
            assert client.get(url).status_code == 200
