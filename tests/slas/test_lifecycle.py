import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.catalogue.services import commissioning_request_accept
from apps.slas import services
from apps.slas.models import Agreement, ServiceStandard
from tests.factories import CommissioningRequestFactory, ServiceFactory
from tests.kpis.factories import KPIFactory, TargetFactory
from tests.slas.factories import ObligationFactory, StandardFactory, signed_draft


def _sign_both(world, agreement, partner_officer="officer.havering"):
    services.agreement_sign(user=world["users"][partner_officer], agreement=agreement)
    return services.agreement_sign(user=world["users"]["director.exchequer"], agreement=agreement)


def test_both_sides_sign_then_the_agreement_is_in_force_with_who_and_when(world):
    draft = signed_draft(world)
    after_partner = services.agreement_sign(user=world["users"]["officer.havering"], agreement=draft)
    assert after_partner.status == Agreement.Status.DRAFT
    assert after_partner.partner_signed_by == world["users"]["officer.havering"]
    active = services.agreement_sign(user=world["users"]["admin"], agreement=draft)
    assert active.status == Agreement.Status.ACTIVE
    assert active.onesource_signed_by == world["users"]["admin"]
    assert active.partner_signed_at <= active.onesource_signed_at <= active.activated_at


@pytest.mark.parametrize("username", ["officer.newham", "officer.exchequer", "committee"])
def test_only_the_partners_officer_and_onesources_signatories_may_sign(world, username):
    draft = signed_draft(world)
    with pytest.raises(PermissionDenied):
        services.agreement_sign(user=world["users"][username], agreement=draft)
    draft.refresh_from_db()
    assert draft.partner_signed_at is None and draft.onesource_signed_at is None


def test_signing_a_superseded_version_is_refused_and_nothing_changes(world):
    first = _sign_both(world, signed_draft(world))
    draft = services.agreement_start_review(user=world["users"]["admin"], agreement=first)
    _sign_both(world, draft)
    first.refresh_from_db()
    assert first.status == Agreement.Status.SUPERSEDED
    history = first.history.count()
    with pytest.raises(ValidationError, match="Version 1 of SLA-HAV is superseded; only a draft can be signed"):
        services.agreement_sign(user=world["users"]["officer.havering"], agreement=first)
    assert first.history.count() == history


def test_start_review_copies_the_content_and_activating_the_new_version_supersedes_the_old(world):
    first = _sign_both(world, signed_draft(world))
    StandardFactory(agreement=first, kpi=KPIFactory(area=world["areas"]["EXT"]), target=Decimal("95"))
    ObligationFactory(agreement=first, description="Payroll changes by the 10th.")
    draft = services.agreement_start_review(user=world["users"]["admin"], agreement=first)
    first.refresh_from_db()
    assert first.status == Agreement.Status.UNDER_REVIEW
    assert (draft.version, draft.status, draft.previous) == (2, Agreement.Status.DRAFT, first)
    assert [s.service for s in draft.schedules.all()] == [s.service for s in first.schedules.all()]
    assert list(draft.standards.values_list("kpi", "target")) == list(first.standards.values_list("kpi", "target"))
    assert list(draft.obligations.values_list("description", flat=True)) == ["Payroll changes by the 10th."]
    # The copies have their own audit trail from the moment the review made them.
    assert all(row.history.count() == 1 for row in [*draft.schedules.all(), *draft.standards.all()])
    with pytest.raises(ValidationError, match="Version 2 of SLA-HAV is already in draft"):
        services.agreement_start_review(user=world["users"]["admin"], agreement=first)
    _sign_both(world, draft)
    assert list(
        Agreement.objects.filter(partner=world["havering"]).order_by("version").values_list("status", flat=True)
    ) == [
        Agreement.Status.SUPERSEDED,
        Agreement.Status.ACTIVE,
    ]


def test_activating_a_second_version_for_the_same_partner_is_refused_and_nothing_changes(world):
    _sign_both(world, signed_draft(world))
    # A second, unrelated first draft: it does not revise the version in force.
    other = signed_draft(world, version=2)
    services.agreement_sign(user=world["users"]["officer.havering"], agreement=other)
    with pytest.raises(ValidationError, match="Version 1 of Havering's agreement came into force"):
        services.agreement_sign(user=world["users"]["admin"], agreement=other)
    other.refresh_from_db()
    assert other.status == Agreement.Status.DRAFT and other.onesource_signed_at is None
    assert Agreement.objects.in_force().get(partner=world["havering"]).version == 1


def test_a_draft_with_no_schedule_cannot_be_signed(world):
    from tests.slas.factories import AgreementFactory

    draft = AgreementFactory(partner=world["havering"])
    with pytest.raises(ValidationError, match="at least one service schedule"):
        services.agreement_sign(user=world["users"]["admin"], agreement=draft)


def test_a_standard_without_a_kpi_target_is_refused_with_the_kpi_named(world):
    draft = signed_draft(world)
    kpi = KPIFactory(code="EXT-03", name="Invoices paid within 30 days", area=world["areas"]["EXT"])
    with pytest.raises(ValidationError) as error:
        services.standard_add(user=world["users"]["admin"], agreement=draft, kpi=kpi, description="Invoices paid")
    assert error.value.message_dict == {
        "target": ["EXT-03 has no target for Havering in the year the agreement starts; give the standard its target."]
    }
    assert not ServiceStandard.objects.exists()
    TargetFactory(kpi=kpi, financial_year=2016, partner=world["havering"], value=Decimal("96"))
    standard = services.standard_add(user=world["users"]["admin"], agreement=draft, kpi=kpi, description="Invoices")
    assert standard.target == Decimal("96")


def test_changing_a_draft_clears_the_signatures_already_given(world):
    draft = signed_draft(world)
    services.agreement_sign(user=world["users"]["officer.havering"], agreement=draft)
    services.obligation_add(user=world["users"]["admin"], agreement=draft, description="New duty.")
    draft.refresh_from_db()
    assert draft.partner_signed_at is None


def test_an_agreement_in_force_cannot_be_changed(world):
    active = _sign_both(world, signed_draft(world))
    with pytest.raises(ValidationError, match="only a draft can be changed"):
        services.obligation_add(user=world["users"]["admin"], agreement=active, description="Late duty.")


def test_the_daily_expiry_marks_agreements_past_their_end_date(world):
    active = _sign_both(world, signed_draft(world, ends_on=dt.date(2019, 3, 31)))
    assert services.agreements_expire(today=dt.date(2019, 3, 31)) == 0
    assert services.agreements_expire(today=dt.date(2019, 4, 1)) == 1
    active.refresh_from_db()
    assert active.status == Agreement.Status.EXPIRED
    assert active.history.first().status == Agreement.Status.EXPIRED


def test_accepting_a_commissioning_request_adds_the_service_to_a_new_draft_ready_to_sign(world):
    active = _sign_both(world, signed_draft(world))
    hr = ServiceFactory(area=world["areas"]["EXT"], name="Pensions Administration", slug="pensions-administration")
    request = CommissioningRequestFactory(partner=world["havering"], service=hr)
    commissioning_request_accept(user=world["users"]["admin"], request=request, starts_on=dt.date(2016, 10, 1))
    draft = Agreement.objects.drafts().get(partner=world["havering"])
    assert draft.previous == active and draft.version == 2
    assert draft.schedules.filter(service=hr).exists()
    assert draft.schedules.count() == active.schedules.count() + 1
    active.refresh_from_db()
    assert active.status == Agreement.Status.ACTIVE
    # The draft is ready to sign; signing it supersedes the version in force.
    _sign_both(world, draft)
    active.refresh_from_db()
    assert active.status == Agreement.Status.SUPERSEDED


def test_a_commissioned_service_joins_the_draft_already_open_and_it_must_be_signed_again(world):
    active = _sign_both(world, signed_draft(world))
    draft = services.agreement_start_review(user=world["users"]["admin"], agreement=active)
    services.agreement_sign(user=world["users"]["officer.havering"], agreement=draft)
    request = CommissioningRequestFactory(partner=world["havering"], service=world["services"]["council_tax"])
    commissioning_request_accept(user=world["users"]["admin"], request=request, starts_on=dt.date(2016, 10, 1))
    draft.refresh_from_db()
    assert Agreement.objects.drafts().filter(partner=world["havering"]).count() == 1
    assert draft.schedules.filter(service=world["services"]["council_tax"]).exists()
    assert draft.partner_signed_at is None
    assert (
        draft.schedules.get(service=world["services"]["council_tax"]).history.get().history_user
        == world["users"]["admin"]
    )
