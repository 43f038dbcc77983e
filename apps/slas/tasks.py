"""Daily jobs of the agreements: expire agreements past their end date, send review reminders."""

from celery import shared_task

from . import services
from .models import Agreement


@shared_task
def expire_agreements() -> int:
    return services.agreements_expire()


@shared_task
def send_review_reminders() -> int:
    """Check every agreement in force; each reminder is its own transaction, so one failure stops no other."""
    sent = 0
    for pk in Agreement.objects.in_force().values_list("pk", flat=True):
        sent += services.review_reminder_send(agreement=Agreement(pk=pk)) is not None
    return sent
