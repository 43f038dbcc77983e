"""The savings figures of FIGURES.md "Savings": run-rate and cash, partner shares, and the year shown."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from apps.savings import selectors, services
from apps.savings.models import SavingLine, Status, YearTarget
from tests.factories import PartnerFactory, UserFactory
from tests.savings.factories import ProgrammeFactory, make_line

D = Decimal


def test_a_recurring_saving_from_october_is_half_a_years_cash_then_a_full_year_every_year():
    # FIGURES.md: £100,000 recurring from 1 October 2016.
    def figures(in_year):
        return selectors.step_figures(
            amount=D("100000.00"), year=2016, delivery_month=10, recurring=True, in_year=in_year
        )

    assert figures(2015) == (D(0), D(0))
    assert figures(2016) == (D("100000.00"), D("50000.00"))  # run-rate £100,000 a year; cash October–March
    assert figures(2017) == (D("100000.00"), D("100000.00"))
    assert figures(2018) == (D("100000.00"), D("100000.00"))
    cash = selectors.cumulative_cash(amount=D("100000.00"), year=2016, delivery_month=10, recurring=True, through=2018)
    assert cash == D("250000.00")  # cumulative cash to March 2019


def test_a_one_off_saving_is_cash_in_its_year_only_and_no_run_rate():
    kwargs = {"amount": D("30000.00"), "year": 2016, "delivery_month": 1, "recurring": False}
    assert selectors.step_figures(**kwargs, in_year=2016) == (D(0), D("30000.00"))
    assert selectors.step_figures(**kwargs, in_year=2017) == (D(0), D(0))
    # A saving from January counts three months (January to March) in its first year.
    assert selectors.step_figures(**{**kwargs, "recurring": True}, in_year=2016) == (D("30000.00"), D("7500.00"))


@pytest.fixture
def bexley():
    return PartnerFactory(name="London Borough of Bexley", short_name="Bexley", slug="bexley")


@pytest.fixture
def shared_line(world, bexley):
    """£100,000 a year from 1 October 2016, shared 40/40/20, delivered in full."""
    line = make_line(
        area=world["areas"]["ICT"],
        partners={world["havering"]: "40.00", world["newham"]: "40.00", bexley: "20.00"},
        targets={2016: "100000.00"},
        reference="ICT-SHARED",
        title="Shared data centre",
    )
    YearTarget.objects.filter(line=line).update(delivery_month=10)
    services.savings_update_record(
        user=world["users"]["admin"],
        line=line,
        expected_version=line.version,
        financial_year=2016,
        forecast=D("100000.00"),
        achieved=D("100000.00"),
        status=Status.ACHIEVED,
    )
    return line


def test_a_partners_run_rate_and_cash_are_its_shares(world, shared_line, bexley):
    lines = SavingLine.objects.all()
    admin = world["users"]["admin"]
    whole = selectors.tracker(user=admin, lines=lines, reading=dt.date(2019, 4, 1))
    assert (whole.run_rate, whole.cash, whole.cash_period) == (
        D("100000.00"),
        D("250000.00"),
        "April 2014 – March 2019",
    )
    havering = selectors.tracker(user=admin, lines=lines, partner=world["havering"], reading=dt.date(2019, 4, 1))
    assert (havering.run_rate, havering.cash, havering.commitment) == (D("40000.00"), D("100000.00"), D("40000.00"))
    mine = selectors.tracker(user=UserFactory(role="partner_officer", partner=bexley), lines=lines, year=2016)
    assert mine.partner == bexley and mine.total.target == D("20000.00") and mine.run_rate == D("20000.00")


def _text(response):
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def programmes_of_the_plan(world, bexley):
    """The plan's two programmes and a line in each; Bexley shares the additional savings line at 20%."""
    obc = ProgrammeFactory(slug="original-business-case", name="Original business case", total=D("10600000.00"))
    add = ProgrammeFactory(slug="additional-savings", name="Additional savings", total=D("4200000.00"), first_year=2016)
    big = make_line(
        area=world["areas"]["EXT"],
        programme=obc,
        partners={world["havering"]: "50.00", world["newham"]: "50.00"},
        targets={2014: "5000000.00", 2015: "5600000.00"},
        reference="OBC-EXT",
    )
    fin = make_line(
        area=world["areas"]["ICT"],
        programme=add,
        partners={world["havering"]: "38.00", world["newham"]: "42.00", bexley: "20.00"},
        targets={2016: "600000.00", 2017: "400000.00"},
        reference="ADD-FIN",
    )
    admin = world["users"]["admin"]
    for line, year, achieved in ((big, 2014, "5000000.00"), (big, 2015, "2900000.00"), (fin, 2016, "270000.00")):
        line.refresh_from_db()
        services.savings_update_record(
            user=admin,
            line=line,
            expected_version=line.version,
            financial_year=year,
            forecast=D(achieved),
            achieved=D(achieved),
            status=Status.ACHIEVED,
        )
    return {"obc": big, "fin": fin}


def test_the_headline_states_the_plan_as_annual_figures_with_the_run_rate_beside_it(
    client_for, programmes_of_the_plan, reporting_2016
):
    text = _text(client_for("committee").get(reverse("savings:tracker")))
    assert "Original business case: £10.6m a year once delivered, phased over April 2014 – March 2019" in text
    assert "Additional savings: £4.2m a year once delivered" in text
    assert "£8.2m</strong> a year achieved to date, of £14.8m a year in total once delivered" in text
    assert "£12.9m</strong> cumulative cash saved, April 2014 – March 2016" in text  # 5.0 + 5.0 + 2.9
    assert "Cumulative since April 2014" not in text and "£14.6m" not in text
    assert "£21.1m" not in text  # run-rate and cash are never added


def test_a_partner_scoped_tracker_shows_its_shares_only(client_for, programmes_of_the_plan, reporting_2016):
    committee = client_for("committee")
    text = _text(committee.get(reverse("savings:tracker"), {"partner": "havering", "year": "all"}))
    # 50% of £7.9m and 38% of £270,000; of 50% of £10.6m and 38% of £1.0m.
    assert "£4.1m</strong> a year achieved to date, of £5.7m a year planned" in text
    assert "£14.8m" not in text and "£8.2m" not in text and "£10.6m" not in text
    by_programme = committee.get(reverse("savings:tracker"), {"partner": "havering", "year": "all"}).context
    targets = {p.name: f.target for p, f in by_programme["tracker"].by_programme}
    assert targets == {"Original business case": D("5300000.00"), "Additional savings": D("380000.00")}


def test_bexleys_page_reads_its_share_not_the_whole_programme(
    client_for, world, bexley, programmes_of_the_plan, reporting_2016
):
    client = Client()
    client.force_login(UserFactory(username="officer.bexley", role="partner_officer", partner=bexley))
    text = _text(client.get(reverse("savings:tracker")))
    assert "£54k</strong> a year achieved to date, of £200k a year planned" in text
    assert "£270k" not in text and "£4.2m" not in text and "£14.8m" not in text
    page = _text(client.get(bexley.get_absolute_url()))
    assert "£54k" in page and "£120,000.00" in page  # its 20% of 2016/17's £600,000 target
    assert "£270k" not in page and "£4.2m" not in page


def test_a_year_without_targets_is_shown_as_such_with_the_years_that_have_them(client_for, programmes_of_the_plan):
    # Today is in a year no line has a target for: the page says so and does not jump to another year.
    response = client_for("committee").get(reverse("savings:tracker"))
    year = selectors.reporting_year()
    assert response.context["tracker"].year == year and response.context["tracker"].rows == []
    text = _text(response)
    assert f"No saving line has a target in {selectors.fy_label(year)}." in text
    for label in ("2014/15", "2015/16", "2016/17", "2017/18"):
        assert f">{label}</a>" in text
    assert "2018/19</a>" not in text


def test_rephasing_moves_money_between_years_and_nothing_else(world, client_for, reporting_2016):
    line = make_line(
        area=world["areas"]["ICT"],
        partners={world["havering"]: "100.00"},
        targets={2016: "500000.00", 2018: "300000.00"},
        reference="ICT-MOVE",
    )
    committee = client_for("committee")
    before = committee.get(reverse("savings:tracker")).context["tracker"]
    services.target_rephase(
        user=world["users"]["director.ict"],
        line=line,
        expected_version=line.version,
        from_year=2018,
        to_year=2019,
        amount=D("120000.00"),
        reason="Contract exit moved a year.",
    )
    after = committee.get(reverse("savings:tracker")).context["tracker"]
    assert before.year == after.year == 2016  # the year read, before and after
    assert (before.total.target, after.total.target) == (D("500000.00"), D("500000.00"))
    targets = dict(YearTarget.objects.filter(line=line).values_list("financial_year", "amount"))
    assert targets == {2016: D("500000.00"), 2018: D("180000.00"), 2019: D("120000.00")}
    moved = selectors.tracker(user=world["users"]["committee"], lines=SavingLine.objects.all(), year=2018)
    assert moved.slippage == D("120000.00")
    assert after.commitment == before.commitment and after.run_rate == before.run_rate
