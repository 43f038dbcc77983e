"""Financial years, months, quarters and working days: the only place that does date arithmetic.

The financial year runs 1 April to 31 March and is written ``2016/17``; it is stored as the year
it starts in (2016). Monthly data belongs to a period stored as the first day of its month.
Quarters are Q1 = April to June. Working days exclude weekends and the England and Wales bank
holidays, which come from the maintained ``holidays`` package.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

import holidays

FIRST_MONTH = 4  # April


@dataclass(frozen=True, order=True)
class FinancialYear:
    start_year: int

    @classmethod
    def of(cls, day: dt.date) -> FinancialYear:
        return cls(day.year if day.month >= FIRST_MONTH else day.year - 1)

    @classmethod
    def parse(cls, label: str) -> FinancialYear:
        """Read ``2016/17`` (or ``2016``); raise ValueError naming the expected form."""
        text = str(label).strip()
        try:
            if "/" in text:
                start, end = text.split("/")
                year = cls(int(start))
                if int(end) != (year.start_year + 1) % 100:
                    raise ValueError
                return year
            return cls(int(text))
        except ValueError:
            raise ValueError(f"“{label}” is not a financial year; write it as 2016/17.") from None

    @property
    def label(self) -> str:
        return f"{self.start_year}/{(self.start_year + 1) % 100:02d}"

    @property
    def starts_on(self) -> dt.date:
        return dt.date(self.start_year, FIRST_MONTH, 1)

    @property
    def ends_on(self) -> dt.date:
        return dt.date(self.start_year + 1, FIRST_MONTH - 1, 31)

    def months(self) -> list[dt.date]:
        return [add_months(self.starts_on, n) for n in range(12)]

    def next(self) -> FinancialYear:
        return FinancialYear(self.start_year + 1)

    def previous(self) -> FinancialYear:
        return FinancialYear(self.start_year - 1)

    def __contains__(self, day: dt.date) -> bool:
        return self.starts_on <= day <= self.ends_on

    def __str__(self) -> str:
        return self.label


def fy_label(start_year: int) -> str:
    return FinancialYear(start_year).label


def financial_year_choices(first: int = 2014, last: int | None = None) -> list[tuple[int, str]]:
    last = last if last is not None else FinancialYear.of(dt.date.today()).start_year + 1
    return [(year, fy_label(year)) for year in range(first, last + 1)]


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def add_months_exact(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` months on (or back), kept to the last day of a shorter month."""
    first = add_months(day, months)
    following = add_months(first, 1)
    return first.replace(day=min(day.day, (following - dt.timedelta(days=1)).day))


def quarter_of(day: dt.date) -> int:
    """1 for April to June, ... 4 for January to March."""
    return (day.month - FIRST_MONTH) % 12 // 3 + 1


def month_label(period: dt.date) -> str:
    return period.strftime("%B %Y")


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[dt.date]:
    # England and Wales share one calendar of bank holidays.
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(day: dt.date, count: int) -> dt.date:
    """The working day ``count`` working days after ``day`` (``day`` itself is not counted)."""
    step = 1 if count >= 0 else -1
    remaining = abs(count)
    while remaining:
        day += dt.timedelta(days=step)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end``; 0 when end is not after start."""
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        count += is_working_day(day)
    return count


def nth_working_day(month: dt.date, n: int) -> dt.date:
    """The n-th working day of the month that ``month`` falls in."""
    first = month_start(month)
    day = first if is_working_day(first) else add_working_days(first, 1)
    return add_working_days(day, n - 1)
