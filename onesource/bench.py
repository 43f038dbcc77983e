"""The floor of `make bench`: what Django itself serves, mounted only when BENCH_FLOOR_PAGE is on.

A page of 50 rows from one indexed query, rendered by a template without the portal's layout and
without a signed-in user: the dashboards' throughput is printed as a share of this page's, measured
in the same gunicorn and the same run. It is never one of the portal's addresses: the setting is off
by default and only scripts/bench.py turns it on, for the gunicorn it starts.
"""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from apps.kpis.models import Measurement

ROWS = 50


@login_not_required
@require_GET
def floor_page(request, partner_id: int):
    # One query, answered by the index measurement_partner_status (partner, status, period).
    rows = (
        Measurement.objects.filter(partner_id=partner_id, status=Measurement.Status.APPROVED)
        .order_by("-period")
        .values("kpi_id", "period", "value", "numerator", "denominator")[:ROWS]
    )
    return render(request, "bench/floor.html", {"rows": rows})


urlpatterns = [path("bench/floor/<int:partner_id>/", floor_page, name="bench_floor")]
