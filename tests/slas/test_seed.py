import pytest
from django.core.management import call_command

from apps.slas.models import Agreement, CustomerObligation, ServiceStandard


@pytest.mark.django_db
def test_seed_drafts_agreements_for_havering_newham_and_bexley_and_a_second_run_changes_nothing():
    call_command("load_seed", verbosity=0)
    bexley = Agreement.objects.get(partner__slug="bexley")
    assert [s.service.name for s in bexley.schedules.all()] == ["Financial Services"]
    assert sorted(bexley.standards.values_list("kpi__code", flat=True)) == ["FIN-01", "FIN-02", "FIN-03"]
    havering = Agreement.objects.get(partner__slug="havering")
    assert havering.schedules.filter(service__slug="transactional-hr-and-payroll").exists()
    assert not havering.schedules.filter(service__slug="pensions-administration").exists()
    assert havering.standards.filter(kpi__code="EXT-03", target=95).exists()
    for agreement in Agreement.objects.all():
        assert agreement.obligations.count() >= 3
    counts = (
        Agreement.history.count(),
        ServiceStandard.history.count(),
        CustomerObligation.history.count(),
    )
    call_command("load_seed", verbosity=0)
    assert (Agreement.history.count(), ServiceStandard.history.count(), CustomerObligation.history.count()) == counts
