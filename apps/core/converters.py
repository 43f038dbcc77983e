"""Path converters under the input policy: a value outside it matches no address (404), never a 500."""

from .inputs import YEAR_MAX, YEAR_MIN


class FinancialYearConverter:
    """``<year:year>``: the year a financial year starts in, 2000 to 2100 (2016 is 2016/17)."""

    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        year = int(value)
        if not YEAR_MIN <= year <= YEAR_MAX:
            raise ValueError(f"{year} is outside the portal's years.")
        return year

    def to_url(self, value) -> str:
        return f"{int(value):04d}"
