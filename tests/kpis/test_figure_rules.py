"""The worked examples of FIGURES.md ("KPIs across partners"), as the KPI page, the scorecard and the report show them.

Each example is checked where a reader meets it: the oneSource line of the KPI page, and the
oneSource report's snapshot (which the dashboards, the pack and the API show as they are).
"""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.catalogue.models import Subscription
from apps.core.periods import add_months
from apps.kpis.models import KPI, Target
from apps.kpis.selectors import (
    ONESOURCE,
    Direction,
    Figure,
    Scope,
    ScopeFigures,
    SubscriptionBook,
    Taken,
    TargetBook,
    direction,
    kpi_scorecard,
    kpi_trend,
)
from apps.reports import compute
from apps.reports.services import partners_reported
from tests.factories import PartnerFactory, ServiceFactory, SubscriptionFactory
from tests.kpis.factories import KPIFactory, MeasurementFactory, TargetFactory

OCTOBER = dt.date(2016, 10, 1)
SEPTEMBER = dt.date(2016, 9, 1)
AUGUST = dt.date(2016, 8, 1)


@pytest.fixture
def three(world):
    """Havering, Newham and Bexley, all taking debt recovery since April 2014."""
    bexley = PartnerFactory(name="London Borough of Bexley", short_name="Bexley", slug="bexley")
    debt = ServiceFactory(area=world["areas"]["EXT"], name="Debt recovery", slug="debt-recovery")
    partners = [world["havering"], world["newham"], bexley]
    for partner in partners:
        SubscriptionFactory(partner=partner, service=debt, starts_on=dt.date(2014, 4, 1))
    return {"partners": partners, "service": debt, "admin": world["users"]["admin"], "world": world}


def make_kpi(three, code, **fields):
    defaults = {"area": three["world"]["areas"]["EXT"], "service": three["service"]}
    if not fields.get("is_rate", True):
        defaults.update(numerator_label="", denominator_label="")
    return KPIFactory(code=code, **{**defaults, **fields})


def value(kpi, partner, period, amount):
    return MeasurementFactory(
        kpi=kpi, partner=partner, period=period, numerator=None, denominator=None, value=Decimal(amount)
    )


def rate(kpi, partner, period, numerator, denominator):
    return MeasurementFactory(
        kpi=kpi, partner=partner, period=period, numerator=Decimal(numerator), denominator=Decimal(denominator)
    )


def report_row(period, code, partner=None) -> dict:
    rows = compute.compute(period, partner)["kpis"]["rows"]
    return next(row for row in rows if row["code"] == code)


def line_of(trend, label):
    return next(line for line in trend.lines if line.label == label)


def onesource_line(three, kpi, end):
    line = kpi_trend(user=three["admin"], kpi=kpi, end=end).lines[-1]
    assert line.label == "oneSource"
    return line


def test_a_rate_across_partners_is_weighted_and_so_is_its_target(three):
    havering, newham, _ = three["partners"]
    kpi = make_kpi(three, "EXT-20", decimal_places=2)
    TargetFactory(kpi=kpi, partner=havering, value=80, tolerance=0)
    TargetFactory(kpi=kpi, partner=newham, value=75, tolerance=0)
    rate(kpi, havering, OCTOBER, 195, 250)
    rate(kpi, newham, OCTOBER, 400, 500)

    row = report_row(OCTOBER, "EXT-20")
    # 595 / 750, not the 78.00% mean of 78% and 80%; target (80 × 250 + 75 × 500) / 750.
    assert (row["actual_text"], row["target_text"], row["rag"]) == ("79.33%", "76.67%", "green")
    assert row["target_derived"] is True
    this_month = onesource_line(three, kpi, OCTOBER).summary["this_month"]
    assert (this_month.text, this_month.target_text, this_month.rag) == ("79.33%", "76.67%", "green")


def test_a_sum_is_rated_against_the_sum_of_the_targets_of_the_partners_in_scope(three):
    havering, newham, bexley = three["partners"]
    kpi = make_kpi(three, "FIN-03", is_rate=False, unit=KPI.Unit.GBP, decimal_places=0, aggregation=KPI.Aggregation.SUM)
    for partner, target, amount in ((havering, 1_500_000, 1_400_000), (newham, 1_500_000, 1_600_000)):
        TargetFactory(kpi=kpi, partner=partner, value=target, tolerance=0)
        value(kpi, partner, OCTOBER, amount)
    TargetFactory(kpi=kpi, partner=bexley, value=1_000_000, tolerance=0)
    value(kpi, bexley, OCTOBER, 1_262_625)

    row = report_row(OCTOBER, "FIN-03")
    assert (row["actual_text"], row["target_text"], row["rag"]) == ("£4,262,625", "£4,000,000", "green")
    this_month = onesource_line(three, kpi, OCTOBER).summary["this_month"]
    assert (this_month.text, this_month.target_text, this_month.rag) == ("£4,262,625", "£4,000,000", "green")
    # A partner's own report is still rated against its own target.
    assert report_row(OCTOBER, "FIN-03", havering)["target_text"] == "£1,500,000"


def test_a_count_lower_is_better_adds_the_targets_for_every_partner_and_an_explicit_onesource_target_wins(three):
    havering, newham, bexley = three["partners"]
    kpi = make_kpi(three, "AM-02", is_rate=False, unit=KPI.Unit.COUNT, polarity=KPI.Polarity.LOWER, decimal_places=0)
    TargetFactory(kpi=kpi, partner=None, value=4, tolerance=0)  # at most 4, for every partner
    for partner, incidents in ((havering, 3), (newham, 4), (bexley, 2)):
        value(kpi, partner, OCTOBER, incidents)
    row = report_row(OCTOBER, "AM-02")
    assert (row["actual_text"], row["target_text"], row["rag"]) == ("9", "12", "green")  # not "9 against 4"

    Target.objects.create(kpi=kpi, financial_year=2016, is_onesource=True, value=8, tolerance=0)
    row = report_row(OCTOBER, "AM-02")
    assert (row["actual_text"], row["target_text"], row["rag"], row["target_derived"]) == ("9", "8", "red", False)
    assert onesource_line(three, kpi, OCTOBER).summary["this_month"].rag == "red"
    # Each partner is still rated against its own target: Havering's 3 against 4.
    assert report_row(OCTOBER, "AM-02", havering)["rag"] == "green"


def test_a_mean_is_the_mean_of_the_figures_against_the_mean_of_the_targets(three):
    havering, newham, bexley = three["partners"]
    kpi = make_kpi(
        three, "FIN-07", is_rate=False, unit=KPI.Unit.DAYS, polarity=KPI.Polarity.LOWER,
        aggregation=KPI.Aggregation.MEAN,
    )  # fmt: skip
    for partner, target, days in ((havering, 10, 12), (newham, 20, 15), (bexley, 30, 27)):
        TargetFactory(kpi=kpi, partner=partner, value=target, tolerance=0)
        value(kpi, partner, OCTOBER, days)
    row = report_row(OCTOBER, "FIN-07")
    assert (row["actual_text"], row["target_text"], row["rag"]) == ("18.0 days", "20.0 days", "green")


def test_a_sum_year_to_date_is_set_against_the_monthly_targets_to_date_added(three):
    havering = three["partners"][0]
    kpi = make_kpi(three, "FIN-04", is_rate=False, unit=KPI.Unit.GBP, decimal_places=0)
    TargetFactory(kpi=kpi, partner=None, value=100_000, tolerance=0)
    for month in range(5):  # April to August, £90,000 a month
        value(kpi, havering, add_months(dt.date(2016, 4, 1), month), 90_000)

    row = report_row(AUGUST, "FIN-04", havering)
    assert (row["ytd_text"], row["ytd_target_text"], row["ytd_rag"]) == ("£450,000", "£500,000", "red")
    assert (row["actual_text"], row["target_text"]) == ("£90,000", "£100,000")  # the month: its own target
    card = next(r for r in kpi_scorecard(user=three["admin"], partner=havering, period=AUGUST).rows if r.kpi == kpi)
    assert (card.year_to_date.text, card.year_to_date.target_text) == ("£450,000", "£500,000")


def test_a_rate_year_to_date_is_weighted_across_months_and_so_is_its_target(three):
    havering, newham, _ = three["partners"]
    kpi = make_kpi(three, "EXT-21", decimal_places=1)
    TargetFactory(kpi=kpi, partner=havering, value=90, tolerance=0)
    TargetFactory(kpi=kpi, partner=newham, value=60, tolerance=0)
    rate(kpi, havering, SEPTEMBER, 90, 100)
    rate(kpi, newham, SEPTEMBER, 60, 100)
    rate(kpi, havering, OCTOBER, 270, 300)
    # (90 + 60 + 270) / 500 = 84%, against (90 × 400 + 60 × 100) / 500 = 84%: green, exactly.
    row = report_row(OCTOBER, "EXT-21")
    assert (row["ytd_text"], row["ytd_target_text"], row["ytd_rag"]) == ("84.0%", "84.0%", "green")


def test_a_cumulative_rate_to_date_is_its_latest_month_on_every_page(three):
    """EXT-01 Council Tax collected in the year to date: each month's figure is already a year to date."""
    havering, newham, _ = three["partners"]
    kpi = make_kpi(three, "EXT-01", aggregation=KPI.Aggregation.LATEST, decimal_places=1)
    TargetFactory(kpi=kpi, partner=None, value=60, tolerance=0)
    for partner, base in ((havering, 1000), (newham, 3000)):
        rate(kpi, partner, AUGUST, base * 40 // 100, base)
        rate(kpi, partner, SEPTEMBER, base * 50 // 100, base)
        rate(kpi, partner, OCTOBER, base * 58 // 100, base)

    row = report_row(OCTOBER, "EXT-01")
    # October's Σ/Σ, (580 + 1740) / 4000 = 58%, against the target itself: not the months added up.
    assert (row["ytd_text"], row["ytd_target_text"], row["ytd_rag"]) == ("58.0%", "60.0%", "red")
    assert row["actual_text"] == "58.0%"
    line = onesource_line(three, kpi, OCTOBER)
    assert (line.summary["year_to_date"].text, line.summary["year_to_date"].target_text) == ("58.0%", "60.0%")


def test_a_rating_is_on_the_figure_as_displayed(three):
    havering = three["partners"][0]
    kpi = make_kpi(three, "EXT-22", decimal_places=1)
    TargetFactory(kpi=kpi, partner=None, value=Decimal("96.5"), tolerance=0)
    rate(kpi, havering, OCTOBER, 9646, 10000)  # 96.46%, shown as 96.5%
    row = report_row(OCTOBER, "EXT-22", havering)
    assert (row["actual_text"], row["rag"]) == ("96.5%", "green")
    assert onesource_line(three, kpi, OCTOBER).cells[-1].rag == "green"


def test_the_directions_of_travel_follow_polarity_and_display_precision(three):
    havering = three["partners"][0]
    rates = make_kpi(three, "EXT-23", decimal_places=1)
    incidents = make_kpi(
        three, "AM-03", is_rate=False, unit=KPI.Unit.COUNT, polarity=KPI.Polarity.LOWER, decimal_places=0
    )
    rate(rates, havering, SEPTEMBER, 780, 1000)  # 78.0%
    rate(rates, havering, OCTOBER, 793, 1000)  # 79.3%: improving
    rate(rates, havering, add_months(OCTOBER, -12), 79333, 100000)  # 79.333%, shown 79.3%: no change
    value(incidents, havering, SEPTEMBER, 7)
    value(incidents, havering, OCTOBER, 9)  # worsening; a year ago: no figure

    row = report_row(OCTOBER, "EXT-23", havering)
    assert (row["direction_month"], row["direction_year"]) == ("better", "same")
    row = report_row(OCTOBER, "AM-03", havering)
    assert (row["direction_month"], row["direction_year"]) == ("worse", "none")
    # The KPI page says the same, through the same function.
    line = line_of(kpi_trend(user=three["admin"], kpi=incidents, end=OCTOBER), "Havering")
    assert line.directions == {"last_month": Direction.WORSE, "same_month_last_year": Direction.NONE}
    # Newham has no figure at all: no direction, not "no change".
    assert line_of(kpi_trend(user=three["admin"], kpi=rates, end=OCTOBER), "Newham").directions["last_month"] == "none"


@pytest.mark.parametrize(
    ("polarity", "now", "before", "expected"),
    [
        (KPI.Polarity.HIGHER, "79.3", "78.0", Direction.BETTER),
        (KPI.Polarity.HIGHER, "77.9", "78.0", Direction.WORSE),
        (KPI.Polarity.LOWER, "9", "7", Direction.WORSE),
        (KPI.Polarity.LOWER, "6", "7", Direction.BETTER),
        (KPI.Polarity.HIGHER, "79.34", "79.26", Direction.SAME),  # both 79.3 as shown
        (KPI.Polarity.HIGHER, "79.35", "79.34", Direction.BETTER),  # 79.4 after 79.3, half up
        (KPI.Polarity.LOWER, None, "7", Direction.NONE),
        (KPI.Polarity.LOWER, "7", None, Direction.NONE),
    ],
)
def test_direction(polarity, now, before, expected):
    kpi = KPI(code="X", polarity=polarity, decimal_places=1, unit=KPI.Unit.PERCENT)
    assert direction(kpi, now and Decimal(now), before and Decimal(before)) == expected


def test_a_partner_joining_mid_month_is_reported_for_that_month(three):
    world = three["world"]
    late = PartnerFactory(name="Late Joining Council", short_name="Late", slug="late")
    SubscriptionFactory(partner=late, service=three["service"], starts_on=dt.date(2016, 10, 15))
    kpi = make_kpi(three, "EXT-24")
    TargetFactory(kpi=kpi, partner=None, value=50, tolerance=0)
    rate(kpi, late, OCTOBER, 60, 100)

    assert late in partners_reported(OCTOBER)
    assert late not in partners_reported(SEPTEMBER)
    row = report_row(OCTOBER, "EXT-24", late)
    assert (row["actual_text"], row["rag"]) == ("60.0%", "green")
    assert Subscription.objects.in_force_in(OCTOBER).filter(partner=late).exists()
    assert SubscriptionBook.between(OCTOBER, OCTOBER, [late.pk]).takes(kpi, late.pk, OCTOBER)
    # A partner whose subscription ended on 15 October is still counted for October, not November.
    leaving = Subscription.objects.get(partner=world["havering"], service=three["service"])
    leaving.ends_on = dt.date(2016, 10, 15)
    leaving.save()
    assert world["havering"].pk in ScopeFigures.read([kpi], first=OCTOBER, last=OCTOBER).members(kpi, OCTOBER)
    november = add_months(OCTOBER, 1)
    assert world["havering"].pk not in ScopeFigures.read([kpi], first=november, last=november).members(kpi, november)


# With every partner meeting its target, oneSource cannot miss its own: for every rule and polarity. -------

RULES = [
    ("rate", True, KPI.Aggregation.SUM),
    ("latest rate", True, KPI.Aggregation.LATEST),
    ("sum", False, KPI.Aggregation.SUM),
    ("mean", False, KPI.Aggregation.MEAN),
    ("latest balance", False, KPI.Aggregation.LATEST),
]
MONTHS = [dt.date(2016, 4, 1), dt.date(2016, 5, 1), dt.date(2016, 6, 1)]

amounts = st.integers(min_value=1, max_value=100_000).map(lambda n: Decimal(n) / 100)


@st.composite
def partners_on_target(draw, is_rate: bool, higher: bool):
    """Each partner's target and tolerance, and a figure for each month that meets the target."""
    partners = []
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        target = draw(amounts)
        tolerance = draw(st.sampled_from([Decimal(0), Decimal(1), Decimal("2.5")]))
        months = {}
        for month in MONTHS:
            if draw(st.booleans()) and month != MONTHS[-1]:
                continue  # a gap
            margin = draw(amounts) if draw(st.booleans()) else Decimal(0)
            result = target + margin if higher else max(Decimal(0), target - margin)
            if is_rate:
                denominator = Decimal(draw(st.integers(min_value=1, max_value=5000)))
                months[month] = (result * denominator / 100, denominator)
            else:
                months[month] = result
        partners.append((target, tolerance, months))
    return partners


@pytest.mark.parametrize(("name", "is_rate", "aggregation"), RULES, ids=[r[0] for r in RULES])
@pytest.mark.parametrize("polarity", [KPI.Polarity.HIGHER, KPI.Polarity.LOWER])
@settings(max_examples=40, deadline=None, derandomize=True)
@given(data=st.data())
def test_with_every_partner_on_target_onesource_is_green(name, is_rate, aggregation, polarity, data):
    kpi = KPI(
        pk=1, code="P-01", area_id=1, service_id=1, is_rate=is_rate, aggregation=aggregation,
        polarity=polarity, unit=KPI.Unit.PERCENT if is_rate else KPI.Unit.COUNT, decimal_places=1,
    )  # fmt: skip
    partners = data.draw(partners_on_target(is_rate, polarity == KPI.Polarity.HIGHER))
    figures, targets, taken = [], [], []
    for pid, (target, tolerance, months) in enumerate(partners, start=1):
        targets.append(Target(kpi=kpi, financial_year=2016, partner_id=pid, value=target, tolerance=tolerance))
        taken.append((pid, Taken(1, 1, dt.date(2014, 4, 1), None)))
        for month, figure in months.items():
            n, d, v = (*figure, None) if is_rate else (None, None, figure)
            figures.append(Figure.of(kpi, pid, month, n, d, v))
    whole = ScopeFigures(ONESOURCE, figures, TargetBook(targets), SubscriptionBook(taken))
    pids = range(1, len(partners) + 1)
    for pid in pids:
        own = ScopeFigures(Scope(partner_id=pid), figures, TargetBook(targets), SubscriptionBook(taken))
        assert own.month(kpi, MONTHS[-1]).rag == "green"
    assert whole.month(kpi, MONTHS[-1]).rag == "green"
    # A group of partners follows the same rule: all of them together are oneSource.
    group = ScopeFigures(Scope(group=frozenset(pids)), figures, TargetBook(targets), SubscriptionBook(taken))
    assert group.month(kpi, MONTHS[-1]) == whole.month(kpi, MONTHS[-1])
    # To date too, whenever every partner is on target to date (a sum with a month missing is not).
    owns = [ScopeFigures(Scope(partner_id=p), figures, TargetBook(targets), SubscriptionBook(taken)) for p in pids]
    if all(own.year_to_date(kpi, MONTHS[-1]).rag == "green" for own in owns):
        assert whole.year_to_date(kpi, MONTHS[-1]).rag == "green"


def test_a_target_for_onesource_as_a_whole_is_set_on_the_kpi_page_and_has_no_partner(three, client_for):
    kpi = make_kpi(three, "EXT-25")
    client = client_for("admin")
    url = f"/kpis/{kpi.code}/targets/new/"
    form = {"financial_year": 2016, "partner": "", "is_onesource": "on", "value": "70", "tolerance": "0"}
    assert client.post(url, form).status_code == 302
    target = Target.objects.get(kpi=kpi)
    assert (target.is_onesource, target.partner, target.value) == (True, None, 70)
    assert "oneSource as a whole" in client.get(kpi.get_absolute_url()).content.decode()

    refused = client.post(url, {**form, "partner": "havering"})
    assert refused.status_code == 200
    assert "A target for oneSource as a whole has no partner" in refused.content.decode()
    assert Target.objects.filter(kpi=kpi).count() == 1
