from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from apps.core.management.commands.load_seed import app_modules

DEMO_PASSWORD = "onesource-demo"  # noqa: S105 - the documented demo password, DEBUG only


class Command(BaseCommand):
    help = "Add the demo users (password onesource-demo) and illustrative data. Only with DEBUG on."

    @transaction.atomic
    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("load_demo adds well-known passwords, so it runs only with DEBUG on.")
        for label, module in app_modules("demo"):
            summary = module.load(password=DEMO_PASSWORD)
            self.stdout.write(f"{label}: {summary}")
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded. Every demo user's password is {DEMO_PASSWORD}."))
