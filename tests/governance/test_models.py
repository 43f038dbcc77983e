"""What the database itself refuses: the rules hold whatever writes the rows."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from apps.governance import services
from apps.governance.models import AgendaItem, Meeting, Membership, Minute, Paper

from . import factories as gf

pytestmark = pytest.mark.django_db


def test_two_items_of_one_agenda_cannot_share_a_number(world):
    meeting = gf.meeting(world)
    first = meeting.items.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        AgendaItem.objects.create(meeting=meeting, number=first.number, title="Duplicate")


def test_numbering_is_automatic_and_kept_without_gaps_when_items_move(world):
    admin = world["users"]["admin"]
    gf.meeting(world, days_ahead=-30, hold=True)
    meeting = gf.meeting(world)
    assert list(meeting.items.values_list("number", "kind")) == [(1, "minutes"), (2, "actions")]
    titles = ["Savings re-phasing", "Principal risks", "Growth pipeline"]
    for title in titles:
        services.agenda_item_add(user=admin, meeting=meeting, title=title)
    numbers = dict(meeting.items.values_list("title", "number"))
    assert [numbers[t] for t in titles] == [3, 4, 5]  # after the minutes and the actions

    growth = meeting.items.get(title="Growth pipeline")
    services.agenda_item_move(user=admin, item=growth, to=3)
    order = list(meeting.items.order_by("number").values_list("number", "title"))
    assert [n for n, _ in order] == [1, 2, 3, 4, 5]
    assert [t for _, t in order][2:] == ["Growth pipeline", "Savings re-phasing", "Principal risks"]
    assert meeting.items.get(number=1).kind == "minutes"

    services.agenda_item_remove(user=admin, item=meeting.items.get(title="Savings re-phasing"))
    assert list(meeting.items.order_by("number").values_list("number", flat=True)) == [1, 2, 3, 4]


def test_an_exempt_item_needs_its_schedule_12a_paragraph(world):
    meeting = gf.meeting(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        AgendaItem.objects.create(meeting=meeting, number=9, title="Staffing", is_exempt=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        AgendaItem.objects.create(meeting=meeting, number=9, title="Staffing", is_exempt=True, exempt_paragraph=8)
    with pytest.raises(ValidationError, match="paragraph"):
        services.agenda_item_add(user=world["users"]["admin"], meeting=meeting, title="Staffing", is_exempt=True)
    item = services.agenda_item_add(
        user=world["users"]["admin"], meeting=meeting, title="Staffing", is_exempt=True, exempt_paragraph=1
    )
    assert item.get_exempt_paragraph_display().startswith("Paragraph 1")


def test_minutes_only_for_a_meeting_that_has_been_held(world):
    admin = world["users"]["admin"]
    published = gf.meeting(world, publish=True)
    with pytest.raises(ValidationError, match="held"):
        services.minute_record(user=admin, item=published.items.get(title="Performance report"), text="Noted.")
    held = gf.meeting(world, days_ahead=-1, hold=True)
    assert services.minute_record(user=admin, item=held.items.get(title="Performance report"), text="Noted.").pk


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's (see migration 0002)")
def test_the_database_refuses_minutes_of_a_meeting_not_held(world):
    admin = world["users"]["admin"]
    published = gf.meeting(world, publish=True)
    item = published.items.get(title="Performance report")
    with pytest.raises(IntegrityError, match="held"), transaction.atomic():
        Minute.objects.create(item=item, text="Noted.", recorded_by=admin)

    held = gf.meeting(world, days_ahead=-1, hold=True)
    services.minute_record(user=admin, item=held.items.get(title="Performance report"), text="Noted.")
    # Nor can a meeting with minutes be taken back to before it was held.
    with pytest.raises(IntegrityError, match="held"), transaction.atomic():
        Meeting.objects.filter(pk=held.pk).update(status=Meeting.Status.AGENDA_PUBLISHED)


def test_a_paper_is_one_upload_or_one_link_of_its_own_kind(world):
    meeting = gf.meeting(world)
    item = meeting.items.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Paper.objects.create(item=item, title="Nothing attached", kind=Paper.Kind.PROGRAMME)


def test_an_uploaded_paper_must_be_a_pdf_by_its_content(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    admin = world["users"]["admin"]
    item = gf.meeting(world).items.first()
    fake = SimpleUploadedFile("report.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
    with pytest.raises(ValidationError, match="not a PDF"):
        services.paper_add(user=admin, item=item, title="Report", kind="upload", upload=fake)
    broken = SimpleUploadedFile("report.pdf", b"%PDF-1.7\n garbage", content_type="application/pdf")
    with pytest.raises(ValidationError, match="cannot be read"):
        services.paper_add(user=admin, item=item, title="Report", kind="upload", upload=broken)
    assert not Paper.objects.exists()
    paper = services.paper_add(user=admin, item=item, title="Report", kind="upload", upload=gf.pdf_upload(pages=3))
    assert paper.page_count == 3


def test_one_serving_chair_and_only_members_hold_office(world):
    committee = gf.committee(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            committee=committee,
            user=world["users"]["admin"],
            council=world["newham"],
            starts_on=dt.date(2016, 4, 1),
            office="chair",
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            committee=committee,
            user=world["users"]["admin"],
            council=world["newham"],
            starts_on=dt.date(2016, 4, 1),
            kind="substitute",
            office="vice_chair",
        )


def test_changes_are_kept_in_the_history(world):
    meeting = gf.meeting(world, publish=True)
    assert meeting.history.count() >= 2
    assert meeting.items.first().history.exists()
