import datetime as dt
from decimal import Decimal

import pytest

from apps.core.periods import add_months
from apps.kpis.models import Measurement
from tests.factories import PartnerFactory, SubscriptionFactory
from tests.kpis.factories import KPIFactory, MeasurementFactory, TargetFactory

MAY = dt.date(2016, 5, 1)


@pytest.fixture
def kpi(world):
    kpi = KPIFactory(code="EXT-06", area=world["areas"]["EXT"], service=world["services"]["payroll"])
    TargetFactory(kpi=kpi, value=Decimal("99"), tolerance=Decimal("0.5"))
    SubscriptionFactory(partner=world["newham"], service=world["services"]["payroll"])
    return kpi


def test_create_submit_approve_through_the_api(world, api_for, kpi):
    officer = api_for("officer.exchequer")
    body = {"kpi": "EXT-06", "partner": "havering", "period": "2016-05-01", "numerator": "995", "denominator": "1000"}
    created = officer.post("/api/v1/measurements/", body, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["status"] == "draft"
    pk = created.json()["id"]
    assert officer.post(f"/api/v1/measurements/{pk}/submit/").json()["status"] == "submitted"
    assert api_for("officer.havering").get("/api/v1/measurements/").json()["count"] == 0
    assert officer.post(f"/api/v1/measurements/{pk}/approve/").status_code == 403
    assert api_for("director.exchequer").post(f"/api/v1/measurements/{pk}/approve/").json()["status"] == "approved"
    rows = api_for("officer.havering").get("/api/v1/measurements/").json()["results"]
    assert [(r["partner"], r["result"]) for r in rows] == [("havering", "99.5000")]


def test_bad_figures_are_a_400_naming_the_field(world, api_for, kpi):
    body = {"kpi": "EXT-06", "partner": "havering", "period": "2016-05-01", "numerator": "5", "denominator": "0"}
    response = api_for("officer.exchequer").post("/api/v1/measurements/", body, format="json")
    assert response.status_code == 400
    assert "denominator" in response.json()
    assert not Measurement.objects.exists()


def test_a_partner_officer_cannot_enter_figures(world, api_for, kpi):
    body = {"kpi": "EXT-06", "partner": "havering", "period": "2016-05-01", "numerator": "5", "denominator": "10"}
    assert api_for("officer.havering").post("/api/v1/measurements/", body, format="json").status_code == 403


def test_filters_by_rag_status_partner_and_period(world, api_for, kpi):
    MeasurementFactory(kpi=kpi, partner=world["havering"], period=MAY, numerator=995, denominator=1000)
    MeasurementFactory(kpi=kpi, partner=world["newham"], period=MAY, numerator=900, denominator=1000, commentary="x")
    MeasurementFactory(kpi=kpi, partner=world["newham"], period=add_months(MAY, -1), numerator=987, denominator=1000)
    api = api_for("admin")

    def partners(query):
        return sorted((r["partner"], r["period"]) for r in api.get(f"/api/v1/measurements/?{query}").json()["results"])

    assert partners("rag=red") == [("newham", "2016-05-01")]
    assert partners("rag=green") == [("havering", "2016-05-01")]
    assert partners("rag=amber") == [("newham", "2016-04-01")]
    assert partners("partner=newham&period_from=2016-05-01") == [("newham", "2016-05-01")]
    assert partners("status=submitted") == []


@pytest.mark.parametrize("partners", [1, 12])
def test_measurement_list_queries_are_constant(world, api_for, kpi, partners, django_assert_max_num_queries):
    for n in range(partners):
        partner = PartnerFactory(name=f"Council {partners}-{n}")
        MeasurementFactory(kpi=kpi, partner=partner, period=MAY)
    api = api_for("admin")
    with django_assert_max_num_queries(5):
        assert api.get("/api/v1/measurements/").json()["count"] == partners


def test_pages_found_by_their_keys_keep_the_lists_order(world, api_for, kpi, monkeypatch):
    """Newest month first, then KPI code and partner name: page after page, every figure once."""
    from apps.core.api_lists import LongListPagination

    other = KPIFactory(code="EXT-01", area=world["areas"]["EXT"], service=world["services"]["payroll"])
    for months_back in range(3):
        for each in (kpi, other):
            for partner in (world["havering"], world["newham"]):
                MeasurementFactory(kpi=each, partner=partner, period=add_months(MAY, -months_back))
    monkeypatch.setattr(LongListPagination, "page_size", 5)
    api, rows, page = api_for("admin"), [], "/api/v1/measurements/"
    while page:
        body = api.get(page).json()
        assert body["count"] == 12
        rows += [(r["period"], r["kpi"], r["partner"]) for r in body["results"]]
        page = body["next"]
    assert rows == [
        (f"{add_months(MAY, -months_back):%Y-%m-%d}", code, partner)
        for months_back in range(3)
        for code in ("EXT-01", "EXT-06")
        for partner in ("havering", "newham")
    ]


def _count(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        count = client.get("/api/v1/measurements/").json()["count"]
    return count, any("COUNT(" in query["sql"] for query in queries)


def test_a_readers_count_is_kept_until_an_approved_figure_changes(world, api_for, kpi):
    """A partner's list counts its approved figures once; approving one, or sending an approved one back
    for approval, counts them again; a draft entered meanwhile changes nothing they see."""
    from apps.kpis import services

    havering, newham = api_for("officer.havering"), api_for("officer.newham")
    MeasurementFactory(kpi=kpi, partner=world["havering"], period=MAY)
    MeasurementFactory(kpi=kpi, partner=world["newham"], period=MAY)
    MeasurementFactory(kpi=kpi, partner=world["newham"], period=add_months(MAY, -1))
    assert _count(havering) == (1, True)
    assert _count(havering) == (1, False)
    # Newham's officers share no count with Havering's: their list is another query.
    assert _count(newham) == (2, True)

    draft = MeasurementFactory(
        kpi=kpi, partner=world["havering"], period=add_months(MAY, -1), status=Measurement.Status.DRAFT
    )
    assert _count(havering) == (1, False)

    draft.status = Measurement.Status.SUBMITTED
    draft.save()
    services.measurement_approve(user=world["users"]["director.exchequer"], measurement=draft)
    assert _count(havering) == (2, True)

    approved = Measurement.objects.get(pk=draft.pk)
    services.measurement_record(
        user=world["users"]["officer.exchequer"],
        kpi=kpi,
        partner=world["havering"],
        period=approved.period,
        numerator=Decimal("990"),
        denominator=Decimal("1000"),
        commentary="Corrected from the payroll system.",
    )
    assert Measurement.objects.get(pk=draft.pk).status == Measurement.Status.SUBMITTED
    assert _count(havering) == (1, True)
    assert _count(newham) == (2, True)


def test_staff_lists_are_counted_at_every_page(world, api_for, kpi):
    """Staff see drafts too, which change all month: their count is never kept."""
    MeasurementFactory(kpi=kpi, partner=world["havering"], period=MAY)
    officer = api_for("officer.exchequer")
    assert _count(officer) == (1, True)
    MeasurementFactory(kpi=kpi, partner=world["newham"], period=MAY, status=Measurement.Status.DRAFT)
    assert _count(officer) == (2, True)


def test_a_readers_list_filtered_to_nothing_is_an_empty_page(world, api_for, kpi):
    """No figure is red: the committee's list of red figures is empty, counted as 0, not an error."""
    MeasurementFactory(kpi=kpi, partner=world["havering"], period=MAY, numerator=995, denominator=1000)
    response = api_for("committee").get("/api/v1/measurements/?rag=red")
    assert response.status_code == 200
    assert (response.json()["count"], response.json()["results"]) == (0, [])


def test_a_figure_reverted_to_an_earlier_version_is_recounted(world, api_for, kpi):
    """A figure saved from its history (as the admin's revert does) has not been read with its status:
    going back from approved to a draft recounts the readers' lists."""
    from apps.kpis import services

    figure = MeasurementFactory(kpi=kpi, partner=world["havering"], period=MAY, status=Measurement.Status.SUBMITTED)
    services.measurement_approve(user=world["users"]["director.exchequer"], measurement=figure)
    havering = api_for("officer.havering")
    assert _count(havering) == (1, True)
    figure.history.earliest().instance.save()
    assert Measurement.objects.get(pk=figure.pk).status == Measurement.Status.SUBMITTED
    assert _count(havering) == (0, True)
