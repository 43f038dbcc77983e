"""The monthly reports through a real Celery worker on a real Redis (not eager, no mocks).

Each test runs its own Redis server, so no other test's broker, queue or worker can interfere.
"""

import base64
import json
import os
import signal

import psycopg2
import pytest
import redis
from django.db import connection, transaction

from apps.reports import compute, services, tasks
from apps.reports.models import MonthlyReport
from tests.worker import broker_for_app, celery_worker_process, private_redis, wait_for

from .fixtures import OCTOBER

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def broker():
    with private_redis() as server, broker_for_app(server.url):
        yield server


def _statuses():
    return dict(
        MonthlyReport.objects.filter(period=OCTOBER).values_list("partner__slug", "status").order_by("partner__slug")
    )


def _all_ready():
    return _statuses() == {None: "ready", "havering": "ready", "newham": "ready"}


def _lock_connection():
    """A second connection of our own to the test database, to hold locks the worker must wait for."""
    s = connection.settings_dict
    return psycopg2.connect(
        dbname=s["NAME"],
        user=s["USER"],
        password=s["PASSWORD"] or None,
        host=s["HOST"] or "127.0.0.1",
        port=s["PORT"] or 5432,
    )


def _waiting_on_a_lock(cursor) -> bool:
    """Whether a session waits for a lock (a row lock shows as a wait on the holder's transaction)."""
    cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
    return cursor.fetchone()[0] > 0


def test_a_month_fans_out_one_report_per_scope_and_running_it_again_changes_nothing(world, month, broker, tmp_path):
    with celery_worker_process(broker.url, tmp_path / "worker.log"):
        tasks.generate_monthly_reports.delay(OCTOBER.isoformat())
        assert wait_for(_all_ready, timeout=90), (_statuses(), (tmp_path / "worker.log").read_text()[-3000:])
        first = {r.pk: r.snapshot for r in MonthlyReport.objects.filter(period=OCTOBER)}
        tasks.generate_monthly_reports.delay(OCTOBER.isoformat())
        # twice the month's task and its two batches: oneSource's report, then the partners' together
        assert wait_for(lambda: (tmp_path / "worker.log").read_text().count("succeeded") >= 6, timeout=90), (
            tmp_path / "worker.log"
        ).read_text()[-3000:]
        assert wait_for(_all_ready, timeout=30)
    again = {r.pk: r.snapshot for r in MonthlyReport.objects.filter(period=OCTOBER)}
    assert again == first and len(again) == 3
    whole = first[MonthlyReport.objects.get(period=OCTOBER, partner=None).pk]
    assert {row["code"]: row["actual"] for row in whole["kpis"]["rows"]}["ICT-01"] == "74.0000"


def test_a_task_that_fails_on_a_database_error_is_retried_and_completes(world, month, broker, tmp_path):
    report_id = services.reports_request(period=OCTOBER)[0]
    log = tmp_path / "worker.log"
    locker = _lock_connection()
    try:
        with celery_worker_process(broker.url, log, extra_env={"DATABASE_LOCK_TIMEOUT_MS": "500"}):
            cursor = locker.cursor()
            cursor.execute("LOCK TABLE reports_monthlyreport IN ACCESS EXCLUSIVE MODE")
            tasks.generate_report.delay(report_id)
            assert wait_for(lambda: "Retry in" in log.read_text(), timeout=60), log.read_text()[-3000:]
            assert "lock timeout" in log.read_text()
            locker.rollback()  # the lock goes; the retry completes
            assert wait_for(lambda: MonthlyReport.objects.get(pk=report_id).status == "ready", timeout=90), (
                log.read_text()[-3000:]
            )
    finally:
        locker.close()


def test_a_rolled_back_transaction_enqueues_nothing_and_a_committed_one_enqueues_every_scope(world, month, broker):
    queue = redis.Redis.from_url(broker.url)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.reports_request(period=OCTOBER)
        raise RuntimeError("the request failed after queueing")
    assert queue.llen("celery") == 0
    assert not MonthlyReport.objects.exists()
    ids = services.reports_request(period=OCTOBER)
    # Every scope is queued: oneSource's report in a task of its own, the partners' in one batch.
    batches = [json.loads(base64.b64decode(json.loads(m)["body"]))[0][0] for m in queue.lrange("celery", 0, -1)]
    assert len(ids) == 3 and len(batches) == 2
    assert sorted(pk for batch in batches for pk in batch) == sorted(ids)


def test_a_report_whose_worker_is_killed_mid_computation_completes_on_restart_with_the_same_figures(
    world, month, broker, tmp_path
):
    expected = compute.compute(OCTOBER, world["havering"])
    services.reports_request(period=OCTOBER)
    report = MonthlyReport.objects.get(period=OCTOBER, partner=world["havering"])
    MonthlyReport.objects.exclude(pk=report.pk).delete()
    redis.Redis.from_url(broker.url).delete("celery")  # only Havering's task from here on
    env = {"CELERY_VISIBILITY_TIMEOUT": "5", "CELERY_RESTORE_SWEEP_SECONDS": "1"}
    locker = _lock_connection()
    try:
        cursor = locker.cursor()
        # Hold the report's row: the worker takes the task and waits on the row, mid-report.
        cursor.execute("SELECT id FROM reports_monthlyreport WHERE id = %s FOR UPDATE", [report.pk])
        with celery_worker_process(broker.url, tmp_path / "first.log", extra_env=env) as first:
            tasks.generate_report.delay(report.pk)
            # Mid-report: the worker has taken the task and waits on the row we hold.
            assert wait_for(lambda: _waiting_on_a_lock(cursor), timeout=60), (tmp_path / "first.log").read_text()
            os.kill(first.pid, signal.SIGKILL)
            first.wait(timeout=30)
        locker.rollback()
        assert MonthlyReport.objects.get(pk=report.pk).status != "ready"
        with celery_worker_process(broker.url, tmp_path / "second.log", extra_env=env):
            assert wait_for(lambda: MonthlyReport.objects.get(pk=report.pk).status == "ready", timeout=120), (
                tmp_path / "second.log"
            ).read_text()[-3000:]
    finally:
        locker.close()
    assert MonthlyReport.objects.get(pk=report.pk).snapshot == expected
