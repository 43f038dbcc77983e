"""The input policy (apps/core/inputs.py): bad values are a clear 400 or a form error, never a 500."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django import forms
from rest_framework import serializers

from apps.core.api import PortalSerializer
from apps.core.forms import PortalForm
from apps.core.inputs import TEXT_MAX_LENGTH
from apps.kpis.models import Measurement
from tests.kpis.factories import KPIFactory, MeasurementFactory
from tests.savings.conftest import reporting_2016  # noqa: F401 (a fixture)
from tests.savings.factories import make_line
from tests.slas.factories import AgreementFactory

MAY = dt.date(2016, 5, 1)


class ExampleForm(PortalForm):
    on = forms.DateField(required=False)
    amount = forms.DecimalField(required=False, decimal_places=2)
    count = forms.IntegerField(required=False)
    note = forms.CharField(required=False)


class ExampleSerializer(PortalSerializer):
    on = serializers.DateField(required=False)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, required=False)
    count = serializers.IntegerField(required=False)
    note = serializers.CharField(required=False)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("on", "0001-01-01"),
        ("on", "9999-12-31"),
        ("on", "1999-12-31"),
        ("on", "2101-01-01"),
        ("count", str(2**63)),
        ("amount", "1" * 40),
        ("note", "x" * (TEXT_MAX_LENGTH + 1)),
        ("note", "a\x00b"),
        ("note", "a\ud800b"),
    ],
)
def test_forms_and_serializers_refuse_the_same_values(field, value):
    form = ExampleForm({field: value})
    assert not form.is_valid() and field in form.errors
    serializer = ExampleSerializer(data={field: value})
    assert not serializer.is_valid() and field in serializer.errors


@pytest.mark.parametrize(("field", "value"), [("on", "2000-01-01"), ("on", "2100-12-31"), ("count", "2147483647")])
def test_the_edges_of_the_range_are_accepted(field, value):
    assert ExampleForm({field: value}).is_valid()
    assert ExampleSerializer(data={field: value}).is_valid()


@pytest.mark.parametrize("value", ["-0", "-0.0", "-0.00"])
def test_minus_zero_is_read_as_zero(value):
    form = ExampleForm({"amount": value})
    assert form.is_valid()
    assert not form.cleaned_data["amount"].is_signed()
    serializer = ExampleSerializer(data={"amount": value})
    assert serializer.is_valid()
    assert str(serializer.validated_data["amount"]) == "0.00"


@pytest.fixture
def kpi(world):
    kpi = KPIFactory(code="ICT-01", area=world["areas"]["ICT"], service=world["services"]["it_support"])
    MeasurementFactory(kpi=kpi, partner=world["havering"], period=MAY)
    return kpi


@pytest.mark.parametrize("month", ["0001-01", "2026-11-99 garbage", "2016-13", "9999-12", "may"])
def test_a_bad_month_on_a_page_is_a_400_with_the_error_summary(world, client_for, kpi, month):
    agreement = AgreementFactory(partner=world["havering"])
    client = client_for("officer.havering")
    for path in ("/kpis/ICT-01/", "/kpis/scorecard/", f"/slas/{agreement.pk}/"):
        response = client.get(path, {"month": month})
        page = response.content.decode()
        assert response.status_code == 400, path
        assert "There is a problem" in page and "Give a month as YYYY-MM" in page
        assert 'href="/"' in page  # the way back, in the portal's layout


def test_a_good_month_still_shows_the_page(world, client_for, kpi):
    assert client_for("officer.havering").get("/kpis/ICT-01/", {"month": "2016-05"}).status_code == 200


def test_the_agreement_compliance_api_refuses_a_month_out_of_range(world, api_for):
    agreement = AgreementFactory(partner=world["havering"])
    response = api_for("officer.havering").get(f"/api/v1/agreements/{agreement.pk}/compliance/", {"month": "0001-01"})
    assert response.status_code == 400 and "month" in response.json()


@pytest.mark.parametrize(
    "path",
    ["/partners/hav%00ering/", "/kpis/?q=a%00b", "/kpis/scorecard/?partner=%00", "/api/v1/measurements/?partner=%00"],
)
def test_a_nul_in_the_path_or_query_is_a_400(world, client_for, path):
    response = client_for("admin").get(path)
    assert response.status_code == 400
    if path.startswith("/api/"):
        assert "detail" in response.json()
    else:
        assert "There is a problem" in response.content.decode()


def test_a_nul_in_a_posted_form_field_is_refused(world, client_for, kpi):
    figure = Measurement.objects.get()
    response = client_for("director.ict").post(
        f"/kpis/measurements/{figure.pk}/decide/", {"decision": "return", "reason": "bad\x00"}
    )
    assert response.status_code == 400
    figure.refresh_from_db()
    assert figure.status == Measurement.Status.APPROVED


def test_a_financial_year_outside_the_range_is_404_not_500(world, client_for):
    client = client_for("director.exchequer")
    assert client.get("/services/cost-shares/EXT/9999/").status_code == 404
    assert client.get("/services/cost-shares/EXT/0000/").status_code == 404
    assert client.get("/delivery/9999/").status_code == 404


@pytest.fixture
def line(world, reporting_2016):  # noqa: F811 (the fixture imported above)
    return make_line(
        area=world["areas"]["ICT"], partners={world["havering"]: "100.00"}, targets={2016: "1000.00"}, reference="L1"
    )


@pytest.mark.parametrize("year", [-1, 0, 1999, 10000, 2**63])
def test_the_savings_api_refuses_a_financial_year_out_of_range(api_for, line, year):
    body = {"version": 1, "forecast": "800.00", "achieved": "200.00", "status": "at_risk", "commentary": "Late."}
    response = api_for("director.ict").post(
        "/api/v1/savings/lines/L1/updates/", {**body, "financial_year": year}, format="json"
    )
    assert response.status_code == 400 and "financial_year" in response.json()


def _post_json(client, path, text):
    return client.post(path, data=text, content_type="application/json")


def test_a_lone_surrogate_in_a_json_choice_is_a_400(api_for, line):
    text = '{"version": 1, "forecast": "1.00", "achieved": "1.00", "status": "\\ud800", "commentary": "x"}'
    response = _post_json(api_for("director.ict"), "/api/v1/savings/lines/L1/updates/", text)
    assert response.status_code == 400
    assert "status" in response.json()["detail"]


def test_json_nested_to_the_limit_is_read(world, api_for):
    text = "[" * 32 + "]" * 32
    response = _post_json(api_for("officer.exchequer"), "/api/v1/measurements/", text)
    assert response.status_code == 400 and "nests deeper" not in response.content.decode()


@pytest.mark.parametrize("depth", [33, 1000, 100_000])
def test_json_nested_too_deep_is_a_400(world, api_for, depth):
    text = "[" * depth + "]" * depth
    response = _post_json(api_for("officer.exchequer"), "/api/v1/measurements/", text)
    assert response.status_code == 400
    assert "nests deeper" in response.json()["detail"]


def test_a_plain_json_body_is_still_read_and_minus_zero_stored_as_zero(world, api_for):
    area, service = world["areas"]["EXT"], world["services"]["payroll"]
    KPIFactory(code="EXT-01", area=area, service=service, is_rate=False, unit="count")
    body = {"kpi": "EXT-01", "partner": "havering", "period": "2016-06-01", "value": "-0", "commentary": "ok"}
    response = _post_json(api_for("officer.exchequer"), "/api/v1/measurements/", json.dumps(body))
    assert response.status_code == 201, response.content
    assert Decimal(response.json()["value"]) == 0 and not response.json()["value"].startswith("-")
    assert not Measurement.objects.get().value.is_signed()


def test_the_partner_filter_answers_alike_for_a_hidden_and_a_made_up_partner(world, api_for, kpi):
    api = api_for("officer.havering")
    hidden = api.get("/api/v1/measurements/", {"partner": "newham"})
    made_up = api.get("/api/v1/measurements/", {"partner": "no-such-council"})
    assert hidden.status_code == made_up.status_code == 400
    assert hidden.json() == made_up.json()
    assert api.get("/api/v1/measurements/", {"partner": "havering"}).status_code == 200


@pytest.mark.parametrize("query", ["unit=parsecs", "area=%00", f"area={'x' * 30_000}"])
def test_a_bad_filter_value_on_a_list_page_is_a_400_with_the_error_summary(world, client_for, kpi, query):
    response = client_for("admin").get(f"/kpis/?{query}")
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()


def test_a_good_filter_value_still_lists(world, client_for, kpi):
    response = client_for("admin").get("/kpis/?unit=percent")
    assert response.status_code == 200 and "ICT-01" in response.content.decode()


def test_a_savings_update_stored_under_the_version_taken_is_a_conflict_not_a_500(world, reporting_2016):  # noqa: F811 (the fixture imported above)
    """Found by the page-form fuzz: the constraint of one update per line version refused the insert, and
    nothing caught it."""
    from apps.core.conflicts import Conflict
    from apps.savings import services as savings_services
    from apps.savings.models import SavingLine
    from tests.savings.factories import make_line

    line = make_line(area=world["areas"]["ICT"], partners={world["havering"]: "100.00"}, targets={2016: "10.00"})
    values = {"financial_year": 2016, "forecast": Decimal("8"), "achieved": Decimal("2"), "status": "at_risk"}
    director = world["users"]["director.ict"]
    savings_services.savings_update_record(user=director, line=line, expected_version=1, commentary="One", **values)
    SavingLine.objects.filter(pk=line.pk).update(version=1)
    line.refresh_from_db()
    with pytest.raises(Conflict, match="a moment ago"):
        savings_services.savings_update_record(user=director, line=line, expected_version=1, commentary="Two", **values)
