import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from celery import Celery
from django.conf import settings
from django.core import mail
from django.db import connection
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from apps.slas import services, tasks
from apps.slas.models import Agreement, ReviewReminder
from apps.slas.services import REMINDER_DAYS, reminder_due
from tests.factories import ContactFactory
from tests.slas.factories import AgreementFactory, ScheduleFactory

REDIS_URL = os.environ.get("SLAS_TEST_REDIS_URL", "redis://127.0.0.1:6379/5")
REVIEW = dt.date(2017, 3, 1)


@given(start=st.integers(min_value=0, max_value=120), skipped=st.sets(st.integers(min_value=0, max_value=120)))
def test_run_daily_each_reminder_goes_once_and_a_missed_day_is_caught_up(start, skipped):
    """From ``start`` days before the review, the task runs daily (except on ``skipped`` days)."""
    sent = []
    for days_left in range(start, -1, -1):
        if days_left in skipped:
            continue
        due = reminder_due(REVIEW, REVIEW - dt.timedelta(days=days_left))
        if due is not None and due not in sent:
            sent.append(due)
    assert len(sent) == len(set(sent))
    assert sent == sorted(sent, reverse=True)
    runs = {d for d in range(start + 1) if d not in skipped}
    for days, next_days in zip(REMINDER_DAYS, (*REMINDER_DAYS[1:], -1), strict=True):
        window = {d for d in runs if next_days < d <= days}
        assert (days in sent) == bool(window)


def _agreement_in_force(world, review_due_on):
    now = timezone.now()
    agreement = AgreementFactory(
        partner=world["havering"],
        status=Agreement.Status.ACTIVE,
        partner_signed_at=now,
        partner_signed_by=world["users"]["officer.havering"],
        onesource_signed_at=now,
        owner=world["users"]["admin"],
        review_due_on=review_due_on,
        ends_on=review_due_on + dt.timedelta(days=365),
        starts_on=review_due_on - dt.timedelta(days=365),
    )
    ScheduleFactory(agreement=agreement, service=world["services"]["payroll"])
    ContactFactory(partner=world["havering"], responsibility="sla_signatory", email="signatory@havering.example")
    return agreement


def test_the_daily_task_emails_the_owner_and_the_signatory_once_and_records_it(
    world, client_for, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    agreement = _agreement_in_force(world, today + dt.timedelta(days=30))
    # A draft and another partner's agreement with no reminder due are left alone.
    AgreementFactory(partner=world["newham"], review_due_on=today + dt.timedelta(days=30))
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_review_reminders.delay().get() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == [
        "admin@onesource.example",
        "officer.havering@onesource.example",
        "signatory@havering.example",
    ]
    assert message.subject == "Havering's service level agreement is due for review in 30 days"
    reminder = ReviewReminder.objects.get()
    assert (reminder.agreement, reminder.days_before, reminder.review_due_on) == (
        agreement,
        30,
        agreement.review_due_on,
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_review_reminders.delay().get() == 0
    assert len(mail.outbox) == 1
    page = client_for("officer.exchequer").get(agreement.get_absolute_url()).content.decode()
    assert "30 days before the review on" in page and "signatory@havering.example" in page
    assert (
        "Review reminders sent" not in client_for("officer.havering").get(agreement.get_absolute_url()).content.decode()
    )


def test_a_new_review_date_gets_its_own_reminders(world, django_capture_on_commit_callbacks):
    agreement = _agreement_in_force(world, REVIEW)
    with django_capture_on_commit_callbacks(execute=True):
        services.review_reminder_send(agreement=agreement, today=REVIEW - dt.timedelta(days=7))
        services.review_reminder_send(agreement=agreement, today=REVIEW - dt.timedelta(days=6))
    agreement.review_due_on = dt.date(2018, 3, 1)
    agreement.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.review_reminder_send(agreement=agreement, today=dt.date(2018, 3, 1) - dt.timedelta(days=7))
    assert list(ReviewReminder.objects.order_by("review_due_on").values_list("review_due_on", "days_before")) == [
        (REVIEW, 7),
        (dt.date(2018, 3, 1), 7),
    ]
    assert len(mail.outbox) == 2


def test_the_expiry_and_reminder_jobs_are_scheduled_daily_for_celery_beat(db):
    from django_celery_beat.models import PeriodicTask

    scheduled = {task.task: task.crontab for task in PeriodicTask.objects.select_related("crontab")}
    assert {"apps.slas.tasks.expire_agreements", "apps.slas.tasks.send_review_reminders"} <= set(scheduled)
    for name in ("apps.slas.tasks.expire_agreements", "apps.slas.tasks.send_review_reminders"):
        assert scheduled[name].day_of_week == "*" and scheduled[name].minute == "0"


@pytest.fixture
def celery_worker_process(transactional_db, tmp_path):
    """A real Celery worker on Redis, reading the test database, sending email to files in tmp_path."""
    probe = Celery("probe", broker=REDIS_URL)
    probe.control.purge()
    database = connection.settings_dict
    env = {
        **os.environ,
        "CELERY_BROKER_URL": REDIS_URL,
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
        "EMAIL_URL": f"filemail:///{tmp_path}",
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "onesource",
            "worker",
            "--pool=solo",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=WARNING",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        yield probe, tmp_path
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        probe.control.purge()


def _wait_for(check, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.5)
    return False


@pytest.mark.django_db(transaction=True)
def test_the_reminder_task_runs_on_a_real_worker_and_sends_each_reminder_once(world, celery_worker_process):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL for a worker process to share the test database; CI runs it")
    probe, mail_dir = celery_worker_process
    agreement = _agreement_in_force(world, timezone.localdate() + dt.timedelta(days=60))

    probe.send_task("apps.slas.tasks.send_review_reminders")
    assert _wait_for(lambda: ReviewReminder.objects.filter(agreement=agreement).exists())
    assert _wait_for(lambda: any(Path(mail_dir).iterdir()))
    sent = "".join(path.read_text() for path in Path(mail_dir).iterdir())
    assert "due for review in 60 days" in sent
    assert "signatory@havering.example" in sent and "admin@onesource.example" in sent

    # Run again, then the expiry job: the one worker takes them in order, so once Newham's lapsed
    # agreement is expired the second reminder run is done, and it sent nothing more.
    now = timezone.now()
    lapsed = AgreementFactory(
        partner=world["newham"],
        status=Agreement.Status.ACTIVE,
        partner_signed_at=now,
        onesource_signed_at=now,
        starts_on=dt.date(2016, 4, 1),
        ends_on=dt.date(2019, 3, 31),
    )
    probe.send_task("apps.slas.tasks.send_review_reminders")
    probe.send_task("apps.slas.tasks.expire_agreements")
    assert _wait_for(lambda: Agreement.objects.get(pk=lapsed.pk).status == Agreement.Status.EXPIRED)
    assert list(ReviewReminder.objects.values_list("days_before", flat=True)) == [60]
    assert len(list(Path(mail_dir).iterdir())) == 1
