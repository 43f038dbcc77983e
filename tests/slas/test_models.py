import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.slas.models import Agreement
from tests.slas.factories import AgreementFactory, ScheduleFactory

NOW = timezone.now()


def _in_force(partner, version, status=Agreement.Status.ACTIVE):
    return AgreementFactory(
        partner=partner, version=version, status=status, partner_signed_at=NOW, onesource_signed_at=NOW
    )


def test_a_partner_cannot_have_two_agreements_in_force_in_the_database(world):
    _in_force(world["havering"], 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        _in_force(world["havering"], 2, status=Agreement.Status.UNDER_REVIEW)
    # Another partner, and a superseded version, are not in the way.
    _in_force(world["newham"], 1)
    _in_force(world["havering"], 3, status=Agreement.Status.SUPERSEDED)
    assert Agreement.objects.in_force().count() == 2


def test_an_agreement_comes_into_force_only_signed_by_both_sides(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        AgreementFactory(partner=world["havering"], status=Agreement.Status.ACTIVE, partner_signed_at=NOW)


def test_an_end_date_before_the_start_is_refused_with_a_message(world):
    agreement = AgreementFactory.build(
        partner=world["havering"], starts_on=dt.date(2016, 4, 1), ends_on=dt.date(2016, 3, 1)
    )
    with pytest.raises(ValidationError) as error:
        agreement.full_clean()
    assert "The end date must be after the start date." in str(error.value)
    assert not Agreement.objects.exists()


def test_a_negative_annual_charge_is_refused(world):
    schedule = ScheduleFactory.build(
        agreement=AgreementFactory(partner=world["havering"]), service=world["services"]["payroll"], annual_charge=-1
    )
    with pytest.raises(ValidationError, match="cannot be negative"):
        schedule.full_clean()


def test_every_change_is_kept_in_history(world):
    agreement = AgreementFactory(partner=world["havering"])
    agreement.title = "Renamed"
    agreement.save()
    assert [h.title for h in agreement.history.order_by("history_date")][-1] == "Renamed"
    assert agreement.history.count() == 2
