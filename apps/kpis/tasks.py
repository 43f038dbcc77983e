from celery import shared_task
from django.utils import timezone

from . import services


@shared_task
def send_return_reminders() -> int:
    """Daily (Celery beat): remind data owners of returns due within 2 working days or overdue."""
    return services.return_reminders_send(today=timezone.localdate())
