"""Figures of a report against values worked out by hand on the small month of conftest.py."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.reports import compute
from tests.kpis.factories import KPIFactory, MeasurementFactory, TargetFactory

from .fixtures import OCTOBER, SEPTEMBER

pytestmark = pytest.mark.django_db


def _row(snapshot, code):
    return next(row for row in snapshot["kpis"]["rows"] if row["code"] == code)


def test_a_rate_across_two_partners_of_different_size_is_the_sum_of_numerators_over_denominators(world, month):
    whole = compute.compute(OCTOBER, None)
    row = _row(whole, "ICT-01")
    assert row["actual"] == "74.0000"  # 370 / 500, not the 80% mean of 90% and 70%
    assert row["actual_text"] == "74.0%"
    assert row["rag"] == "red"  # 6 points short of 80, more than the tolerance of 5
    assert row["last_month"] == "77.0000"  # 385 / 500
    assert row["direction_month"] == "worse"
    assert row["ytd"] == "75.5000"  # (90+280+85+300) / (100+400+100+400)


def test_each_partner_report_holds_its_own_figure_and_rating(world, month):
    havering = compute.compute(OCTOBER, world["havering"])
    newham = compute.compute(OCTOBER, world["newham"])
    assert (_row(havering, "ICT-01")["actual"], _row(havering, "ICT-01")["rag"]) == ("90.0000", "green")
    assert _row(havering, "ICT-01")["direction_month"] == "better"  # 85% in September
    assert (_row(newham, "ICT-01")["actual"], _row(newham, "ICT-01")["rag"]) == ("70.0000", "red")
    # Newham does not take payroll: its report has no payroll KPI.
    assert [row["code"] for row in newham["kpis"]["rows"]] == ["ICT-01"]


def test_a_red_carries_its_commentary_and_a_lower_is_better_count_is_rated_by_its_polarity(world, month):
    whole = compute.compute(OCTOBER, None)
    reds = {row["code"]: row for row in whole["kpis"]["reds"]}
    assert reds["ICT-01"]["commentary"] == [
        {"partner": "Newham", "text": "Two service desk posts vacant since August."}
    ]
    errors = reds["EXT-01"]  # 12 against at most 10, tolerance 1
    assert (errors["actual_text"], errors["commentary"]) == ("12", [])
    assert errors["direction_month"] == "worse"  # 9 in September
    assert whole["kpis"]["rag_counts"] == {"green": 0, "amber": 0, "red": 2, "grey": 0}


def test_a_slipped_saving_is_a_concern_and_partner_shares_split_the_pence(world, month):
    whole = compute.compute(OCTOBER, None)
    savings = whole["savings"]
    assert savings["year"] == "2016/17"
    assert savings["total"]["target"]["value"] == "6000.0000"  # £10,000 less £4,000 moved to 2017/18
    assert savings["total"]["forecast"]["value"] == "5000.0000"
    assert savings["total"]["variance"]["text"] == "-£1,000.00"
    [concern] = savings["concerns"]
    assert (concern["title"], concern["status"], concern["slipped"]["text"]) == (
        "Payroll restructure",
        "Slipped",
        "£4,000.00",
    )
    shares = {row["partner"]: row["forecast"]["value"] for row in savings["by_partner"]}
    assert shares == {"Havering": "3000.0000", "Newham": "2000.0000"}
    newham = compute.compute(OCTOBER, world["newham"])["savings"]
    assert newham["scope"] == "Newham's share"
    # Every figure of a partner's report is its share: the total, the programmes, the areas, the concerns.
    assert newham["total"]["forecast"]["text"] == "£2,000.00"
    assert newham["total"]["target"]["text"] == "£2,400.00"  # 40% of £6,000
    assert [row["forecast"]["text"] for row in newham["by_programme"]] == ["£2,000.00"]
    assert [row["target"]["text"] for row in newham["by_area"]] == ["£2,400.00"]
    assert newham["concerns"][0]["slipped"]["text"] == "£1,600.00"  # 40% of the £4,000 moved
    assert newham["plan"] == []  # the programmes' oneSource-wide totals are not a partner's figures
    assert newham["by_partner"] == []  # a partner's report does not list the other partners' shares


def test_sla_compliance_and_data_completeness(world, month):
    havering = compute.compute(OCTOBER, world["havering"])
    assert (havering["slas"]["met"], havering["slas"]["measured"], havering["slas"]["rate_text"]) == (1, 1, "100.0%")
    assert havering["slas"]["standards"][0]["outcome"] == "met"  # 90% against 85%
    whole = compute.compute(OCTOBER, None)
    # Due: ICT-01 from both partners, EXT-01 from Havering (the only payroll customer): all three approved.
    assert (whole["completeness"]["expected"], whole["completeness"]["received"]) == (3, 3)
    september = compute.compute(SEPTEMBER, world["havering"])
    assert september["completeness"]["percent_text"] == "100.0%"


def test_data_completeness_names_the_kpi_without_an_approved_figure(world, month):
    late = KPIFactory(
        code="ICT-02", name="Laptops repaired", area=world["areas"]["ICT"], service=world["services"]["it_support"]
    )
    MeasurementFactory(kpi=late, partner=world["havering"], period=OCTOBER)
    whole = compute.compute(OCTOBER, None)
    assert whole["completeness"]["missing"] == [
        {"code": "ICT-02", "name": "Laptops repaired", "missing": 1, "expected": 2}
    ]
    assert _row(whole, "ICT-02")["rag"] == "grey"  # no target set


def test_a_kpi_the_portal_computes_is_never_missing_from_data_completeness(world, month):
    # The enquiry KPI of a service with no enquiries this month has no figure, and none was due from anyone.
    KPIFactory(
        code="ENQ-ICT-1",
        name="Enquiries answered within target: IT support",
        area=world["areas"]["ICT"],
        service=world["services"]["it_support"],
        computed=True,
    )
    whole = compute.compute(OCTOBER, None)
    assert (whole["completeness"]["expected"], whole["completeness"]["received"]) == (3, 3)
    assert whole["completeness"]["missing"] == []


def test_the_scorecard_rates_the_services_measures_and_lists_enquiry_figures_by_service_apart(world, month):
    computed = {"area": world["areas"]["ICT"], "service": world["services"]["it_support"], "computed": True}
    quiet = KPIFactory(code="ENQ-ICT-1", name="Enquiries answered within target: IT support", **computed)
    busy = KPIFactory(code="SAT-ICT-1", name="Average satisfaction: IT support", **computed)
    MeasurementFactory(kpi=busy, partner=world["havering"], period=OCTOBER, status="approved")
    whole = compute.compute(OCTOBER, None)["kpis"]
    assert {row["code"] for row in whole["rows"]} == {"ICT-01", "EXT-01"}
    assert sum(whole["rag_counts"].values()) == 2 and whole["rag_counts"]["grey"] == 0
    assert all(sum(m[c] for c in ("green", "amber", "red", "grey")) == 2 for m in whole["rag_by_month"])
    # The service that had feedback is listed with its figure; the one with no enquiries is not.
    assert [row["code"] for row in whole["by_service"]] == [busy.code]
    assert quiet.code not in str(whole)


def test_the_number_of_queries_for_one_report_does_not_grow_with_the_number_of_kpis(world, month):
    def count():
        with CaptureQueriesContext(connection) as queries:
            compute.compute(OCTOBER, None)
            compute.compute(OCTOBER, world["havering"])
        return len(queries)

    before = count()
    for n in range(20):
        kpi = KPIFactory(code=f"ICT-{n + 10}", area=world["areas"]["ICT"], service=world["services"]["it_support"])
        TargetFactory(kpi=kpi, financial_year=2016, value=80)
        for partner in (world["havering"], world["newham"]):
            MeasurementFactory(kpi=kpi, partner=partner, period=OCTOBER)
            MeasurementFactory(kpi=kpi, partner=partner, period=SEPTEMBER)
    assert count() == before
    # two reports: oneSource and Havering (each reads its principal risks; oneSource its traded income)
    assert before == 39
