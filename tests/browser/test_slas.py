import datetime as dt

import pytest
from django.utils import timezone

from apps.slas.models import Agreement
from tests.factories import PASSWORD
from tests.kpis.factories import KPIFactory, MeasurementFactory
from tests.slas.factories import AgreementFactory, ObligationFactory, ScheduleFactory, StandardFactory, signed_draft

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_newhams_officer_reads_and_signs_newhams_draft(world, live_server, sign_in):
    draft = signed_draft(world, slug="newham", title="oneSource services to Newham")
    ObligationFactory(agreement=draft, description="Send council tax changes within 2 working days.")
    page = sign_in("officer.newham", PASSWORD)
    page.get_by_role("link", name="oneSource services to Newham").click()  # from the dashboard
    assert page.title() == "SLA-NEW version 1 – oneSource"
    assert page.get_by_text("Send council tax changes within 2 working days.").is_visible()
    page.get_by_role("button", name="Sign this agreement for Newham").click()
    page.wait_for_load_state()
    assert page.get_by_text("Send council tax changes within 2 working days.").is_visible()  # what is signed
    page.get_by_role("button", name="Confirm and sign").click()
    page.wait_for_load_state()
    assert page.get_by_text("The agreement comes into force once the other side signs.").is_visible()
    draft.refresh_from_db()
    assert draft.partner_signed_by.username == "officer.newham"
    assert page.get_by_role("button", name="Sign this agreement for Newham").count() == 0


def test_agreement_pages_meet_wcag_22_aa(world, live_server, page, sign_in, axe):
    today = timezone.localdate()
    now = timezone.now()
    agreement = AgreementFactory(
        partner=world["havering"],
        status=Agreement.Status.ACTIVE,
        partner_signed_at=now,
        onesource_signed_at=now,
        review_due_on=today + dt.timedelta(days=20),
    )
    ScheduleFactory(agreement=agreement, service=world["services"]["payroll"])
    standard = StandardFactory(agreement=agreement, kpi=KPIFactory(code="EXT-03"))
    MeasurementFactory(kpi=standard.kpi, partner=world["havering"], period=dt.date(2016, 5, 1))
    ObligationFactory(agreement=agreement)
    sign_in("officer.havering", PASSWORD)
    for path in ("/slas/", agreement.get_absolute_url()):
        page.goto(f"{live_server.url}{path}")
        axe(page)
    page.get_by_role("button", name="Sign out").click()
    sign_in("admin", PASSWORD)
    for path in ("/slas/", "/slas/reviews/", agreement.get_absolute_url(), f"/slas/{agreement.pk}/standards/new/"):
        page.goto(f"{live_server.url}{path}")
        axe(page)
