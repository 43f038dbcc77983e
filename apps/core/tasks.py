from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_portal_email(*, to: list[str], subject: str, body: str) -> int:
    """Send one plain-text email. Enqueue it with ``delay_on_commit`` so it leaves only if the change lands."""
    recipients = [address for address in to if address]
    if not recipients:
        return 0
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)


@shared_task(acks_late=True)
def outbox_flush() -> int:
    """Send the tasks kept while the broker was down (apps/core/outbox.py)."""
    from . import outbox

    return outbox.flush()
