"""The daily reminders of the risk register and of the committee's actions, run by a real Celery worker on
Redis as beat would run them: each reminder reaches its owners' mailboxes once, however often the task runs."""

import datetime as dt
from email import message_from_string

import pytest
from django.utils import timezone

from apps.governance.tasks import send_action_reminders
from apps.risks.models import MitigatingAction
from apps.risks.tasks import send_risk_reminders
from tests.governance.routes import business
from tests.worker import broker_for_app, celery_worker_process, private_redis, wait_for

from .factories import make_risk

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _subjects(mail_dir):
    return sorted(message_from_string(path.read_text())["Subject"] for path in mail_dir.glob("*.log"))


def test_the_daily_reminders_reach_each_owner_once_through_the_worker(world, tmp_path):
    today = timezone.localdate()
    risk = make_risk(world, title="Restructure consultation delayed", review_in_days=3)
    MitigatingAction.objects.create(
        risk=risk,
        description="Brief the unions",
        owner=world["users"]["officer.exchequer"],
        due_on=today - dt.timedelta(days=2),
    )
    action = business(world)["action"]
    action.due_on = today - dt.timedelta(days=1)
    action.save()

    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    with private_redis() as redis, broker_for_app(redis.url):
        env = {"EMAIL_URL": f"filemail:///{mail_dir}"}
        with celery_worker_process(redis.url, tmp_path / "worker.log", extra_env=env):
            send_risk_reminders.delay()
            send_action_reminders.delay()
            sent = wait_for(lambda: len(_subjects(mail_dir)) >= 3, timeout=90)
            assert sent, (tmp_path / "worker.log").read_text()
            # Beat runs them again the next morning: nothing new is due, so nothing more is sent. The
            # worker takes one task at a time, so once a marker reminder (a review newly due) has
            # arrived, the repeats before it have been handled.
            send_risk_reminders.delay()
            send_action_reminders.delay()
            make_risk(world, title="Pension fund valuation", review_in_days=1)
            send_risk_reminders.delay()
            assert wait_for(lambda: len(_subjects(mail_dir)) >= 4, timeout=90), (tmp_path / "worker.log").read_text()

    assert _subjects(mail_dir) == sorted(
        [
            "Risk review is due: Restructure consultation delayed",
            "Risk action overdue: Restructure consultation delayed",
            f"Overdue: {action.title}",
            "Risk review is due: Pension fund valuation",
        ]
    )
