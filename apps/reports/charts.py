"""Server-rendered SVG charts of a report's 13-month trends, each with a title, a description and a
table of the same figures beside it (templates/reports/includes/)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from apps.core.charts import nice_ticks

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 64, 12, 16, 40
# GOV.UK palette; the bars are stacked in a fixed order and labelled in the legend and the table.
RAG_FILLS = (("green", "#00703c", "Green"), ("amber", "#ffdd00", "Amber"), ("red", "#d4351c", "Red"))


def _label(iso: str) -> str:
    return f"{dt.date.fromisoformat(iso):%b %y}"


def _canvas(ident: str, plot_h: float) -> dict:
    """What every chart's SVG frame needs (templates/reports/includes/chart_axes.html)."""
    return {"id": ident, "width": WIDTH, "height": HEIGHT, "left": LEFT, "right": WIDTH - RIGHT, "bottom": TOP + plot_h}


def _frame(count: int):
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(count, 1)
    return plot_w, plot_h, slot


def rag_chart(snapshot: dict, *, ident: str) -> dict | None:
    """Stacked bars: how many KPIs were green, amber and red in each of the 13 months."""
    months = snapshot.get("kpis", {}).get("rag_by_month") or []
    if not months:
        return None
    # Whole numbers of KPIs: at least 0 to 4, so that the step is never a fraction of a KPI.
    ticks = nice_ticks(0, max(4, *((m["green"] + m["amber"] + m["red"]) for m in months)))
    top = float(ticks[-1])
    _plot_w, plot_h, slot = _frame(len(months))
    bars = []
    for index, month in enumerate(months):
        x = LEFT + slot * index + slot * 0.15
        base = TOP + plot_h
        parts = []
        for key, fill, _name in RAG_FILLS:
            height = plot_h * month[key] / top
            base -= height
            if month[key]:
                parts.append({"y": round(base, 1), "height": round(height, 1), "fill": fill})
        bars.append(
            {
                "x": round(x, 1),
                "width": round(slot * 0.7, 1),
                "parts": parts,
                "label_x": round(x + slot * 0.35, 1),
                "label": _label(month["month"]) if index % 2 == 0 else "",
            }
        )
    scope = snapshot["scope"]["name"]
    span = f"{_label(months[0]['month'])} to {_label(months[-1]['month'])}"
    return {
        **_canvas(ident, plot_h),
        "ticks": [{"y": round(TOP + plot_h - plot_h * float(t) / top, 1), "text": t} for t in ticks],
        "bars": bars,
        "legend": [{"fill": fill, "name": name} for _key, fill, name in RAG_FILLS],
        "title": f"{scope}: KPIs rated green, amber and red, {span}",
        "description": (
            "A stacked bar chart with one bar per month: the number of KPIs rated green at the bottom, amber in "
            "the middle and red at the top. The table gives the same figures."
        ),
        "rows": months,
    }


def compliance_chart(snapshot: dict, *, ident: str) -> dict | None:
    """A line: SLA compliance (standards met / measured) in each of the 13 months."""
    months = snapshot.get("slas", {}).get("by_month") or []
    if not any(m["rate"] is not None for m in months):
        return None
    _plot_w, plot_h, slot = _frame(len(months))

    def y(rate: Decimal) -> float:
        return round(TOP + plot_h - plot_h * float(rate) / 100, 1)

    points = [
        (round(LEFT + slot * (i + 0.5), 1), y(Decimal(m["rate"])))
        for i, m in enumerate(months)
        if m["rate"] is not None
    ]
    scope = snapshot["scope"]["name"]
    return {
        **_canvas(ident, plot_h),
        "ticks": [{"y": y(Decimal(p)), "text": f"{p}%"} for p in (0, 25, 50, 75, 100)],
        "points": " ".join(f"{px},{py}" for px, py in points),
        "dots": [{"x": px, "y": py} for px, py in points],
        "labels": [
            {"x": round(LEFT + slot * (i + 0.5), 1), "text": _label(m["month"])}
            for i, m in enumerate(months)
            if i % 2 == 0
        ],
        "title": f"{scope}: SLA standards met, {_label(months[0]['month'])} to {_label(months[-1]['month'])}",
        "description": (
            "A line chart of the percentage of service level standards met among those measured, one point per "
            "month. The table gives the same figures."
        ),
        "rows": months,
    }
