import datetime as dt

from django.utils import timezone

from apps.delivery.models import Activity

from .factories import ActivityFactory


def test_an_officer_sees_their_activities_due_soon_or_overdue(plan_world, client_for):
    online = plan_world["activities"]["online"]
    Activity.objects.filter(pk=online.pk).update(due_on=timezone.localdate() + dt.timedelta(days=5))
    ActivityFactory(
        objective=plan_world["objectives"]["growing"],
        title="Far off",
        owner=plan_world["users"]["officer.exchequer"],
        due_on=timezone.localdate() + dt.timedelta(days=60),
    )
    text = client_for("officer.exchequer").get("/").content.decode()
    assert "Delivery plan activities due soon or overdue" in text
    assert "Develop online services for customers" in text
    assert "Far off" not in text and "Embed the services provided to Norfolk Council" not in text


def test_a_director_sees_the_overdue_activities_of_their_areas(plan_world, client_for):
    text = client_for("director.ict").get("/").content.decode()
    assert "Embed the services provided to Norfolk Council" in text
    assert "Overdue" in text
    assert "Develop online services for customers" not in text


def test_partner_officers_and_the_committee_get_no_panel(plan_world, client_for):
    for username in ("officer.havering", "committee"):
        assert "Delivery plan activities due soon" not in client_for(username).get("/").content.decode()


def test_a_councils_page_lists_the_activities_supporting_its_priorities(plan_world, client_for):
    text = client_for("officer.havering").get("/partners/havering/").content.decode()
    assert "supporting Havering's priorities" in text
    assert "Support the new intranet" in text
    assert "Support the social care system" not in text
    newham = client_for("admin").get("/partners/newham/").content.decode()
    assert "Support the social care system" in newham and "Support the new intranet" not in newham


def test_last_years_plan_does_not_crowd_the_dashboard(plan_world, client_for):
    from apps.core.periods import FinancialYear

    from .factories import ObjectiveFactory, PlanFactory

    last_year = FinancialYear.of(timezone.localdate()).previous()
    old = ObjectiveFactory(plan=PlanFactory(financial_year=last_year.start_year), position=1, title="Old")
    ActivityFactory(
        objective=old,
        title="Last year's unfinished work",
        owner=plan_world["users"]["officer.exchequer"],
        due_on=last_year.ends_on,
    )
    text = client_for("officer.exchequer").get("/").content.decode()
    assert "Last year&#x27;s unfinished work" not in text and "Last year's unfinished work" not in text
