"""One router for the whole API at /api/v1/.

Each domain app that has an API gives ``apps/<app>/api.py`` a ``register(router)`` function; they
are called in INSTALLED_APPS order, so adding an app's API touches no file outside that app.
"""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from rest_framework.routers import DefaultRouter

router = DefaultRouter()

for config in apps.get_app_configs():
    module_name = f"{config.name}.api"
    if config.name.startswith("apps.") and config.label != "core" and find_spec(module_name):
        import_module(module_name).register(router)
