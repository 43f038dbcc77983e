from celery import shared_task
from django.conf import settings


@shared_task(name="accounts.deactivate_unused_users", acks_late=True)
def deactivate_unused_users() -> int:
    """Daily (Celery beat): users unused for ACCOUNTS_INACTIVE_DAYS days are deactivated."""
    from . import services

    return services.deactivate_unused_users(days=settings.ACCOUNTS_INACTIVE_DAYS)
