"""The 13-month trend as an SVG line chart drawn on the server (no script), beside a table of the same figures."""

from __future__ import annotations

from decimal import Decimal
from itertools import pairwise

from apps.core.charts import nice_ticks

from .selectors import KPITrend

WIDTH, HEIGHT = 720, 300
LEFT, RIGHT, TOP, BOTTOM = 70, 130, 20, 40
# Colours from the GOV.UK palette, with a dash pattern each so that lines differ without colour.
STROKES = [
    ("#1d70b8", ""),
    ("#d4351c", "6 3"),
    ("#00703c", "2 3"),
    ("#4c2c92", "10 4 2 4"),
    ("#f47738", "1 6"),
    ("#0b0c0c", ""),
]


# More partners than there are line styles could not be told apart: the chart then draws oneSource alone.
MOST_PARTNER_LINES = len(STROKES) - 1


def trend_chart(trend: KPITrend) -> dict | None:
    kpi = trend.kpi
    drawn = trend.lines
    every_partner = sum(line.partner is not None for line in drawn) <= MOST_PARTNER_LINES
    if not every_partner:
        drawn = [line for line in drawn if line.partner is None]
    values = [cell.result for line in drawn for cell in line.cells if cell.result is not None]
    if not values:
        return None
    low, high = min(values), max(values)
    if low == high:
        low, high = low - 1, high + 1
    # The axis runs between round ticks just beyond the figures.
    ticks = nice_ticks(low, high)
    low, high = ticks[0], ticks[-1]
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step_x = Decimal(plot_w) / (len(trend.months) - 1)

    def x(index: int) -> float:
        return round(float(LEFT + step_x * index), 1)

    def y(value: Decimal) -> float:
        return round(float(TOP + (high - value) / (high - low) * plot_h), 1)

    lines = []
    for n, line in enumerate(drawn):
        stroke, dash = STROKES[-1] if line.partner is None else STROKES[n % (len(STROKES) - 1)]
        points = [(x(i), y(cell.result)) for i, cell in enumerate(line.cells) if cell.result is not None]
        if not points:
            continue
        lines.append(
            {
                "label": line.label,
                "stroke": stroke,
                "dash": dash,
                "width": 4 if line.partner is None else 2,
                "points": " ".join(f"{px},{py}" for px, py in points),
                "dots": points,
                "label_y": points[-1][1],
            }
        )
    # Keep the line labels at the right from overlapping one another.
    lines.sort(key=lambda item: item["label_y"])
    for before, after in pairwise(lines):
        after["label_y"] = max(after["label_y"], before["label_y"] + 14)
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "top": TOP,
        "bottom": HEIGHT - BOTTOM,
        "label_x": WIDTH - RIGHT + 8,
        "title": f"{kpi.code} {kpi.name}: the 13 months to {trend.end:%B %Y}",
        "description": (
            f"A line chart of {kpi.name} ({kpi.get_unit_display().lower()}, "
            f"{kpi.get_polarity_display().lower()}) "
            + (
                "per partner" + (" and for oneSource as a whole" if any(line.partner is None for line in drawn) else "")
                if every_partner
                else "for oneSource as a whole (each partner's figures are in the tables)"
            )
            + f", from {trend.months[0]:%B %Y} to {trend.end:%B %Y}. The table below gives the same figures."
        ),
        "y_ticks": [{"y": y(t), "text": kpi.format(t)} for t in ticks],
        "x_ticks": [{"x": x(i), "text": f"{m:%b %y}"} for i, m in enumerate(trend.months) if i % 2 == 0],
        "lines": lines,
    }
