"""The seed sets up the Joint Committee of the three councils; the demo gives it a year of business."""

import datetime as dt

import pytest
from django.utils import timezone
from freezegun import freeze_time

from apps.governance import demo, seed
from apps.governance.models import Action, Committee, Meeting
from apps.partners import seed as partner_seed

pytestmark = pytest.mark.django_db


def test_the_seed_makes_the_joint_committee_of_havering_newham_and_bexley():
    partner_seed.load()
    seed.load()
    seed.load()  # again: nothing changes
    committee = Committee.objects.get()
    assert sorted(committee.councils.values_list("short_name", flat=True)) == ["Bexley", "Havering", "Newham"]
    assert "governed by Members through a Joint Committee" in committee.description


# The meetings fall on Tuesdays counted back from today: every weekday of today gives other dates.
@pytest.mark.parametrize("today", [dt.date(2026, 11, 30) + dt.timedelta(days=n) for n in range(7)], ids=str)
def test_the_demo_has_a_year_of_meetings_and_the_next_agenda_published(world, today):
    Committee.objects.create(name="oneSource Joint Committee", slug="joint-committee").councils.set(
        [world["havering"], world["newham"]]
    )
    with freeze_time(dt.datetime.combine(today, dt.time(9, 0), tzinfo=dt.UTC)):
        demo.load(password="a-long-demo-password")
        assert timezone.localdate() == today
    meetings = list(Meeting.objects.order_by("meets_on"))
    past, ahead = [m for m in meetings if m.meets_on < today], [m for m in meetings if m.meets_on >= today]
    assert len(past) == 6 and (today - past[0].meets_on).days > 300
    assert [m.status for m in past] == ["minutes_approved"] * 5 + ["held"]
    assert len(ahead) == 1 and ahead[0].status == "agenda_published"
    assert ahead[0].items.filter(kind="minutes", minutes_of=past[-1]).exists()
    assert Action.objects.open().exists() and Action.objects.filter(status="done").exists()
    # Members chase what the last meeting left behind, not a list of the same action from every meeting.
    overdue = Action.objects.open().filter(due_on__lt=today).select_related("item__meeting")
    assert overdue and {action.item.meeting for action in overdue} == {past[-1]}
    assert Action.objects.open().filter(due_on__gte=today, item__meeting=past[-1]).exists()
    assert all(item.decisions.exists() for p in past for item in p.items.filter(kind="business"))
    assert demo.load(password="a-long-demo-password") == "committee business already loaded"
