import os

from celery import Celery
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onesource.settings")

# Every task keeps its message in the database when the broker is down (apps/core/outbox.py).
app = Celery("onesource", task_cls="apps.core.outbox:OutboxTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_ready.connect
def _send_what_waited(**kwargs):
    from apps.core.tasks import outbox_flush

    outbox_flush.delay()
