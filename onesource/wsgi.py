import gc
import os

from django.core.signals import request_finished
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onesource.settings")
application = get_wsgi_application()

# What a worker loads lives as long as it does: moved out of the collector's generations, a full
# collection no longer walks it; walking it took ~100 ms in the middle of some request, every few dozen
# requests. Twice: what is loaded by now (settings, apps, models), then, once the worker has served
# WARM_REQUESTS requests, what its first requests loaded (URLs, views, serializers, compiled templates),
# which is as much again.
WARM_REQUESTS = 50


def _freeze() -> None:
    gc.collect()
    gc.freeze()


class _FreezeWhenWarm:
    def __init__(self):
        self.served = 0

    def __call__(self, **kwargs):
        self.served += 1
        if self.served >= WARM_REQUESTS:
            request_finished.disconnect(self)
            _freeze()


_freeze()
freeze_when_warm = _FreezeWhenWarm()
request_finished.connect(freeze_when_warm, weak=False)
