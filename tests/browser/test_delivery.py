import datetime as dt

import pytest
from django.utils import timezone

from apps.core.periods import FinancialYear
from apps.delivery.models import Activity
from tests.delivery.factories import ActivityFactory, ObjectiveFactory, OutcomeFactory, PlanFactory
from tests.factories import PASSWORD
from tests.transformation.factories import ProjectFactory, TechniqueFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def delivery(world):
    today = timezone.localdate()
    year = FinancialYear.of(today)
    plan = PlanFactory(financial_year=year.start_year)
    objective = ObjectiveFactory(plan=plan, position=1, title="Focusing on our customers")
    OutcomeFactory(objective=objective, position=1, title="Delivering services within targets")
    activity = ActivityFactory(
        objective=objective,
        position=1,
        title="Develop online services for customers",
        lead_areas=[world["areas"]["EXT"]],
        owner=world["users"]["officer.exchequer"],
        starts_on=year.starts_on,
        due_on=today - dt.timedelta(days=2),
        status=Activity.Status.ON_TRACK,
    )
    ActivityFactory(
        objective=objective,
        kind=Activity.Kind.CORPORATE,
        position=1,
        title="Support the new intranet",
        supported_partners=[world["havering"]],
        lead_areas=[world["areas"]["ICT"]],
        starts_on=year.starts_on,
        due_on=year.ends_on,
    )
    project = ProjectFactory(
        area=world["areas"]["EXT"],
        title="Council Tax and Housing Benefits review",
        techniques=[TechniqueFactory(name="Value stream mapping", slug="value-stream-mapping")],
        customers_consulted=[world["havering"]],
    )
    return {"plan": plan, "activity": activity, "project": project}


def test_an_owner_posts_an_update_and_the_plan_shows_the_new_status(delivery, live_server, sign_in):
    page = sign_in("officer.exchequer", PASSWORD)
    page.get_by_role("link", name="Delivery plan", exact=True).click()
    table = page.get_by_role("table", name="Strategic objectives, outcomes and activities")
    assert table.get_by_text("Overdue").is_visible()
    table.get_by_role("link", name="Develop online services for customers").click()
    page.get_by_role("link", name="Post an update").click()
    page.get_by_label("Status").select_option(label="At risk")
    page.get_by_label("Progress (per cent)").fill("65")
    page.get_by_label("What has happened").fill("The supplier's release slipped to next month.")
    page.get_by_role("button", name="Post update").click()
    assert page.get_by_text("The supplier's release slipped to next month.").is_visible()
    page.get_by_role("link", name="Delivery plan", exact=True).click()
    item = page.get_by_role("listitem").filter(has_text="Develop online services for customers")
    assert "At risk" in item.inner_text() and "65%" in item.inner_text()


def test_delivery_and_project_pages_meet_wcag_22_aa(delivery, live_server, page, sign_in, axe):
    sign_in("director.exchequer", PASSWORD)
    for path in (
        "/delivery/",
        delivery["activity"].get_absolute_url(),
        f"/delivery/activities/{delivery['activity'].pk}/update/",
        "/projects/",
        delivery["project"].get_absolute_url(),
        f"/projects/{delivery['project'].pk}/stage/",
        "/",
    ):
        page.goto(f"{live_server.url}{path}")
        axe(page)
    page.goto(f"{live_server.url}/delivery/activities/{delivery['activity'].pk}/update/")
    page.get_by_label("Progress (per cent)").fill("150")
    page.get_by_role("button", name="Post update").click()
    assert page.get_by_text("Progress is a percentage from 0 to 100.").first.is_visible()
    axe(page)
    page.get_by_role("button", name="Sign out").click()
    sign_in("officer.havering", PASSWORD)
    page.goto(f"{live_server.url}/delivery/")
    assert page.get_by_text("Supports Havering's priorities").is_visible()
    axe(page)
