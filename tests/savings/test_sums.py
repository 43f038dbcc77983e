"""Totals agree to the penny: summary, by programme, area and partner share, the export, and the database."""

import io
from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from apps.savings import exports, selectors
from apps.savings.models import SavingLine, SavingsUpdate, Status, YearTarget
from tests.factories import PartnerFactory
from tests.savings.factories import ProgrammeFactory, make_line

pence = st.integers(min_value=0, max_value=10**11).map(lambda p: Decimal(p) / 100)


def assert_agrees(summary, lines):
    """Every breakdown adds up to the total, and the total is the database's.

    A partner officer's tracker is their partner's shares throughout: its one partner row is its total.
    """
    database = YearTarget.objects.filter(line__in=lines)
    if summary.year is not None:
        database = database.filter(financial_year=summary.year)
    if summary.partner is None:
        assert summary.total.target == (database.aggregate(t=Sum("amount"))["t"] or Decimal(0))
    else:  # a partner's figures are its shares: no more than the whole, and the only row of the partners
        assert summary.total.target <= (database.aggregate(t=Sum("amount"))["t"] or Decimal(0))
    for groups in (summary.by_programme, summary.by_area, summary.by_year):
        for measure in ("target", "forecast", "achieved"):
            assert sum((getattr(f, measure) for _, f in groups), Decimal(0)) == getattr(summary.total, measure)
    for measure in ("target", "forecast", "achieved"):
        shares = sum((getattr(f, measure) for _, f in summary.by_partner), Decimal(0))
        assert shares == getattr(summary.total, measure)
    book = load_workbook(io.BytesIO(_saved(exports.tracker_workbook(summary))))
    last = [cell.value for cell in book["Lines"][book["Lines"].max_row]]
    # Excel keeps numbers as binary floats; to the penny they are the page's figures.
    assert [Decimal(str(value)).quantize(Decimal("0.01")) for value in last[5:8]] == [
        summary.total.target,
        summary.total.forecast,
        summary.total.achieved,
    ]


def _saved(book):
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@given(
    amount=pence,
    weights=st.lists(st.integers(min_value=1, max_value=10_000), min_size=1, max_size=5),
)
def test_allocation_splits_pence_exactly(amount, weights):
    # Percentages with two decimals that add up to exactly 100.
    total = sum(weights)
    percentages = [Decimal(w * 10_000 // total) / 100 for w in weights]
    percentages[0] += Decimal(100) - sum(percentages)
    parts = selectors.allocate(amount, list(enumerate(percentages)))
    assert sum(parts.values()) == amount
    for key, percentage in enumerate(percentages):
        assert abs(parts[key] - amount * percentage / 100) < Decimal("0.01")


line_data = st.fixed_dictionaries(
    {
        "area": st.sampled_from(["EXT", "ICT"]),
        "programme": st.sampled_from(["a", "b"]),
        "havering": st.integers(min_value=0, max_value=10_000),
        "bexley": st.integers(min_value=0, max_value=10_000),
        "targets": st.dictionaries(st.integers(min_value=2014, max_value=2018), pence, min_size=1, max_size=5),
        "update": st.one_of(st.none(), st.tuples(pence, pence, st.sampled_from(Status.values))),
        "recurring": st.booleans(),
    }
)


@pytest.mark.django_db
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(line_data, min_size=1, max_size=4), year=st.one_of(st.none(), st.integers(2014, 2018)))
def test_random_trackers_add_up_to_the_penny(world, rows, year):
    bexley = PartnerFactory(slug="bexley", name="London Borough of Bexley")
    with transaction.atomic():
        for n, row in enumerate(rows):
            havering = Decimal(row["havering"]) / 100  # 0.00 to 100.00
            bex = min(Decimal(row["bexley"]) / 100, Decimal(100) - havering)
            shares = {world["havering"]: havering, bexley: bex, world["newham"]: Decimal(100) - havering - bex}
            line = make_line(
                area=world["areas"][row["area"]],
                programme=ProgrammeFactory(slug=row["programme"], name=row["programme"]),
                partners={partner: pct for partner, pct in shares.items() if pct > 0},
                targets=row["targets"],
                reference=f"H-{n}",
                recurrence="recurring" if row["recurring"] else "one_off",
            )
            if row["update"]:
                forecast, achieved, status = row["update"]
                SavingsUpdate.objects.create(
                    line=line,
                    financial_year=min(row["targets"]),
                    period="2016-04-01",
                    forecast=forecast,
                    achieved=achieved,
                    status=status,
                    commentary="Explained.",
                    line_version=2,
                    recorded_by=world["users"]["admin"],
                )
        for username in ("admin", "committee", "officer.havering"):
            user = world["users"][username]
            lines = SavingLine.objects.visible_to(user)
            summary = selectors.tracker(user=user, lines=lines, year=year)
            assert_agrees(summary, lines)
            in_database = YearTarget.objects.filter(line__in=lines).aggregate(t=Sum("amount"))["t"]
            every_year = selectors.tracker(user=user, lines=lines, year=None)
            if username != "officer.havering":
                assert every_year.total.target == (in_database or Decimal(0))
        transaction.set_rollback(True)


def test_seeded_tracker_adds_up_to_the_penny(world):
    from django.core.management import call_command

    from tests.savings.test_seed import load_savings_demo

    call_command("load_seed", verbosity=0)
    load_savings_demo()
    admin = world["users"]["admin"]
    for year in (None, 2014, 2016, 2018, 2020):
        summary = selectors.tracker(user=admin, lines=SavingLine.objects.all(), year=year)
        assert_agrees(summary, SavingLine.objects.all())
    plans = SavingLine.objects.filter(programme__slug__in=["original-business-case", "additional-savings"])
    full = selectors.tracker(user=admin, lines=plans, year=None)
    assert full.total.target == full.commitment == Decimal("14800000.00")
    assert full.run_rate < full.commitment  # one-off lines are not in the run-rate, and not all was delivered
