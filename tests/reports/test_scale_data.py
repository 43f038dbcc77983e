"""The benchmark volume generator at a tiny size: every figure is there, every rule is kept, and it runs
again only when asked to."""

import io
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db.models import Sum
from django.utils import timezone

from apps.catalogue.models import Service, Subscription
from apps.core.periods import FinancialYear, add_months, month_start
from apps.customers.models import Enquiry, Feedback
from apps.kpis.models import KPI, Measurement, Target
from apps.kpis.selectors import TargetBook
from apps.kpis.services import Figure, check_figure
from apps.partners.models import Partner
from apps.reports.management.commands.generate_scale_data import Command
from apps.savings.models import Programme, SavingLine, YearTarget
from apps.slas.models import Agreement

PARTNERS, KPIS, MONTHS = 3, 4, 14


def generate(**options) -> str:
    out = io.StringIO()
    call_command(Command(), partners=PARTNERS, kpis=KPIS, months=MONTHS, stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def generated(db):
    call_command("load_seed", stdout=io.StringIO())
    return generate()


def partners():
    return Partner.objects.filter(slug__startswith="scale-borough-")


def measurements():
    return Measurement.objects.filter(kpi__code__startswith="SCL-")


def counts() -> dict:
    return {
        "partners": partners().count(),
        "kpis": KPI.objects.filter(code__startswith="SCL-").count(),
        "measurements": measurements().count(),
        "measurement history": Measurement.history.filter(kpi__code__startswith="SCL-").count(),
        "targets": Target.objects.filter(kpi__code__startswith="SCL-").count(),
        "subscriptions": Subscription.objects.filter(partner__in=partners()).count(),
        "agreements": Agreement.objects.in_force().filter(partner__in=partners()).count(),
        "saving lines": SavingLine.objects.filter(programme__slug="scale-programme").count(),
        "enquiries": Enquiry.objects.filter(partner__in=partners()).count(),
        "feedback": Feedback.objects.filter(partner__in=partners()).count(),
    }


def figures() -> list[tuple]:
    return list(
        measurements()
        .order_by("kpi__code", "partner__slug", "period")
        .values_list("kpi__code", "partner__slug", "period", "value", "numerator", "denominator", "commentary")
    )


def test_every_partner_has_an_approved_figure_for_every_kpi_and_month_to_last_month(generated):
    last_month = add_months(month_start(timezone.localdate()), -1)
    months = [add_months(last_month, -n) for n in range(MONTHS)]
    found = counts()
    assert found["partners"] == PARTNERS
    assert found["kpis"] == KPIS
    assert found["measurements"] == PARTNERS * KPIS * MONTHS
    assert found["measurement history"] == found["measurements"]
    assert set(measurements().values_list("status", flat=True)) == {Measurement.Status.APPROVED}
    assert set(measurements().values_list("period", flat=True)) == set(months)
    assert found["subscriptions"] == PARTNERS * Service.objects.count()
    # A target for every partner in each financial year the figures cover.
    years = {FinancialYear.of(month).start_year for month in months}
    general = Target.objects.filter(kpi__code__startswith="SCL-", partner__isnull=True)
    assert general.count() == KPIS * len(years)
    assert set(general.values_list("financial_year", flat=True)) == years
    assert f"Measurements: {PARTNERS * KPIS * MONTHS:,} approved figures" in generated


def test_the_figures_keep_the_portals_rules_and_rate_as_a_mix(generated):
    kpi_ids = KPI.objects.filter(code__startswith="SCL-").values_list("pk", flat=True)
    book = TargetBook.for_kpis(kpi_ids, range(2000, 2100))
    colours = set()
    for m in measurements().select_related("kpi", "partner"):
        target = book.get(m.kpi_id, m.partner_id, m.period)
        figure = Figure(m.kpi, m.partner, m.period, m.value, m.numerator, m.denominator, m.commentary)
        # Red figures carry their commentary; rates have both parts and a percentage is at most 100.
        assert check_figure(figure, target=target) == {}, (m.kpi.code, m.period)
        colours.add(target.rate(m.result))
    assert colours == {"green", "amber", "red"}


def test_savings_shares_add_up_to_100_and_each_partner_has_an_agreement_in_force(generated):
    lines = SavingLine.objects.filter(programme__slug="scale-programme")
    assert lines.exists()
    for line in lines:
        assert line.shares.aggregate(total=Sum("percentage"))["total"] == Decimal(100), line.reference
        assert line.targets.exists()
        assert line.version == 1 + line.updates.count()
    programme = Programme.objects.get(slug="scale-programme")
    assert YearTarget.objects.filter(line__programme=programme).aggregate(total=Sum("amount"))["total"] == (
        programme.total
    )
    for partner in partners():
        agreement = Agreement.objects.in_force().get(partner=partner)
        assert agreement.standards.count() == KPIS  # ten standards, or every KPI when there are fewer
        assert agreement.schedules.count() == Service.objects.count()


def test_it_refuses_to_run_again_unless_told_to_replace_and_replacing_gives_the_same_data(generated):
    before, first_figures = counts(), figures()
    with pytest.raises(CommandError, match=r"already in this database.*--replace"):
        generate()
    assert counts() == before
    output = generate(replace=True)
    assert f"Removed the previous scale data: {PARTNERS * KPIS * MONTHS:,} measurements" in output
    assert counts() == before
    assert figures() == first_figures


@pytest.mark.skipif(not apps.is_installed("apps.reports"), reason="monthly reports are the reports app's")
def test_a_monthly_report_made_from_scale_data_goes_with_it(generated):
    monthly_report = apps.get_model("reports", "MonthlyReport")
    last_month = add_months(month_start(timezone.localdate()), -1)
    monthly_report.objects.create(period=last_month, partner=partners().first())
    output = generate(replace=True)
    assert "1 monthly report" in output
    assert not monthly_report.objects.filter(partner__slug__startswith="scale-borough-").exists()
