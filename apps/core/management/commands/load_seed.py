from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


def app_modules(name: str):
    """Each domain app's module ``name`` (``seed`` or ``demo``), in INSTALLED_APPS order."""
    for config in apps.get_app_configs():
        module = f"{config.name}.{name}"
        if config.name.startswith("apps.") and find_spec(module):
            yield config.label, import_module(module)


class Command(BaseCommand):
    help = (
        "Load the facts of the oneSource Strategic Plan 2016: partners, service areas, services, "
        "subscriptions and what later apps add. Running it again changes nothing."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        for label, module in app_modules("seed"):
            summary = module.load()
            self.stdout.write(f"{label}: {summary}")
        self.stdout.write(self.style.SUCCESS("Seed data loaded."))
