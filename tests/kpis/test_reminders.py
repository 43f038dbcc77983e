import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django_celery_beat.models import PeriodicTask

from apps.kpis import services, tasks
from apps.kpis.selectors import return_deadline
from tests.kpis.factories import KPIFactory, MeasurementFactory

OCTOBER = dt.date(2026, 10, 1)


@pytest.fixture
def kpi(world):
    return KPIFactory(
        code="EXT-06",
        area=world["areas"]["EXT"],
        service=world["services"]["payroll"],
        data_owner=world["users"]["officer.exchequer"],
    )


def test_the_deadline_is_the_fifth_working_day_of_the_month_after():
    # November 2026: Monday 2nd to Friday 6th. December 2026: Tuesday 1st to Monday 7th.
    assert return_deadline(OCTOBER) == dt.date(2026, 11, 6)
    assert return_deadline(dt.date(2026, 11, 1)) == dt.date(2026, 12, 7)
    # April 2017: Good Friday 14th and Easter Monday 17th are bank holidays.
    assert return_deadline(dt.date(2017, 3, 1)) == dt.date(2017, 4, 7)
    assert return_deadline(dt.date(2017, 4, 1)) == dt.date(2017, 5, 8)  # 1 May 2017 was a bank holiday


def test_owners_are_reminded_two_working_days_before_once_a_day(world, kpi):
    assert services.return_reminders_send(today=dt.date(2026, 11, 3)) == 0  # 3 working days before
    assert services.return_reminders_send(today=dt.date(2026, 11, 4)) == 1
    assert services.return_reminders_send(today=dt.date(2026, 11, 4)) == 0
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [world["users"]["officer.exchequer"].email]
    assert "Friday 6 November 2026" in message.body
    assert "EXT-06" in message.body and "Havering" in message.body
    assert services.return_reminders_send(today=dt.date(2026, 11, 10)) == 1
    assert "overdue" in mail.outbox[-1].subject


def test_no_reminder_once_the_return_is_submitted(world, kpi):
    MeasurementFactory(kpi=kpi, partner=world["havering"], period=OCTOBER, status="submitted", numerator=Decimal(1))
    assert services.return_reminders_send(today=dt.date(2026, 11, 5)) == 0


def test_the_task_runs_daily_from_the_beat_schedule(world, kpi):
    task = PeriodicTask.objects.get(task="apps.kpis.tasks.send_return_reminders")
    assert (task.crontab.hour, task.crontab.minute, task.enabled) == ("7", "0", True)
    first = tasks.send_return_reminders.delay().get()
    assert tasks.send_return_reminders.delay().get() == 0
    assert len(mail.outbox) == first
