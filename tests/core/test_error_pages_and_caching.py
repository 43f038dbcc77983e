"""Error pages in the portal's layout with a way back; nothing a signed-in user sees kept by a browser or proxy;
an audit trail people can read."""

import pytest
from django.test import Client

from apps.partners.models import Partner


def test_a_missing_page_is_in_the_layout_with_a_way_back(world, client_for):
    response = client_for("officer.havering").get("/no-such-page/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in page and 'class="govuk-header' in page and 'href="/"' in page


def test_the_api_still_answers_errors_in_json(world, api_for):
    response = api_for("officer.havering").get("/api/v1/no-such-thing/")
    assert response.status_code == 404 and response.json() == {"detail": "Not found."}


def test_a_forbidden_page_is_in_the_layout(world, client_for):
    response = client_for("officer.havering").get("/admin/")
    assert response.status_code in (302, 403, 404)
    denied = client_for("committee").get("/kpis/new/")
    assert denied.status_code in (403, 404)
    assert 'class="govuk-header' in denied.content.decode()


def test_a_server_error_is_in_the_layout_and_says_nothing_was_half_written(world, client_for, settings):
    from apps.core.views import server_error

    response = server_error(Client().get("/").wsgi_request)
    page = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in page and 'class="govuk-header' in page


def test_a_form_sent_without_its_csrf_token_gets_the_portals_page(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["users"]["officer.havering"])
    response = client.post("/enquiries/new/", {"subject": "x"})
    page = response.content.decode()
    assert response.status_code == 403
    assert "Your form could not be sent" in page and 'href="/"' in page


@pytest.mark.parametrize("path", ["/", "/partners/", "/kpis/", "/api/v1/partners/"])
def test_signed_in_pages_and_the_api_are_not_stored(world, client_for, path):
    response = client_for("officer.havering").get(path)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_token_answers_and_downloads_are_not_stored(world, api_for, client_for):
    assert "no-store" in api_for("admin").get("/api/v1/partners/")["Cache-Control"]
    download = client_for("officer.exchequer").get("/kpis/import/template/?format=csv")
    assert download.status_code == 200 and "no-store" in download["Cache-Control"]


def test_the_audit_trail_names_fields_and_records_as_people_read_them(world, client_for):
    admin = client_for("admin")
    user = world["users"]["officer.newham"]
    user.partner = world["havering"]
    user.save()
    entries = admin.get("/audit/?model=accounts.user").context["entries"]
    assert ("Partner", "London Borough of Newham", "London Borough of Havering") in entries[0]["changes"]


def test_the_audit_trail_comes_a_page_at_a_time(world, client_for):
    for n in range(60):
        Partner.objects.filter(pk=world["havering"].pk).update(notes=str(n))
        partner = Partner.objects.get(pk=world["havering"].pk)
        partner.notes = f"note {n}"
        partner.save()
    admin = client_for("admin")
    first = admin.get("/audit/?model=partners.partner")
    assert len(first.context["entries"]) == 50 and first.context["audit_page"].has_next
    assert "page=2" in first.content.decode()
    second = admin.get("/audit/?model=partners.partner&page=2")
    assert 0 < len(second.context["entries"]) <= 50
    assert first.context["entries"][0]["when"] > second.context["entries"][0]["when"]
    assert admin.get("/audit/?page=0").status_code == 400
    assert admin.get("/audit/?page=abc").status_code == 400


def test_the_audit_trail_runs_a_fixed_number_of_queries(world, client_for, django_assert_max_num_queries):
    admin = client_for("admin")

    def change_users(count):
        for user in list(world["users"].values())[:count]:
            user.job_title = f"Title {count}"
            user.save()

    from apps.core.audit import audited_models

    change_users(1)
    # One per audited kind of record, and a few more.
    with django_assert_max_num_queries(len(audited_models()) + 13) as few:
        assert admin.get("/audit/").status_code == 200
    change_users(7)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert admin.get("/audit/").status_code == 200
