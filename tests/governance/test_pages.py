"""The clerk drafts, publishes and records; members read everything, staff all but exempt items."""

import datetime as dt

import pytest
from django.utils import timezone

from apps.governance import selectors, services
from apps.governance.models import Action, Meeting

from . import factories as gf
from .routes import business

pytestmark = pytest.mark.django_db


def test_the_clerk_drafts_and_publishes_an_agenda(world, client_for):
    gf.committee(world)
    clerk = client_for("admin")
    meets_on = timezone.localdate() + dt.timedelta(days=3)
    response = clerk.post(
        "/committee/meetings/new/",
        {"meets_on": meets_on.isoformat(), "starts_at": "18:30", "place": "Newham Town Hall"},
    )
    meeting = Meeting.objects.get()
    assert response.url == meeting.get_absolute_url()

    response = clerk.post(
        f"/committee/meetings/{meeting.pk}/items/new/",
        {"title": "Staffing", "purpose": "decision", "is_exempt": "on", "exempt_paragraph": ""},
    )
    assert "An exempt item needs the paragraph of Schedule 12A" in response.content.decode()
    clerk.post(
        f"/committee/meetings/{meeting.pk}/items/new/",
        {"title": "Re-phasing of a saving", "purpose": "decision", "lead_officer": world["users"]["director.ict"].pk},
    )
    page = clerk.get(f"/committee/meetings/{meeting.pk}/publish/").content.decode()
    assert "fewer than 5 clear working days" in page  # three days ahead: late

    response = clerk.post(f"/committee/meetings/{meeting.pk}/publish/", {}, follow=True)
    page = response.content.decode()
    assert "Agenda published" in page and "fewer than 5 clear working days" in page
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.AGENDA_PUBLISHED
    assert "2. Re-phasing of a saving" in [str(i) for i in meeting.items.all()]


def test_publish_by_leaves_five_clear_working_days():
    # Tuesday 10 January 2017: Tuesday 3rd to Monday 9th are five clear working days.
    assert selectors.publish_by(dt.date(2017, 1, 10)) == dt.date(2017, 1, 2)
    # Over Easter 2017 (Good Friday 14 April, Easter Monday 17 April): Tuesday 11th to Wednesday 19th.
    assert selectors.publish_by(dt.date(2017, 4, 20)) == dt.date(2017, 4, 10)


def test_members_see_exempt_items_staff_do_not_partner_officers_nothing(world, client_for):
    made = business(world)
    url = made["held"].get_absolute_url()
    exempt_url = made["exempt"].get_absolute_url()
    member = client_for("committee").get(url).content.decode()
    assert "Staffing restructure (exempt)" in member
    assert client_for("committee").get(exempt_url).status_code == 200
    staff = client_for("officer.exchequer").get(url).content.decode()
    assert "Performance report" in staff and "Staffing restructure" not in staff
    assert client_for("officer.exchequer").get(exempt_url).status_code == 404
    assert client_for("officer.havering").get(url).status_code == 404
    # Draft agendas are the clerk's alone.
    draft = made["draft_item"].get_absolute_url()
    assert client_for("committee").get(draft).status_code == 404
    assert client_for("admin").get(draft).status_code == 200


def test_the_next_agenda_approves_the_last_minutes_and_carries_the_open_actions(world, client_for):
    made = business(world)
    upcoming = made["upcoming"]
    minutes_item = upcoming.items.get(kind="minutes")
    assert minutes_item.minutes_of == made["held"]
    page = client_for("committee").get(upcoming.get_absolute_url()).content.decode()
    assert "Open actions from previous meetings" in page and "Circulate the savings re-phasing note" in page

    # At the meeting, the committee approves the minutes.
    Meeting.objects.filter(pk=upcoming.pk).update(meets_on=timezone.localdate())
    upcoming.refresh_from_db()
    services.meeting_mark_held(user=world["users"]["admin"], meeting=upcoming)
    client_for("admin").post(f"/committee/items/{minutes_item.pk}/approve-minutes/", {})
    made["held"].refresh_from_db()
    assert made["held"].status == Meeting.Status.MINUTES_APPROVED
    assert made["held"].minutes_approved_at == upcoming
    assert "be approved as a correct record" in minutes_item.decisions.get().wording


def test_the_owner_reports_progress_and_sees_the_action_on_the_dashboard(world, client_for):
    action = business(world)["action"]
    owner = client_for("officer.exchequer")
    assert "Circulate the savings re-phasing note" in owner.get("/").content.decode()
    owner.post(f"/committee/actions/{action.pk}/update/", {"status": "done", "note": "Sent to members."})
    action.refresh_from_db()
    assert action.status == Action.Status.DONE
    assert "Circulate the savings re-phasing note" not in owner.get("/").content.decode()
    # Someone else's action is not theirs to update.
    assert client_for("director.ict").get(f"/committee/actions/{action.pk}/update/").status_code == 403


def test_the_committee_dashboard_shows_actions_and_the_next_meeting(world, client_for):
    made = business(world)
    Action.objects.filter(pk=made["action"].pk).update(due_on=timezone.localdate() - dt.timedelta(days=1))
    page = client_for("committee").get("/").content.decode()
    assert "Actions: 1 open, 1 overdue" in page
    assert f"{made['upcoming'].meets_on:%-d %B %Y}" in page
    assert "Performance report" in page  # the next meeting's agenda


@pytest.mark.parametrize(
    "path",
    [
        lambda w: "/committee/",
        lambda w: business(w)["held"].get_absolute_url(),
        lambda w: business(w)["item"].get_absolute_url(),
        lambda w: "/committee/decisions/",
        lambda w: "/committee/actions/",
        lambda w: business(w)["action"].get_absolute_url(),
        lambda w: "/committee/members/",
        lambda w: "/",
    ],
)
def test_pages_run_a_fixed_number_of_queries(path, world, client_for, django_assert_max_num_queries):
    made = business(world)
    address = path(world)
    client = client_for("admin")
    client.get(address)
    # More rows of every kind must not cost more queries.
    for _ in range(3):
        more = gf.meeting(world, days_ahead=-10 - _, hold=True, prepare=gf.public_and_exempt_papers)
        item = more.items.get(title="Performance report")
        decision = services.decision_record(user=world["users"]["admin"], item=item, wording="Noted.")
        services.action_create(
            user=world["users"]["admin"],
            item=item,
            decision=decision,
            title="More",
            owner=world["users"]["committee"],
            due_on=timezone.localdate(),
        )
        services.minute_record(user=world["users"]["admin"], item=made["item"], text="Noted again.")
    with django_assert_max_num_queries(25):
        assert client.get(address).status_code == 200
