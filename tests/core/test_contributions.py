"""Shared dashboard contributions: drawn once per reader scope, redrawn when a row they show changes."""

import datetime as dt

import pytest
from django.core.cache import cache

from apps.catalogue.services import commissioning_request_submit
from apps.core import contributions
from apps.core.policy import reader_scope
from apps.partners.models import Partner

pytestmark = pytest.mark.django_db


def test_every_model_a_shared_contribution_names_exists():
    labels = {model._meta.label for model in contributions.shown_models()}
    assert {"reports.PublishedReport", "governance.Action", "catalogue.CommissioningRequest"} <= labels


def test_readers_share_a_scope_by_role_and_partner_and_staff_have_none(world):
    users = world["users"]
    assert reader_scope(users["committee"]) == "committee"
    assert reader_scope(users["officer.havering"]) == f"partner-{world['havering'].pk}"
    assert reader_scope(users["officer.newham"]) == f"partner-{world['newham'].pk}"
    for staff in ("admin", "director.ict", "officer.exchequer"):
        assert reader_scope(users[staff]) is None


def test_a_change_to_a_shown_model_invalidates_and_a_sign_in_does_not(world):
    contributions.invalidate()
    before = cache.get(contributions.GENERATION_KEY)
    user = world["users"]["committee"]
    user.save(update_fields=["last_login"])
    assert cache.get(contributions.GENERATION_KEY) == before
    Partner.objects.filter(pk=world["havering"].pk).get().save()
    assert cache.get(contributions.GENERATION_KEY) != before


def test_a_request_for_a_service_shows_at_once_on_a_cached_dashboard_of_its_partner_only(world, client_for):
    havering, newham = client_for("officer.havering"), client_for("officer.newham")
    assert "Council Tax and Benefits" not in havering.get("/").content.decode()
    newham.get("/")
    commissioning_request_submit(
        user=world["users"]["officer.havering"],
        service=world["services"]["council_tax"],
        needed_from=dt.date(2016, 10, 1),
        details="From the autumn.",
    )
    assert "Havering: Council Tax and Benefits" in havering.get("/").content.decode()
    assert "Havering: Council Tax and Benefits" not in newham.get("/").content.decode()
