"""The Joint Committee pack: a PDF with every partner's section and a workbook whose totals match."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import load_workbook
from pypdf import PdfReader

from apps.reports import services
from apps.reports.models import CommitteePack

from .fixtures import OCTOBER
from .helpers import generate, publish_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def pack(world, month, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    publish_all(OCTOBER, world["users"]["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        pack = services.pack_request(user=world["users"]["admin"], period=OCTOBER)
    pack.refresh_from_db()
    assert pack.status == CommitteePack.Status.READY, pack.error
    return pack


def test_the_pdf_opens_with_the_title_and_a_section_for_every_partner(pack):
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(pack.pdf.open("rb")).pages).split())
    assert "oneSource Joint Committee" in text and "Performance pack, October 2016" in text
    for heading in ("oneSource summary", "Exceptions", "London Borough of Havering", "London Borough of Newham"):
        assert heading in text
    assert "Two service desk posts vacant since August." in text  # Newham's red, in the exceptions
    assert "Payroll restructure" in text  # the slipped saving


def test_the_workbook_totals_match_the_snapshot(pack):
    from apps.reports.models import MonthlyReport

    whole = MonthlyReport.objects.get(period=OCTOBER, partner=None).snapshot
    book = load_workbook(io.BytesIO(pack.workbook.open("rb").read()))
    assert book.sheetnames == ["Summary", "Partners", "KPIs", "Savings", "Principal risks", "Exceptions"]
    savings = list(book["Savings"].iter_rows(values_only=True))
    total = savings[-1]
    assert total[0] == "Total"
    assert Decimal(str(total[1])) == Decimal(whole["savings"]["total"]["target"]["value"]) == Decimal("6000")
    assert Decimal(str(total[2])) == Decimal(whole["savings"]["total"]["forecast"]["value"])
    assert sum(Decimal(str(row[2])) for row in savings[1:-1]) == Decimal(str(total[2]))
    header, *rows = book["Partners"].iter_rows(values_only=True)
    partners = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    assert partners["London Borough of Newham"]["Red"] == 1  # one red
    forecasts = [Decimal(str(row["Savings share forecast (£)"])) for row in partners.values()]
    assert sum(forecasts) == Decimal(str(total[2]))  # shares add up
    assert {row["Savings year"] for row in partners.values()} == {whole["savings"]["year"]} == {"2016/17"}
    summary = dict(book["Summary"].iter_rows(min_row=2, values_only=True))
    assert summary["KPIs red"] == whole["kpis"]["rag_counts"]["red"]


def test_the_pack_is_downloadable_by_administrators_and_the_committee_only(pack, client_for):
    for username in ("admin", "committee"):
        response = client_for(username).get("/reports/packs/2016-10/pdf/")
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert client_for(username).get("/reports/packs/2016-10/xlsx/").status_code == 200
    for username in ("officer.havering", "director.ict", "officer.exchequer"):
        assert client_for(username).get("/reports/packs/2016-10/pdf/").status_code == 404
        assert client_for(username).get("/reports/packs/").status_code == 404


def test_a_pack_needs_the_months_published_onesource_report_and_an_administrator(world, month):
    generate(OCTOBER)
    with pytest.raises(ValidationError) as error:
        services.pack_request(user=world["users"]["admin"], period=OCTOBER)
    assert "period" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        services.pack_request(user=world["users"]["committee"], period=OCTOBER)


def test_the_pdf_has_contents_charts_and_groups_the_smaller_customers(world, month, settings, tmp_path):
    from apps.reports import pack as documents
    from tests.factories import PartnerFactory, SubscriptionFactory

    for n in range(3):
        SubscriptionFactory(
            partner=PartnerFactory(name=f"Academy {n}", slug=f"academy-{n}", kind="customer"),
            service=world["services"]["it_support"],
        )
    publish_all(OCTOBER, world["users"]["admin"])
    content = documents.pack_content(OCTOBER)
    assert [p["name"] for p in content["customers"]] == ["Academy 0", "Academy 1", "Academy 2"]
    html = documents.render_to_string("reports/pack.html", content)
    assert 'href="#exceptions"' in html and "<svg" in html  # a contents page, and the charts
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(documents.pack_pdf(content))).pages]
    assert "Contents" in pages[1] and "Exceptions" in pages[1]
    # The three academies share one page rather than a page each.
    assert len([page for page in pages if "Academy" in page]) == 1 + ("Academy" in pages[1])


def test_a_long_scorecard_runs_on_over_pages_and_its_heading_stays_with_it(world, month):
    from apps.reports import pack as documents
    from tests.kpis.factories import KPIFactory

    for n in range(60):
        KPIFactory(code=f"ICT-{n + 10}", name=f"Measure number {n}", area=world["areas"]["ICT"])
    publish_all(OCTOBER, world["users"]["admin"])
    pages = [
        page.extract_text() for page in PdfReader(io.BytesIO(documents.pack_pdf(documents.pack_content(OCTOBER)))).pages
    ]
    with_heading = [page for page in pages if "KPI scorecard" in page]
    assert with_heading
    # The heading is never left alone at the foot of a page: its page holds the table's first rows.
    assert all("Measure number" in page or "ICT-01" in page for page in with_heading)
    # The table runs on with its header repeated, rather than leaving a page blank before it.
    assert len([page for page in pages if "Measure number" in page]) > len(with_heading)
    assert all("Year to" in page for page in pages if "Measure number" in page)


def test_the_workbook_is_laid_out_with_numbers_as_numbers(pack):
    book = load_workbook(io.BytesIO(pack.workbook.open("rb").read()))
    for ws in book.worksheets:
        assert ws.freeze_panes == "A2"
        assert all(ws.column_dimensions[letter].width >= 8 for letter in "AB")
    partners = book["Partners"]
    for row in partners.iter_rows(min_row=2):
        assert row[7].number_format == '"£"#,##0.00' and isinstance(row[7].value, int | float)
        assert row[11].value is None or (isinstance(row[11].value, int | float) and row[11].number_format == "0.0%")
    kpis = book["KPIs"]
    for row in kpis.iter_rows(min_row=2):
        for cell in (row[3], row[4], row[8], row[9]):  # actual, target, year to date and its target: never "–"
            assert cell.value is None or isinstance(cell.value, int | float)
        assert row[3].value is None or row[3].number_format == "#,##0.0##"
    summary = {row[0].value: row[1] for row in book["Summary"].iter_rows(min_row=2)}
    assert summary["Savings target for the year (£)"].number_format == '"£"#,##0.00'
    assert summary["Data completeness"].number_format == "0.0%"


def test_rebuilding_a_pack_keeps_the_one_built_readable_until_the_new_one_is_ready(pack, world, client_for):
    """The broker is down: the rebuild waits in the outbox (its task never runs here), and the pack built
    before is still listed and downloadable, saying that a new one is being built."""
    services.pack_request(user=world["users"]["admin"], period=OCTOBER)
    pack.refresh_from_db()
    assert pack.status == CommitteePack.Status.PENDING
    committee = client_for("committee")
    response = committee.get("/reports/packs/2016-10/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert committee.get("/reports/packs/2016-10/xlsx/").status_code == 200
    listing = committee.get("/reports/packs/").content.decode()
    assert "can be read until the new one is ready" in listing and "/reports/packs/2016-10/pdf/" in listing
