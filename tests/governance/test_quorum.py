"""Quorate when at least one member (or substitute) of each founding council is present."""

import pytest

from apps.core.roles import Role
from apps.governance import selectors, services
from tests import factories as f

from . import factories as gf

pytestmark = pytest.mark.django_db


def _row(user, council, presence, capacity="member"):
    return {"user": user, "council": council, "capacity": capacity, "presence": presence}


def test_quorum_needs_someone_present_for_each_founding_council(world):
    admin = world["users"]["admin"]
    meeting = gf.meeting(world, days_ahead=-2, hold=True)
    havering_member = world["users"]["committee"]
    newham_member = f.UserFactory(username="cllr.newham")
    newham_substitute = f.UserFactory(username="cllr.newham.sub", role=Role.COMMITTEE_MEMBER)
    havering, newham = world["havering"], world["newham"]

    services.attendance_record(
        user=admin,
        meeting=meeting,
        rows=[
            _row(havering_member, havering, "present"),
            _row(newham_member, newham, "apologies"),
            {"user": world["users"]["director.ict"], "council": None, "capacity": "officer", "presence": "present"},
        ],
    )
    result = selectors.quorum(meeting)
    assert not result.met
    assert result.missing == ("London Borough of Newham",)
    assert "Not quorate" in result.summary

    services.attendance_record(
        user=admin,
        meeting=meeting,
        rows=[
            _row(havering_member, havering, "present"),
            _row(newham_member, newham, "apologies"),
            _row(newham_substitute, newham, "present", capacity="substitute"),
        ],
    )
    result = selectors.quorum(meeting)
    assert result.met and result.missing == ()


def test_the_meeting_page_shows_the_quorum(world, client_for):
    meeting = gf.meeting(world, days_ahead=-2, hold=True)
    page = client_for("committee").get(meeting.get_absolute_url()).content.decode()
    assert "Not quorate" in page
    assert "no member present for London Borough of Havering or London Borough of Newham" in page
