"""Celery tasks of the monthly reports: they take ids and call a service."""

import datetime as dt

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from apps.core.periods import last_month

from . import services

#: Errors worth another try: the database was briefly unreachable, restarting or locked.
DATABASE_ERRORS = (OperationalError, InterfaceError)
MAX_RETRIES = 5


@shared_task
def generate_monthly_reports(period: str | None = None) -> int:
    """Fan out: ``generate_reports`` tasks for the month, oneSource's report in one, partners' in batches."""
    month = dt.date.fromisoformat(period) if period else last_month()
    return len(services.reports_request(period=month))


#: How a report task runs: taken again if a worker is lost, retried with back-off on database errors, and
#: stopped if it runs past its time.
GENERATION = {
    "bind": True,
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": DATABASE_ERRORS,
    "retry_backoff": 2,
    "retry_backoff_max": 120,
    "retry_jitter": True,
    "max_retries": MAX_RETRIES,
    "soft_time_limit": 600,
    "time_limit": 660,
}


@shared_task
def monthly_reports_if_due(today: str | None = None) -> int:
    """Run daily by Celery beat: on the 6th working day of a month, last month's reports."""
    today = dt.date.fromisoformat(today) if today else timezone.localdate()
    if not services.reports_due_on(today):
        return 0
    return len(services.reports_request(period=last_month(today)))


@shared_task(**GENERATION)
def generate_report(self, report_id: int) -> str:
    return services.report_generate(report_id=report_id, final_attempt=self.request.retries >= MAX_RETRIES)


@shared_task(**GENERATION)
def generate_reports(self, report_ids: list[int]) -> dict[int, str]:
    """A batch of one month's reports (``services.report_batches``): their scorecards computed together."""
    return services.reports_generate(report_ids=report_ids, final_attempt=self.request.retries >= MAX_RETRIES)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_report_published(published_id: int) -> int:
    return services.report_published_notify(published_id=published_id)


@shared_task(acks_late=True, autoretry_for=DATABASE_ERRORS, retry_backoff=True, max_retries=5, time_limit=900)
def build_pack(pack_id: int) -> str:
    return services.pack_build(pack_id=pack_id)
