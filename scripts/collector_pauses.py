"""What Python's garbage collector costs a web worker: collections, their time, and the requests' p50,
p95 and p99, over a mix of the main pages in one process, as a gunicorn worker serves them.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/onesource_load TWO_FACTOR_ENFORCED=false \\
        .venv/bin/python scripts/collector_pauses.py [--no-warm-freeze] [--rounds 50]

The process loads the portal through ``onesource/wsgi.py``, which freezes what is loaded at start and,
once the worker has served ``WARM_REQUESTS`` requests, what its first requests loaded.
``--no-warm-freeze`` leaves out the second freeze, to compare. Run it on the load test's database (the
demo users, and the scale data for figures that weigh what they do there).
"""

import argparse
import gc
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onesource.settings")

from django.core.signals import request_finished
from django.test import Client

from onesource import wsgi  # loads the portal as a worker does

PAGES = {
    "committee": ["/", "/kpis/SCL-0001/", "/kpis/EXT-01/", "/api/v1/agreements/"],
    "officer.exchequer": ["/", "/kpis/EXT-01/", "/kpis/entry/"],
    "officer.havering": ["/", "/kpis/EXT-01/", "/api/v1/enquiries/"],
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--no-warm-freeze", action="store_true")
    parser.add_argument("--rounds", type=int, default=50)
    args = parser.parse_args()
    from apps.accounts.models import User  # once the portal is loaded
    from tests.factories import sign_in

    if args.no_warm_freeze:
        request_finished.disconnect(wsgi.freeze_when_warm)
    clients = []
    for username, paths in PAGES.items():
        client = Client(HTTP_HOST="127.0.0.1")
        sign_in(client, User.objects.get(username=username))
        clients.append((client, paths))
    started, spent, counts = {}, [0.0, 0.0, 0.0], [0, 0, 0]

    def timed(phase, info):
        generation = info["generation"]
        if phase == "start":
            started[generation] = time.perf_counter()
        else:
            spent[generation] += time.perf_counter() - started[generation]
            counts[generation] += 1

    times = []
    for round_ in range(args.rounds):
        if round_ == 5:  # after the first requests: what a worker in service does
            gc.callbacks.append(timed)
        for client, paths in clients:
            for path in paths:
                began = time.perf_counter()
                client.get(path)
                if round_ >= 5:
                    times.append((time.perf_counter() - began) * 1000)
    gc.callbacks.remove(timed)
    times.sort()
    quantile = statistics.quantiles(times, n=100)
    print(
        f"{'without' if args.no_warm_freeze else 'with'} the second freeze: {len(times)} requests after the first "
        f"{5 * sum(len(p) for p in PAGES.values())}: p50 {quantile[49]:.0f} ms, p95 {quantile[94]:.0f} ms, "
        f"p99 {quantile[98]:.0f} ms; objects tracked {len(gc.get_objects()):,}, frozen {gc.get_freeze_count():,}"
    )
    for generation in range(3):
        print(f"  generation {generation}: {counts[generation]} collections, {spent[generation] * 1000:.0f} ms")


if __name__ == "__main__":
    main()
