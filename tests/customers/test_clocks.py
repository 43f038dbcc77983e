"""Enquiry clocks in office time: targets, the pause while awaiting the customer, first response."""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.core import periods
from apps.customers import services
from apps.customers.models import Enquiry, ResponseTarget

from .factories import MONDAY, at, raise_enquiry

HOUR = 3600
DAY = 8 * HOUR


@pytest.fixture
def exchequer(world):
    return world["users"]["officer.exchequer"]


def test_targets_run_in_office_time_from_the_service_and_priority(world):
    ResponseTarget.objects.create(
        service=world["services"]["payroll"], priority="high", first_response_days=1, resolution_days=3
    )
    # Raised at 16:00 on Friday 23 December 2016; 26 and 27 December were bank holidays.
    enquiry = raise_enquiry(world, priority="high", now=at(2016, 12, 23, 16))
    assert enquiry.first_response_target_seconds == DAY
    assert enquiry.first_response_warn_at == at(2016, 12, 28, 14)  # 6 office hours: 1 on Friday, 5 on Wednesday
    assert enquiry.first_response_due_at == at(2016, 12, 28, 16)
    assert enquiry.resolution_due_at == at(2016, 12, 30, 16)


def test_without_a_target_of_its_own_a_service_uses_the_default_for_the_priority(world):
    enquiry = raise_enquiry(world, priority="normal")  # 2 and 10 working days
    assert enquiry.first_response_due_at == at(2016, 11, 22, 17)
    assert enquiry.resolution_due_at == at(2016, 12, 2, 17)


def test_the_first_reply_from_staff_stops_the_first_response_clock(world, exchequer):
    enquiry = raise_enquiry(world)
    services.enquiry_reply(user=world["users"]["officer.havering"], enquiry=enquiry, body="Any news?", now=MONDAY)
    enquiry.refresh_from_db()
    assert enquiry.first_responded_at is None  # the customer's own message does not count
    services.enquiry_reply(user=exchequer, enquiry=enquiry, body="Looking into it.", now=at(2016, 11, 23, 10))
    enquiry.refresh_from_db()
    assert enquiry.first_responded_at == at(2016, 11, 23, 10)
    assert enquiry.first_response_met is False  # due Tuesday 17:00
    assert enquiry.status == Enquiry.Status.IN_PROGRESS


def test_awaiting_the_customer_stops_the_clock_and_their_reply_restarts_it(world, exchequer):
    enquiry = raise_enquiry(world)
    services.enquiry_reply(user=exchequer, enquiry=enquiry, body="Which staff?", now=at(2016, 11, 21, 10))
    services.enquiry_update(user=exchequer, enquiry=enquiry, status="awaiting_customer", now=at(2016, 11, 21, 12))
    enquiry.refresh_from_db()
    assert enquiry.clock(at(2016, 11, 24, 12))["paused"] is True
    assert enquiry.elapsed_seconds(at(2016, 11, 24, 12)) == 3 * HOUR  # still Monday's three hours

    services.enquiry_reply(
        user=world["users"]["officer.havering"],
        enquiry=enquiry,
        body="Payroll numbers 1, 2, 3.",
        now=at(2016, 11, 24, 12),
    )
    enquiry.refresh_from_db()
    assert enquiry.status == Enquiry.Status.IN_PROGRESS
    assert enquiry.paused_at is None
    assert enquiry.paused_seconds == 3 * DAY  # Monday 12:00 to Thursday 12:00 in office time
    assert enquiry.resolution_due_at == at(2016, 12, 7, 17)  # Friday 2 December moved on by three working days
    assert enquiry.elapsed_seconds(at(2016, 11, 24, 13)) == 4 * HOUR


def test_resolving_settles_the_resolution_clock(world, exchequer):
    enquiry = raise_enquiry(world)
    services.enquiry_update(user=exchequer, enquiry=enquiry, status="resolved", now=at(2016, 11, 25, 12))
    enquiry.refresh_from_db()
    assert enquiry.resolution_met is True
    assert enquiry.first_response_met is False  # resolved without an answer in two days still misses the first
    assert enquiry.clock(at(2016, 12, 20)) is None


ACTIONS = st.lists(
    st.tuples(
        st.sampled_from(["wait", "customer", "resolve", "reopen"]), st.integers(min_value=1, max_value=60 * 24 * 5)
    ),
    max_size=8,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actions=ACTIONS, later=st.integers(min_value=0, max_value=60 * 24 * 10))
def test_the_clock_is_office_time_less_every_pause(world, actions, later):
    """Whatever staff and customer do, the clock is the office time outside pauses, and it never runs back."""
    exchequer = world["users"]["officer.exchequer"]
    customer = world["users"]["officer.havering"]
    enquiry = raise_enquiry(world)
    now, pauses, readings = MONDAY, [], [0]
    for action, minutes in actions:
        now += dt.timedelta(minutes=minutes)
        if action == "wait" and enquiry.status in Enquiry.RUNNING_STATUSES:
            services.enquiry_update(user=exchequer, enquiry=enquiry, status="awaiting_customer", now=now)
        elif action == "customer" and enquiry.status != Enquiry.Status.CLOSED:
            services.enquiry_reply(user=customer, enquiry=enquiry, body="More detail.", now=now)
        elif action == "resolve" and enquiry.resolved_at is None:
            services.enquiry_update(user=exchequer, enquiry=enquiry, status="resolved", now=now)
        elif action == "reopen" and enquiry.paused_at is not None:
            services.enquiry_update(user=exchequer, enquiry=enquiry, status="in_progress", now=now)
        enquiry.refresh_from_db()
        if enquiry.paused_at is not None and (not pauses or pauses[-1][1] is not None):
            pauses.append((enquiry.paused_at, None))
        if enquiry.paused_at is None and pauses and pauses[-1][1] is None:
            pauses[-1] = (pauses[-1][0], now)
        readings.append(enquiry.elapsed_seconds(now))
    end = now + dt.timedelta(minutes=later)
    assert enquiry.elapsed_seconds(end) == periods.working_seconds_excluding(MONDAY, end, pauses)
    assert readings == sorted(readings)  # pausing never takes time off the clock
    # The stored due moment is what the clock will read when it comes, if it is still ahead.
    if enquiry.paused_at is None and enquiry.resolved_at is None and enquiry.resolution_due_at >= now:
        assert enquiry.elapsed_seconds(enquiry.resolution_due_at) == enquiry.resolution_target_seconds


def test_the_warning_comes_at_three_quarters_of_the_target(world):
    enquiry = raise_enquiry(world)  # Monday 09:00, first response in 16 office hours
    assert enquiry.clock(at(2016, 11, 22, 12, 59))["warning"] is False
    clock = enquiry.clock(at(2016, 11, 22, 13))
    assert (clock["warning"], clock["used_percent"], clock["left_text"]) == (True, 75, "4 h")
    clock = enquiry.clock(at(2016, 11, 22, 17, 30))
    assert (clock["warning"], clock["breached"]) == (True, False)  # 17:30 is out of hours: exactly on target
    clock = enquiry.clock(at(2016, 11, 23, 9, 30))
    assert (clock["breached"], clock["over_text"]) == (True, "30 min")


def test_the_enquiry_page_and_the_monthly_report_read_the_same_paused_clock(world, exchequer, client_for):
    """Opened Monday 09:00, awaiting the customer from Monday 13:00 to Wednesday 13:00, resolved Thursday
    11:00: 4 + 4 + 2 office hours, 1.25 working days (not the 3 calendar working days between the dates)."""
    from apps.reports import compute

    enquiry = raise_enquiry(world)
    services.enquiry_update(user=exchequer, enquiry=enquiry, status="awaiting_customer", now=at(2016, 11, 21, 13))
    services.enquiry_update(user=exchequer, enquiry=enquiry, status="in_progress", now=at(2016, 11, 23, 13))
    services.enquiry_update(user=exchequer, enquiry=enquiry, status="resolved", now=at(2016, 11, 24, 11))
    enquiry.refresh_from_db()
    assert enquiry.working_seconds_to_resolve == 10 * HOUR

    page = client_for("officer.havering").get(enquiry.get_absolute_url()).content.decode()
    assert "Working time to resolve" in page and "1 day 2 h" in page
    section = compute.compute(dt.date(2016, 11, 1), world["havering"])["enquiries"]
    assert (section["resolved"], section["median_days"], section["median_days_text"]) == (
        1,
        "1.2500",
        "1.3 working days",
    )
