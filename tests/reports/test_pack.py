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
    assert book.sheetnames == ["Summary", "Partners", "KPIs", "Savings", "Exceptions"]
    savings = list(book["Savings"].iter_rows(values_only=True))
    total = savings[-1]
    assert total[0] == "Total"
    assert Decimal(str(total[1])) == Decimal(whole["savings"]["total"]["target"]["value"]) == Decimal("6000")
    assert Decimal(str(total[2])) == Decimal(whole["savings"]["total"]["forecast"]["value"])
    assert sum(Decimal(str(row[2])) for row in savings[1:-1]) == Decimal(str(total[2]))
    partners = {row[0]: row for row in book["Partners"].iter_rows(min_row=2, values_only=True)}
    assert partners["London Borough of Newham"][3] == 1  # one red
    assert sum(Decimal(str(row[7])) for row in partners.values()) == Decimal(str(total[2]))  # shares add up
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
