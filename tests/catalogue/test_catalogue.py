import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command

from apps.catalogue.models import CommissioningRequest, CostShare, Subscription
from tests import factories as f
from tests.factories import sign_in


def test_the_matrix_shows_bexley_takes_financial_services_and_its_capita_client_management(db, client):
    call_command("load_seed", stdout=open("/dev/null", "w"))  # noqa: SIM115
    admin = f.UserFactory(username="admin", role="admin")
    sign_in(client, admin)
    matrix = client.get("/services/matrix/").context["matrix"]
    bexley = next(row for row in matrix["rows"] if row["partner"].slug == "bexley")
    taken = {cell["area"].code: cell["count"] for cell in bexley["cells"] if cell["count"]}
    assert taken == {"FIN": 1, "EXT": 1}
    havering = next(row for row in matrix["rows"] if row["partner"].slug == "havering")
    assert all(cell["count"] for cell in havering["cells"])


def _request_council_tax(client):
    return client.post(
        "/services/requests/new/",
        {"service": "council-tax-and-benefits", "needed_from": "2016-10-01", "details": "Our team is small."},
    )


def test_a_request_accepted_by_the_director_creates_the_subscription(
    world, client_for, django_capture_on_commit_callbacks
):
    officer = client_for("officer.havering")
    response = _request_council_tax(officer)
    request = CommissioningRequest.objects.get()
    assert response.url == f"/services/requests/{request.pk}/"
    assert (request.partner, request.status) == (world["havering"], "submitted")

    director = client_for("director.exchequer")
    with django_capture_on_commit_callbacks(execute=True):
        director.post(f"/services/requests/{request.pk}/accept/", {"accept-starts_on": "", "accept-reason": ""})
    request.refresh_from_db()
    assert request.status == "accepted" and request.decided_by.username == "director.exchequer"
    assert request.subscription == Subscription.objects.get(
        partner=world["havering"], service=world["services"]["council_tax"], starts_on=dt.date(2016, 10, 1)
    )
    page = officer.get(f"/services/requests/{request.pk}/").content.decode()
    assert "Accepted" in page and "1 October 2016" in page
    assert any("was accepted" in m.subject for m in mail.outbox)


def test_a_director_of_another_area_cannot_decide(world, client_for):
    _request_council_tax(client_for("officer.havering"))
    request = CommissioningRequest.objects.get()
    response = client_for("director.ict").post(f"/services/requests/{request.pk}/accept/", {})
    assert response.status_code == 403
    request.refresh_from_db()
    assert (
        request.status == "submitted"
        and not Subscription.objects.filter(
            service__slug="council-tax-and-benefits", partner=world["havering"]
        ).exists()
    )


def test_declining_needs_a_reason_that_the_partner_then_sees(world, client_for):
    _request_council_tax(client_for("officer.havering"))
    request = CommissioningRequest.objects.get()
    director = client_for("director.exchequer")
    response = director.post(f"/services/requests/{request.pk}/decline/", {"decline-reason": "  "})
    assert "Give the reason for declining" in response.content.decode()
    request.refresh_from_db()
    assert request.status == "submitted"
    director.post(f"/services/requests/{request.pk}/decline/", {"decline-reason": "No capacity until April."})
    page = client_for("officer.havering").get(f"/services/requests/{request.pk}/").content.decode()
    assert "Declined" in page and "No capacity until April." in page


def test_a_partner_cannot_request_a_service_it_already_takes(world, client_for):
    client = client_for("officer.havering")
    offered = [label for _, label in client.get("/services/requests/new/").context["form"].fields["service"].choices]
    # Only what Havering does not take yet, and nothing chosen for them.
    assert offered[0] == "Choose a service" and "Council Tax and Benefits" in offered
    assert "Payroll" not in offered and "IT Support" not in offered
    response = client.post(
        "/services/requests/new/", {"service": "payroll", "needed_from": "2016-10-01", "details": "More payroll"}
    )
    assert response.status_code == 200
    assert "service" in response.context["form"].errors
    assert not CommissioningRequest.objects.exists()


def test_a_second_open_request_for_the_same_service_is_refused(world, client_for, api_for):
    _request_council_tax(client_for("officer.havering"))
    response = api_for("officer.havering").post(
        "/api/v1/commissioning-requests/",
        {"service": "council-tax-and-benefits", "needed_from": "2016-11-01", "details": "Again"},
    )
    assert response.status_code == 400
    assert response.json() == {"service": ["Havering already has an open request for Council Tax and Benefits."]}
    assert CommissioningRequest.objects.count() == 1


def test_the_partner_withdraws_its_request_through_the_api(world, api_for):
    created = api_for("officer.havering").post(
        "/api/v1/commissioning-requests/",
        {"service": "council-tax-and-benefits", "needed_from": "2016-11-01", "details": "Please"},
    )
    assert created.status_code == 201 and created.json()["partner"] == "havering"
    withdrawn = api_for("officer.havering").post(f"/api/v1/commissioning-requests/{created.json()['id']}/withdraw/")
    assert withdrawn.json()["status"] == "withdrawn"
    again = api_for("admin").post(f"/api/v1/commissioning-requests/{created.json()['id']}/accept/", {})
    assert again.status_code == 400 and "already withdrawn" in str(again.json())


def test_a_duplicate_subscription_is_refused_by_form_and_api(world, client_for, api_for):
    response = client_for("admin").post(
        "/services/subscriptions/new/", {"partner": "havering", "service": "payroll", "starts_on": "2017-04-01"}
    )
    assert response.context["form"].errors["service"] == ["Havering already takes Payroll from 01 April 2014."]
    api = api_for("admin").post(
        "/api/v1/subscriptions/", {"partner": "havering", "service": "payroll", "starts_on": "2017-04-01"}
    )
    assert api.status_code == 400 and "already takes Payroll" in api.json()["service"][0]
    assert Subscription.objects.filter(partner=world["havering"], service__slug="payroll").count() == 1


def test_cost_shares_must_sum_to_100_and_a_bad_set_writes_nothing(world, client_for):
    admin = client_for("admin")
    response = admin.post("/services/cost-shares/EXT/2016/", {"share_havering": "45", "share_newham": "50"})
    assert response.status_code == 200
    assert "add up to 95.00%; they must add up to 100%" in response.content.decode()
    assert not CostShare.objects.exists()
    admin.post("/services/cost-shares/EXT/2016/", {"share_havering": "45", "share_newham": "55"})
    assert dict(CostShare.objects.values_list("partner__slug", "percentage")) == {
        "havering": Decimal("45.00"),
        "newham": Decimal("55.00"),
    }


def test_only_the_areas_director_or_an_admin_sets_cost_shares(world, client_for):
    assert client_for("director.ict").get("/services/cost-shares/EXT/2016/").status_code == 404
    assert client_for("director.exchequer").get("/services/cost-shares/EXT/2016/").status_code == 200


@pytest.mark.parametrize("extra", [3, 200])
def test_catalogue_lists_run_a_fixed_number_of_queries(world, client_for, api_for, django_assert_num_queries, extra):
    for n in range(extra):
        service = f.ServiceFactory(area=world["areas"]["ICT"], name=f"Extra service {n}")
        f.SubscriptionFactory(partner=world["havering"], service=service)
        f.CommissioningRequestFactory(partner=world["newham"], service=service)
    admin, api = client_for("admin"), api_for("admin")
    pages = {"/services/": 5, "/services/subscriptions/": 6, "/services/requests/": 6, "/services/matrix/": 5}
    for path, queries in pages.items():
        with django_assert_num_queries(queries):
            assert admin.get(path).status_code == 200
    endpoints = {"/api/v1/services/": 3, "/api/v1/subscriptions/": 3, "/api/v1/commissioning-requests/": 3}
    for path, queries in endpoints.items():
        with django_assert_num_queries(queries):
            assert api.get(path).status_code == 200
