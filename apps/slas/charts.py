"""The 12-month compliance as an SVG bar chart drawn on the server, beside a table of the same figures."""

from __future__ import annotations

from decimal import Decimal

from apps.core.periods import month_label

from .selectors import Compliance

WIDTH, HEIGHT = 720, 240
LEFT, TOP, BOTTOM = 64, 15, 40
PLOT_H = HEIGHT - TOP - BOTTOM


def compliance_chart(compliance: Compliance) -> dict:
    step = (WIDTH - LEFT) / len(compliance.by_month)
    bars = []
    for index, month in enumerate(compliance.by_month):
        rate = month.rate
        height = 0 if rate is None else round(float(rate / Decimal(100)) * PLOT_H, 1)
        bars.append(
            {
                "x": round(LEFT + index * step + step * 0.15, 1),
                "width": round(step * 0.7, 1),
                "y": round(TOP + PLOT_H - height, 1),
                "height": height,
                "label_x": round(LEFT + index * step + step / 2, 1),
                # Every other month is labelled, so that the labels stay apart on a phone.
                "month": month.period.strftime("%b %y") if index % 2 == 0 else "",
                "text": month.text,
                "measured": rate is not None,
            }
        )
    ticks = [{"y": round(TOP + PLOT_H - PLOT_H * p / 100, 1), "text": f"{p}%"} for p in (0, 25, 50, 75, 100)]
    first, last = compliance.by_month[0].period, compliance.by_month[-1].period
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH,
        "bottom": TOP + PLOT_H,
        "bars": bars,
        "ticks": ticks,
        "title": f"Standards met, {month_label(first)} to {month_label(last)}",
        "description": "Percentage of the standards measured that were met in each month; "
        "months with nothing measured have no bar.",
    }
