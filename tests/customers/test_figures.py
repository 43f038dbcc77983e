"""The monthly figures that feed performance: answered within target, and satisfaction sums."""

import datetime as dt

import pytest

from apps.customers import selectors, services

from .factories import at, raise_enquiry


def test_monthly_figures_per_partner_and_service(world, django_assert_num_queries):
    exchequer, ict = world["users"]["officer.exchequer"], world["users"]["director.ict"]
    havering, newham = world["users"]["officer.havering"], world["users"]["officer.newham"]
    on_time = raise_enquiry(world, now=at(2016, 11, 21, 9))
    services.enquiry_reply(user=exchequer, enquiry=on_time, body="Yes", now=at(2016, 11, 21, 10))
    late = raise_enquiry(world, now=at(2016, 11, 21, 9))
    services.enquiry_reply(user=exchequer, enquiry=late, body="Sorry", now=at(2016, 11, 23, 10))
    raise_enquiry(world, now=at(2016, 11, 28, 9))  # unanswered, due Tuesday 29th: missed in November
    raise_enquiry(world, now=at(2016, 11, 30, 9))  # due 1 December: not November's
    newham_it = raise_enquiry(world, "newham", "it_support", now=at(2016, 11, 21, 9))
    services.enquiry_reply(user=ict, enquiry=newham_it, body="Fixed", now=at(2016, 11, 22, 9))
    for user, service, score, day in (
        (havering, "payroll", 4, dt.date(2016, 11, 2)),
        (havering, "payroll", 2, dt.date(2016, 11, 30)),
        (havering, "payroll", 1, dt.date(2016, 12, 1)),
        (newham, "council_tax", 5, dt.date(2016, 11, 15)),
    ):
        services.feedback_log(
            user=world["users"]["admin"],
            partner=user.partner,
            service=world["services"][service],
            source="informal",
            score=score,
            received_on=day,
        )

    with django_assert_num_queries(2):
        figures = selectors.monthly_contact_figures(month=dt.date(2016, 11, 1))

    by_key = {(f["partner_id"], f["service_id"]): f for f in figures}
    h, n, s = world["havering"].pk, world["newham"].pk, world["services"]
    assert by_key[(h, s["payroll"].pk)] == {
        "partner_id": h,
        "service_id": s["payroll"].pk,
        "answered_within_target": 1,
        "answered_total": 3,
        "satisfaction_sum": 6,
        "satisfaction_count": 2,
    }
    assert (
        by_key[(n, s["it_support"].pk)]["answered_within_target"],
        by_key[(n, s["it_support"].pk)]["answered_total"],
    ) == (1, 1)
    assert by_key[(n, s["council_tax"].pk)]["satisfaction_sum"] == 5
    assert by_key[(n, s["council_tax"].pk)]["answered_total"] == 0
    assert len(figures) == 3
    assert selectors.monthly_contact_figures(month=dt.date(2016, 10, 1)) == []


def test_the_months_figures_become_approved_system_kpi_figures_once(world, client_for):
    from decimal import Decimal

    from apps.kpis.models import Measurement

    exchequer = world["users"]["officer.exchequer"]
    on_time = raise_enquiry(world, now=at(2016, 11, 21, 9))
    services.enquiry_reply(user=exchequer, enquiry=on_time, body="Yes", now=at(2016, 11, 21, 10))
    late = raise_enquiry(world, now=at(2016, 11, 21, 9))
    services.enquiry_reply(user=exchequer, enquiry=late, body="Sorry", now=at(2016, 11, 23, 10))
    for score in (4, 5):
        services.feedback_log(
            user=world["users"]["admin"],
            partner=world["havering"],
            service=world["services"]["payroll"],
            source="informal",
            score=score,
            received_on=dt.date(2016, 11, 10),
        )

    assert services.contact_figures_record(month=dt.date(2016, 11, 1)) == 2
    answered = Measurement.objects.get(kpi__name="Enquiries answered within target: Payroll")
    satisfaction = Measurement.objects.get(kpi__name="Average satisfaction: Payroll")
    assert (answered.partner, answered.period) == (world["havering"], dt.date(2016, 11, 1))
    assert (answered.numerator, answered.denominator, answered.status, answered.source) == (
        Decimal(1),
        Decimal(2),
        "approved",
        "system",
    )
    assert satisfaction.kpi.rate_value(satisfaction.numerator, satisfaction.denominator) == Decimal("4.5")
    assert answered.kpi.code == "ENQ-EXT-1" and answered.kpi.unit == "percent"

    history = Measurement.history.count()
    assert services.contact_figures_record(month=dt.date(2016, 11, 1)) == 2
    assert Measurement.objects.count() == 2 and Measurement.history.count() == history

    # Approved on arrival, so the partner sees it like any other figure.
    api = client_for("officer.havering").get("/api/v1/measurements/", HTTP_ACCEPT="application/json")
    assert {row["id"] for row in api.json()["results"]} == {answered.pk, satisfaction.pk}


def test_no_one_enters_or_is_chased_for_the_figures_the_portal_computes(world):
    from django.core.exceptions import ValidationError

    from apps.kpis import selectors as kpi_selectors
    from apps.kpis import services as kpi_services

    kpis = services.system_kpis_ensure(world["services"]["payroll"])
    answered = kpis[services.ANSWERED]
    assert answered.computed and services.system_kpis_ensure(world["services"]["payroll"]) == kpis

    admin = world["users"]["admin"]
    returns = kpi_selectors.my_returns(user=admin, period=dt.date(2016, 11, 1))
    assert answered.code not in {row.kpi.code for row in returns.to_enter}
    with pytest.raises(ValidationError) as refused:
        kpi_services.measurement_record(
            user=admin, kpi=answered, partner=world["havering"], period=dt.date(2016, 11, 1), numerator=1, denominator=2
        )
    assert "computed by the portal" in refused.value.message_dict["kpi"][0]


def test_the_scorecard_lists_the_computed_figures_by_service_apart_and_unrated(world, client_for):
    import re

    exchequer = world["users"]["officer.exchequer"]
    on_time = raise_enquiry(world, now=at(2016, 11, 21, 9))
    services.enquiry_reply(user=exchequer, enquiry=on_time, body="Yes", now=at(2016, 11, 21, 10))
    services.contact_figures_record(month=dt.date(2016, 11, 1))
    services.system_kpis_ensure(world["services"]["it_support"])  # a service with no enquiries this year

    page = client_for("officer.havering").get("/kpis/scorecard/?partner=havering&month=2016-11").content.decode()
    text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    scorecard, _, by_service = text.partition("Enquiries and satisfaction by service, November 2016")
    scorecard = scorecard.partition("Show scorecard")[2]
    assert "No KPIs measure the services Havering takes" in scorecard  # none but the computed ones here
    assert "Enquiries answered within target" not in scorecard
    assert "Enquiries answered within target: Payroll 100.0%" in by_service
    assert "IT support" not in by_service and "Grey" not in by_service
