import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from apps.core.spreadsheets import safe_cell, safe_row, table_file_kind


def _xlsx_bytes():
    book, out = Workbook(), io.BytesIO()
    book.active.append(["kpi", "partner"])
    book.save(out)
    return out.getvalue()


def test_an_upload_is_judged_by_what_it_holds_not_its_name():
    assert table_file_kind(SimpleUploadedFile("figures.xlsx", _xlsx_bytes())) == "xlsx"
    assert table_file_kind(SimpleUploadedFile("figures.csv", b"kpi,partner\nEXT-03,Havering\n")) == "csv"
    with pytest.raises(ValidationError, match="holds an Excel workbook"):
        table_file_kind(SimpleUploadedFile("figures.csv", _xlsx_bytes()))
    with pytest.raises(ValidationError, match="holds text"):
        table_file_kind(SimpleUploadedFile("figures.xlsx", b"kpi,partner\n"))
    with pytest.raises(ValidationError, match="not a CSV or Excel"):
        table_file_kind(SimpleUploadedFile("figures.csv", b"\x7fELF\x02\x01\x01\x00\x00binary"))


@pytest.mark.parametrize("text", ['=HYPERLINK("http://evil")', "+1+1", "-2+3", "@SUM(A1)", "\t=1"])
def test_export_cells_that_would_run_as_formulas_are_written_as_text(text):
    assert safe_cell(text) == "'" + text


def test_ordinary_cells_and_numbers_are_left_alone():
    from decimal import Decimal

    assert safe_row(["Council Tax", Decimal("-1500.00"), 3, None]) == ["Council Tax", Decimal("-1500.00"), 3, None]
