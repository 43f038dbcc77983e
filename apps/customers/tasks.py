"""Celery tasks: they take ids and call a service."""

import datetime as dt

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from apps.core import periods

from . import services


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def enquiry_reply_notify(message_id: int) -> None:
    services.enquiry_reply_notify(message_id=message_id)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def enquiry_resolution_notify(enquiry_id: int) -> None:
    services.enquiry_resolution_notify(enquiry_id=enquiry_id)


@shared_task(acks_late=True, time_limit=300)
def enquiry_clock_alerts() -> dict:
    """Scheduled by Celery beat (see seed.py): warnings and breaches of the enquiry clocks."""
    return services.enquiry_clock_alerts_send()


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def contact_figures_monthly(month: str | None = None) -> int:
    """Scheduled by Celery beat on the 1st (see seed.py): last month's enquiry and satisfaction KPIs."""
    target = dt.date.fromisoformat(month) if month else periods.add_months(timezone.localdate().replace(day=1), -1)
    return services.contact_figures_record(month=target)
