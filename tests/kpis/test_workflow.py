"""Entry, submission, approval, return, locking and the audit trail of a figure."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.kpis import services
from apps.kpis.models import KPI, Measurement
from tests.kpis.factories import KPIFactory, TargetFactory

MAY = dt.date(2016, 5, 1)


@pytest.fixture
def kpi(world):
    kpi = KPIFactory(code="EXT-03", area=world["areas"]["EXT"], service=world["services"]["payroll"])
    TargetFactory(kpi=kpi, value=Decimal("95"), tolerance=Decimal("2"))
    return kpi


def record(world, kpi, username="officer.exchequer", **figure):
    figure = {"numerator": Decimal("96"), "denominator": Decimal("100"), **figure}
    return services.measurement_record(
        user=world["users"][username], kpi=kpi, partner=world["havering"], period=MAY, **figure
    )


def visible(world, username):
    return Measurement.objects.visible_to(world["users"][username])


def test_submitted_then_approved_figure_reaches_the_partner_and_committee_only_once_approved(world, kpi):
    m = record(world, kpi)
    assert m.status == "draft"
    services.measurement_submit(user=world["users"]["officer.exchequer"], measurement=m)
    for username in ("officer.havering", "committee"):
        assert not visible(world, username).exists()
    services.measurement_approve(user=world["users"]["director.exchequer"], measurement=m)
    assert list(visible(world, "officer.havering")) == [m]
    assert list(visible(world, "committee")) == [m]
    assert not visible(world, "officer.newham").exists()


def test_only_the_areas_director_approves(world, kpi):
    m = record(world, kpi, submit=True)
    for username in ("officer.exchequer", "director.ict"):
        with pytest.raises(PermissionDenied):
            services.measurement_approve(user=world["users"][username], measurement=m)


def test_returning_needs_a_reason_and_the_figure_can_be_put_right(world, kpi):
    m = record(world, kpi, submit=True)
    director = world["users"]["director.exchequer"]
    with pytest.raises(ValidationError) as error:
        services.measurement_return(user=director, measurement=m, reason=" ")
    assert "reason" in error.value.message_dict
    m = services.measurement_return(user=director, measurement=m, reason="The denominator looks like April's.")
    assert m.status == "returned"
    m = record(world, kpi, denominator=Decimal("98"), submit=True)
    assert (m.status, m.return_reason) == ("submitted", "")


def test_changing_an_approved_figure_reopens_it_and_records_who_when_old_and_new(world, kpi):
    m = record(world, kpi, submit=True)
    services.measurement_approve(user=world["users"]["director.exchequer"], measurement=m)
    assert record(world, kpi, submit=True).status == "approved"  # the same figure again changes nothing
    m = record(world, kpi, numerator=Decimal("97"))
    assert m.status == "submitted"
    assert not visible(world, "officer.havering").exists()
    latest, before = m.history.all()[:2]
    assert (before.numerator, latest.numerator) == (Decimal("96"), Decimal("97"))
    assert before.status == "approved"
    assert latest.history_user == world["users"]["officer.exchequer"]
    assert latest.history_date is not None


@pytest.mark.parametrize(
    ("figure", "field", "message"),
    [
        ({"numerator": Decimal("101")}, "numerator", "at most 100"),
        ({"denominator": Decimal("0")}, "denominator", "more than 0"),
        ({"numerator": Decimal("-1")}, "numerator", "negative"),
        ({"numerator": Decimal("80")}, "commentary", "red"),
    ],
)
def test_values_the_unit_does_not_allow_are_refused_naming_the_field(world, kpi, figure, field, message):
    with pytest.raises(ValidationError) as error:
        record(world, kpi, **figure)
    assert message in " ".join(error.value.message_dict[field])
    assert not Measurement.objects.exists()


def test_a_red_figure_with_commentary_is_accepted(world, kpi):
    assert record(world, kpi, numerator=Decimal("80"), commentary="System outage for a week.").result == 80


def test_counts_are_whole_and_not_negative(world):
    kpi = KPIFactory(
        area=world["areas"]["EXT"], service=world["services"]["payroll"], is_rate=False, unit=KPI.Unit.COUNT
    )
    for value, message in ((Decimal("-1"), "negative"), (Decimal("1.5"), "whole number")):
        with pytest.raises(ValidationError) as error:
            record(world, kpi, numerator=None, denominator=None, value=value)
        assert message in error.value.message_dict["value"][0]


def test_a_partner_that_does_not_take_the_service_has_no_figure(world, kpi):
    with pytest.raises(ValidationError) as error:
        services.measurement_record(
            user=world["users"]["officer.exchequer"],
            kpi=kpi,
            partner=world["newham"],
            period=MAY,
            numerator=1,
            denominator=2,
        )
    assert "does not take" in error.value.message_dict["partner"][0]


def test_people_outside_the_area_cannot_enter_figures(world, kpi):
    for username in ("director.ict", "officer.havering", "committee"):
        with pytest.raises(PermissionDenied):
            record(world, kpi, username=username)


def test_a_system_figure_is_approved_on_arrival_and_recording_it_again_changes_nothing(world, kpi):
    m = services.measurement_record_system(kpi=kpi, partner=world["havering"], period=MAY, numerator=9, denominator=10)
    assert (m.status, m.source) == ("approved", "system")
    history = m.history.count()
    again = services.measurement_record_system(
        kpi=kpi, partner=world["havering"], period=MAY, numerator=9, denominator=10
    )
    assert again.pk == m.pk
    assert m.history.count() == history
    assert list(visible(world, "officer.havering")) == [m]
