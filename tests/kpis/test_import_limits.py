"""Bulk import under hostile or careless files: a clear error by row and column, never a 500 or a long stall."""

import io
import re
import time
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from apps.kpis.imports import COLUMNS, MAX_ROWS
from apps.kpis.models import Measurement
from tests.kpis.factories import KPIFactory
from tests.kpis.test_import import csv_file, run


@pytest.fixture
def kpi(world):
    return KPIFactory(code="EXT-03", area=world["areas"]["EXT"], service=world["services"]["payroll"])


@pytest.fixture
def count_kpi(world):
    area, service = world["areas"]["EXT"], world["services"]["payroll"]
    return KPIFactory(code="EXT-09", area=area, service=service, is_rate=False, unit="count")


def xlsx_file(rows, name="figures.xlsx"):
    book = Workbook()
    sheet = book.active
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def messages(result):
    return [(e.row, e.column, e.message) for e in result.errors]


def test_a_float_from_excel_is_taken_where_the_figure_keeps_its_precision(world, kpi):
    result = run(world, xlsx_file([["EXT-03", "havering", "2016-05", None, 95.5, 100, None]]))
    assert not result.errors, messages(result)
    assert Measurement.objects.get().numerator == Decimal("95.5")


def test_a_float_with_more_places_than_a_figure_keeps_is_refused_by_row_and_column(world, kpi):
    result = run(world, xlsx_file([["EXT-03", "havering", "2016-05", None, 100 / 3, 100, None]]))
    [(row, column, message)] = messages(result)
    assert (row, column) == (2, "numerator") and "decimal places" in message
    assert not Measurement.objects.exists()


def test_a_tiny_csv_value_is_refused_cleanly(world, count_kpi):
    result = run(world, csv_file([["EXT-09", "havering", "2016-05", "0.00001", "", "", ""]]))
    [(row, column, message)] = messages(result)
    assert (row, column) == (2, "value") and "decimal places" in message


def test_minus_zero_is_stored_as_zero(world, count_kpi):
    assert not run(world, csv_file([["EXT-09", "havering", "2016-05", "-0", "", "", ""]])).errors
    assert not Measurement.objects.get().value.is_signed()


@pytest.mark.parametrize("month", ["2026-11-99 garbage", "0001-01", "2016-5", "2016-05x"])
def test_a_month_with_anything_else_in_it_is_refused(world, kpi, month):
    result = run(world, csv_file([["EXT-03", "havering", month, "", "95", "100", ""]]))
    assert [(e.row, e.column) for e in result.errors] == [(2, "month")]


def test_a_nul_after_the_first_4_kb_is_a_clear_error_naming_the_row(world, kpi):
    good = "EXT-03,havering,2016-05,,95,100,\n" * 200
    text = ",".join(COLUMNS) + "\n" + good + "EXT-03,havering,2016-06,,95,100,bad\x00\n"
    result = run(world, SimpleUploadedFile("figures.csv", text.encode()))
    assert [(e.row, e.column) for e in result.errors] == [(202, "commentary")]
    assert "NUL" in result.errors[0].message
    assert not Measurement.objects.exists()


def test_a_cell_over_csvs_limit_is_a_clear_error(world, kpi):
    text = ",".join(COLUMNS) + "\n" + "EXT-03,havering,2016-05,,95,100," + "x" * 131_073 + "\n"
    result = run(world, SimpleUploadedFile("figures.csv", text.encode()))
    assert [(e.row, e.column) for e in result.errors] == [(2, "file")]
    assert "131,072 characters" in result.errors[0].message


def test_a_long_commentary_is_named_by_row_and_column(world, kpi):
    result = run(world, csv_file([["EXT-03", "havering", "2016-05", "", "95", "100", "x" * 20_001]]))
    assert [(e.row, e.column) for e in result.errors] == [(2, "commentary")]


def _claims_rows(upload, rows: int) -> SimpleUploadedFile:
    """The workbook with its sheet's <dimension> claiming ``rows`` rows and every column."""
    source = zipfile.ZipFile(io.BytesIO(upload.read()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[A-Z0-9:]+" ?/>', f'<dimension ref="A1:XFD{rows}"/>'.encode(), data)
                assert f"XFD{rows}".encode() in data
            target.writestr(info, data)
    return SimpleUploadedFile("figures.xlsx", out.getvalue())


def test_a_workbook_that_claims_a_million_rows_is_read_as_the_rows_it_holds(world, kpi):
    upload = _claims_rows(xlsx_file([["EXT-03", "havering", "2016-05", None, 95, 100, None]]), 1_000_000)
    started = time.perf_counter()
    result = run(world, upload)
    assert time.perf_counter() - started < 2
    assert not result.errors, messages(result)
    assert Measurement.objects.count() == 1


def test_a_workbook_of_more_rows_than_the_limit_is_refused_before_any_row_is_checked(world, kpi):
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(list(COLUMNS))
    for _ in range(MAX_ROWS + 5):
        sheet.append(["EXT-03"])
    out = io.BytesIO()
    book.save(out)
    result = run(world, SimpleUploadedFile("figures.xlsx", out.getvalue()))
    assert [(e.row, e.column) for e in result.errors] == [(0, "file")]
    assert "more than 20,000 rows" in result.errors[0].message
