"""What each main page costs on its own: time and queries of one request, per demo role.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/onesource_load .venv/bin/python scripts/page_costs.py

Run it on the load test's database (seed, scale and demo data) to see which page a load test spends its
time on. Each page is requested three times in-process (Django's test client, signed in as the demo user);
the figures are the median time, the queries and the size of the page.
"""

import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onesource.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from apps.accounts.models import User  # noqa: E402
from tests.factories import sign_in  # noqa: E402 - both sign-in steps, as the tests sign in

API_LISTS = ["/api/v1/measurements/", "/api/v1/savings/lines/", "/api/v1/enquiries/", "/api/v1/agreements/"]


def pages():
    month = dt.date.today().strftime("%Y-%m")
    return {
        "officer.havering": ["/", "/kpis/EXT-01/", "/kpis/SCL-0001/", *API_LISTS],
        "committee": ["/", "/kpis/EXT-01/", "/kpis/SCL-0001/", *API_LISTS],
        "officer.exchequer": ["/", "/kpis/EXT-01/", "/kpis/SCL-0001/", f"/kpis/entry/?month={month}", "/kpis/returns/"],
        "director.exchequer": ["/", "/kpis/EXT-01/", "/savings/mine/"],
    }


def main():
    print(f"{'user':20} {'page':32} {'status':>6} {'median':>8} {'queries':>7} {'size':>8}")
    for username, paths in pages().items():
        client = Client(HTTP_HOST="127.0.0.1")
        sign_in(client, User.objects.get(username=username))
        for path in paths:
            client.get(path)
            times = []
            for _ in range(3):
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    response = client.get(path)
                    times.append(time.perf_counter() - started)
            median = statistics.median(times) * 1000
            size = len(response.content) / 1024
            print(
                f"{username:20} {path:32} {response.status_code:>6} {median:>6.0f} ms {len(queries):>7} {size:>5.0f} KB"
            )


if __name__ == "__main__":
    main()
