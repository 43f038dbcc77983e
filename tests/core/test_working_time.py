"""Office-time clocks: hand-checked cases across weekends, Christmas, Easter and pauses."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.core import periods

LONDON = ZoneInfo("Europe/London")
HOUR = 3600


def at(year, month, day, hour=0, minute=0):
    return dt.datetime(year, month, day, hour, minute, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def _nine_to_five(settings):
    settings.OFFICE_HOURS = ("09:00", "17:00")


@pytest.mark.parametrize(
    ("start", "end", "hours"),
    [
        # Friday 16:30 to Monday 09:30: half an hour each side of the weekend.
        (at(2016, 11, 25, 16, 30), at(2016, 11, 28, 9, 30), 1),
        # Saturday to Monday noon: only Monday morning counts.
        (at(2016, 11, 26, 10), at(2016, 11, 28, 12), 3),
        # Christmas 2016 fell on a Sunday: Monday 26 and Tuesday 27 December were bank holidays.
        (at(2016, 12, 23, 16), at(2016, 12, 28, 10), 2),
        # Easter 2017: Good Friday 14 April and Easter Monday 17 April.
        (at(2017, 4, 13, 15), at(2017, 4, 18, 11), 4),
        # The clocks went forward on Sunday 26 March 2017; office hours are local time.
        (at(2017, 3, 24, 16), at(2017, 3, 27, 10), 2),
        # Evenings do not count.
        (at(2016, 11, 21, 18), at(2016, 11, 22, 8), 0),
        # A whole working week.
        (at(2016, 11, 21, 9), at(2016, 11, 25, 17), 40),
        # End before start.
        (at(2016, 11, 22, 12), at(2016, 11, 21, 12), 0),
    ],
)
def test_office_time_between_two_moments(start, end, hours):
    assert periods.working_seconds_between(start, end) == hours * HOUR


def test_adding_office_time_skips_christmas_and_easter():
    assert periods.add_working_seconds(at(2016, 12, 23, 16), 2 * HOUR) == at(2016, 12, 28, 10)
    assert periods.add_working_seconds(at(2017, 4, 13, 15), 4 * HOUR) == at(2017, 4, 18, 11)
    # Two working days from a Friday lunchtime end on Tuesday lunchtime.
    assert periods.add_working_seconds(at(2016, 11, 25, 13), 16 * HOUR) == at(2016, 11, 29, 13)


def test_a_pause_stops_the_clock():
    # Open all week; paused from Tuesday noon until Thursday noon: 16 office hours stand still.
    pauses = [(at(2016, 11, 22, 12), at(2016, 11, 24, 12))]
    assert periods.working_seconds_excluding(at(2016, 11, 21, 9), at(2016, 11, 25, 17), pauses) == 24 * HOUR
    # Still paused: nothing counts after the pause began.
    open_pause = [(at(2016, 11, 22, 12), None)]
    assert periods.working_seconds_excluding(at(2016, 11, 21, 9), at(2016, 11, 25, 17), open_pause) == 11 * HOUR


def test_office_hours_come_from_settings(settings):
    settings.OFFICE_HOURS = ("08:30", "17:30")
    assert periods.office_day_seconds() == 9 * HOUR
    assert periods.working_seconds_between(at(2016, 11, 21, 8), at(2016, 11, 21, 9)) == HOUR / 2


def test_working_time_reads_in_days_hours_and_minutes():
    assert periods.format_working_time(8 * HOUR + 2 * HOUR + 30 * 60) == "1 day 2 h 30 min"
    assert periods.format_working_time(-HOUR) == "-1 h"
    assert periods.format_working_time(0) == "0 min"


BASE = dt.datetime(2016, 12, 19, tzinfo=dt.UTC)
minutes = st.integers(min_value=0, max_value=60 * 24 * 40)


@st.composite
def pause_lists(draw):
    """Non-overlapping pauses, the last perhaps still running."""
    points = sorted(draw(st.lists(minutes, min_size=0, max_size=6, unique=True)))
    pauses = []
    for index in range(0, len(points) - 1, 2):
        pauses.append((BASE + dt.timedelta(minutes=points[index]), BASE + dt.timedelta(minutes=points[index + 1])))
    if len(points) % 2:
        pauses.append((BASE + dt.timedelta(minutes=points[-1]), None))
    return pauses


@settings(max_examples=80, deadline=None)
@given(pauses=pause_lists(), first=minutes, second=minutes)
def test_pausing_never_shortens_the_time_already_elapsed(pauses, first, second):
    start = BASE
    earlier, later = sorted((BASE + dt.timedelta(minutes=first), BASE + dt.timedelta(minutes=second)))
    paused_earlier = periods.working_seconds_excluding(start, earlier, pauses)
    paused_later = periods.working_seconds_excluding(start, later, pauses)
    # The clock never runs backwards, and never counts more than the office time that passed.
    assert 0 <= paused_earlier <= paused_later
    assert paused_later <= periods.working_seconds_between(start, later)


@settings(max_examples=80, deadline=None)
@given(start=minutes, seconds=st.integers(min_value=0, max_value=20 * 8 * HOUR))
def test_adding_office_time_is_undone_by_measuring_it(start, seconds):
    begin = BASE + dt.timedelta(minutes=start)
    assert periods.working_seconds_between(begin, periods.add_working_seconds(begin, seconds)) == seconds
