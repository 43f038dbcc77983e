"""Bulk import: validated whole, errors by row and column, nothing stored unless all is good."""

import csv
import datetime as dt
import io
import time
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from apps.core.periods import add_months
from apps.kpis import services
from apps.kpis.imports import COLUMNS, MAX_UPLOAD_BYTES
from apps.kpis.models import Measurement
from tests.factories import PartnerFactory, SubscriptionFactory
from tests.kpis.factories import KPIFactory, TargetFactory


@pytest.fixture
def kpi(world):
    kpi = KPIFactory(code="EXT-03", area=world["areas"]["EXT"], service=world["services"]["payroll"])
    TargetFactory(kpi=kpi, value=Decimal("90"), tolerance=Decimal("5"))
    return kpi


def csv_file(rows, name="figures.csv"):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return SimpleUploadedFile(name, out.getvalue().encode(), content_type="text/csv")


def many_partners(world, count):
    partners = [
        PartnerFactory(name=f"Council {n}", short_name=f"Council {n}", slug=f"council-{n}") for n in range(count)
    ]
    for partner in partners:
        SubscriptionFactory(partner=partner, service=world["services"]["payroll"])
    return partners


def rows_for(partners, months, start=dt.date(2014, 4, 1)):
    return [
        ["EXT-03", p.slug, add_months(start, m).strftime("%Y-%m"), "", "95", "100", ""]
        for p in partners
        for m in range(months)
    ]


def run(world, upload, username="officer.exchequer", submit=False):
    return services.measurements_import(user=world["users"][username], upload=upload, submit=submit)


def test_three_bad_rows_among_500_store_nothing_and_are_named(world, kpi):
    rows = rows_for(many_partners(world, 20), 25)
    rows[10][4] = "lots"  # spreadsheet row 12
    rows[200][5] = "0"  # row 202
    rows[450][1] = "atlantis"  # row 452
    result = run(world, csv_file(rows))
    assert [(e.row, e.column) for e in result.errors] == [(12, "numerator"), (202, "denominator"), (452, "partner")]
    assert "“lots” is not a number" in result.errors[0].message
    assert not Measurement.objects.exists()


def test_a_good_file_imports_and_importing_it_again_changes_nothing(world, kpi):
    rows = rows_for(many_partners(world, 3), 4)
    result = run(world, csv_file(rows), submit=True)
    assert (result.errors, result.created) == ([], 12)
    assert Measurement.objects.filter(status="submitted", source="import").count() == 12
    assert Measurement.history.count() == 12
    again = run(world, csv_file(rows), submit=True)
    assert (again.created, again.changed, again.unchanged) == (0, 0, 12)
    assert Measurement.history.count() == 12


def test_approved_figures_are_not_overwritten_and_the_rows_are_listed(world, kpi):
    rows = rows_for([world["havering"]], 2)
    run(world, csv_file(rows), submit=True)
    first = Measurement.objects.order_by("period").first()
    services.measurement_approve(user=world["users"]["director.exchequer"], measurement=first)
    rows[0][4] = "99"
    rows[1][4] = "96"
    result = run(world, csv_file(rows))
    assert [(e.row, e.column) for e in result.errors] == [(2, "kpi_code")]
    assert "approved" in result.errors[0].message
    first.refresh_from_db()
    assert first.numerator == 95
    assert Measurement.objects.get(period=dt.date(2014, 5, 1)).numerator == 95


def test_red_rows_need_commentary_and_unknown_columns_are_refused(world, kpi):
    result = run(world, csv_file([["EXT-03", "Havering", "2016-04", "", "50", "100", ""]]))
    assert [(e.row, e.column) for e in result.errors] == [(2, "commentary")]
    bad = SimpleUploadedFile("x.csv", b"code,who\nEXT-03,Havering\n")
    assert "missing: kpi_code" in run(world, bad).errors[0].message


def test_wrong_type_and_oversized_files_get_a_clear_message(world, kpi):
    assert "CSV (.csv) or Excel (.xlsx)" in run(world, SimpleUploadedFile("figures.pdf", b"%PDF")).errors[0].message
    big = SimpleUploadedFile("big.csv", b"x" * (MAX_UPLOAD_BYTES + 1))
    assert "too large" in run(world, big).errors[0].message
    assert "cannot be read" in run(world, SimpleUploadedFile("broken.xlsx", b"not a zip")).errors[0].message


def test_an_excel_file_imports(world, kpi):
    book = Workbook()
    book.active.append(list(COLUMNS))
    book.active.append(["EXT-03", "havering", dt.datetime(2016, 4, 1), None, 95, 100, None])
    out = io.BytesIO()
    book.save(out)
    result = run(world, SimpleUploadedFile("figures.xlsx", out.getvalue()))
    assert (result.errors, result.created) == ([], 1)
    assert Measurement.objects.get().result == 95


def test_a_file_of_5000_rows_imports(world, kpi):
    rows = rows_for(many_partners(world, 100), 50)
    started = time.perf_counter()
    result = run(world, csv_file(rows))
    elapsed = time.perf_counter() - started
    print(f"5,000-row import took {elapsed:.1f}s")
    assert (result.errors, result.created) == ([], 5000)
    assert elapsed < 60
