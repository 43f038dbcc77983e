"""Benchmark of the monthly reports and the dashboards at scale (`make bench`; PostgreSQL only).

Prints, in one run:

1. the time to generate every report of one month (oneSource and each partner) through a real Celery
   worker on Redis;
2. the time PostgreSQL takes to compute the same scorecards in a single SQL query (the floor), and the
   ratio of the two (target: within 5x);
3. latency (p50, p95) and throughput of the committee dashboard and a partner dashboard under 16
   concurrent clients, served by gunicorn, each as a share of the throughput of a bare page of 50 rows
   from one indexed query in the same gunicorn (targets: at least 50% of it, p95 under 100 ms).

`make bench` prepares an empty database first (scripts/prepare_scale_db: migrate, seed, 300 partners,
100 KPIs, 60 months of scale data, demo users).
Environment: DATABASE_URL (postgres://...), CELERY_BROKER_URL (default redis://127.0.0.1:6379/14),
BENCH_WORKERS (Celery processes, default the number of CPUs), BENCH_REQUESTS (per client, default 25),
BENCH_PARTS (reports,dashboards by default; `dashboards` measures the dashboards alone), REDIS_URL (the
web processes' shared cache, default the broker's Redis).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onesource.settings")
os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/14")

import django  # noqa: E402

django.setup()

import requests  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.cache.backends.redis import RedisCache  # noqa: E402
from django.db import connection  # noqa: E402

from apps.accounts.models import User  # noqa: E402
from apps.core import contributions  # noqa: E402
from apps.core.roles import Role  # noqa: E402
from apps.governance.models import Paper  # noqa: E402
from apps.kpis.models import Measurement  # noqa: E402
from apps.partners.models import Partner  # noqa: E402
from apps.reports import services  # noqa: E402
from apps.reports.models import MonthlyReport  # noqa: E402

CLIENTS = 16
PASSWORD = "bench-password-not-for-use"  # noqa: S105 - throwaway users of the benchmark database

# The floor: every scope's scorecard of the month (each partner, and oneSource as the grouped total),
# with thirteen months of figures, targets and RAG, in one statement.
FLOOR_SQL = """
WITH figures AS (
    SELECT m.kpi_id, m.partner_id, m.period, EXTRACT(YEAR FROM m.period - INTERVAL '3 months')::int AS fy,
           SUM(m.numerator) AS n, SUM(m.denominator) AS d, SUM(m.value) AS total, COUNT(m.value) AS values
    FROM kpis_measurement m
    WHERE m.status = 'approved' AND m.period BETWEEN %(first)s AND %(last)s
    GROUP BY GROUPING SETS ((m.kpi_id, m.partner_id, m.period), (m.kpi_id, m.period))
), rated AS (
    SELECT f.*, k.polarity, k.is_rate, k.aggregation,
           CASE WHEN k.is_rate THEN f.n * (CASE WHEN k.unit = 'percent' THEN 100 ELSE 1 END) / NULLIF(f.d, 0)
                WHEN k.aggregation = 'mean' THEN f.total / NULLIF(f."values", 0)
                ELSE f.total END AS figure,
           COALESCE(tp.value, tg.value) AS target, COALESCE(tp.tolerance, tg.tolerance) AS tolerance
    FROM figures f
    JOIN kpis_kpi k ON k.id = f.kpi_id
    LEFT JOIN kpis_target tp ON tp.kpi_id = f.kpi_id AND tp.partner_id = f.partner_id AND tp.financial_year = f.fy
    LEFT JOIN kpis_target tg ON tg.kpi_id = f.kpi_id AND tg.partner_id IS NULL AND NOT tg.is_onesource
                            AND tg.financial_year = f.fy
)
SELECT kpi_id, partner_id, period, figure, target,
       CASE WHEN figure IS NULL OR target IS NULL THEN 'grey'
            WHEN (CASE WHEN polarity = 'higher' THEN target - figure ELSE figure - target END) <= 0 THEN 'green'
            WHEN (CASE WHEN polarity = 'higher' THEN target - figure ELSE figure - target END) <= tolerance THEN 'amber'
            ELSE 'red' END AS rag
FROM rated
"""


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def wait(predicate, timeout, interval=1.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False


def generate_through_worker(period) -> float:
    from onesource.celery import app

    app.conf.update(broker_url=settings.CELERY_BROKER_URL, task_always_eager=False)
    app.control.purge()
    # The demo's committee agenda links the month's published reports as papers: the month is generated again.
    Paper.objects.filter(published_report__report__period=period).delete()
    MonthlyReport.objects.filter(period=period).delete()
    scopes = 1 + services.partners_reported(period).count()
    concurrency = os.environ.get("BENCH_WORKERS", str(os.cpu_count() or 2))
    log = Path(tempfile.mkstemp(prefix="bench-worker-", suffix=".log")[1])
    env = {**os.environ, "DJANGO_DEBUG": "false" if os.environ.get("DJANGO_SECRET_KEY") else "true"}
    worker = subprocess.Popen(  # noqa: S603 - our own worker
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "onesource",
            "worker",
            "--concurrency",
            concurrency,
            "--loglevel",
            "WARNING",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    try:
        if not wait(lambda: bool(app.control.ping(timeout=0.5)), 60):
            raise SystemExit(f"The Celery worker did not start; see {log}")
        started = time.perf_counter()
        from apps.reports.tasks import generate_monthly_reports

        generate_monthly_reports.delay(period.isoformat())

        def done():
            finished = MonthlyReport.objects.filter(period=period, status__in=("ready", "failed")).count()
            return finished == scopes

        if not wait(done, 3600, interval=0.5):
            raise SystemExit(f"Reports did not finish within an hour; see {log}")
        elapsed = time.perf_counter() - started
    finally:
        worker.terminate()
        worker.wait(timeout=60)
    failed = MonthlyReport.objects.filter(period=period, status="failed").count()
    print(
        f"reports: {scopes} scopes generated through {concurrency} Celery worker process(es) in {elapsed:.1f} s"
        f" ({failed} failed)"
    )
    return elapsed


def floor(period) -> float:
    from apps.core.periods import add_months

    params = {"first": add_months(period, -12), "last": period}
    timings, rows = [], 0
    for _ in range(3):
        with connection.cursor() as cursor:
            started = time.perf_counter()
            cursor.execute(FLOOR_SQL, params)
            rows = len(cursor.fetchall())
            timings.append(time.perf_counter() - started)
    best = min(timings)
    print(f"floor: one SQL query computes the same scorecards ({rows:,} rated figures) in {best:.2f} s (best of 3)")
    return best


def publish(period) -> None:
    admin = User.objects.filter(role=Role.ADMIN, is_active=True).first()
    for report in MonthlyReport.objects.filter(period=period, status="ready"):
        services.report_publish(user=admin, report=report)


def bench_user(username, role, partner=None) -> str:
    user, _ = User.objects.get_or_create(username=username, defaults={"role": role, "partner": partner})
    user.role, user.partner, user.is_active = role, partner, True
    user.set_password(PASSWORD)
    user.save()
    return username


def _signed_in(base, username):
    s = requests.Session()
    s.get(f"{base}/accounts/login/")
    token = s.cookies["csrftoken"]
    r = s.post(
        f"{base}/accounts/login/",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": base},
    )
    if "Sign out" not in r.text:
        raise SystemExit(f"{username} could not sign in")
    return s


def load(port, username, path="/", clients=CLIENTS, per_client=None) -> dict:
    """``clients`` concurrent clients, each signed in as ``username`` (none: anonymous), GET ``path``."""
    per_client = per_client or int(os.environ.get("BENCH_REQUESTS", "25"))
    base = f"http://127.0.0.1:{port}"

    def session():
        s = _signed_in(base, username) if username else requests.Session()
        s.get(f"{base}{path}")  # warm
        return s

    sessions = [session() for _ in range(clients)]

    def run(s):
        timings = []
        for _ in range(per_client):
            started = time.perf_counter()
            response = s.get(f"{base}{path}")
            timings.append(time.perf_counter() - started)
            if response.status_code != 200:
                raise SystemExit(f"GET {path} answered {response.status_code}")
        return timings

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        timings = [t for result in pool.map(run, sessions) for t in result]
    wall = time.perf_counter() - started
    return {
        "p50": statistics.median(timings) * 1000,
        "p95": percentile(timings, 0.95) * 1000,
        "throughput": len(timings) / wall,
        "requests": len(timings),
    }


def dashboards(period) -> None:
    """Each dashboard under 16 clients, as a share of the floor page's throughput in the same gunicorn.

    The floor (onesource/bench.py, mounted by BENCH_FLOOR_PAGE for this gunicorn only) is 50 rows from
    one indexed query in a bare template, asked anonymously; it is measured before and after the
    dashboards, and the dashboards are compared with the mean of the two (the machine may be shared).
    Every page is asked under the same load once, unmeasured, before that.
    Targets: each dashboard at least 50% of the floor, p95 under 100 ms.
    """
    partner = (
        Partner.objects.filter(monthly_reports__period=period, monthly_reports__status="published")
        .order_by("name")
        .first()
    )
    users = {
        "committee dashboard": bench_user("bench.committee", Role.COMMITTEE_MEMBER),
        f"partner dashboard ({partner.name})": bench_user("bench.partner", Role.PARTNER_OFFICER, partner),
    }
    floor_partner = Measurement.objects.approved().filter(period=period).values_list("partner_id", flat=True).first()
    floor_path = f"/bench/floor/{floor_partner}/"
    port = "8799"
    # The web processes share their cache in Redis, as in production (docker-compose.yml); what this
    # process published went through its own cache, so the shared one is told to draw everything afresh.
    cache_url = os.environ.get("REDIS_URL") or settings.CELERY_BROKER_URL
    RedisCache(cache_url, {}).set(contributions.GENERATION_KEY, uuid.uuid4().hex, None)
    env = {
        **os.environ,
        "BENCH_FLOOR_PAGE": "true",
        "REDIS_URL": cache_url,
        "DJANGO_LOG_LEVEL": os.environ.get("DJANGO_LOG_LEVEL", "WARNING"),
    }
    workers = str(max(2, (os.cpu_count() or 2) * 2))
    server = subprocess.Popen(  # noqa: S603 - our own server
        [
            sys.executable,
            "-m",
            "gunicorn",
            "onesource.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            workers,
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )

    def report(label, figures, share=""):
        print(
            f"{label}: {CLIENTS} clients, {figures['requests']} requests: p50 {figures['p50']:.0f} ms, "
            f"p95 {figures['p95']:.0f} ms, {figures['throughput']:.1f} requests/s{share} (gunicorn, {workers} workers)"
        )

    try:
        if not wait(lambda: _answers(port), 60, interval=0.5):
            raise SystemExit("gunicorn did not start")
        # Warmed first, as a server in service is: each worker loads its URLs, views and templates in its
        # first requests, then freezes them out of the collector's reach (onesource/wsgi.py).
        for username in (None, *users.values()):
            load(port, username, floor_path if username is None else "/")
        before = load(port, None, floor_path)
        report("floor page (50 rows, one indexed query)", before)
        measured = {label: load(port, username) for label, username in users.items()}
        after = load(port, None, floor_path)
        report("floor page, again after the dashboards", after)
        floor_rate = (before["throughput"] + after["throughput"]) / 2
        for label, figures in measured.items():
            share = 100 * figures["throughput"] / floor_rate
            met = "met" if share >= 50 and figures["p95"] < 100 else "not met"
            report(label, figures, f" = {share:.0f}% of the floor (target: 50%, p95 under 100 ms: {met})")
    finally:
        server.terminate()
        server.wait(timeout=30)


def _answers(port) -> bool:
    try:
        return requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code in (200, 503)
    except requests.RequestException:
        return False


def main() -> None:
    if connection.vendor != "postgresql":
        raise SystemExit("make bench runs on PostgreSQL: set DATABASE_URL=postgres://...")
    latest = Measurement.objects.approved().order_by("-period").values_list("period", flat=True).first()
    if latest is None:
        raise SystemExit("No measurements: run scripts/prepare_scale_db (or `make bench`) first.")
    counts = (Partner.objects.count(), Measurement.objects.count())
    print(
        f"database: {counts[0]:,} partners, {counts[1]:,} measurements; month reported: {latest:%B %Y}; "
        f"{os.cpu_count()} CPUs"
    )
    # BENCH_PARTS=dashboards measures the dashboards alone (the month's reports are generated and published
    # first only when none is published yet).
    parts = set(os.environ.get("BENCH_PARTS", "reports,dashboards").split(","))
    if "reports" in parts:
        elapsed = generate_through_worker(latest)
        best = floor(latest)
        print(f"ratio: reports take {elapsed / best:.1f}x the floor (target: within 5x)")
        publish(latest)
    elif not MonthlyReport.objects.filter(period=latest, partner=None, status="published").exists():
        generate_through_worker(latest)
        publish(latest)
    if "dashboards" in parts:
        dashboards(latest)


if __name__ == "__main__":
    main()
