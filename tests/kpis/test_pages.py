"""The KPI pages as their users meet them, and the number of queries each runs."""

import datetime as dt
from decimal import Decimal

import pytest

from apps.core.periods import add_months
from apps.kpis import selectors, services
from apps.kpis.models import Measurement
from tests.factories import PartnerFactory, ServiceAreaFactory, ServiceFactory, SubscriptionFactory
from tests.kpis.factories import KPIFactory, MeasurementFactory, TargetFactory

MAY = dt.date(2016, 5, 1)


@pytest.fixture
def payroll_kpi(world):
    kpi = KPIFactory(
        code="EXT-06",
        name="Payroll accuracy",
        area=world["areas"]["EXT"],
        service=world["services"]["payroll"],
        data_owner=world["users"]["officer.exchequer"],
    )
    TargetFactory(kpi=kpi, value=Decimal("99"), tolerance=Decimal("0.5"))
    return kpi


def grid_post(client, kpi, partner, submit=None, **cells):
    key = f"c{kpi.pk}-{partner.pk}"
    data = {"month": "2016-05", **{f"{key}-{name}": value for name, value in cells.items()}}
    if submit:
        data["submit"] = submit
    data.setdefault(f"{key}-commentary", "")
    return client.post("/kpis/entry/", data)


def test_the_grid_refuses_a_bad_cell_naming_it_and_saves_nothing(world, client_for, payroll_kpi):
    client = client_for("officer.exchequer")
    response = grid_post(client, payroll_kpi, world["havering"], numerator="120", denominator="100", submit="1")
    assert response.status_code == 400
    body = response.content.decode()
    assert "EXT-06 Havering numerator" in body
    assert "at most 100" in body
    assert f'href="#id_c{payroll_kpi.pk}-{world["havering"].pk}-numerator"' in body
    assert not Measurement.objects.exists()


def test_a_red_figure_needs_commentary_in_the_grid(world, client_for, payroll_kpi):
    client = client_for("officer.exchequer")
    response = grid_post(client, payroll_kpi, world["havering"], numerator="90", denominator="100", submit="1")
    assert "explain why in the commentary" in response.content.decode()
    response = grid_post(
        client, payroll_kpi, world["havering"], numerator="90", denominator="100", commentary="New system.", submit="1"
    )
    assert response.status_code == 302
    assert Measurement.objects.get().status == "submitted"


def test_enter_submit_approve_then_the_partner_sees_it(world, client_for, payroll_kpi):
    officer = client_for("officer.exchequer")
    assert (
        grid_post(officer, payroll_kpi, world["havering"], numerator="995", denominator="1000", submit="1").status_code
        == 302
    )
    havering = client_for("officer.havering")
    scorecard = "/kpis/scorecard/?partner=havering&month=2016-05"
    assert "99.5%" not in havering.get(scorecard).content.decode()
    measurement = Measurement.objects.get()
    director = client_for("director.exchequer")
    assert "EXT-06" in director.get("/kpis/approvals/").content.decode()
    director.post(f"/kpis/measurements/{measurement.pk}/decide/", {"decision": "approve"})
    measurement.refresh_from_db()
    assert measurement.status == "approved"
    assert "99.5%" in havering.get(scorecard).content.decode()
    assert "99.5%" in havering.get("/partners/havering/").content.decode()
    # The approved cell is locked in the grid: it shows no input any more.
    grid = officer.get("/kpis/entry/?month=2016-05").content.decode()
    assert f"c{payroll_kpi.pk}-{world['havering'].pk}-numerator" not in grid


def test_a_return_needs_a_reason_and_shows_it_to_the_officer(world, client_for, payroll_kpi):
    m = MeasurementFactory(kpi=payroll_kpi, partner=world["havering"], period=MAY, status="submitted")
    director = client_for("director.exchequer")
    response = director.post(
        f"/kpis/measurements/{m.pk}/decide/", {"decision": "return", "reason": "", "from_detail": "1"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    # The GOV.UK error summary, linking to the field it names; no notification banner.
    assert "govuk-error-summary" in body and 'href="#id_reason"' in body
    assert "Enter why the figure is returned" in body and "govuk-notification-banner" not in body
    m.refresh_from_db()
    assert m.status == "submitted"
    director.post(f"/kpis/measurements/{m.pk}/decide/", {"decision": "return", "reason": "Check April's count."})
    m.refresh_from_db()
    assert m.status == "returned"
    assert (
        "Check April&#x27;s count."
        in client_for("officer.exchequer").get("/kpis/entry/?month=2016-05").content.decode()
    )


def test_the_approver_sees_target_rag_last_month_and_commentary(world, client_for, payroll_kpi):
    MeasurementFactory(
        kpi=payroll_kpi, partner=world["havering"], period=add_months(MAY, -1), numerator=995, denominator=1000
    )
    red = MeasurementFactory(
        kpi=payroll_kpi,
        partner=world["havering"],
        period=MAY,
        status="submitted",
        numerator=950,
        denominator=1000,
        commentary="A new payroll system went live mid-month.",
    )
    director = client_for("director.exchequer")
    for url in ("/kpis/approvals/", red.get_absolute_url()):
        body = director.get(url).content.decode()
        assert "95.0%" in body and "99.0%" in body and "99.5%" in body
        assert 'govuk-tag--red onesource-rag">Red' in body and 'govuk-tag--green onesource-rag">Green' in body
        assert "A new payroll system went live mid-month." in body


def test_changing_an_approved_figure_on_its_page_reopens_it_and_shows_the_history(world, client_for, payroll_kpi):
    m = MeasurementFactory(kpi=payroll_kpi, partner=world["havering"], period=MAY, numerator=995, denominator=1000)
    client = client_for("officer.exchequer")
    response = client.post(m.get_absolute_url(), {"numerator": "996", "denominator": "1000", "commentary": ""})
    assert response.status_code == 302
    m.refresh_from_db()
    assert (m.status, m.numerator) == ("submitted", 996)
    page = client.get(m.get_absolute_url()).content.decode()
    assert "996 ÷ 1000" in page and "995 ÷ 1000" in page


def test_the_returns_queue_gives_the_deadline(world, client_for, payroll_kpi, settings):
    page = client_for("officer.exchequer").get("/kpis/returns/").content.decode()
    assert "the 5th working day of the month after" in page
    assert "EXT-06" in page


def test_the_import_template_has_the_columns(world, client_for):
    response = client_for("officer.exchequer").get("/kpis/import/template/?format=csv")
    assert response.content.decode().splitlines()[0] == "kpi_code,partner,month,value,numerator,denominator,commentary"
    xlsx = client_for("officer.exchequer").get("/kpis/import/template/")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def _many(world, kpi, partners, months):
    for partner in partners:
        SubscriptionFactory(partner=partner, service=kpi.service)
    for partner in [world["havering"], *partners]:
        for n in range(months):
            MeasurementFactory(kpi=kpi, partner=partner, period=add_months(MAY, -n))


@pytest.mark.parametrize("extra_partners", [0, 8])
def test_kpi_page_queries_do_not_grow_with_partners_and_months(
    world, client_for, payroll_kpi, extra_partners, django_assert_max_num_queries
):
    partners = [PartnerFactory(name=f"Council {extra_partners}-{n}") for n in range(extra_partners)]
    _many(world, payroll_kpi, partners, 13 if extra_partners else 2)
    client = client_for("admin")
    with django_assert_max_num_queries(9):
        response = client.get("/kpis/EXT-06/?month=2016-05")
    assert response.status_code == 200


@pytest.mark.parametrize("count", [3, 30])
def test_kpi_list_queries_are_constant(world, client_for, count, django_assert_max_num_queries):
    for n in range(count):
        KPIFactory(code=f"X-{count}-{n}", area=world["areas"]["EXT"])
    client = client_for("officer.exchequer")
    with django_assert_max_num_queries(6):
        assert client.get("/kpis/").status_code == 200


@pytest.mark.parametrize("extra_partners", [0, 10])
def test_entry_grid_queries_are_constant(world, client_for, payroll_kpi, extra_partners, django_assert_max_num_queries):
    partners = [PartnerFactory(name=f"Council {extra_partners}-{n}") for n in range(extra_partners)]
    _many(world, payroll_kpi, partners, 1)
    client = client_for("officer.exchequer")
    with django_assert_max_num_queries(8):
        response = client.get("/kpis/entry/?month=2016-05")
    assert response.content.decode().count('scope="row"') == 1 + extra_partners
    # Its cells kept, the grid no longer reads the month's subscriptions.
    with django_assert_max_num_queries(7):
        response = client.get("/kpis/entry/?month=2016-05")
    assert response.content.decode().count('scope="row"') == 1 + extra_partners


def test_the_grid_shows_a_partner_from_the_moment_it_takes_the_service(world, client_for, payroll_kpi):
    """The grid's cells and its filter are kept between pages; a new subscription, or a partner renamed,
    shows at once."""
    client = client_for("officer.exchequer")

    def partners_shown():
        html = client.get("/kpis/entry/?month=2016-05").content.decode()
        cells = {name: html.find(f'<td class="govuk-table__cell">{name}</td>') for name in ("Havering", "Bromley")}
        return sorted((name for name, at in cells.items() if at >= 0), key=cells.get)

    def offered():
        return '<option value="bromley">' in client.get("/kpis/entry/?month=2016-05").content.decode()

    assert partners_shown() == ["Havering"]
    bromley = PartnerFactory(name="London Borough of Bromley", short_name="Bromley", slug="bromley")
    assert partners_shown() == ["Havering"]
    assert not offered()
    SubscriptionFactory(partner=bromley, service=payroll_kpi.service, starts_on=dt.date(2016, 5, 1))
    assert partners_shown() == ["Bromley", "Havering"]
    # The filter, drawn once and kept, offers the partner now taking a service too.
    assert offered()
    bromley.name = "Royal Borough of Bromley"
    bromley.save()
    assert partners_shown() == ["Havering", "Bromley"]


@pytest.mark.parametrize("extra_partners", [0, 10])
def test_saving_the_entry_grid_takes_the_same_queries_whatever_its_rows(
    world, client_for, payroll_kpi, extra_partners, django_assert_max_num_queries
):
    """Every row holds a draft; one changes. The stored figures are read at once, not row by row."""
    partners = [
        world["havering"],
        *(PartnerFactory(name=f"Council {extra_partners}-{n}") for n in range(extra_partners)),
    ]
    data = {"month": "2016-05", "draft": "1"}
    for partner in partners:
        if partner != world["havering"]:
            SubscriptionFactory(partner=partner, service=payroll_kpi.service)
        MeasurementFactory(
            kpi=payroll_kpi, partner=partner, period=MAY, status="draft", numerator=995, denominator=1000
        )
        key = f"c{payroll_kpi.pk}-{partner.pk}"
        data.update({f"{key}-numerator": "995", f"{key}-denominator": "1000", f"{key}-commentary": ""})
    data[f"c{payroll_kpi.pk}-{world['havering'].pk}-numerator"] = "996"
    client = client_for("officer.exchequer")
    with django_assert_max_num_queries(28):
        response = client.post("/kpis/entry/", data)
    assert response.status_code == 302
    assert Measurement.objects.get(partner=world["havering"]).numerator == 996
    assert Measurement.objects.filter(numerator=995).count() == extra_partners


def test_the_committee_sees_all_partners_approved_figures_only(world, client_for, payroll_kpi):
    SubscriptionFactory(partner=world["newham"], service=payroll_kpi.service)
    MeasurementFactory(kpi=payroll_kpi, partner=world["havering"], period=MAY, numerator=995, denominator=1000)
    MeasurementFactory(
        kpi=payroll_kpi, partner=world["newham"], period=MAY, numerator=990, denominator=1000, status="submitted"
    )
    page = client_for("committee").get("/kpis/EXT-06/?month=2016-05").content.decode()
    assert "99.5%" in page
    assert "98.1%" not in page
    assert "oneSource" in page


def test_a_director_defines_kpis_of_their_own_area_only(world, client_for):
    director = client_for("director.exchequer")
    data = {
        "code": "EXT-09",
        "name": "Debt recovered",
        "definition": "Debt recovered in the month.",
        "area": world["areas"]["ICT"].pk,
        "unit": "gbp",
        "polarity": "higher",
        "frequency": "monthly",
        "aggregation": "sum",
        "decimal_places": "0",
        "is_active": "on",
    }
    response = director.post("/kpis/new/", data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    response = director.post("/kpis/new/", {**data, "area": world["areas"]["EXT"].pk})
    assert response.status_code == 302
    kpi = world["areas"]["EXT"].kpis.get(code="EXT-09")
    assert client_for("director.ict").get(f"/kpis/{kpi.code}/edit/").status_code == 404
    assert client_for("officer.exchequer").get("/kpis/new/").status_code == 404


def test_the_dashboard_shows_returns_to_staff_of_the_area(world, client_for, payroll_kpi):
    page = client_for("officer.exchequer").get("/").content.decode()
    assert "KPI returns for" in page
    assert "1 figure to enter or submit" in page
    assert "KPI returns for" not in client_for("officer.havering").get("/").content.decode()


def test_the_dashboards_returns_counts_are_those_of_the_returns_page(world, client_for, payroll_kpi):
    """The director's dashboard counts what "My returns" lists: one figure submitted, the other still to enter."""
    from apps.core.periods import last_month

    MeasurementFactory(kpi=payroll_kpi, partner=world["havering"], period=last_month(), status="submitted")
    director = client_for("director.exchequer")
    returns = director.get("/kpis/returns/").context["returns"]
    assert len(returns.to_approve) == 1
    dashboard = director.get("/").content.decode()
    to_enter = len(returns.to_enter)
    assert f"{to_enter} figure{'s' if to_enter != 1 else ''} to enter or submit" in dashboard
    assert "1 figure awaiting approval" in dashboard


def test_a_partner_page_without_approved_figures_says_so(world, client_for, payroll_kpi):
    MeasurementFactory(kpi=payroll_kpi, partner=world["havering"], period=MAY, status="submitted")
    page = client_for("officer.havering").get("/partners/havering/").content.decode()
    assert "There are no approved figures for Havering yet." in page


def test_a_partner_sees_only_the_approved_versions_in_a_figures_history(world, client_for, payroll_kpi):
    from apps.kpis import services

    officer = world["users"]["officer.exchequer"]
    m = services.measurement_record(
        user=officer,
        kpi=payroll_kpi,
        partner=world["havering"],
        period=MAY,
        numerator=Decimal(993),
        denominator=Decimal(1000),
        submit=True,
    )
    services.measurement_record(
        user=officer,
        kpi=payroll_kpi,
        partner=world["havering"],
        period=MAY,
        numerator=Decimal(995),
        denominator=Decimal(1000),
        submit=True,
    )
    services.measurement_approve(user=world["users"]["director.exchequer"], measurement=m)
    partner_page = client_for("officer.havering").get(m.get_absolute_url()).content.decode()
    assert "995 ÷ 1000" in partner_page
    assert "993 ÷ 1000" not in partner_page
    assert "993 ÷ 1000" in client_for("officer.exchequer").get(m.get_absolute_url()).content.decode()


def test_the_kpi_page_shows_partners_a_page_at_a_time_and_the_onesource_line_counts_them_all(
    world, client_for, payroll_kpi
):
    """Thirty councils' figures: 25 lines on the first page, the rest on the second, oneSource on both."""
    partners = [PartnerFactory(name=f"Council {n:02}", short_name=f"Council {n:02}") for n in range(30)]
    for n, partner in enumerate(partners):
        SubscriptionFactory(partner=partner, service=payroll_kpi.service)
        MeasurementFactory(kpi=payroll_kpi, partner=partner, period=MAY, numerator=90 + n % 10, denominator=100)
    client = client_for("committee")
    first = client.get("/kpis/EXT-06/?month=2016-05").content.decode()
    second = client.get("/kpis/EXT-06/?month=2016-05&page=2").content.decode()
    # Havering takes payroll too, with no figure: 31 partners, by name.
    assert "Partners 1 to 25 of 31" in first and "Partners 26 to 31 of 31" in second
    assert ">Council 24<" in first and ">Council 25<" not in first
    assert ">Council 25<" in second and ">Council 00<" not in second
    # (90 + … + 99) × 3 out of 3,000 cases: 94.5% whichever page is shown.
    for page in (first, second):
        assert ">oneSource<" in page and "94.5%" in page


def test_the_entry_grid_pages_its_rows_and_saves_the_page_it_was_posted_from(world, client_for, payroll_kpi):
    partners = [PartnerFactory(name=f"Council {n:02}", short_name=f"Council {n:02}") for n in range(60)]
    for partner in partners:
        SubscriptionFactory(partner=partner, service=payroll_kpi.service)
    client = client_for("officer.exchequer")
    first = client.get("/kpis/entry/?month=2016-05").content.decode()
    assert first.count('scope="row"') == 50 and "Rows 1 to 50 of 61" in first
    second = client.get("/kpis/entry/?month=2016-05&page=2").content.decode()
    assert second.count('scope="row"') == 11 and 'name="page" value="2"' in second
    last = partners[-1]
    key = f"c{payroll_kpi.pk}-{last.pk}"
    data = {"month": "2016-05", "page": "2", "draft": "1", f"{key}-numerator": "995", f"{key}-denominator": "1000"}
    response = client.post("/kpis/entry/?month=2016-05&page=2", {**data, f"{key}-commentary": ""})
    assert response.status_code == 302 and response["Location"].endswith("?month=2016-05&page=2")
    assert Measurement.objects.get().partner == last
    # A cell of another page posted with this page's: the page is refused whole, nothing of it is saved.
    other = f"c{payroll_kpi.pk}-{partners[0].pk}"
    data.update({f"{other}-numerator": "1", f"{other}-denominator": "1", f"{other}-commentary": ""})
    data[f"{key}-numerator"] = "990"
    response = client.post("/kpis/entry/", {**data, f"{key}-commentary": ""})
    assert response.status_code == 400
    assert "The rows of this page have changed since it was opened, so nothing was saved." in response.content.decode()
    assert not Measurement.objects.filter(partner=partners[0]).exists()
    assert Measurement.objects.get(partner=last).numerator == 995


def test_the_entry_grid_shows_one_partners_return(world, client_for, payroll_kpi):
    SubscriptionFactory(partner=world["newham"], service=payroll_kpi.service)
    client = client_for("officer.exchequer")
    page = client.get(f"/kpis/entry/?month=2016-05&partner={world['newham'].slug}").content.decode()
    assert page.count('scope="row"') == 1 and f"c{payroll_kpi.pk}-{world['newham'].pk}-numerator" in page
    assert f'name="partner" value="{world["newham"].slug}"' in page
    assert page.count('scope="row"') < client.get("/kpis/entry/?month=2016-05").content.decode().count('scope="row"')


def test_a_partner_without_the_services_is_told_so_and_the_filter_puts_no_token_in_the_address(
    world, client_for, payroll_kpi
):
    client = client_for("officer.exchequer")
    other = PartnerFactory(name="Associations and clubs")
    SubscriptionFactory(partner=other, service=world["services"]["it_support"])
    page = client.get(f"/kpis/entry/?month=2016-05&partner={other.slug}").content.decode()
    assert "Associations and clubs has no figures for you to enter for May 2016" in page
    filters = page[page.index('aria-label="Choose the month and the partner"') : page.index("Show figures")]
    assert "csrfmiddlewaretoken" not in filters


def test_a_kpi_of_a_service_in_another_area_is_still_on_its_owners_grid_and_returns(world, client_for):
    """EXT-06 belongs to Exchequer but measures a service of HR: Exchequer's officer still enters it."""
    hr = ServiceAreaFactory(code="HR", name="HR and OD")
    payroll = ServiceFactory(area=hr, name="Transactional HR and payroll", slug="transactional-hr-and-payroll")
    SubscriptionFactory(partner=world["newham"], service=payroll)
    kpi = KPIFactory(code="EXT-06", area=world["areas"]["EXT"], service=payroll)
    client = client_for("officer.exchequer")
    grid = client.get("/kpis/entry/?month=2016-05").content.decode()
    assert f'name="c{kpi.pk}-{world["newham"].pk}-numerator"' in grid
    returns = selectors.my_returns(user=world["users"]["officer.exchequer"], period=MAY)
    assert (kpi, world["newham"]) in [(row.kpi, row.partner) for row in returns.to_enter]


def test_the_onesource_line_is_worked_out_again_once_a_figure_is_approved(world, client_for, payroll_kpi):
    """oneSource's line is kept between pages, and worked out again at the next page once a figure is
    approved; a draft changes nothing it shows."""
    first, second = (PartnerFactory(name=f"Council {n}", short_name=f"Council {n}", slug=f"council-{n}") for n in "AB")
    for partner in (first, second):
        SubscriptionFactory(partner=partner, service=payroll_kpi.service)
    MeasurementFactory(kpi=payroll_kpi, partner=first, period=MAY, numerator=95, denominator=100)
    client = client_for("committee")

    def onesource():
        page = client.get("/kpis/EXT-06/?month=2016-05").content.decode()
        row = page[page.index('<th scope="row" class="govuk-table__header">oneSource</th>') :]
        return row[: row.index("</tr>")]

    assert "95.0%" in onesource()
    draft = MeasurementFactory(
        kpi=payroll_kpi, partner=second, period=MAY, numerator=80, denominator=100, status=Measurement.Status.DRAFT
    )
    assert "95.0%" in onesource()
    draft.status = Measurement.Status.SUBMITTED
    draft.save()
    services.measurement_approve(user=world["users"]["director.exchequer"], measurement=draft)
    assert "87.5%" in onesource()


def test_a_grid_save_checks_and_writes_only_the_cells_it_changes(world, client_for, payroll_kpi):
    """A row sent back as it is stored is left as it is, even one that no longer passes the checks (a
    draft gone red under a new target): the cell the officer changed is saved."""
    SubscriptionFactory(partner=world["newham"], service=payroll_kpi.service)
    stored = MeasurementFactory(
        kpi=payroll_kpi, partner=world["havering"], period=MAY, numerator=90, denominator=100, status="draft"
    )
    havering, newham = (f"c{payroll_kpi.pk}-{world[name].pk}" for name in ("havering", "newham"))
    data = {
        "month": "2016-05",
        "draft": "1",
        f"{havering}-numerator": "90",
        f"{havering}-denominator": "100",
        f"{havering}-commentary": "",
        f"{newham}-numerator": "995",
        f"{newham}-denominator": "1000",
        f"{newham}-commentary": "",
    }
    response = client_for("officer.exchequer").post("/kpis/entry/", data)
    assert response.status_code == 302
    assert Measurement.objects.get(partner=world["newham"]).numerator == 995
    unchanged = Measurement.objects.get(pk=stored.pk)
    assert (unchanged.updated_at, unchanged.history.count()) == (stored.updated_at, stored.history.count())


def test_an_officer_taken_off_an_area_no_longer_reads_its_onesource_line(world, client_for, payroll_kpi):
    """oneSource's line is kept under the SQL of the figures the user reads, which names the user, not
    their areas: a change of their areas works it out again."""
    MeasurementFactory(kpi=payroll_kpi, partner=world["havering"], period=MAY, numerator=95, denominator=100)
    officer = world["users"]["officer.exchequer"]
    client = client_for("officer.exchequer")

    def onesource():
        page = client.get("/kpis/EXT-06/?month=2016-05").content.decode()
        at = page.find('<th scope="row" class="govuk-table__header">oneSource</th>')
        return page[at : page.index("</tr>", at)] if at >= 0 else ""

    assert "95.0%" in onesource()
    officer.service_areas.remove(payroll_kpi.area)
    assert "95.0%" not in onesource()
