import datetime as dt

import pytest

from apps.partners.models import Contact, Partner
from tests import factories as f


def _names(response):
    return [p.name for p in response.context["object_list"]]


def test_the_list_filters_by_kind_arrangement_sector_and_name(world, client_for):
    f.PartnerFactory(
        name="Norfolk County Council",
        short_name="Norfolk",
        kind="customer",
        arrangement="goods_and_services_act",
        sector="county_council",
    )
    admin = client_for("admin")
    assert _names(admin.get("/partners/?kind=customer")) == ["Norfolk County Council"]
    assert _names(admin.get("/partners/?arrangement=goods_and_services_act")) == ["Norfolk County Council"]
    assert _names(admin.get("/partners/?sector=county_council")) == ["Norfolk County Council"]
    assert _names(admin.get("/partners/?q=newh")) == ["London Borough of Newham"]


def test_the_active_filter_leaves_out_partners_that_have_left(world, client_for):
    f.PartnerFactory(name="Former Customer", short_name="Former", left_on=dt.date(2015, 3, 31))
    admin = client_for("admin")
    assert "Former Customer" not in _names(admin.get("/partners/?active=true"))
    assert _names(admin.get("/partners/?active=false")) == ["Former Customer"]


def test_the_api_uses_the_same_filters(world, api_for):
    response = api_for("admin").get("/api/v1/partners/?q=haver")
    assert [p["slug"] for p in response.json()["results"]] == ["havering"]


@pytest.mark.parametrize("extra", [3, 200])
def test_list_pages_run_a_fixed_number_of_queries(world, client_for, api_for, django_assert_num_queries, extra):
    for n in range(extra):
        partner = f.PartnerFactory(name=f"Academy {n}", short_name=f"Academy {n}", kind="customer")
        f.SubscriptionFactory(partner=partner, service=world["services"]["payroll"])
    admin, api = client_for("admin"), api_for("admin")
    # Session, user, count, page of partners with their service counts (+ the filter form's nothing).
    with django_assert_num_queries(4):
        assert admin.get("/partners/").status_code == 200
    with django_assert_num_queries(3):
        assert api.get("/api/v1/partners/").status_code == 200


def test_an_admin_adds_a_partner_through_the_form(world, client_for):
    response = client_for("admin").post(
        "/partners/new/",
        {
            "name": "London Borough of Bexley",
            "short_name": "Bexley",
            "kind": "partner",
            "arrangement": "joint_committee",
            "sector": "london_borough",
            "joined_on": "2016-04-01",
            "customer_count": 1,
        },
    )
    assert response.status_code == 302 and response.url == "/partners/bexley/"
    assert Partner.objects.get(slug="bexley").joined_on == dt.date(2016, 4, 1)


def test_a_partner_cannot_leave_before_it_joined(world, client_for):
    response = client_for("admin").post(
        "/partners/havering/edit/",
        {
            "name": "London Borough of Havering",
            "short_name": "Havering",
            "kind": "founding_partner",
            "arrangement": "joint_committee",
            "sector": "london_borough",
            "joined_on": "2014-04-01",
            "left_on": "2013-01-01",
            "customer_count": 1,
        },
    )
    assert response.status_code == 200
    assert "The date the partner left must be on or after the date it joined." in response.content.decode()
    world["havering"].refresh_from_db()
    assert world["havering"].left_on is None


def test_a_contact_needs_an_email(world, client_for):
    response = client_for("admin").post(
        "/partners/havering/contacts/new/", {"name": "Helen Price", "responsibility": "client_lead", "email": ""}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["email"] == ["Enter the email"]
    assert not Contact.objects.exists()


def test_the_api_refuses_a_contact_without_email_and_writes_nothing(world, api_for):
    response = api_for("admin").post(
        "/api/v1/contacts/", {"partner": "havering", "name": "Helen Price", "responsibility": "client_lead"}
    )
    assert response.status_code == 400
    assert "email" in response.json()
    assert not Contact.objects.exists()


def test_only_admins_change_partners(world, client_for, api_for):
    assert client_for("director.ict").get("/partners/havering/edit/").status_code == 404
    response = api_for("officer.havering").patch("/api/v1/partners/havering/", {"notes": "ours now"}, format="json")
    assert response.status_code == 403
    assert api_for("officer.havering").patch("/api/v1/partners/newham/", {}, format="json").status_code == 404
    world["havering"].refresh_from_db()
    assert world["havering"].notes == ""


def test_the_partner_page_shows_contacts_and_the_services_it_takes(world, client_for):
    f.ContactFactory(partner=world["havering"], name="Helen Price", responsibility="sla_signatory")
    page = client_for("officer.havering").get("/partners/havering/").content.decode()
    assert "Helen Price" in page and "SLA signatory" in page
    assert "Payroll" in page and "IT Support" in page
    assert "Council Tax and Benefits" not in page
    assert "Havering has no agreement in force." in page
