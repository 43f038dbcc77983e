"""The Joint Committee pack for a month: the oneSource summary, each partner, savings, the delivery plan
and the exceptions, from the month's published reports, as a PDF (WeasyPrint) and a workbook (openpyxl).

Both documents are made from the same ``pack_content``, so their figures agree with each other and
with the reports' snapshots.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from weasyprint import CSS, HTML

from apps.core.periods import month_label
from apps.core.spreadsheets import safe_row
from apps.kpis.selectors import Direction
from apps.partners.models import Partner

from . import charts
from .models import PublishedReport

PERCENT_ROWS = ("Enquiries answered in time", "Data completeness")


def pack_content(period: dt.date) -> dict:
    """The latest published version of every report of the month, and the exceptions across them."""
    published = list(
        PublishedReport.objects.latest_versions()
        .filter(report__period=period)
        .select_related("report__partner")
        .order_by("report__partner__name")
    )
    whole = next((p for p in published if p.report.partner_id is None), None)
    if whole is None:
        raise ValueError(f"The oneSource report for {month_label(period)} is not published.")
    partners = [p for p in published if p.report.partner_id is not None]
    rows = [
        {
            "name": p.report.partner.name,
            "version": p.version,
            "snapshot": p.snapshot,
            "is_customer": p.report.partner.kind == Partner.Kind.CUSTOMER,
        }
        for p in partners
    ]
    return {
        "period": period,
        "period_label": month_label(period),
        "onesource": whole.snapshot,
        "onesource_version": whole.version,
        "partners": rows,
        # The councils of the Joint Committee have a page each; smaller customers share one table.
        "councils": [row for row in rows if not row["is_customer"]],
        "customers": [row for row in rows if row["is_customer"]],
        "exceptions": exceptions(whole.snapshot, [p.snapshot for p in partners]),
        "rag_chart": charts.rag_chart(whole.snapshot, ident="pack-rag"),
        "sla_chart": charts.compliance_chart(whole.snapshot, ident="pack-sla"),
    }


def exceptions(whole: dict, partners: list[dict]) -> list[dict]:
    """What the committee should look at: red KPIs, missed SLA standards, savings of concern, overdue
    activities and red projects."""
    found = []
    for snapshot in [whole, *partners]:
        name = snapshot["scope"]["name"]
        for row in snapshot["kpis"]["reds"]:
            note = "; ".join(c["text"] for c in row["commentary"]) or "No commentary given."
            found.append(
                {
                    "kind": "Red KPI",
                    "scope": name,
                    "item": f"{row['code']} {row['name']}",
                    "detail": f"{row['actual_text']} against {row['target_text']}. {note}",
                }
            )
        for standard in snapshot["slas"]["missed"]:
            found.append(
                {
                    "kind": "SLA standard missed",
                    "scope": name,
                    "item": f"{standard['code']} {standard['name']}",
                    "detail": f"{standard['result']} against {standard['target']}.",
                }
            )
    for line in whole["savings"]["concerns"]:
        found.append(
            {
                "kind": "Saving of concern",
                "scope": "oneSource",
                "item": f"{line['reference']} {line['title']}",
                "detail": f"{line['status']}: forecast {line['forecast']['text']} against {line['target']['text']}"
                + (f", {line['slipped']['text']} slipped to a later year" if Decimal(line["slipped"]["value"]) else "")
                + ".",
            }
        )
    overdue = whole["delivery"].get("totals", {}).get("overdue", 0)
    if overdue:
        found.append(
            {
                "kind": "Delivery plan",
                "scope": "oneSource",
                "item": f"{overdue} activit{'y' if overdue == 1 else 'ies'} overdue",
                "detail": "Open activities past their due date at the end of the month.",
            }
        )
    for project in whole["projects"]["projects"]:
        if project["rag"] == "red":
            found.append(
                {
                    "kind": "Red project",
                    "scope": "oneSource",
                    "item": project["title"],
                    "detail": f"{project['stage']}, planned to end {project['planned_end_on']}.",
                }
            )
    return found


def pack_pdf(content: dict) -> bytes:
    html = render_to_string("reports/pack.html", content)
    stylesheet = CSS(filename=finders.find("reports/pack.css"))
    return HTML(string=html).write_pdf(stylesheets=[stylesheet])


def _number(value: str | None):
    return None if value is None else Decimal(value)


RISK_COLUMNS = ("reference", "title", "category", "area", "owner", "inherent_score", "residual_score", "band")
RISK_COLUMNS += ("target_score", "review_on")


def _fraction(percent: str | None):
    """A percentage as the fraction a spreadsheet formats as one (80.0 → 0.8, shown 80.0%)."""
    return None if percent is None else Decimal(percent) / 100


MONEY, PERCENT, FIGURE, COUNT = '"£"#,##0.00', "0.0%", "#,##0.0##", "0"


def _lay_out(ws, formats: dict[int, str]) -> None:
    """Number formats by column (1-based), and widths that fit the longest entry of each column."""
    for column, cells in enumerate(ws.iter_cols(), start=1):
        for cell in cells[1:]:
            if column in formats and isinstance(cell.value, int | float | Decimal):
                cell.number_format = formats[column]
        longest = max(
            len(f"{cell.value:,.2f}" if isinstance(cell.value, Decimal) else str(cell.value or "")) for cell in cells
        )
        ws.column_dimensions[get_column_letter(column)].width = min(max(longest + 2, 8), 60)


def pack_workbook(content: dict) -> bytes:
    """Sheets: Summary, Partners, KPIs, Savings, Principal risks, Exceptions. Figures are numbers, not text."""
    book = Workbook()
    bold = Font(bold=True)
    whole = content["onesource"]

    def sheet(title, header, rows, first=False):
        ws = book.active if first else book.create_sheet()
        ws.title = title
        ws.append(header)
        for cell in ws[1]:
            cell.font = bold
        for row in rows:
            ws.append(safe_row(row))
        ws.freeze_panes = "A2"
        return ws

    counts = whole["kpis"]["rag_counts"]
    total = whole["savings"]["total"]
    sheet(
        "Summary",
        ["Measure", "Value"],
        [
            ["Month", content["period_label"]],
            ["KPIs green", counts["green"]],
            ["KPIs amber", counts["amber"]],
            ["KPIs red", counts["red"]],
            ["KPIs without a figure or target", counts["grey"]],
            ["SLA standards met", whole["slas"]["met"]],
            ["SLA standards measured", whole["slas"]["measured"]],
            ["Savings year", whole["savings"]["year"]],
            ["Savings target for the year (£)", _number(total["target"]["value"])],
            ["Savings forecast for the year (£)", _number(total["forecast"]["value"])],
            ["Savings achieved in the year (£)", _number(total["achieved"]["value"])],
            ["Savings run-rate achieved to date (£ a year)", _number(whole["savings"]["run_rate"]["value"])],
            ["Savings planned once delivered (£ a year)", _number(whole["savings"]["commitment"]["value"])],
            [
                f"Cumulative cash saved, {whole['savings']['cash_period']} (£)",
                _number(whole["savings"]["cash"]["value"]) if whole["savings"]["cash"] else None,
            ],
            ["Enquiries answered in time", _fraction(whole["enquiries"]["in_time_rate"])],
            ["Data completeness", _fraction(whole["completeness"]["percent"])],
        ],
        first=True,
    )
    summary = book["Summary"]
    for row in summary.iter_rows(min_row=2):
        label, value = row
        value.number_format = MONEY if "(£" in label.value else PERCENT if label.value in PERCENT_ROWS else COUNT
    _lay_out(summary, {})
    sheet(
        "Partners",
        [
            "Partner",
            "Green",
            "Amber",
            "Red",
            "SLA met",
            "SLA measured",
            "Savings year",
            "Savings share target (£)",
            "Savings share forecast (£)",
            "Savings share achieved (£)",
            "Savings share run-rate (£ a year)",
            "Enquiries in time",
            "Open enquiries",
        ],
        [
            [
                p["name"],
                p["snapshot"]["kpis"]["rag_counts"]["green"],
                p["snapshot"]["kpis"]["rag_counts"]["amber"],
                p["snapshot"]["kpis"]["rag_counts"]["red"],
                p["snapshot"]["slas"]["met"],
                p["snapshot"]["slas"]["measured"],
                p["snapshot"]["savings"]["year"],
                _number(p["snapshot"]["savings"]["total"]["target"]["value"]),
                _number(p["snapshot"]["savings"]["total"]["forecast"]["value"]),
                _number(p["snapshot"]["savings"]["total"]["achieved"]["value"]),
                _number(p["snapshot"]["savings"]["run_rate"]["value"]),
                _fraction(p["snapshot"]["enquiries"]["in_time_rate"]),
                p["snapshot"]["enquiries"]["open_at_end"],
            ]
            for p in content["partners"]
        ],
    )
    _lay_out(
        book["Partners"],
        {
            2: COUNT,
            3: COUNT,
            4: COUNT,
            5: COUNT,
            6: COUNT,
            8: MONEY,
            9: MONEY,
            10: MONEY,
            11: MONEY,
            12: PERCENT,
            13: COUNT,
        },
    )
    sheet(
        "KPIs",
        [
            "Scope",
            "Code",
            "KPI",
            "Actual",
            "Target",
            "RAG",
            "Since last month",
            "Since a year ago",
            "Year to date",
            "Year-to-date target",
            "Year-to-date RAG",
            "Commentary",
        ],
        [
            [
                scope["scope"]["name"],
                r["code"],
                r["name"],
                _number(r["actual"]),
                _number(r["target"]),
                r["rag"],
                Direction(r["direction_month"]).label,
                Direction(r["direction_year"]).label,
                _number(r["ytd"]),
                _number(r.get("ytd_target")),
                r.get("ytd_rag", "grey"),
                "; ".join(c["text"] for c in r["commentary"]),
            ]
            for scope in [whole, *(p["snapshot"] for p in content["partners"])]
            for r in scope["kpis"]["rows"]
        ],
    )
    _lay_out(book["KPIs"], {4: FIGURE, 5: FIGURE, 9: FIGURE, 10: FIGURE})
    savings_rows = [
        [
            row["name"],
            _number(row["target"]["value"]),
            _number(row["forecast"]["value"]),
            _number(row["achieved"]["value"]),
            _number(row["variance"]["value"]),
        ]
        for row in whole["savings"]["by_programme"]
    ]
    savings_rows.append(
        [
            "Total",
            _number(total["target"]["value"]),
            _number(total["forecast"]["value"]),
            _number(total["achieved"]["value"]),
            _number(total["variance"]["value"]),
        ]
    )
    ws = sheet("Savings", ["Programme", "Target (£)", "Forecast (£)", "Achieved (£)", "Variance (£)"], savings_rows)
    for cell in ws[ws.max_row]:
        cell.font = bold
    _lay_out(ws, {2: MONEY, 3: MONEY, 4: MONEY, 5: MONEY})
    risks_sheet = sheet(
        "Principal risks",
        ["Reference", "Risk", "Category", "Area", "Owner", "Inherent", "Residual", "Band", "Target", "Next review"],
        [[r[key] for key in RISK_COLUMNS] for r in whole.get("risks", {}).get("principal", [])],
    )
    _lay_out(risks_sheet, {6: COUNT, 7: COUNT, 9: COUNT})
    exceptions_sheet = sheet(
        "Exceptions",
        ["Kind", "Scope", "Item", "Detail"],
        [[e["kind"], e["scope"], e["item"], e["detail"]] for e in content["exceptions"]],
    )
    _lay_out(exceptions_sheet, {})
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
