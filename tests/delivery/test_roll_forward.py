import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.delivery import services
from apps.delivery.models import Activity, Outcome, Plan, StrategicObjective


def roll(plan_world, **kwargs):
    return services.plan_roll_forward(user=plan_world["users"]["admin"], plan=plan_world["plan"], **kwargs)


def test_roll_forward_copies_objectives_and_unfinished_activities_as_a_draft(plan_world):
    done = plan_world["activities"]["havering"]
    Activity.objects.filter(pk=done.pk).update(status="complete", progress=100)
    Activity.objects.filter(pk=plan_world["activities"]["newham"].pk).update(status="cancelled")
    new_plan = roll(plan_world)
    assert new_plan.financial_year == plan_world["plan"].financial_year + 1
    assert new_plan.status == Plan.Status.DRAFT and new_plan.rolled_from == plan_world["plan"]
    assert list(new_plan.objectives.values_list("title", flat=True)) == [
        "Focusing on our customers",
        "Growing our business",
    ]
    assert Outcome.objects.filter(objective__plan=new_plan).count() == 1
    carried = Activity.objects.filter(objective__plan=new_plan)
    assert set(carried.values_list("title", flat=True)) == {
        "Develop online services for customers",
        "Embed the services provided to Norfolk Council",
    }
    norfolk = carried.get(title="Embed the services provided to Norfolk Council")
    assert norfolk.status == "not_started" and norfolk.progress == 60
    assert norfolk.rolled_from == plan_world["activities"]["norfolk"]
    assert norfolk.owner == plan_world["users"]["director.ict"]
    assert [a.code for a in norfolk.lead_areas.all()] == ["ICT"]
    assert norfolk.starts_on.month == 4 and norfolk.due_on.month == 3
    assert norfolk.due_on.year == new_plan.financial_year + 1


def test_roll_forward_is_all_or_nothing(plan_world):
    # An activity that no longer passes validation stops the copy part way: nothing is left behind.
    Activity.objects.filter(pk=plan_world["activities"]["norfolk"].pk).update(title="")
    with pytest.raises(ValidationError):
        roll(plan_world)
    assert Plan.objects.count() == 1
    assert StrategicObjective.objects.count() == 2
    assert Activity.objects.count() == 4


def test_roll_forward_refuses_a_year_that_already_has_a_plan(plan_world):
    roll(plan_world)
    with pytest.raises(ValidationError) as error:
        roll(plan_world)
    assert "There is already a delivery plan for" in error.value.message_dict["financial_year"][0]
    with pytest.raises(ValidationError):
        roll(plan_world, financial_year=plan_world["plan"].financial_year)


def test_only_admins_roll_forward(plan_world, client_for):
    with pytest.raises(PermissionDenied):
        services.plan_roll_forward(user=plan_world["users"]["director.ict"], plan=plan_world["plan"])
    url = f"/delivery/{plan_world['plan'].financial_year}/roll-forward/"
    assert client_for("director.ict").post(url, {"financial_year": 2099}).status_code == 403
    assert Plan.objects.count() == 1


def test_roll_forward_then_publish_through_the_pages(plan_world, client_for):
    client = client_for("admin")
    year = plan_world["plan"].financial_year
    response = client.post(f"/delivery/{year}/roll-forward/", {"financial_year": year + 1})
    assert response.status_code == 302 and response.url == f"/delivery/{year + 1}/"
    assert "Draft" in client.get(response.url).content.decode()
    assert client_for("committee").get(response.url).status_code == 404
    assert client.post(f"/delivery/{year + 1}/publish/", {}).status_code == 302
    assert client_for("committee").get(response.url).status_code == 200
