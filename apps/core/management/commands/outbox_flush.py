from django.core.management.base import BaseCommand

from apps.core import outbox
from apps.core.models import OutboxMessage


class Command(BaseCommand):
    help = "Send the tasks kept in the outbox while the broker was down."

    def handle(self, *args, **options):
        sent = outbox.flush()
        self.stdout.write(f"Sent {sent}; {OutboxMessage.objects.count()} still waiting.")
