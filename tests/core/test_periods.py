import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from apps.core import periods
from apps.core.periods import FinancialYear


@pytest.mark.parametrize(
    ("day", "label"),
    [
        (dt.date(2016, 3, 31), "2015/16"),
        (dt.date(2016, 4, 1), "2016/17"),
        (dt.date(2017, 3, 31), "2016/17"),
        (dt.date(1999, 12, 31), "1999/00"),
    ],
)
def test_the_financial_year_runs_april_to_march(day, label):
    assert FinancialYear.of(day).label == label


def test_a_financial_year_label_is_read_back():
    assert FinancialYear.parse("2016/17") == FinancialYear(2016)
    with pytest.raises(ValueError, match="2016/17"):
        FinancialYear.parse("2016/18")


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_every_day_falls_in_exactly_its_financial_year(day):
    year = FinancialYear.of(day)
    assert day in year
    assert day not in year.next() and day not in year.previous()
    assert periods.quarter_of(day) == year.months().index(day.replace(day=1)) // 3 + 1


def test_quarter_one_is_april_to_june():
    assert [periods.quarter_of(dt.date(2016, m, 1)) for m in (4, 6, 7, 12, 1, 3)] == [1, 1, 2, 3, 4, 4]


def test_working_days_skip_weekends_and_england_and_wales_bank_holidays():
    # Thursday 24 March 2016; Good Friday 25 March and Easter Monday 28 March were bank holidays.
    assert periods.add_working_days(dt.date(2016, 3, 24), 1) == dt.date(2016, 3, 29)
    assert periods.working_days_between(dt.date(2016, 3, 24), dt.date(2016, 3, 29)) == 1
    assert not periods.is_working_day(dt.date(2016, 12, 26))


def test_the_sixth_working_day_of_a_month():
    # April 2016 starts on a Friday: 1, 4, 5, 6, 7 and 8 April.
    assert periods.nth_working_day(dt.date(2016, 4, 1), 6) == dt.date(2016, 4, 8)


def test_add_months_exact_keeps_the_day_and_clamps_to_month_end():
    import datetime as dt

    from apps.core.periods import add_months_exact

    assert add_months_exact(dt.date(2016, 9, 15), -6) == dt.date(2016, 3, 15)
    assert add_months_exact(dt.date(2016, 8, 31), -6) == dt.date(2016, 2, 29)
    assert add_months_exact(dt.date(2016, 12, 31), 2) == dt.date(2017, 2, 28)
