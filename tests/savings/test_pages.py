import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.urls import reverse
from openpyxl import load_workbook

from apps.savings import services
from apps.savings.models import SavingLine, SavingsUpdate, Status
from tests.savings.factories import ProgrammeFactory, make_line


@pytest.fixture
def lines(world):
    programme = ProgrammeFactory(slug="original-business-case", name="Original business case")
    shared = make_line(
        area=world["areas"]["ICT"],
        programme=programme,
        partners={world["havering"]: "60.00", world["newham"]: "40.00"},
        targets={2016: "1000.00", 2017: "500.00"},
        reference="ICT-SHARED",
        title="Shared data centre",
    )
    newham_only = make_line(
        area=world["areas"]["EXT"],
        programme=programme,
        partners={world["newham"]: "100.00"},
        targets={2016: "700.00"},
        reference="EXT-NEWHAM",
        title="Newham council tax review",
    )
    services.savings_update_record(
        user=world["users"]["director.ict"],
        line=shared,
        expected_version=1,
        financial_year=2016,
        forecast=Decimal("800.00"),
        achieved=Decimal("300.00"),
        status=Status.AT_RISK,
        commentary="Migration delayed by the supplier.",
    )
    return {"shared": shared, "newham_only": newham_only}


def test_tracker_lists_concerns_first_with_commentary_and_totals(client_for, lines):
    page = client_for("committee").get(reverse("savings:tracker"), {"year": "all"})
    text = page.content.decode()
    assert page.status_code == 200
    assert text.index("ICT-SHARED") < text.index("EXT-NEWHAM")
    assert "Migration delayed by the supplier." in text
    # 2016/17: 800 forecast + 700 (no update: forecast is the target); 2017/18: 500.
    assert "£2,000.00" in text  # forecast total
    assert "£2,200.00" in text  # target total


def test_partner_officer_sees_own_share_and_lines_not_other_partners(client_for, lines):
    text = client_for("officer.havering").get(reverse("savings:tracker"), {"year": "all"}).content.decode()
    assert "ICT-SHARED" in text and "EXT-NEWHAM" not in text
    assert "London Borough of Havering" in text and "London Borough of Newham" not in text
    assert "£900.00" in text  # Havering's 60% of the £1,500.00 target
    assert "£1,500.00" not in text and "£1,000.00" not in text  # the whole line's figures are not Havering's


def test_line_page_shows_phasing_and_history_and_hides_other_partners(client_for, lines):
    client = client_for("officer.havering")
    page = client.get(lines["shared"].get_absolute_url())
    text = page.content.decode()
    assert "2017/18" in text and "Migration delayed by the supplier." in text
    assert "Havering 60.00%" in text and "Newham 40.00%" not in text
    assert client.get(lines["newham_only"].get_absolute_url()).status_code == 404


def test_my_savings_lists_only_the_directors_areas(client_for, lines, reporting_2016):
    text = client_for("director.ict").get(reverse("savings:my_savings")).content.decode()
    assert "ICT-SHARED" in text and "EXT-NEWHAM" not in text
    assert client_for("officer.havering").get(reverse("savings:my_savings")).status_code == 404


def test_a_director_cannot_update_another_areas_line_by_page(client_for, lines):
    client = client_for("director.exchequer")
    url = reverse("savings:line_update", args=["ICT-SHARED"])
    assert client.get(url).status_code == 404
    data = {"forecast": "1", "achieved": "1", "status": "on_track", "commentary": "", "version": "2"}
    assert client.post(url, data).status_code == 404
    assert SavingsUpdate.objects.count() == 1


def test_update_page_saves_and_a_stale_page_is_told_what_changed(client_for, lines, reporting_2016):
    url = reverse("savings:line_update", args=["ICT-SHARED"])
    director, admin = client_for("director.ict"), client_for("admin")
    assert director.get(url).status_code == 200
    opened_version = SavingLine.objects.get(reference="ICT-SHARED").version
    data = {
        "forecast": "900.00",
        "achieved": "400.00",
        "status": "on_track",
        "commentary": "",
        "version": opened_version,
    }
    assert director.post(url, data).status_code == 302
    mine = {**data, "forecast": "650.00", "status": "slipped", "commentary": "Moving to the new site in May."}
    page = admin.post(url, mine)
    text = page.content.decode()
    assert page.status_code == 200
    assert "Someone else saved this line" in text and "At risk → On track" in text
    assert "Moving to the new site in May." in text and 'value="650.00"' in text  # nothing typed is lost
    assert SavingsUpdate.objects.count() == 2
    assert admin.post(url, {**mine, "version": opened_version + 1}).status_code == 302
    assert SavingsUpdate.objects.count() == 3


def test_update_page_says_its_month_with_pound_inputs_and_a_cancel_link(client_for, lines, reporting_2016):
    page = client_for("director.ict").get(reverse("savings:line_update", args=["ICT-SHARED"])).content.decode()
    assert "Update ICT-SHARED for September 2016 (2016/17)" in page
    assert page.count('<div class="govuk-input__prefix" aria-hidden="true">£</div>') == 2
    assert "govuk-input--width-10" in page
    assert f'href="{lines["shared"].get_absolute_url()}">Cancel</a>' in page


def test_rephasing_offers_no_year_that_is_over_to_move_from(client_for, lines, monkeypatch):
    from apps.savings import selectors

    monkeypatch.setattr(selectors.timezone, "localdate", lambda: dt.date(2017, 9, 15))
    page = client_for("director.ict").get(reverse("savings:line_rephase", args=["ICT-SHARED"]))
    options = page.context["form"].fields["from_year"].choices
    assert [label for _, label in options] == ["2017/18"]


def test_update_page_names_the_field_on_bad_input(client_for, lines, reporting_2016):
    url = reverse("savings:line_update", args=["ICT-SHARED"])
    data = {"forecast": "-5", "achieved": "0", "status": "at_risk", "commentary": "", "version": "2"}
    page = client_for("director.ict").post(url, data)
    assert page.status_code == 200
    assert page.context["form"].errors.keys() >= {"forecast"}
    data["forecast"] = "5"
    page = client_for("director.ict").post(url, data)
    assert "commentary" in page.context["form"].errors
    assert SavingsUpdate.objects.count() == 1


def test_rephase_page_records_the_move(client_for, lines, reporting_2016):
    url = reverse("savings:line_rephase", args=["ICT-SHARED"])
    client = client_for("director.ict")
    assert client.get(url).status_code == 200
    data = {"from_year": "2016", "to_year": "2017", "amount": "200.00", "reason": "", "version": "2"}
    assert "reason" in client.post(url, data).context["form"].errors
    data["reason"] = "Supplier delay."
    assert client.post(url, data).status_code == 302
    text = client.get(lines["shared"].get_absolute_url()).content.decode()
    assert "£200.00 from 2016/17 to 2017/18 (slippage): Supplier delay." in text


def test_excel_export_has_the_filtered_rows_and_totals_of_the_page(client_for, lines):
    client = client_for("committee")
    response = client.get(reverse("savings:tracker_export"), {"year": "2016"})
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["Lines"]
    references = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert references == ["ICT-SHARED", "EXT-NEWHAM", "Total"]
    total = [Decimal(str(cell.value)) for cell in sheet[sheet.max_row][5:8]]
    page = client.get(reverse("savings:tracker"), {"year": "2016"})
    figures = page.context["tracker"].total
    assert (
        total
        == [figures.target, figures.forecast, figures.achieved]
        == [
            Decimal("1700.00"),
            Decimal("1500.00"),
            Decimal("300.00"),
        ]
    )
    assert figures.target == SavingLine.objects.aggregate(t=Sum("targets__amount", filter=None))["t"] - Decimal(
        "500.00"
    )
    partners = {row[0].value: Decimal(str(row[1].value)) for row in book["By partner share"].iter_rows(min_row=2)}
    assert sum(partners.values()) == figures.target


def test_export_of_a_partner_officer_has_no_other_partner(client_for, lines):
    response = client_for("officer.havering").get(reverse("savings:tracker_export"), {"year": "all"})
    book = load_workbook(io.BytesIO(response.content))
    partners = [row[0].value for row in book["By partner share"].iter_rows(min_row=2)]
    assert partners == ["London Borough of Havering"]
    assert [row[0].value for row in book["Lines"].iter_rows(min_row=2)] == ["ICT-SHARED", "ICT-SHARED", "Total"]


def test_director_dashboard_lists_lines_needing_an_update(client_for, lines, reporting_2016):
    text = client_for("director.ict").get("/").content.decode()
    assert "Savings to update this month" in text
    assert "ICT-SHARED" in text
    assert "Savings to update" not in client_for("committee").get("/").content.decode()


def test_partner_page_shows_the_partners_share_of_the_year_read(client_for, lines, world, reporting_2016):
    text = client_for("officer.havering").get(world["havering"].get_absolute_url()).content.decode()
    assert "Savings" in text and "2016/17" in text
    assert "£600.00" in text  # 60% of the £1,000.00 target of 2016/17
    assert "£1,700.00" not in text and "£1,000.00" not in text  # neither oneSource's nor the whole line's
    assert "£900.00" in text  # its share of the recurring targets, planned a year once delivered


@pytest.mark.parametrize("count", [1, 12])
def test_tracker_and_my_savings_run_a_fixed_number_of_queries(
    client_for, world, lines, count, django_assert_max_num_queries
):
    for n in range(count):
        make_line(
            area=world["areas"]["ICT"],
            partners={world["havering"]: "50.00", world["newham"]: "50.00"},
            targets={2016: "100.00", 2017: "100.00"},
            reference=f"ICT-EXTRA-{n}",
        )
    client = client_for("director.ict")
    with django_assert_max_num_queries(10):
        assert client.get(reverse("savings:tracker")).status_code == 200
    with django_assert_max_num_queries(5):
        assert client.get(reverse("savings:my_savings")).status_code == 200
    with django_assert_max_num_queries(7):
        assert client.get(reverse("savings:tracker_export")).status_code == 200
    partner_client = client_for("officer.havering")
    with django_assert_max_num_queries(11):
        assert partner_client.get(reverse("savings:tracker")).status_code == 200


def test_naming_a_partner_the_user_cannot_see_is_a_404(client_for, lines):
    client = client_for("officer.havering")
    assert client.get(reverse("savings:tracker"), {"partner": "newham"}).status_code == 404
    assert client.get(reverse("savings:tracker_export"), {"partner": "newham"}).status_code == 404
    assert client.get(reverse("savings:tracker"), {"partner": "havering"}).status_code == 200


def test_the_partner_filter_keeps_lines_with_that_partners_share(client_for, lines):
    page = client_for("committee").get(reverse("savings:tracker"), {"partner": "havering", "year": "all"})
    references = {row.line.reference for row in page.context["tracker"].rows}
    assert references == {"ICT-SHARED"}


def test_directors_without_lines_this_year_get_no_savings_panel(client_for, world, reporting_2016):
    make_line(area=world["areas"]["ICT"], partners={world["havering"]: "100.00"}, targets={2016: "10.00"})
    assert "Savings to update" not in client_for("director.exchequer").get("/").content.decode()
    assert "Savings to update" in client_for("director.ict").get("/").content.decode()
