"""Tasks survive a broker outage.

Every task of the portal uses ``OutboxTask`` (set as the Celery app's task class). When the broker
cannot take a message, the message is kept in the database (``OutboxMessage``) instead of failing
the user's request; ``flush()`` sends the kept messages once the broker is back. It runs every
minute from beat, at worker start-up, and from ``manage.py outbox_flush``.
"""

import logging

from celery.contrib.django.task import DjangoTask
from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)

BROKER_ERRORS = (OperationalError, ConnectionError, OSError)


class OutboxTask(DjangoTask):
    def apply_async(
        self, args=None, kwargs=None, task_id=None, producer=None, link=None, link_error=None, shadow=None, **options
    ):
        if self.app.conf.task_always_eager:
            return super().apply_async(args, kwargs, task_id, producer, link, link_error, shadow, **options)
        try:
            return super().apply_async(args, kwargs, task_id, producer, link, link_error, shadow, **options)
        except BROKER_ERRORS as error:
            from .models import OutboxMessage

            kept = {k: v for k, v in options.items() if k in ("countdown", "queue", "priority")}
            OutboxMessage.objects.create(
                task_name=self.name,
                args=list(args or ()),
                kwargs=dict(kwargs or {}),
                options=kept,
                last_error=str(error)[:2000],
            )
            logger.warning("Broker unavailable; %s kept in the outbox: %s", self.name, error)
            return None


def flush(*, limit: int = 500) -> int:
    """Send the kept messages, oldest first; stop at the first broker error. Returns how many were sent."""
    from onesource.celery import app

    from .models import OutboxMessage

    sent = 0
    for message in OutboxMessage.objects.all()[:limit]:
        try:
            with transaction.atomic():
                locked = OutboxMessage.objects.select_for_update(skip_locked=True).filter(pk=message.pk).first()
                if locked is None:
                    continue
                # Straight to the broker: a failure raises, rolling back the delete.
                app.send_task(locked.task_name, args=locked.args, kwargs=locked.kwargs, **locked.options)
                locked.delete()
            sent += 1
        except BROKER_ERRORS as error:
            OutboxMessage.objects.filter(pk=message.pk).update(
                attempts=message.attempts + 1, last_error=str(error)[:2000]
            )
            break
    return sent
