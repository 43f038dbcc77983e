from celery import shared_task

from . import services


@shared_task(name="delivery.send_activity_reminders")
def send_activity_reminders() -> dict:
    """Daily (django-celery-beat): remind owners of activities due in a week or overdue."""
    return services.activity_reminders_send()
