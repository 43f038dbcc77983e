"""A week before an action falls due, and once it is overdue, its owner is emailed: once each."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from apps.governance import services

from .routes import business

pytestmark = pytest.mark.django_db


def test_each_reminder_is_sent_once(world):
    action = business(world)["action"]
    today = timezone.localdate()
    action.due_on = today + dt.timedelta(days=7)
    action.save()

    assert services.action_reminders_send(today=today) == {"due_soon": 1, "overdue": 0}
    assert mail.outbox[-1].to == [world["users"]["officer.exchequer"].email]
    assert "Due in a week" in mail.outbox[-1].subject
    assert action.get_absolute_url() in mail.outbox[-1].body
    assert services.action_reminders_send(today=today) == {"due_soon": 0, "overdue": 0}

    later = action.due_on + dt.timedelta(days=1)
    assert services.action_reminders_send(today=later) == {"due_soon": 0, "overdue": 1}
    assert mail.outbox[-1].subject.startswith("Overdue")
    assert services.action_reminders_send(today=later + dt.timedelta(days=3)) == {"due_soon": 0, "overdue": 0}
    assert len(mail.outbox) == 2


def test_a_new_due_date_rearms_the_reminders_and_a_done_action_has_none(world):
    action = business(world)["action"]
    today = timezone.localdate()
    action.due_on = today + dt.timedelta(days=3)
    action.save()
    services.action_reminders_send(today=today)
    action.refresh_from_db()
    action.due_on = today + dt.timedelta(days=5)
    action.save()
    assert services.action_reminders_send(today=today) == {"due_soon": 1, "overdue": 0}

    services.action_update_post(
        user=world["users"]["officer.exchequer"], action=action, note="Circulated.", status="done"
    )
    assert services.action_reminders_send(today=today + dt.timedelta(days=30)) == {"due_soon": 0, "overdue": 0}


def test_the_daily_task_is_scheduled():
    from importlib import import_module

    from django.apps import apps
    from django_celery_beat.models import PeriodicTask

    # The migration registers it; run its step again, as a test that flushed the tables may have removed it.
    import_module("apps.governance.migrations.0003_register_daily_action_reminders").register(apps, None)
    task = PeriodicTask.objects.get(task="governance.send_action_reminders")
    assert task.enabled and task.crontab.hour == "7"
