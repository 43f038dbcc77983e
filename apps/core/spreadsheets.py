"""Spreadsheets in and out: uploads judged by their content, exports safe from formula injection."""

from django.core.exceptions import ValidationError

ZIP_SIGNATURE = b"PK\x03\x04"  # an .xlsx workbook is a zip archive
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def table_file_kind(upload) -> str:
    """``"xlsx"`` or ``"csv"`` from what the file holds; its name must agree. Raises ValidationError."""
    head = upload.read(4096)
    upload.seek(0)
    name = upload.name.lower()
    if head.startswith(ZIP_SIGNATURE):
        kind = "xlsx"
    elif b"\x00" in head:
        raise ValidationError("The file is not a CSV or Excel (.xlsx) file.")
    else:
        kind = "csv"
    if not name.endswith(f".{kind}"):
        raise ValidationError(
            f"The file’s name says {name.rsplit('.', 1)[-1] if '.' in name else 'no type'}, "
            f"but it holds {'an Excel workbook' if kind == 'xlsx' else 'text'}: upload a .csv or .xlsx file."
        )
    return kind


def safe_cell(value):
    """Text that a spreadsheet would run as a formula is written as plain text (a leading apostrophe)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values):
    return [safe_cell(value) for value in values]
