import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.delivery.models import Activity

from .factories import ActivityFactory, PlanFactory

PLAN_URL = "/delivery/"


def titles(response):
    return {
        a.title for column in response.context["columns"] for a in column.key_activities + column.corporate_activities
    }


def test_the_plan_page_is_the_strategy_table(plan_world, client_for):
    response = client_for("committee").get(reverse("delivery:plan_current"))
    assert response.status_code == 200
    text = response.content.decode()
    for heading in (
        "Strategic objectives",
        "Service level priorities / outcomes (All)",
        "Key activities to support the corporate priorities of the Councils we work with",
        "Focusing on our customers",
        "Growing our business",
        "Delivering services within targets",
    ):
        assert heading in text
    assert "Develop online services for customers" in text
    assert "(EXT)" in text and "On track" in text and "40%" in text
    assert titles(response) == {a.title for a in plan_world["activities"].values()}


def test_overdue_activities_are_flagged(plan_world, client_for):
    response = client_for("director.ict").get(PLAN_URL)
    flagged = {a.title for c in response.context["columns"] for a in c.key_activities if a.is_overdue}
    assert flagged == {"Embed the services provided to Norfolk Council"}
    assert "Overdue" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=at_risk", {"Embed the services provided to Norfolk Council"}),
        ("overdue=true", {"Embed the services provided to Norfolk Council"}),
        ("kind=corporate", {"Support the new intranet", "Support the social care system"}),
    ],
)
def test_filters_narrow_the_activities(plan_world, client_for, query, expected):
    response = client_for("admin").get(f"{PLAN_URL}?{query}")
    assert titles(response) == expected


def test_filter_by_area_owner_and_objective(plan_world, client_for):
    client = client_for("admin")
    ext = plan_world["areas"]["EXT"]
    assert titles(client.get(f"{PLAN_URL}?area={ext.pk}")) == {"Develop online services for customers"}
    owner = plan_world["users"]["director.ict"]
    assert titles(client.get(f"{PLAN_URL}?owner={owner.pk}")) == {"Embed the services provided to Norfolk Council"}
    growing = plan_world["objectives"]["growing"]
    response = client.get(f"{PLAN_URL}?objective={growing.pk}")
    assert [c.objective.title for c in response.context["columns"]] == ["Growing our business"]
    assert "Focusing on our customers</th>" not in response.content.decode()


def test_an_activity_led_by_all_areas_matches_every_area_filter(plan_world, client_for):
    everyone = ActivityFactory(
        objective=plan_world["objectives"]["growing"],
        title="Provision of quality services as business as usual",
        all_areas=True,
        lead_areas=list(plan_world["areas"].values()),
        due_on=timezone.localdate() + dt.timedelta(days=90),
    )
    ict = plan_world["areas"]["ICT"]
    response = client_for("admin").get(f"{PLAN_URL}?area={ict.pk}")
    assert everyone.title in titles(response)
    assert "(All)" in response.content.decode()


def test_partner_officers_see_their_councils_priorities_marked_and_not_the_others(plan_world, client_for):
    text = client_for("officer.havering").get(PLAN_URL).content.decode()
    assert "Support the new intranet" in text and "Support the social care system" in text
    assert "Supports Havering's priorities" in text
    assert text.count("Supports Havering") == 1
    assert "Supports Newham" not in text and "London Borough of Newham" not in text
    staff_text = client_for("admin").get(PLAN_URL).content.decode()
    assert "Supports London Borough of Newham" in staff_text


def test_a_draft_plan_is_hidden_from_partners_and_the_committee(plan_world, client_for):
    draft = PlanFactory(financial_year=plan_world["plan"].financial_year + 1, status="draft")
    url = draft.get_absolute_url()
    assert client_for("officer.havering").get(url).status_code == 404
    assert client_for("committee").get(url).status_code == 404
    assert client_for("officer.exchequer").get(url).status_code == 200


def test_no_plan_yet(world, client_for):
    response = client_for("admin").get(PLAN_URL)
    assert response.status_code == 200
    assert "There is no delivery plan yet." in response.content.decode()


@pytest.mark.parametrize("extra", [0, 40])
def test_plan_page_queries_do_not_grow_with_activities(plan_world, client_for, django_assert_max_num_queries, extra):
    objective = plan_world["objectives"]["growing"]
    for n in range(extra):
        ActivityFactory(
            objective=objective,
            kind=Activity.Kind.KEY if n % 2 else Activity.Kind.CORPORATE,
            title=f"Extra activity {n}",
            lead_areas=[plan_world["areas"]["ICT"]],
            supported_partners=[plan_world["havering"]],
            owner=plan_world["users"]["director.ict"],
        )
    for username in ("admin", "officer.havering"):
        client = client_for(username)
        # Two of them: traded income and the growth pipeline for the growth objective (apps/growth).
        with django_assert_max_num_queries(15):
            response = client.get(f"{PLAN_URL}?status=&overdue=")
        assert response.status_code == 200
        assert len(titles(response)) == 4 + extra
