import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from apps.kpis import demo
from apps.kpis.models import KPI, Measurement
from tests.kpis.factories import KPIFactory, MeasurementFactory, TargetFactory


def test_one_measurement_per_kpi_partner_and_month(world):
    first = MeasurementFactory(partner=world["havering"])
    with pytest.raises(IntegrityError):
        MeasurementFactory(kpi=first.kpi, partner=world["havering"], period=first.period)


def test_period_is_the_first_of_a_month_and_denominator_positive(world):
    kpi = KPIFactory(area=world["areas"]["EXT"])
    bad = Measurement(kpi=kpi, partner=world["havering"], period=dt.date(2016, 4, 2), numerator=1, denominator=0)
    with pytest.raises(ValidationError) as error:
        bad.full_clean()
    text = " ".join(error.value.messages)
    assert "first day of its month" in text
    assert "denominator must be more than 0" in text


def test_one_general_target_per_kpi_and_year(world):
    target = TargetFactory(kpi=KPIFactory(area=world["areas"]["EXT"]))
    TargetFactory(kpi=target.kpi, partner=world["havering"])
    with pytest.raises(IntegrityError):
        TargetFactory(kpi=target.kpi)


def test_percentage_rate_is_a_hundred_times_the_ratio(world):
    m = MeasurementFactory(partner=world["havering"], numerator=Decimal("1"), denominator=Decimal("8"))
    assert m.result == Decimal("12.5")
    assert m.kpi.format(m.result) == "12.5%"


def test_the_demo_kpis_load_with_their_history_and_a_second_run_changes_nothing(world, django_user_model):
    from apps.catalogue import demo as catalogue_demo
    from apps.catalogue import seed as catalogue_seed
    from apps.partners import seed as partners_seed

    partners_seed.load()
    catalogue_seed.load()
    catalogue_demo.load(password="x")  # the customers' illustrative services
    assert not KPI.objects.exists()  # the plan names no KPI: they are all the demo's
    assert " 0 new " not in demo.load(password="x")
    assert KPI.objects.count() == len(demo.KPIS) and all(KPI.objects.values_list("illustrative", flat=True))
    assert KPI.objects.get(code="EXT-03").is_rate
    figures, history = Measurement.objects.count(), Measurement.history.count()
    assert " 0 new approved figures from April 2014 " in demo.load(password="x")
    assert (Measurement.objects.count(), Measurement.history.count()) == (figures, history)
    # From April 2014 to last month, for every partner that takes the service.
    assert Measurement.objects.filter(period="2014-04-01", partner__slug="havering").exists()
    assert Measurement.objects.filter(partner__slug="norfolk", kpi__area__code="ICT").exists()
    # Bexley: its Financial Services, and the Exchequer measure of every partner of that area.
    bexley = set(Measurement.objects.filter(partner__slug="bexley").values_list("kpi__code", flat=True))
    assert bexley == {"FIN-01", "FIN-02", "FIN-03", "EXT-03"}
