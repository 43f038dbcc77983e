"""A profile of the monthly reports' computation (pyinstrument, from requirements-dev.txt).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/onesource_load .venv/bin/python scripts/profile_report.py [N]

Run it on the benchmark database (scripts/prepare_scale_db). It computes, in this process, the latest
month's report of oneSource, then the reports of a batch of N partners (default: as many as one task
computes, ``services.REPORTS_PER_TASK``) as a task does, and prints the time, the CPU time and the
profile of each. Nothing is stored. docs/performance.md keeps what it showed.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onesource.settings")

import django

django.setup()

from pyinstrument import Profiler  # noqa: E402

from apps.kpis.models import Measurement  # noqa: E402
from apps.reports import compute, services  # noqa: E402


def profile(label, period, partners) -> None:
    profiler = Profiler(interval=0.001)
    started, cpu = time.perf_counter(), time.process_time()
    profiler.start()
    with services.paused_collection():  # as a task computes them
        scorecards = compute.Scorecards(period, partners)
        for partner in partners:
            compute.compute(period, partner, scorecards=scorecards)
    profiler.stop()
    print(f"{label}: {time.perf_counter() - started:.2f} s, {time.process_time() - cpu:.2f} s of CPU")
    print(profiler.output_text(unicode=False, color=False))


def main() -> None:
    latest = Measurement.objects.approved().order_by("-period").values_list("period", flat=True).first()
    if latest is None:
        raise SystemExit("No measurements: run scripts/prepare_scale_db first.")
    size = int(sys.argv[1]) if len(sys.argv) > 1 else services.REPORTS_PER_TASK
    partners = list(services.partners_reported(latest).order_by("pk")[:size])
    profile(f"oneSource's report of {latest:%B %Y}", latest, [None])
    profile(f"{len(partners)} partners' reports of {latest:%B %Y}, one batch", latest, partners)


if __name__ == "__main__":
    main()
