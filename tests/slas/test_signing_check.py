"""Signing a version is a check-your-answers page, then a confirming POST."""

from decimal import Decimal

from apps.slas import services
from tests.factories import ServiceFactory
from tests.kpis.factories import KPIFactory
from tests.slas.factories import ScheduleFactory, StandardFactory, signed_draft


def _revised(world):
    """Version 1 in force with payroll at £125,000; version 2 a draft charging £140,000 and more."""
    first = signed_draft(world)
    kpi = KPIFactory(code="EXT-03", area=world["areas"]["EXT"])
    StandardFactory(agreement=first, kpi=kpi, target=Decimal("95"), description="Invoices paid within 30 days")
    services.agreement_sign(user=world["users"]["officer.havering"], agreement=first)
    services.agreement_sign(user=world["users"]["admin"], agreement=first)
    draft = services.agreement_start_review(user=world["users"]["admin"], agreement=first)
    draft.schedules.filter(service=world["services"]["payroll"]).update(annual_charge=Decimal("140000.00"))
    draft.standards.update(target=Decimal("97"))
    pensions = ServiceFactory(area=world["areas"]["EXT"], name="Pensions Administration", slug="pensions")
    ScheduleFactory(agreement=draft, service=pensions, annual_charge=Decimal("30000.00"))
    return draft


def test_the_check_page_shows_what_changes_and_signs_nothing(world, client_for, django_assert_max_num_queries):
    draft = _revised(world)
    client = client_for("officer.havering")
    assert f'href="/slas/{draft.pk}/sign/"' in client.get(f"/slas/{draft.pk}/").content.decode()
    with django_assert_max_num_queries(9):
        page = client.get(f"/slas/{draft.pk}/sign/").content.decode()
    assert "Check the agreement before you sign it" in page
    assert "What changes from version 1" in page
    assert "Payroll: £125,000.00 to £140,000.00 a year" in page
    assert "Services added" in page and "Pensions Administration" in page
    assert "target 95.0%, becomes Invoices paid within 30 days, target 97.0%" in page
    assert "Confirm and sign" in page
    draft.refresh_from_db()
    assert draft.partner_signed_at is None


def test_signing_happens_only_on_the_confirming_post(world, client_for):
    draft = _revised(world)
    client = client_for("officer.havering")
    response = client.post(f"/slas/{draft.pk}/sign/", follow=True)
    assert "The agreement comes into force once the other side signs." in response.content.decode()
    draft.refresh_from_db()
    assert draft.partner_signed_by == world["users"]["officer.havering"]
    # Signed once, the check page is not offered again to the same side.
    again = client.get(f"/slas/{draft.pk}/sign/", follow=True).content.decode()
    assert "You cannot sign this version of the agreement." in again


def test_a_first_version_says_everything_is_new_and_another_partner_cannot_see_it(world, client_for):
    draft = signed_draft(world)
    page = client_for("director.exchequer").get(f"/slas/{draft.pk}/sign/").content.decode()
    assert "This is the first version of the agreement" in page
    assert client_for("officer.newham").get(f"/slas/{draft.pk}/sign/").status_code == 404
