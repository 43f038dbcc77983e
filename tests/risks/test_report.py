"""Principal risks in the monthly reports and the committee pack."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from apps.reports import services as report_services
from apps.reports.models import CommitteePack, MonthlyReport
from apps.risks.models import RiskAssessment
from tests.reports.fixtures import OCTOBER
from tests.reports.helpers import generate, publish_all

from .factories import make_risk

pytestmark = pytest.mark.django_db


@pytest.fixture
def principal(world):
    havering = make_risk(
        world, title="Havering pensions backlog", is_principal=True, links={"partners": [world["havering"]]}
    )
    newham = make_risk(
        world,
        title="Newham payroll cut-over",
        is_principal=True,
        scores=(5, 5, 4, 4, 2, 2),
        links={"partners": [world["newham"]]},
    )
    make_risk(world, title="Minor risk not for the committee", links={"partners": [world["havering"]]})
    later = make_risk(world, title="Principal risk first assessed after October", is_principal=True)
    RiskAssessment.objects.exclude(risk=later).update(assessed_on=dt.date(2016, 10, 12))
    RiskAssessment.objects.filter(risk=later).update(assessed_on=dt.date(2016, 11, 2))
    return {"havering": havering, "newham": newham}


def test_onesource_report_lists_every_principal_risk_and_a_partner_report_only_its_own(world, month, principal):
    reports = generate(OCTOBER)
    whole = reports["onesource"].snapshot["risks"]["principal"]
    assert [r["title"] for r in whole] == ["Newham payroll cut-over", "Havering pensions backlog"]
    assert whole[0]["residual_score"] == 16 and whole[0]["rag"] == "red" and whole[1]["band"] == "Medium"
    assert [r["title"] for r in reports["havering"].snapshot["risks"]["principal"]] == ["Havering pensions backlog"]
    assert [r["title"] for r in reports["newham"].snapshot["risks"]["principal"]] == ["Newham payroll cut-over"]


def test_the_report_page_and_the_pack_show_the_principal_risks(
    world, month, principal, client_for, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    publish_all(OCTOBER, world["users"]["admin"])
    page = client_for("admin").get(MonthlyReport.objects.get(period=OCTOBER, partner=None).get_absolute_url())
    assert "Principal risks" in page.content.decode() and "Newham payroll cut-over" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        pack = report_services.pack_request(user=world["users"]["admin"], period=OCTOBER)
    pack.refresh_from_db()
    assert pack.status == CommitteePack.Status.READY, pack.error
    sheet = load_workbook(io.BytesIO(pack.workbook.open("rb").read()))["Principal risks"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [(row[1], row[6], row[7]) for row in rows] == [
        ("Newham payroll cut-over", 16, "High"),
        ("Havering pensions backlog", 9, "Medium"),
    ]


def test_a_partner_report_carries_the_risks_tied_to_its_savings_share_and_its_agreement(world, month):
    """Each of the ties a risk may have to a partner (``PARTNER_LINKS``) puts it in that partner's report,
    and only in that partner's, when the month's reports are computed together."""
    from tests.savings.factories import make_line
    from tests.slas.factories import AgreementFactory

    line = make_line(area=world["areas"]["EXT"], partners={world["havering"]: "100.00"}, targets={2016: "1000.00"})
    agreement = AgreementFactory(partner=world["newham"])
    make_risk(world, title="Havering saving slips", is_principal=True, links={"saving_lines": [line]})
    make_risk(world, title="Newham agreement lapses", is_principal=True, links={"agreements": [agreement]})
    RiskAssessment.objects.update(assessed_on=dt.date(2016, 10, 12))
    reports = generate(OCTOBER)
    titles = {slug: [r["title"] for r in report.snapshot["risks"]["principal"]] for slug, report in reports.items()}
    assert titles["havering"] == ["Havering saving slips"]
    assert titles["newham"] == ["Newham agreement lapses"]
    assert sorted(titles["onesource"]) == ["Havering saving slips", "Newham agreement lapses"]
