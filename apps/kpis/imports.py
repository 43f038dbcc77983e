"""Reading a bulk import file (CSV or Excel) into rows of text, and writing the template to fill in."""

from __future__ import annotations

import contextlib
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from zipfile import BadZipFile, ZipFile

from django.core.exceptions import ValidationError
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from apps.core.inputs import TEXT_MAX_LENGTH, is_storable
from apps.core.spreadsheets import table_file_kind

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
# Read at most this many columns of a row, and refuse a workbook whose sheets unpack to more than this
# many bytes: both are checked while the file is read, before any row is looked at.
MAX_COLUMNS = 30
MAX_UNPACKED_BYTES = 60 * 1024 * 1024
COLUMN_MAX_LENGTH = dict.fromkeys(COLUMNS, 100) | {"commentary": TEXT_MAX_LENGTH}


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


class ImportFileError(ValidationError):
    """The whole file is unusable (wrong type, unreadable, too large, wrong columns).

    ``row_errors`` names each cell that cannot be read at all, by row and column, when that is the reason.
    """

    def __init__(self, message, row_errors=()):
        super().__init__(message)
        self.row_errors = list(row_errors)


def _too_many_rows() -> ImportFileError:
    return ImportFileError(f"The file has more than {MAX_ROWS:,} rows; import at most {MAX_ROWS:,} at a time.")


def _cell_text(value) -> str:
    """A cell as text: Excel's dates as their month, its numbers as the shortest text that reads back the same
    (so 0.1 is "0.1", and 100/3 is "33.333333333333336", which the figure's precision then refuses)."""
    if value is None:
        return ""
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m")
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _csv_rows(upload) -> Iterator[list[str]]:
    """The CSV's rows, read as a stream; a line csv cannot read (a NUL, a cell past csv's own limit of
    131,072 characters, text that is not UTF-8) is a clear error naming the row."""
    stream = io.TextIOWrapper(upload.file, encoding="utf-8-sig", newline="")
    reader = csv.reader(stream)
    try:
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            yield row[:MAX_COLUMNS]
    except UnicodeDecodeError:
        raise ImportFileError("The CSV file is not UTF-8 text; save it as “CSV UTF-8” and try again.") from None
    except csv.Error as error:
        line = reader.line_num
        reason = (
            "holds a NUL character"
            if "NUL" in str(error)
            else f"has a cell longer than {csv.field_size_limit():,} characters"
            if "field larger" in str(error)
            else "cannot be read as CSV"
        )
        raise ImportFileError(
            f"Row {line} of the file {reason}; correct it and try again.",
            [RowError(line, "file", f"Row {line} {reason}.")],
        ) from None
    finally:
        # Leave the upload open for its owner; if the owner closed it first, there is nothing to leave.
        with contextlib.suppress(ValueError):
            stream.detach()


def _xlsx_rows(upload) -> Iterator[list[str]]:
    """The first sheet's rows, read as a stream. The sheet's own ``<dimension>`` is not trusted: a workbook
    that claims a million rows is read only as far as the rows it holds, and only so far as the limits."""
    try:
        with ZipFile(upload) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        upload.seek(0)
        if unpacked > MAX_UNPACKED_BYTES:
            raise ImportFileError("The Excel file holds more than a workbook of figures can; split it and try again.")
        book = load_workbook(upload, read_only=True, data_only=True)
        sheet = book.worksheets[0]
        sheet.reset_dimensions()
        for values in sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True):
            yield [_cell_text(v) for v in values]
        book.close()
    except (InvalidFileException, BadZipFile, KeyError, OSError, ValueError, IndexError):
        raise ImportFileError("The Excel file cannot be read; save it as an .xlsx workbook and try again.") from None


def _check_cells(number: int, values: dict[str, str]) -> list[RowError]:
    errors = []
    for column, text in values.items():
        if not is_storable(text):
            errors.append(RowError(number, column, "The cell holds a character that cannot be stored (a NUL)."))
        elif len(text) > COLUMN_MAX_LENGTH[column]:
            errors.append(
                RowError(
                    number, column, f"The cell has {len(text):,} characters; at most {COLUMN_MAX_LENGTH[column]:,}."
                )
            )
    return errors


def read_table(upload) -> list[dict[str, str]]:
    """The file's data rows as dicts of the template's columns; raises ImportFileError for a bad file.

    The file is read as a stream and given up as soon as it passes the row limit, before any row is
    checked; a cell that cannot be stored is named by row and column.
    """
    if not upload.name.lower().endswith(ALLOWED_EXTENSIONS):
        raise ImportFileError("The file must be a CSV (.csv) or Excel (.xlsx) file.")
    if upload.size > MAX_UPLOAD_BYTES:
        raise ImportFileError(f"The file is too large: the most it can be is {MAX_UPLOAD_BYTES // (1024 * 1024)} MB.")
    try:
        kind = table_file_kind(upload)
    except ValidationError as error:
        raise ImportFileError(error.messages[0]) from None
    rows = _csv_rows(upload) if kind == "csv" else _xlsx_rows(upload)
    header, index, table, errors = None, None, [], []
    for number, row in enumerate(rows, start=1):
        if number > MAX_ROWS + 1:
            raise _too_many_rows()
        if not any(cell.strip() for cell in row):
            continue
        if header is None:
            header = [cell.strip().lower() for cell in row]
            missing = [column for column in COLUMNS if column not in header]
            if missing:
                raise ImportFileError(
                    f"The first row must name the template's columns; missing: {', '.join(missing)}. "
                    "Download the template."
                )
            index = {column: header.index(column) for column in COLUMNS}
            continue
        values = {column: (row[i].strip() if i < len(row) else "") for column, i in index.items()}
        errors += _check_cells(number, values)
        table.append(values)
    if header is None:
        raise ImportFileError("The file is empty.")
    if errors:
        raise ImportFileError("Some cells cannot be read.", errors)
    return table


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
