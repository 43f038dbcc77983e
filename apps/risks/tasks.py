from celery import shared_task

from . import services


@shared_task(name="risks.send_risk_reminders", acks_late=True)
def send_risk_reminders() -> dict:
    """Daily (django-celery-beat): reviews due within a week or passed, and overdue actions; once each."""
    return services.risk_reminders_send()
