"""Financial years, months, quarters and working days: the only place that does date arithmetic.

The financial year runs 1 April to 31 March and is written ``2016/17``; it is stored as the year
it starts in (2016). Monthly data belongs to a period stored as the first day of its month.
Quarters are Q1 = April to June. Working days exclude weekends and the England and Wales bank
holidays, which come from the maintained ``holidays`` package.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

import holidays

from .inputs import DATE_MAX, DATE_MIN

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


MONTH_TEXT = re.compile(r"(\d{4})-(0[1-9]|1[0-2])")
MONTH_MESSAGE = f"Give a month as YYYY-MM between {DATE_MIN:%Y-%m} and {DATE_MAX:%Y-%m}, such as 2016-05."


def month_from_text(text: str) -> dt.date:
    """The month written ``YYYY-MM`` (nothing before or after it), within the portal's dates.

    Raises ValueError with ``MONTH_MESSAGE`` for anything else: ``2026-11-99 garbage`` is not November.
    """
    found = MONTH_TEXT.fullmatch(text or "")
    month = dt.date(int(found[1]), int(found[2]), 1) if found else None
    if month is None or not DATE_MIN <= month <= DATE_MAX:
        raise ValueError(MONTH_MESSAGE)
    return month


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


def completed_months(count: int = 36, today: dt.date | None = None) -> list[dt.date]:
    """The last ``count`` months that have ended, newest first: a month is reported once it is over."""
    last = last_month(today)
    return [add_months(last, -n) for n in range(count)]


def quarter_of(day: dt.date) -> int:
    """1 for April to June, ... 4 for January to March."""
    return (day.month - FIRST_MONTH) % 12 // 3 + 1


def month_end(day: dt.date) -> dt.date:
    """The last day of the month that ``day`` falls in."""
    return add_months(day, 1) - dt.timedelta(days=1)


def last_month(today: dt.date | None = None) -> dt.date:
    """The first day of the month before ``today`` (the portal's today when not given): the month
    reported, entered and reminded about."""
    if today is None:
        from django.utils import timezone

        today = timezone.localdate()
    return add_months(month_start(today), -1)


MONTHLY, QUARTERLY, ANNUAL = "monthly", "quarterly", "annual"


def frequencies_due_in(month: dt.date) -> set[str]:
    """Which frequencies of return are due for a month: a monthly one every month, a quarterly one in
    the last month of a quarter (June, September, December, March), an annual one in March."""
    due = {MONTHLY}
    if month.month % 3 == 0:
        due.add(QUARTERLY)
    if month.month == FIRST_MONTH - 1:
        due.add(ANNUAL)
    return due


def is_due_in(frequency: str, month: dt.date) -> bool:
    return frequency in frequencies_due_in(month)


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


# Working-time clocks: enquiry targets count office hours on working days only.

DEFAULT_OFFICE_HOURS = ("09:00", "17:00")


def office_hours() -> tuple[dt.time, dt.time]:
    """The office day, from ``settings.OFFICE_HOURS`` (``("09:00", "17:00")`` when unset)."""
    from django.conf import settings

    opens, closes = getattr(settings, "OFFICE_HOURS", DEFAULT_OFFICE_HOURS)
    return dt.time.fromisoformat(opens), dt.time.fromisoformat(closes)


def office_day_seconds() -> int:
    opens, closes = office_hours()
    return (dt.datetime.combine(dt.date.min, closes) - dt.datetime.combine(dt.date.min, opens)).seconds


def _local_zone():
    from django.utils import timezone

    return timezone.get_current_timezone()


def _office_window(day: dt.date, zone) -> tuple[dt.datetime, dt.datetime]:
    opens, closes = office_hours()
    return dt.datetime.combine(day, opens, tzinfo=zone), dt.datetime.combine(day, closes, tzinfo=zone)


def working_seconds_between(start: dt.datetime, end: dt.datetime) -> int:
    """Office time from ``start`` to ``end`` (aware datetimes), in seconds; 0 when end is not after start.

    Only office hours of working days count, in the portal's time zone, so a clock started on
    Friday afternoon runs on Monday morning and stands still over Christmas and Easter.
    """
    if end <= start:
        return 0
    zone = _local_zone()
    start, end = start.astimezone(zone), end.astimezone(zone)
    total, day = 0, start.date()
    while day <= end.date():
        if is_working_day(day):
            opens, closes = _office_window(day, zone)
            overlap = (min(end, closes) - max(start, opens)).total_seconds()
            total += max(0, int(overlap))
        day += dt.timedelta(days=1)
    return total


def add_working_seconds(start: dt.datetime, seconds: int) -> dt.datetime:
    """The moment at which ``seconds`` of office time have passed since ``start``."""
    if seconds <= 0:
        return start
    zone = _local_zone()
    start = start.astimezone(zone)
    remaining, day = seconds, start.date()
    while True:
        if is_working_day(day):
            opens, closes = _office_window(day, zone)
            begin = max(start, opens)
            available = int((closes - begin).total_seconds())
            if available > 0:
                if remaining <= available:
                    return begin + dt.timedelta(seconds=remaining)
                remaining -= available
        day += dt.timedelta(days=1)


def working_seconds_excluding(start: dt.datetime, end: dt.datetime, pauses) -> int:
    """Office time from ``start`` to ``end`` less the office time inside the ``pauses``.

    ``pauses`` are ``(paused_at, resumed_at)`` pairs, not overlapping; ``resumed_at`` None means still
    paused. A stopped clock does not count, so an enquiry awaiting its customer uses none of its target.
    """
    elapsed = working_seconds_between(start, end)
    for paused_at, resumed_at in pauses:
        stop = end if resumed_at is None else min(resumed_at, end)
        elapsed -= working_seconds_between(max(paused_at, start), stop)
    return elapsed


def format_working_time(seconds: int) -> str:
    """``1 day 2 h 30 min`` of office time, a working day being the office day."""
    day = office_day_seconds()
    days, rest = divmod(abs(int(seconds)), day)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    parts = []
    if days:
        parts.append(f"{days} day{'s' if days != 1 else ''}")
    if hours:
        parts.append(f"{hours} h")
    if minutes or not parts:
        parts.append(f"{minutes} min")
    return ("-" if seconds < 0 else "") + " ".join(parts)
