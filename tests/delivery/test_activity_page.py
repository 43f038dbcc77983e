import datetime as dt

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.delivery.models import Activity, ActivityStatus

from .factories import ActivityUpdateFactory


def test_a_partner_officer_sees_their_marking_on_the_activity_page(plan_world, client_for):
    own = client_for("officer.havering").get(plan_world["activities"]["havering"].get_absolute_url())
    text = own.content.decode()
    assert "Supports Havering's priorities" in text
    assert "Supports the priorities of" not in text
    other = client_for("officer.havering").get(plan_world["activities"]["newham"].get_absolute_url())
    assert "Supports Havering" not in other.content.decode()
    assert "London Borough of Newham" not in other.content.decode()


def test_staff_see_whose_priorities_an_activity_supports(plan_world, client_for):
    text = client_for("officer.exchequer").get(plan_world["activities"]["newham"].get_absolute_url()).content.decode()
    assert "Supports the priorities of" in text and "London Borough of Newham" in text


def test_an_activity_that_does_not_exist_is_404(plan_world, client_for):
    assert client_for("admin").get("/delivery/activities/999999/").status_code == 404


@pytest.mark.parametrize("count", [1, 25])
def test_activity_page_queries_do_not_grow_with_updates(plan_world, client_for, django_assert_max_num_queries, count):
    activity = plan_world["activities"]["online"]
    for _ in range(count):
        ActivityUpdateFactory(activity=activity, author=plan_world["users"]["officer.exchequer"])
    client = client_for("officer.exchequer")
    with django_assert_max_num_queries(10):
        response = client.get(activity.get_absolute_url())
    assert len(response.context["updates"]) == count


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(days=st.integers(min_value=-400, max_value=400), status=st.sampled_from(list(ActivityStatus)))
def test_the_overdue_flag_in_sql_matches_the_rule(plan_world, days, status):
    today = timezone.localdate()
    activity = plan_world["activities"]["online"]
    due = today + dt.timedelta(days=days)
    Activity.objects.filter(pk=activity.pk).update(due_on=due, starts_on=min(due, activity.starts_on), status=status)
    row = Activity.objects.with_overdue(today).get(pk=activity.pk)
    expected = due < today and status not in ("complete", "cancelled")
    assert row.is_overdue is expected is row.overdue_on(today)
    assert Activity.objects.overdue(today).filter(pk=activity.pk).exists() is expected
