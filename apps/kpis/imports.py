"""Reading a bulk import file (CSV or Excel) into rows of text, and writing the template to fill in."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from zipfile import BadZipFile

from django.core.exceptions import ValidationError
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

COLUMNS = ("kpi_code", "partner", "month", "value", "numerator", "denominator", "commentary")
COLUMN_HELP = {
    "kpi_code": "The KPI's code, for example EXT-03.",
    "partner": "The partner's short name or slug, for example Havering.",
    "month": "The month measured, as YYYY-MM (2016-04 is April 2016).",
    "value": "The figure of a KPI that is not a rate; leave blank for a rate.",
    "numerator": "For a rate: the numerator (for example invoices paid within 30 days).",
    "denominator": "For a rate: the denominator (for example all invoices paid); more than 0.",
    "commentary": "Required when the figure is red against its target.",
}
ALLOWED_EXTENSIONS = (".csv", ".xlsx")
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


class ImportFileError(ValidationError):
    """The whole file is unusable (wrong type, unreadable, wrong columns)."""


def _read_csv(upload) -> list[list[str]]:
    try:
        text = upload.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError("The CSV file is not UTF-8 text; save it as “CSV UTF-8” and try again.") from None
    return list(csv.reader(io.StringIO(text)))


def _read_xlsx(upload) -> list[list[str]]:
    try:
        book = load_workbook(upload, read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, KeyError, OSError, ValueError):
        raise ImportFileError("The Excel file cannot be read; save it as an .xlsx workbook and try again.") from None
    sheet = book.worksheets[0]
    rows = []
    for values in sheet.iter_rows(values_only=True):
        rows.append(["" if v is None else (v.strftime("%Y-%m") if hasattr(v, "strftime") else str(v)) for v in values])
    book.close()
    return rows


def read_table(upload) -> list[dict[str, str]]:
    """The file's data rows as dicts of the template's columns; raises ImportFileError for a bad file."""
    name = upload.name.lower()
    if not name.endswith(ALLOWED_EXTENSIONS):
        raise ImportFileError("The file must be a CSV (.csv) or Excel (.xlsx) file.")
    if upload.size > MAX_UPLOAD_BYTES:
        raise ImportFileError(f"The file is too large: the most it can be is {MAX_UPLOAD_BYTES // (1024 * 1024)} MB.")
    rows = _read_csv(upload) if name.endswith(".csv") else _read_xlsx(upload)
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        raise ImportFileError("The file is empty.")
    header = [cell.strip().lower() for cell in rows[0]]
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise ImportFileError(
            f"The first row must name the template's columns; missing: {', '.join(missing)}. Download the template."
        )
    if len(rows) - 1 > MAX_ROWS:
        raise ImportFileError(f"The file has {len(rows) - 1} rows; import at most {MAX_ROWS} at a time.")
    index = {column: header.index(column) for column in COLUMNS}
    return [{column: (row[i].strip() if i < len(row) else "") for column, i in index.items()} for row in rows[1:]]


def template_xlsx() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Measurements"
    sheet.append(list(COLUMNS))
    sheet.append(["EXT-03", "Havering", "2016-04", "", "4512", "4700", ""])
    notes = book.create_sheet("Columns")
    notes.append(["column", "what to enter"])
    for column in COLUMNS:
        notes.append([column, COLUMN_HELP[column]])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def template_csv() -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerow(["EXT-03", "Havering", "2016-04", "", "4512", "4700", ""])
    return out.getvalue()
