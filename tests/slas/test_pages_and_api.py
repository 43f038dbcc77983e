import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.slas.models import Agreement
from tests.factories import PartnerFactory
from tests.kpis.factories import KPIFactory
from tests.slas.factories import AgreementFactory, ObligationFactory, ScheduleFactory, StandardFactory, signed_draft


def _in_force(partner, **kwargs):
    now = timezone.now()
    return AgreementFactory(
        partner=partner, status=Agreement.Status.ACTIVE, partner_signed_at=now, onesource_signed_at=now, **kwargs
    )


def _many(world, count):
    for n in range(count):
        partner = PartnerFactory(name=f"London Borough of Extra {n}")
        agreement = _in_force(partner, owner=world["users"]["admin"])
        ScheduleFactory(agreement=agreement, service=world["services"]["payroll"])


@pytest.mark.parametrize("count", [5, 40])
def test_the_agreement_list_runs_a_fixed_number_of_queries(world, client_for, django_assert_max_num_queries, count):
    _many(world, count)
    client = client_for("admin")
    with django_assert_max_num_queries(7):
        response = client.get("/slas/")
    assert response.status_code == 200
    assert f"{count} agreements" in response.content.decode()


@pytest.mark.parametrize("count", [5, 40])
def test_the_api_lists_run_a_fixed_number_of_queries(world, api_for, django_assert_max_num_queries, count):
    _many(world, count)
    for n, agreement in enumerate(Agreement.objects.all()):
        StandardFactory(agreement=agreement, kpi=KPIFactory(code=f"L-{n:02d}"))
        ObligationFactory(agreement=agreement)
    client = api_for("admin")
    for path in ("agreements", "agreement-schedules", "agreement-standards", "agreement-obligations"):
        with django_assert_max_num_queries(5):
            response = client.get(f"/api/v1/{path}/")
        assert response.json()["count"] == count, path


def test_the_api_filters_agreements_by_partner_status_and_review_date(world, api_for):
    _in_force(world["havering"], review_due_on=dt.date(2017, 3, 1))
    AgreementFactory(partner=world["newham"], review_due_on=dt.date(2018, 3, 1))
    client = api_for("admin")

    def refs(query):
        return sorted(a["reference"] for a in client.get(f"/api/v1/agreements/?{query}").json()["results"])

    assert refs("partner=newham") == ["SLA-NEW"]
    assert refs("status=active") == ["SLA-HAV"]
    assert refs("review_due_before=2017-06-30") == ["SLA-HAV"]
    assert refs("review_due_before=2018-06-30") == ["SLA-HAV", "SLA-NEW"]


def test_signing_and_starting_a_review_through_the_api_use_the_same_rules(world, api_for):
    draft = signed_draft(world, slug="newham")
    assert api_for("officer.newham").post(f"/api/v1/agreements/{draft.pk}/sign/").json()["status"] == "draft"
    signed = api_for("director.ict").post(f"/api/v1/agreements/{draft.pk}/sign/").json()
    assert signed["status"] == "active" and signed["onesource_signed_by"]
    again = api_for("officer.newham").post(f"/api/v1/agreements/{draft.pk}/sign/")
    assert again.status_code == 400
    assert "only a draft can be signed" in again.json()["non_field_errors"][0]
    assert api_for("officer.newham").post(f"/api/v1/agreements/{draft.pk}/start-review/").status_code == 403
    review = api_for("admin").post(f"/api/v1/agreements/{draft.pk}/start-review/").json()
    assert (review["version"], review["status"], review["previous"]) == (2, "draft", draft.pk)


def test_the_standards_api_gives_each_standards_latest_compliance(world, api_for):
    from tests.kpis.factories import MeasurementFactory

    agreement = _in_force(world["havering"])
    standard = StandardFactory(agreement=agreement, kpi=KPIFactory(code="EXT-03"), target=Decimal("95"))
    MeasurementFactory(kpi=standard.kpi, partner=world["havering"], period=dt.date(2016, 5, 1), numerator=90)
    MeasurementFactory(kpi=standard.kpi, partner=world["havering"], period=dt.date(2016, 6, 1), numerator=97)
    data = api_for("officer.havering").get(f"/api/v1/agreement-standards/{standard.pk}/").json()
    assert data["latest"] == {"period": "2016-06-01", "result": "97.0000", "outcome": "met"}


def test_a_partner_officer_reads_and_signs_their_draft_on_the_page(world, client_for):
    draft = signed_draft(world, slug="newham")
    client = client_for("officer.newham")
    page = client.get(f"/slas/{draft.pk}/").content.decode()
    assert "Sign this agreement for Newham" in page
    response = client.post(f"/slas/{draft.pk}/sign/", follow=True)
    assert "The agreement comes into force once the other side signs." in response.content.decode()
    draft.refresh_from_db()
    assert draft.partner_signed_by == world["users"]["officer.newham"]
    # Havering's officer cannot sign Newham's agreement, nor even find it.
    assert client_for("officer.havering").post(f"/slas/{draft.pk}/sign/").status_code == 404


def test_the_committee_does_not_see_drafts(world, client_for):
    signed_draft(world)
    _in_force(world["newham"])
    body = client_for("committee").get("/slas/").content.decode()
    assert "SLA-NEW" in body and "SLA-HAV" not in body


def test_the_pdf_has_the_same_content_as_the_page(world, client_for):
    from io import BytesIO

    from pypdf import PdfReader

    draft = signed_draft(world)
    StandardFactory(agreement=draft, kpi=KPIFactory(code="EXT-03"), description="Invoices paid within 30 days")
    ObligationFactory(agreement=draft, description="Payroll changes by the 10th.")
    response = client_for("officer.havering").get(f"/slas/{draft.pk}/pdf/")
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="sla-hav-version-1.pdf"' in response["Content-Disposition"]
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
    for expected in (
        "SLA-HAV, version 1",
        "Payroll",
        "£125,000.00",
        "Invoices paid within 30 days",
        "Payroll changes by the 10th.",
        "Not signed yet",
    ):
        assert expected in text, expected


def test_the_review_page_lists_reviews_due_in_90_days_and_overdue_for_staff_only(world, client_for):
    today = timezone.localdate()
    _in_force(
        world["havering"],
        review_due_on=today - dt.timedelta(days=3),
        starts_on=today - dt.timedelta(days=400),
        ends_on=today + dt.timedelta(days=400),
    )
    _in_force(
        world["newham"],
        review_due_on=today + dt.timedelta(days=200),
        starts_on=today - dt.timedelta(days=400),
        ends_on=today + dt.timedelta(days=400),
    )
    body = client_for("officer.exchequer").get("/slas/reviews/").content.decode()
    assert "SLA-HAV" in body and "Overdue" in body
    assert "SLA-NEW" not in body
    assert client_for("officer.havering").get("/slas/reviews/").status_code == 404


def test_the_partner_page_shows_the_agreement_in_force_and_its_compliance(world, client_for):
    agreement = _in_force(world["havering"], title="oneSource services to Havering")
    body = client_for("officer.havering").get("/partners/havering/").content.decode()
    assert "oneSource services to Havering" in body
    assert "Compliance in" in body
    assert agreement.get_absolute_url() in body


def test_the_dashboard_shows_a_partner_officer_the_agreement_awaiting_their_signature(world, client_for):
    signed_draft(world, slug="newham", title="Newham draft to sign")
    assert "Newham draft to sign" in client_for("officer.newham").get("/").content.decode()
    assert "Newham draft to sign" not in client_for("officer.havering").get("/").content.decode()


def test_adding_a_standard_without_a_target_on_the_page_shows_the_error_and_adds_nothing(world, client_for):
    draft = signed_draft(world)
    kpi = KPIFactory(code="EXT-03", area=world["areas"]["EXT"])
    response = client_for("admin").post(
        f"/slas/{draft.pk}/standards/new/", {"kpi": kpi.pk, "description": "Invoices paid", "target": ""}
    )
    assert response.status_code == 200
    assert "EXT-03 has no target for Havering" in response.content.decode()
    assert not draft.standards.exists()


def test_an_end_date_before_the_start_is_refused_on_the_page_and_nothing_is_created(world, client_for):
    form = {
        "partner": "havering",
        "reference": "SLA-HAV",
        "title": "oneSource services to Havering",
        "starts_on": "2016-04-01",
        "ends_on": "2016-03-31",
        "review_due_on": "2017-03-01",
    }
    response = client_for("admin").post("/slas/new/", form)
    assert response.status_code == 200
    assert "The end date must be after the start date." in response.content.decode()
    assert not Agreement.objects.exists()
    response = client_for("admin").post("/slas/new/", {**form, "ends_on": "2019-03-31"})
    agreement = Agreement.objects.get()
    assert response.url == agreement.get_absolute_url()
    assert (agreement.version, agreement.status) == (1, Agreement.Status.DRAFT)


def test_a_new_agreement_for_a_partner_with_one_in_force_is_refused(world, client_for):
    _in_force(world["havering"])
    response = client_for("admin").post(
        "/slas/new/",
        {
            "partner": "havering",
            "reference": "SLA-HAV",
            "title": "Another",
            "starts_on": "2016-04-01",
            "ends_on": "2019-03-31",
            "review_due_on": "2017-03-01",
        },
    )
    assert "start a review of it to make a new version" in response.content.decode()
    assert Agreement.objects.count() == 1


def test_schedules_and_obligations_are_added_to_a_draft_on_its_page(world, client_for):
    draft = signed_draft(world)
    client = client_for("admin")
    client.post(
        f"/slas/{draft.pk}/schedules/new/",
        {"service": "it-support", "scope": "Service desk and devices", "annual_charge": "48000.00"},
    )
    client.post(f"/slas/{draft.pk}/obligations/new/", {"description": "Report faults to the service desk."})
    page = client.get(draft.get_absolute_url()).content.decode()
    assert "Service desk and devices" in page and "£48,000.00" in page
    assert "Report faults to the service desk." in page
    refused = client.post(
        f"/slas/{draft.pk}/schedules/new/", {"service": "it-support", "scope": "Again", "annual_charge": "-5"}
    )
    assert refused.status_code == 200 and draft.schedules.count() == 2


def test_the_dashboard_shows_staff_the_reviews_due(world, client_for):
    today = timezone.localdate()
    _in_force(
        world["havering"],
        review_due_on=today + dt.timedelta(days=30),
        starts_on=today - dt.timedelta(days=400),
        ends_on=today + dt.timedelta(days=400),
    )
    assert "SLA-HAV version 1</a>: review due" in client_for("officer.exchequer").get("/").content.decode()
    assert "review due" not in client_for("officer.havering").get("/").content.decode()
