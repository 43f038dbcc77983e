"""Chart axes read at round numbers."""

from decimal import Decimal

import pytest

from apps.core.charts import nice_ticks
from apps.reports.charts import rag_chart


@pytest.mark.parametrize(
    ("low", "high", "ticks"),
    [
        (0, 19, ["0", "5", "10", "15", "20"]),
        (0, 4, ["0", "1", "2", "3", "4"]),
        (68.3, 96.1, ["60", "70", "80", "90", "100"]),
        (Decimal("0.52"), Decimal("0.73"), ["0.50", "0.60", "0.70", "0.80"]),
    ],
)
def test_ticks_fall_on_round_numbers_around_the_figures(low, high, ticks):
    assert [str(t) for t in nice_ticks(low, high)] == ticks


def test_the_rating_chart_counts_kpis_in_whole_round_steps():
    months = [{"month": f"2016-{m:02d}-01", "green": 10, "amber": 4, "red": 5, "grey": 0} for m in range(1, 13)]
    chart = rag_chart({"kpis": {"rag_by_month": months}, "scope": {"name": "oneSource"}}, ident="t")
    assert [str(t["text"]) for t in chart["ticks"]] == ["0", "5", "10", "15", "20"]
    assert [item["name"] for item in chart["legend"]] == ["Green", "Amber", "Red"]
