from django.urls import reverse

from tests import factories as f
from tests.isolation import Route


def _contact(world, partner):
    return f.ContactFactory(partner=world[partner], name=f"{partner.title()} Lead")


PAGES = {
    "partners:partner_list": Route.listing(
        "/partners/", own=["London Borough of Havering"], other=["London Borough of Newham", "/partners/newham/"]
    ),
    "partners:partner_detail": Route.detail(own="/partners/havering/", other="/partners/newham/"),
    "partners:partner_create": Route.denied("/partners/new/"),
    "partners:partner_update": Route.denied(lambda w: "/partners/havering/edit/"),
    "partners:contact_create": Route.denied("/partners/havering/contacts/new/"),
    "partners:contact_update": Route.denied(
        lambda w: reverse("partners:contact_update", args=["havering", _contact(w, "havering").pk])
    ),
}

API = {
    "partner-list": Route.listing("/api/v1/partners/", own=['"havering"'], other=["newham"]),
    "partner-detail": Route.detail(own="/api/v1/partners/havering/", other="/api/v1/partners/newham/"),
    "contact-list": Route.listing(
        lambda w: (_contact(w, "havering"), _contact(w, "newham"), "/api/v1/contacts/")[-1],
        own=["Havering Lead"],
        other=["Newham Lead", "newham"],
    ),
    "contact-detail": Route.detail(
        own=lambda w: f"/api/v1/contacts/{_contact(w, 'havering').pk}/",
        other=lambda w: f"/api/v1/contacts/{_contact(w, 'newham').pk}/",
    ),
}
