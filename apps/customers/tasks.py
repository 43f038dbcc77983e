"""Celery tasks: they take ids and call a service."""

from celery import shared_task

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
