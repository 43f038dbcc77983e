"""The journeys of shared/JOURNEYS.md (1 to 7), walked in Chromium by the person who makes them.

Each person signs in and then only clicks (and types into forms): no address is typed after signing in.
Each test counts the clicks the journey takes from the dashboard and asserts the most it may take, so
that a change which adds a click to a journey fails here. What happens between journeys (a director
accepting a request, a week passing) is set up with the services, as the portal's other users would.
"""

import datetime as dt
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core import mail
from openpyxl import load_workbook
from pypdf import PdfReader

from apps.catalogue import services as catalogue
from apps.catalogue.models import CommissioningRequest
from apps.customers.models import Enquiry
from apps.kpis.models import Measurement
from apps.partners.models import Contact
from apps.reports.models import MonthlyReport
from apps.savings.models import YearTarget
from apps.savings.selectors import reporting_year
from tests.browser.conftest import sign_in_with_form
from tests.customers.factories import raise_enquiry
from tests.factories import PASSWORD
from tests.kpis.factories import KPIFactory, MeasurementFactory, TargetFactory
from tests.reports.fixtures import OCTOBER
from tests.reports.helpers import generate, publish_all

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class Person:
    """A signed-in person in their own browser, counting the clicks they make."""

    def __init__(self, browser, live_server, username):
        self.context = browser.new_context(viewport={"width": 1280, "height": 800}, accept_downloads=True)
        self.page = self.context.new_page()
        sign_in_with_form(self.page, live_server.url, username, PASSWORD)
        self.clicks = 0

    def click(self, locator):
        self.clicks += 1
        locator.click()
        self.page.wait_for_load_state()

    def link(self, name, **kwargs):
        self.click(self.page.get_by_role("link", name=name, **kwargs).first)

    def button(self, name, **kwargs):
        self.click(self.page.get_by_role("button", name=name, **kwargs).first)

    def download(self, name):
        with self.page.expect_download() as download:
            self.link(name)
        return download.value

    def text(self):
        return self.page.locator("main").inner_text()


@pytest.fixture
def person(browser, live_server):
    people = []

    def sign_in(username):
        people.append(Person(browser, live_server, username))
        return people[-1]

    yield sign_in
    for someone in people:
        someone.context.close()


def fill_date(page, label, day):
    group = page.get_by_role("group", name=label)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def test_journey_1_the_client_lead_reads_their_council_on_monday(world, month, person):
    Measurement.objects.filter(kpi=month["ext01"], partner=world["havering"], period=OCTOBER).update(
        commentary="Two payroll runs were keyed by hand during the system upgrade."
    )
    publish_all(OCTOBER, world["users"]["admin"])
    raise_enquiry(world, "havering", "payroll", subject="Overtime missing from October pay")
    raise_enquiry(world, "newham", "council_tax", subject="Newham's own question")

    lead = person("officer.havering")
    text = lead.text()
    assert lead.clicks == 0  # everything is on the dashboard they land on
    assert "London Borough of Havering: performance in October 2016" in text
    assert "Two payroll runs were keyed by hand during the system upgrade." in text  # why a standard was missed
    assert lead.page.get_by_role("table", name="KPIs by rating, month by month").count() == 1  # the months before
    assert "Payroll restructure" in text or "savings" in text.lower()  # their council's share of the savings
    assert "Overtime missing from October pay" in text  # their open enquiries
    assert "Newham's own question" not in text and "Two service desk posts vacant" not in text


def test_journey_2_the_same_officer_asks_for_a_new_service_then_signs_the_new_agreement(world, month, person):
    lead = person("officer.havering")
    lead.link("Services", exact=True)
    lead.link("Council Tax and Benefits")
    lead.link("Request this service")
    fill_date(lead.page, "When would you like it to start?", dt.date(2017, 4, 1))
    lead.page.get_by_label("What do you need, and why?").fill("Council tax billing for 100,000 households.")
    lead.button("Send request")
    assert "Your request was sent to oneSource." in lead.text()
    asked = lead.clicks

    request = CommissioningRequest.objects.get(partner=world["havering"])
    catalogue.commissioning_request_accept(user=world["users"]["admin"], request=request)  # a week later

    lead.link("Dashboard", exact=True)
    lead.click(lead.page.get_by_role("main").get_by_role("link", name=re.compile(r"version 2")))
    assert "Council Tax and Benefits" in lead.text()
    lead.button(re.compile("^Sign this agreement"))
    assert "Council Tax and Benefits" in lead.text()  # what changed from the version in force, before signing
    lead.button("Confirm and sign")
    assert lead.page.get_by_text("The agreement comes into force once the other side signs.").is_visible()
    assert (asked, lead.clicks) == (4, 8)


def test_journey_3_a_finance_officer_asks_is_answered_the_same_day_and_rates_the_answer(world, person):
    Contact.objects.filter(partner=world["havering"]).delete()
    officer = person("officer.havering")
    officer.link("Enquiries", exact=True)
    officer.link("Raise an enquiry")
    # No service is chosen for them: they choose the one the question is about.
    assert officer.page.get_by_label("Service", exact=True).input_value() == ""
    officer.page.get_by_label("Service", exact=True).select_option(label="Payroll")
    officer.page.get_by_label("Subject").fill("Council tax refund batch not paid")
    officer.page.get_by_label("Details").fill("The refund batch of 3 October has not reached the bank.")
    officer.button("Send enquiry")
    assert "Nobody yet" in officer.text() and "Due by" in officer.text()  # who has it and when a reply is due
    raised = officer.clicks

    staff = person("officer.exchequer")
    staff.link(re.compile("Council tax refund batch not paid"))  # on their dashboard, new
    staff.page.get_by_label("Your reply").fill("Paid today by BACS; it reaches the bank on Friday.")
    staff.page.get_by_label("Status", exact=True).select_option(label="Resolved")
    staff.button("Save and send")
    assert "Enquiry updated." in staff.text()
    answered = staff.clicks

    enquiry = Enquiry.objects.get(subject="Council tax refund batch not paid")
    assert (enquiry.status, enquiry.assignee.username) == ("resolved", "officer.exchequer")
    assert any(enquiry.reference in message.subject or enquiry.reference in message.body for message in mail.outbox)

    officer.link("Dashboard", exact=True)
    text = officer.text()
    assert "Resolved: waiting for your rating" in text
    officer.link(re.compile(f"Rate {enquiry.reference}"))
    officer.page.get_by_label("5 – very satisfied").check()
    officer.button("Send rating")
    text = officer.text()
    assert "Resolved" in text and "Paid today by BACS" in text and "5 out of 5" in text
    assert "Nobody yet" not in text
    assert (raised, answered, officer.clicks) == (3, 2, 6)


def test_journey_4_an_officer_makes_the_month_end_return(world, person):
    kpi = KPIFactory(
        code="EXT-06",
        name="Payroll accuracy",
        area=world["areas"]["EXT"],
        service=world["services"]["payroll"],
        data_owner=world["users"]["officer.exchequer"],
        decimal_places=1,
    )
    TargetFactory(kpi=kpi, financial_year=2026, value=Decimal("99"), tolerance=Decimal("0.5"))
    officer = person("officer.exchequer")
    officer.link("KPIs", exact=True)
    officer.link("My returns")
    assert "EXT-06" in officer.text()
    officer.link("Enter figures")
    officer.page.get_by_label(re.compile("for EXT-06 Havering")).nth(0).fill("950")
    officer.page.get_by_label(re.compile("for EXT-06 Havering")).nth(1).fill("1000")
    officer.button("Submit for approval")
    assert "Enter the commentary" in officer.text() or "commentary" in officer.text().lower()  # the one red
    officer.page.get_by_label(re.compile("^Commentary for EXT-06 Havering")).fill(
        "A new payroll system went live mid-month."
    )
    officer.button("Submit for approval")
    assert "submitted for approval" in officer.text()
    assert Measurement.objects.get(kpi=kpi, partner=world["havering"]).status == "submitted"
    assert officer.clicks == 5


def test_journey_5_a_director_approves_returns_one_and_updates_savings(world, month, person):
    # The savings pages open on the financial year of today's month: the line has a target in it.
    YearTarget.objects.get_or_create(
        line=month["line"], financial_year=reporting_year(), defaults={"amount": Decimal("10000.00")}
    )
    november = dt.date(2016, 11, 1)
    MeasurementFactory(
        kpi=month["ext01"],
        partner=world["havering"],
        period=november,
        value=Decimal("14"),
        numerator=None,
        denominator=None,
        commentary="Two payroll runs were keyed by hand.",
        status="submitted",
    )
    claims = KPIFactory(code="EXT-09", name="Benefit claims processed", area=world["areas"]["EXT"])
    MeasurementFactory(kpi=claims, partner=world["havering"], period=november, status="submitted")
    director = person("director.exchequer")
    director.link("KPIs", exact=True)
    director.link("Approve figures")
    queue = director.page.get_by_role("row", name=re.compile("EXT-01")).inner_text()
    assert re.search(r"\t14\t10\tRed\t12 Red\t", queue)  # the figure, its target and RAG, last month's
    assert "Two payroll runs were keyed by hand." in queue
    director.button("Approve EXT-01 Havering November 2016")
    director.link("Return EXT-09 Havering November 2016")
    director.button("Return")  # without a reason: the error summary names the field
    assert director.page.locator(".govuk-error-summary").get_by_text("Enter why the figure is returned").is_visible()
    director.page.get_by_label("Why is it returned?").fill("Check the count of claims against the system report.")
    director.button("Return")
    assert "returned" in director.text()
    approved = director.clicks

    director.link("Dashboard", exact=True)
    director.link(re.compile("Payroll restructure"))
    director.page.get_by_label("Full-year forecast").fill("3000.00")
    director.page.get_by_label("Slipped", exact=True).check()
    director.page.get_by_label("Commentary").fill("Consultation extended to March; the restructure moves to 2018/19.")
    director.button("Save")
    assert "Update saved." in director.text()
    assert (approved, director.clicks) == (6, 9)


def test_journey_6_the_performance_team_regenerates_one_draft_and_publishes_the_month(world, month, person):
    generate(OCTOBER)  # overnight
    admin = person("admin")
    admin.link("Reports", exact=True)
    admin.link("October 2016")
    admin.link("London Borough of Havering")
    admin.button("Compute again")
    admin.link("All reports for October 2016")
    admin.button(re.compile(r"^Publish \d+ ready reports"))
    assert set(MonthlyReport.objects.filter(period=OCTOBER).values_list("status", flat=True)) == {"published"}
    assert "Joint Committee pack" in admin.text()
    contacts = set(
        Contact.objects.filter(partner__in=[world["havering"], world["newham"]]).values_list("email", flat=True)
    )
    emailed = {address for message in mail.outbox for address in message.to}
    assert contacts <= emailed
    assert admin.clicks == 6


def test_journey_7_a_committee_member_downloads_the_pack_for_the_train(world, month, person):
    publish_all(OCTOBER, world["users"]["admin"])  # the pack is built once the month is all published
    member = person("committee")
    assert "oneSource in October 2016" in member.text()
    pdf = member.download("download the PDF")
    text = "\n".join(page.extract_text() for page in PdfReader(pdf.path()).pages)
    assert "October 2016" in text and "London Borough of Havering" in text
    workbook = load_workbook(io.BytesIO(Path(member.download("the Excel workbook").path()).read_bytes()))
    assert workbook.sheetnames
    assert member.clicks == 2
