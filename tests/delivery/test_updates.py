import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from apps.delivery import services
from apps.delivery.models import Activity, ActivityUpdate


def post(client, activity, **data):
    form = {"posted_on": timezone.localdate().isoformat(), "status": "on_track", "progress": "50", "narrative": "Done."}
    form.update(data)
    return client.post(f"/delivery/activities/{activity.pk}/update/", form)


def test_the_owner_posts_an_update_and_the_plan_shows_it(plan_world, client_for):
    activity = plan_world["activities"]["online"]
    client = client_for("officer.exchequer")
    response = post(client, activity, status="at_risk", progress="55", narrative="Supplier slipped a month.")
    assert response.status_code == 302
    activity.refresh_from_db()
    assert (activity.status, activity.progress) == ("at_risk", 55)
    page = client.get(activity.get_absolute_url()).content.decode()
    assert "Supplier slipped a month." in page and "55%" in page
    plan_page = client.get("/delivery/?status=at_risk").content.decode()
    assert "Develop online services for customers" in plan_page


def test_the_activity_page_shows_the_dated_history(plan_world, client_for):
    activity = plan_world["activities"]["online"]
    user = plan_world["users"]["officer.exchequer"]
    today = timezone.localdate()
    services.activity_update_post(
        user=user,
        activity=activity,
        status="on_track",
        progress=20,
        narrative="Started.",
        posted_on=today - dt.timedelta(days=20),
    )
    services.activity_update_post(user=user, activity=activity, status="at_risk", progress=30, narrative="Delayed.")
    response = client_for("committee").get(activity.get_absolute_url())
    updates = list(response.context["updates"])
    assert [u.narrative for u in updates] == ["Delayed.", "Started."]
    text = response.content.decode()
    assert (today - dt.timedelta(days=20)).strftime("%-d %b %Y") in text
    assert "History of changes to this activity" in text


@pytest.mark.parametrize("username", ["director.exchequer", "admin"])
def test_the_area_director_and_admins_may_post(plan_world, client_for, username):
    activity = plan_world["activities"]["online"]
    assert post(client_for(username), activity).status_code == 302
    assert activity.updates.count() == 1


@pytest.mark.parametrize("username", ["director.ict", "committee", "officer.havering"])
def test_others_may_not_post(plan_world, client_for, username):
    activity = plan_world["activities"]["online"]
    assert post(client_for(username), activity).status_code == 403
    assert not ActivityUpdate.objects.exists()
    assert "Post an update" not in client_for(username).get(activity.get_absolute_url()).content.decode()


@pytest.mark.parametrize("progress", ["101", "-1"])
def test_progress_outside_0_to_100_is_refused_and_nothing_written(plan_world, client_for, progress):
    activity = plan_world["activities"]["online"]
    response = post(client_for("officer.exchequer"), activity, progress=progress)
    assert response.status_code == 200
    assert "Progress is a percentage from 0 to 100." in response.content.decode()
    activity.refresh_from_db()
    assert activity.progress == 40 and not activity.updates.exists()


def test_an_update_on_a_cancelled_activity_is_refused(plan_world):
    activity = plan_world["activities"]["online"]
    Activity.objects.filter(pk=activity.pk).update(status="cancelled")
    with pytest.raises(ValidationError, match=r"This activity is cancelled: it takes no more updates\."):
        services.activity_update_post(
            user=plan_world["users"]["officer.exchequer"],
            activity=activity,
            status="on_track",
            progress=10,
            narrative="x",
        )
    assert not ActivityUpdate.objects.exists()


def test_an_update_on_a_cancelled_activity_is_refused_on_the_page(plan_world, client_for):
    activity = plan_world["activities"]["online"]
    Activity.objects.filter(pk=activity.pk).update(status="cancelled")
    response = post(client_for("officer.exchequer"), activity)
    assert "This activity is cancelled: it takes no more updates." in response.content.decode()
    assert not ActivityUpdate.objects.exists()


def test_complete_means_100_per_cent_and_no_future_dates(plan_world):
    activity = plan_world["activities"]["online"]
    user = plan_world["users"]["officer.exchequer"]
    with pytest.raises(ValidationError) as error:
        services.activity_update_post(user=user, activity=activity, status="complete", progress=90, narrative="x")
    assert error.value.message_dict == {"progress": ["A complete activity is 100% done."]}
    with pytest.raises(ValidationError) as error:
        services.activity_update_post(
            user=user,
            activity=activity,
            status="on_track",
            progress=50,
            narrative="x",
            posted_on=timezone.localdate() + dt.timedelta(days=1),
        )
    assert "posted_on" in error.value.message_dict
    assert not ActivityUpdate.objects.exists()


def test_a_due_date_before_the_start_is_refused(plan_world, client_for):
    activity = plan_world["activities"]["online"]
    response = client_for("officer.exchequer").post(
        f"/delivery/activities/{activity.pk}/edit/",
        {"title": activity.title, "starts_on": "2026-06-01", "due_on": "2026-05-01", "owner": ""},
    )
    assert response.status_code == 200
    assert "The due date cannot be before the start date." in response.content.decode()
    before = activity.due_on
    activity.refresh_from_db()
    assert activity.due_on == before


def test_completing_clears_the_overdue_flag(plan_world):
    activity = plan_world["activities"]["norfolk"]
    assert Activity.objects.overdue().filter(pk=activity.pk).exists()
    services.activity_update_post(
        user=plan_world["users"]["director.ict"], activity=activity, status="complete", progress=100, narrative="Done."
    )
    assert not Activity.objects.overdue().filter(pk=activity.pk).exists()


def test_an_officer_cannot_change_someone_elses_activity_through_the_service(plan_world):
    with pytest.raises(PermissionDenied):
        services.activity_change(
            user=plan_world["users"]["officer.exchequer"],
            activity=plan_world["activities"]["norfolk"],
            title="Mine now",
        )
