import pytest

from apps.delivery.models import Activity, ActivityUpdate

from .factories import ActivityFactory


def test_activities_are_filtered_as_the_page(plan_world, api_for):
    api = api_for("committee")
    body = api.get("/api/v1/activities/", {"overdue": "true"}).json()
    assert [row["title"] for row in body["results"]] == ["Embed the services provided to Norfolk Council"]
    assert body["results"][0]["is_overdue"] is True
    ext = plan_world["areas"]["EXT"]
    body = api.get("/api/v1/activities/", {"area": ext.pk, "year": plan_world["plan"].financial_year}).json()
    assert [row["title"] for row in body["results"]] == ["Develop online services for customers"]
    assert body["results"][0]["lead_codes"] == "EXT"


def test_a_partner_officer_sees_only_their_own_councils_marking(plan_world, api_for):
    rows = api_for("officer.havering").get("/api/v1/activities/", {"kind": "corporate"}).json()["results"]
    assert {row["title"]: row["supports_my_council"] for row in rows} == {
        "Support the new intranet": True,
        "Support the social care system": False,
    }
    assert all("supported_partners" not in row for row in rows)
    staff = api_for("admin").get("/api/v1/activities/", {"kind": "corporate"}).json()["results"]
    assert {row["title"]: row["supported_partners"] for row in staff}["Support the social care system"] == ["newham"]


def test_plans_and_objectives(plan_world, api_for):
    api = api_for("officer.newham")
    plans = api.get("/api/v1/plans/").json()["results"]
    assert [p["financial_year"] for p in plans] == [plan_world["plan"].financial_year]
    objectives = api.get("/api/v1/objectives/", {"plan": plan_world["plan"].pk}).json()["results"]
    assert [o["title"] for o in objectives] == ["Focusing on our customers", "Growing our business"]
    assert objectives[0]["outcomes"][0]["title"] == "Delivering services within targets"


def test_posting_an_update_through_the_api(plan_world, api_for):
    activity = plan_world["activities"]["online"]
    response = api_for("officer.exchequer").post(
        "/api/v1/activity-updates/",
        {"activity": activity.pk, "status": "at_risk", "progress": 45, "narrative": "Testing slipped."},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["author"]
    activity.refresh_from_db()
    assert (activity.status, activity.progress) == ("at_risk", 45)


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"progress": 150}, "progress", "Progress is a percentage from 0 to 100."),
        ({"status": "complete", "progress": 80}, "progress", "A complete activity is 100% done."),
    ],
)
def test_bad_updates_are_refused_with_a_message(plan_world, api_for, payload, field, message):
    activity = plan_world["activities"]["online"]
    data = {"activity": activity.pk, "status": "on_track", "progress": 50, "narrative": "x", **payload}
    response = api_for("officer.exchequer").post("/api/v1/activity-updates/", data, format="json")
    assert response.status_code == 400
    assert message in response.json()[field]
    assert not ActivityUpdate.objects.exists()


def test_an_update_on_a_cancelled_activity_is_refused_by_the_api(plan_world, api_for):
    activity = plan_world["activities"]["online"]
    Activity.objects.filter(pk=activity.pk).update(status="cancelled")
    data = {"activity": activity.pk, "status": "on_track", "progress": 50, "narrative": "x"}
    response = api_for("officer.exchequer").post("/api/v1/activity-updates/", data, format="json")
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["This activity is cancelled: it takes no more updates."]}


def test_others_may_not_post_updates(plan_world, api_for):
    data = {"activity": plan_world["activities"]["online"].pk, "status": "on_track", "progress": 5, "narrative": "x"}
    assert api_for("officer.havering").post("/api/v1/activity-updates/", data, format="json").status_code == 403
    assert not ActivityUpdate.objects.exists()


def test_roll_forward_through_the_api(plan_world, api_for):
    url = f"/api/v1/plans/{plan_world['plan'].pk}/roll-forward/"
    assert api_for("director.ict").post(url, {}, format="json").status_code == 403
    response = api_for("admin").post(url, {}, format="json")
    assert response.status_code == 201
    assert response.json()["status"] == "draft"


@pytest.mark.parametrize("extra", [0, 30])
def test_activity_list_queries_are_constant(plan_world, api_for, django_assert_max_num_queries, extra):
    for n in range(extra):
        ActivityFactory(
            objective=plan_world["objectives"]["growing"],
            title=f"More {n}",
            lead_areas=[plan_world["areas"]["EXT"]],
            supported_partners=[plan_world["havering"]],
            owner=plan_world["users"]["officer.exchequer"],
        )
    for username in ("admin", "officer.havering"):
        api = api_for(username)
        with django_assert_max_num_queries(8):
            response = api.get("/api/v1/activities/")
        assert response.json()["count"] == 4 + extra
