import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from celery import Celery
from django.conf import settings
from django.core import mail
from django.db import connection
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from apps.delivery import services
from apps.delivery.models import Activity
from apps.delivery.tasks import send_activity_reminders

BROKER = os.environ.get("DELIVERY_TEST_BROKER_URL", "redis://127.0.0.1:6379/3")


def due_in(activity, days):
    Activity.objects.filter(pk=activity.pk).update(due_on=timezone.localdate() + dt.timedelta(days=days))


def test_the_daily_reminder_is_registered_with_beat(db):
    task = PeriodicTask.objects.get(task="delivery.send_activity_reminders")
    assert task.enabled and task.crontab.hour == "7" and str(task.crontab.timezone) == "Europe/London"


def test_owners_are_reminded_a_week_before_the_due_date_once(plan_world):
    online = plan_world["activities"]["online"]
    due_in(online, 7)
    Activity.objects.filter(pk=plan_world["activities"]["norfolk"].pk).update(status="complete", progress=100)
    assert send_activity_reminders.delay().get() == {"due_soon": 1, "overdue": 0}
    assert [m.to for m in mail.outbox] == [[plan_world["users"]["officer.exchequer"].email]]
    assert mail.outbox[0].subject == "Due in a week: Develop online services for customers"
    assert f"/delivery/activities/{online.pk}/" in mail.outbox[0].body
    assert services.activity_reminders_send() == {"due_soon": 0, "overdue": 0}
    assert len(mail.outbox) == 1


def test_not_yet_a_week_away_means_no_reminder(plan_world):
    due_in(plan_world["activities"]["online"], 8)
    Activity.objects.filter(pk=plan_world["activities"]["norfolk"].pk).update(status="cancelled")
    assert services.activity_reminders_send() == {"due_soon": 0, "overdue": 0}
    assert mail.outbox == []


def test_overdue_owners_are_told_once_and_again_if_the_new_date_passes(plan_world):
    norfolk = plan_world["activities"]["norfolk"]
    today = timezone.localdate()
    assert services.activity_reminders_send(today=today) == {"due_soon": 0, "overdue": 1}
    assert mail.outbox[0].subject == "Overdue: Embed the services provided to Norfolk Council"
    assert mail.outbox[0].to == [plan_world["users"]["director.ict"].email]
    assert services.activity_reminders_send(today=today)["overdue"] == 0
    # A new due date re-arms both reminders.
    services.activity_change(user=plan_world["users"]["admin"], activity=norfolk, due_on=today + dt.timedelta(days=5))
    assert services.activity_reminders_send(today=today) == {"due_soon": 1, "overdue": 0}
    assert services.activity_reminders_send(today=today + dt.timedelta(days=6)) == {"due_soon": 0, "overdue": 1}
    assert len(mail.outbox) == 3


def test_drafts_and_activities_without_owner_are_not_chased(plan_world):
    plan = plan_world["plan"]
    plan.status = "draft"
    plan.save()
    assert services.activity_reminders_send() == {"due_soon": 0, "overdue": 0}


def wait_until_processed(timeout=60):
    """Until the queue is empty and the worker has acknowledged (so finished) every task."""
    broker = redis.Redis.from_url(BROKER)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if broker.llen("celery") == 0 and broker.hlen("unacked") == 0:
            return
        time.sleep(0.2)
    raise AssertionError("The worker did not finish the task in time.")


@pytest.fixture
def celery_worker_process(transactional_db, tmp_path):
    """A real Celery worker on Redis, on the test database, writing its email to files."""
    redis.Redis.from_url(BROKER).flushdb()
    outbox = tmp_path / "outbox"
    outbox.mkdir()
    log = (tmp_path / "worker.log").open("w")
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "CELERY_BROKER_URL": BROKER,
        "EMAIL_URL": f"filemail:///{outbox}",
    }
    worker = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "celery"),
            "-A",
            "onesource",
            "worker",
            "--pool=solo",
            "--loglevel=info",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    yield outbox
    worker.terminate()
    worker.wait(timeout=30)
    log.close()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_daily_task_runs_on_a_real_worker(plan_world, celery_worker_process):
    due_in(plan_world["activities"]["online"], 3)
    # A client of its own, not made the current app: shared tasks elsewhere keep using the portal's app.
    client = Celery(broker=BROKER, set_as_current=False)
    client.send_task("delivery.send_activity_reminders")
    norfolk, online = plan_world["activities"]["norfolk"], plan_world["activities"]["online"]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        norfolk.refresh_from_db()
        online.refresh_from_db()
        if norfolk.overdue_sent_for and online.due_soon_sent_for:
            break
        time.sleep(0.5)
    worker_log = (celery_worker_process.parent / "worker.log").read_text()
    assert norfolk.overdue_sent_for == norfolk.due_on, worker_log[-3000:]
    assert online.due_soon_sent_for == online.due_on
    sent = "".join(path.read_text() for path in celery_worker_process.iterdir())
    assert "Subject: Overdue: Embed the services provided to Norfolk Council" in sent
    assert "Subject: Due in a week: Develop online services for customers" in sent
    # A second run the same day sends nothing more.
    client.send_task("delivery.send_activity_reminders")
    wait_until_processed()
    assert "".join(path.read_text() for path in celery_worker_process.iterdir()) == sent
