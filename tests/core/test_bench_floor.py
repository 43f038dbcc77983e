"""The benchmark's floor page: one indexed query, mounted only when BENCH_FLOOR_PAGE is on."""

import datetime as dt

import pytest
from django.urls import NoReverseMatch, reverse

from apps.core.periods import add_months
from tests.kpis.factories import KPIFactory, MeasurementFactory

pytestmark = pytest.mark.django_db


def test_the_floor_page_is_not_one_of_the_portals_addresses(world, client_for):
    with pytest.raises(NoReverseMatch):
        reverse("bench_floor", args=[world["havering"].pk])
    assert client_for("admin").get(f"/bench/floor/{world['havering'].pk}/").status_code == 404


@pytest.mark.urls("onesource.bench")
def test_the_floor_page_renders_fifty_rows_from_one_query(world, client, django_assert_num_queries):
    for kpi in KPIFactory.create_batch(3, area=world["areas"]["ICT"]):
        for n in range(20):
            MeasurementFactory(kpi=kpi, partner=world["havering"], period=add_months(dt.date(2015, 4, 1), n))
    with django_assert_num_queries(1):
        response = client.get(f"/bench/floor/{world['havering'].pk}/")
    assert response.status_code == 200
    assert response.content.decode().count("<tr><td>") == 50
