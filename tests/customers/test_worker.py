"""The scheduled check and the reply email through a real Celery worker on Redis."""

import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from apps.customers import services, tasks
from apps.customers.models import Enquiry
from onesource.celery import app

from .factories import raise_enquiry

BROKER = os.environ.get("CUSTOMERS_TEST_BROKER_URL", "redis://127.0.0.1:6379/4")
pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _point_app_at(broker, eager):
    # Celery keeps the connection pools it made at first use (for the dev default's broker): drop
    # them, so that this process sends to the broker the worker listens on.
    app.conf.broker_url, app.conf.task_always_eager = broker, eager
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def worker(tmp_path):
    """A ``celery worker`` process on the test database, sending email to files in ``tmp_path``."""
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    database = connection.settings_dict
    env = {
        **os.environ,
        "CELERY_BROKER_URL": BROKER,
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
        # An absolute path needs a fourth slash in an email URL.
        "EMAIL_URL": f"filemail:///{mail_dir}",
    }
    previous = (app.conf.broker_url, app.conf.task_always_eager)
    _point_app_at(BROKER, eager=False)
    app.control.purge()
    celery = Path(sys.executable).with_name("celery")
    process = subprocess.Popen(
        [
            str(celery),
            "-A",
            "onesource",
            "worker",
            "--pool=solo",
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
            "-l",
            "warning",
        ],
        env=env,
        cwd=Path(__file__).resolve().parents[2],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(lambda: app.control.ping(timeout=0.5))
        yield mail_dir
    finally:
        _point_app_at(*previous)
        process.terminate()
        process.wait(timeout=30)


def _wait_for(condition, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.5)
    raise AssertionError("the worker did not finish in time")


def _mails(mail_dir):
    """Every message written, one string each. The file backend names a file by the second and its own
    id(), so two messages sent within a second by backends at the same address share a file (appended,
    each followed by a line of dashes): count messages, not files."""
    separator = "-" * 79 + "\n"
    return sorted(
        message for path in mail_dir.iterdir() for message in path.read_text().split(separator) if message.strip()
    )


def test_the_worker_sends_each_alert_once_and_the_reply_email(world, worker):
    exchequer = world["users"]["officer.exchequer"]
    enquiry = raise_enquiry(world, now=dt.datetime(2016, 1, 4, 9, tzinfo=dt.UTC))  # long past both targets
    services.enquiry_update(user=exchequer, enquiry=enquiry, assignee=exchequer)

    tasks.enquiry_clock_alerts.delay()
    tasks.enquiry_clock_alerts.delay()  # a second run finds nothing left to send

    def all_sent():
        row = Enquiry.objects.get(pk=enquiry.pk)
        return all(
            getattr(row, f"{name}_sent_at")
            for name in ("response_warning", "response_breach", "resolution_warning", "resolution_breach")
        )

    _wait_for(all_sent)
    # The reply email goes through the broker too, after the reply is committed.
    services.enquiry_reply(user=exchequer, enquiry=enquiry, body="Sorted now.")
    _wait_for(lambda: any("Sorted now." in text for text in _mails(worker)))
    time.sleep(1)  # let the second alert run finish, if it were to send anything

    mails = _mails(worker)
    assert len(mails) == 5
    assert sum("has used 75% of its" in text and "To: officer.exchequer@" in text for text in mails) == 2
    assert sum("Target missed" in text and "To: director.exchequer@" in text for text in mails) == 2
    assert sum("To: officer.havering@" in text and "Sorted now." in text for text in mails) == 1
