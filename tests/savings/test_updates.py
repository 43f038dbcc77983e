"""Director updates: appended, validated, and never lost when two people save at once."""

import threading
import time
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction

from apps.savings import services
from apps.savings.models import SavingLine, SavingsUpdate, Status, YearTarget
from apps.savings.selectors import reporting_year
from tests.savings.factories import make_line


@pytest.fixture
def line(world):
    return make_line(
        area=world["areas"]["ICT"],
        partners={world["havering"]: "60.00", world["newham"]: "40.00"},
        targets={2016: "500000.00", 2017: "250000.00"},
        reference="ICT-01",
    )


def record(user, line, **overrides):
    data = {
        "expected_version": line.version,
        "financial_year": 2016,
        "forecast": Decimal("450000.00"),
        "achieved": Decimal("100000.00"),
        "status": Status.AT_RISK,
        "commentary": "Contract exit is late.",
    }
    data.update(overrides)
    return services.savings_update_record(user=user, line=line, **data)


def test_updates_are_appended_and_each_raises_the_version(world, line):
    director = world["users"]["director.ict"]
    first = record(director, line)
    second = record(director, line, status=Status.ON_TRACK, commentary="", forecast=Decimal("500000.00"))
    line.refresh_from_db()
    assert (first.line_version, second.line_version, line.version) == (2, 3, 3)
    assert SavingsUpdate.objects.filter(line=line).count() == 2
    first.refresh_from_db()
    assert first.status == Status.AT_RISK  # the earlier update is kept as it was


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"forecast": Decimal("-1.00")}, "forecast"),
        ({"achieved": Decimal("-0.01")}, "achieved"),
        ({"status": Status.AT_RISK, "commentary": "  "}, "commentary"),
        ({"status": Status.NOT_ACHIEVABLE, "commentary": ""}, "commentary"),
        ({"financial_year": 2019}, "financial_year"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(world, line, overrides, field):
    with pytest.raises(ValidationError) as caught:
        record(world["users"]["director.ict"], line, **overrides)
    assert field in caught.value.message_dict
    line.refresh_from_db()
    assert line.version == 1
    assert not SavingsUpdate.objects.exists()


def test_on_track_and_achieved_need_no_commentary(world, line):
    update = record(world["users"]["director.ict"], line, status=Status.ACHIEVED, commentary="")
    assert update.pk


@pytest.mark.parametrize("username", ["director.exchequer", "officer.exchequer", "officer.havering", "committee"])
def test_only_the_areas_director_or_an_admin_may_update(world, line, username):
    with pytest.raises(PermissionDenied):
        record(world["users"][username], line)
    assert record(world["users"]["admin"], line).pk


def test_a_stale_version_is_refused_with_what_changed(world, line):
    record(world["users"]["admin"], line, forecast=Decimal("400000.00"), commentary="Supplier dispute.")
    with pytest.raises(services.StaleVersion) as caught:
        record(world["users"]["director.ict"], line, expected_version=1, status=Status.ON_TRACK, commentary="")
    message = " ".join(caught.value.messages)
    assert "status none → At risk" in message
    assert "£400,000.00" in message and "Supplier dispute." in message
    assert caught.value.version == 2
    assert SavingsUpdate.objects.count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="two connections waiting on a row lock: PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_connections_saving_the_same_version_the_second_is_refused(world, line):
    """Two real PostgreSQL connections: the first holds its transaction open while the second saves."""
    director, admin = world["users"]["director.ict"], world["users"]["admin"]
    first_wrote, second_started = threading.Event(), threading.Event()
    outcome = {}

    def first():
        try:
            with transaction.atomic():
                record(director, SavingLine.objects.get(pk=line.pk), forecast=Decimal("300000.00"))
                first_wrote.set()
                second_started.wait(5)
                time.sleep(0.5)  # the second save is now waiting on the row
            outcome["first"] = "saved"
        finally:
            connection.close()

    def second():
        try:
            first_wrote.wait(5)
            stale_copy = SavingLine.objects.get(pk=line.pk)  # reads version 1: the first has not committed
            outcome["second_read"] = stale_copy.version
            second_started.set()
            started = time.monotonic()
            try:
                record(admin, stale_copy, expected_version=1, status=Status.SLIPPED, commentary="Late.")
                outcome["second"] = "saved"
            except services.StaleVersion as stale:
                outcome["second"] = stale
            outcome["waited"] = time.monotonic() - started
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)

    assert outcome["first"] == "saved"
    assert outcome["second_read"] == 1
    assert outcome["waited"] >= 0.4  # it really waited for the first transaction
    refused = outcome["second"]
    assert isinstance(refused, services.StaleVersion)
    assert "forecast £500,000.00" not in refused.messages[0]
    assert "£300,000.00" in refused.messages[0] and refused.version == 2
    updates = list(SavingsUpdate.objects.filter(line=line).values_list("forecast", "line_version"))
    assert updates == [(Decimal("300000.00"), 2)]
    # Told what changed, the second person saves again from the version shown: both are kept.
    record(
        admin,
        SavingLine.objects.get(pk=line.pk),
        expected_version=refused.version,
        status=Status.SLIPPED,
        commentary="Late.",
    )
    assert SavingsUpdate.objects.filter(line=line).count() == 2


def test_rephasing_moves_target_later_with_a_reason_and_counts_as_slippage(world, line):
    from apps.savings.selectors import tracker

    director = world["users"]["director.ict"]
    with pytest.raises(ValidationError) as caught:
        services.target_rephase(
            user=director, line=line, expected_version=1, from_year=2016, to_year=2017, amount=Decimal("1"), reason=""
        )
    assert "reason" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.target_rephase(
            user=director, line=line, expected_version=1, from_year=2017, to_year=2016, amount=Decimal("1"), reason="x"
        )
    assert "to_year" in caught.value.message_dict
    services.target_rephase(
        user=director,
        line=line,
        expected_version=1,
        from_year=2016,
        to_year=2018,
        amount=Decimal("100000.00"),
        reason="Exit from the data centre contract moved a year.",
    )
    targets = dict(YearTarget.objects.filter(line=line).values_list("financial_year", "amount"))
    assert targets == {2016: Decimal("400000.00"), 2017: Decimal("250000.00"), 2018: Decimal("100000.00")}
    summary = tracker(user=world["users"]["committee"], lines=SavingLine.objects.all(), year=2016)
    assert summary.slippage == Decimal("100000.00")
    assert summary.concerns[0].line == line


def test_the_reporting_year_is_the_year_of_the_month_read_whatever_has_targets(world, line):
    import datetime as dt

    assert reporting_year(dt.date(2026, 11, 25)) == 2026  # November 2026 is 2026/27, though no line has a target
    assert reporting_year(dt.date(2027, 3, 31)) == 2026
    assert reporting_year(dt.date(2016, 9, 1)) == 2016
    assert reporting_year(dt.date(2015, 9, 1)) == 2015  # before any target: still the year read
    services.target_rephase(
        user=world["users"]["director.ict"],
        line=line,
        expected_version=1,
        from_year=2016,
        to_year=2019,
        amount=Decimal("120000.00"),
        reason="Moved to 2019/20.",
    )
    assert reporting_year(dt.date(2018, 11, 1)) == 2018  # re-phasing into 2019/20 moves no page's year


@pytest.mark.parametrize(
    ("shares", "targets", "field"),
    [
        ({"havering": "60.00", "newham": "30.00"}, {2016: Decimal("100.00")}, "shares"),
        ({"havering": "60.00", "newham": "50.00"}, {2016: Decimal("100.00")}, "shares"),
        ({"havering": "100.00"}, {2016: Decimal("-5.00")}, "targets"),
    ],
)
def test_a_line_is_refused_whole_when_shares_or_targets_are_wrong(world, shares, targets, field):
    from tests.savings.factories import ProgrammeFactory

    with pytest.raises(ValidationError) as caught:
        services.saving_line_create(
            user=world["users"]["admin"],
            programme=ProgrammeFactory(),
            area=world["areas"]["ICT"],
            reference="NEW-01",
            title="New line",
            category=SavingLine.Category.QUICK_WIN,
            shares={world[slug]: Decimal(p) for slug, p in shares.items()},
            targets=targets,
        )
    assert field in caught.value.message_dict
    assert not SavingLine.objects.filter(reference="NEW-01").exists()


def test_the_admin_refuses_shares_that_do_not_add_up(world, client_for):
    line = make_line(area=world["areas"]["ICT"], partners={world["havering"]: "100.00"}, targets={2016: "1.00"})
    share = line.shares.get()
    client = client_for("admin")
    url = f"/admin/savings/savingline/{line.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    data = {
        "reference": line.reference,
        "title": line.title,
        "programme": line.programme_id,
        "area": line.area_id,
        "category": line.category,
        "recurrence": line.recurrence,
        "is_cashable": "on",
        "shares-TOTAL_FORMS": "1",
        "shares-INITIAL_FORMS": "1",
        "shares-0-id": share.pk,
        "shares-0-line": line.pk,
        "shares-0-partner": world["havering"].pk,
        "shares-0-percentage": "90.00",
        "targets-TOTAL_FORMS": "0",
        "targets-INITIAL_FORMS": "0",
    }
    page = client.post(url, data)
    assert page.status_code == 200
    assert "they must add up to 100%" in page.content.decode()
    share.refresh_from_db()
    assert share.percentage == Decimal("100.00")
