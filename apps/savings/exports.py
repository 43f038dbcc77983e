"""The tracker as an Excel workbook: the same rows and totals as the page it was downloaded from."""

from openpyxl import Workbook
from openpyxl.styles import Font

from apps.core.spreadsheets import safe_row

MONEY = '"£"#,##0.00;-"£"#,##0.00'
BOLD = Font(bold=True)


def _figures(figures):
    return [figures.target, figures.forecast, figures.achieved, figures.variance]


def _sheet(book, title, heading, rows, total=None):
    sheet = book.create_sheet(title)
    sheet.append(heading)
    for cell in sheet[1]:
        cell.font = BOLD
    for row in rows:
        sheet.append(safe_row(row))
    if total is not None:
        sheet.append(total)
        for cell in sheet[sheet.max_row]:
            cell.font = BOLD
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if hasattr(cell.value, "as_tuple"):
                cell.number_format = MONEY
    return sheet


def tracker_workbook(tracker) -> Workbook:
    book = Workbook()
    book.remove(book.active)
    money = ["Target", "Forecast", "Achieved", "Variance"]
    _sheet(
        book,
        "Lines",
        ["Reference", "Title", "Programme", "Service area", "Year", *money, "Status", "Commentary"],
        [
            [
                r.line.reference,
                r.line.title,
                r.line.programme.name,
                r.line.area.name,
                r.year_label,
                r.target,
                r.forecast,
                r.achieved,
                r.variance,
                r.status_label,
                r.commentary,
            ]
            for r in tracker.rows
        ],
        ["Total", "", "", "", "", *_figures(tracker.total), "", ""],
    )
    for title, label, groups in (
        ("By programme", "Programme", tracker.by_programme),
        ("By service area", "Service area", tracker.by_area),
        ("By partner share", "Partner", tracker.by_partner),
        ("By year", "Financial year", tracker.by_year),
    ):
        _sheet(book, title, [label, *money], [[str(key), *_figures(f)] for key, f in groups])
    rows = [
        ["Scope", tracker.scope_name],
        ["Annual run-rate achieved to date (a year)", tracker.run_rate],
        [
            "Planned once delivered (a year)" if tracker.partner is None else "Planned in its shares (a year)",
            tracker.commitment,
        ],
    ]
    if tracker.has_cash:
        rows.append([f"Cumulative cash saved, {tracker.cash_period}", tracker.cash])
    _sheet(book, "Run-rate and cash", ["Measure", "Amount"], rows)
    return book
