"""Celery tasks of the committee's business: they take ids and call a service."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from . import services


@shared_task(
    acks_late=True, autoretry_for=(OperationalError, InterfaceError), retry_backoff=True, max_retries=5, time_limit=600
)
def build_agenda_pack(meeting_id: int) -> str:
    """Enqueued when an agenda is published, and again whenever a published agenda changes."""
    return services.agenda_pack_build(meeting_id=meeting_id)


@shared_task(name="governance.send_action_reminders")
def send_action_reminders() -> dict:
    """Daily (django-celery-beat): remind owners of actions due in a week or overdue, once each."""
    return services.action_reminders_send()
