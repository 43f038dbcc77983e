"""The enquiry journey in a real browser: raised by Newham, answered by oneSource, rated; and axe."""

import re

import pytest

from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_enquiry_is_raised_answered_and_rated(world, live_server, browser, sign_in, axe):
    page = sign_in("officer.newham", PASSWORD)
    page.get_by_role("link", name="Enquiries").first.click()
    page.get_by_role("link", name="Raise an enquiry").click()
    page.get_by_label("Service", exact=True).select_option(label="Council Tax and Benefits")
    page.get_by_label("Subject").fill("Refunds not issued")
    page.get_by_label("Details").fill("Twelve refunds approved in October have not been paid.")
    page.get_by_role("button", name="Send enquiry").click()
    assert page.get_by_role("heading", name="Refunds not issued").is_visible()
    enquiry_url = page.url
    page.get_by_role("button", name="Sign out").click()

    page = sign_in("officer.exchequer", PASSWORD)
    page.goto(f"{live_server.url}/enquiries/")
    axe(page)  # the staff queue
    page.get_by_role("row", name=re.compile("Refunds not issued")).get_by_role("link").click()
    assert page.url == enquiry_url
    axe(page)  # the enquiry, with the reply and status forms
    # One form: the reply, the status and the assignee are saved together, none lost.
    page.get_by_label("Your reply").fill("Paid today by BACS; they will arrive on Friday.")
    page.get_by_label("Status", exact=True).select_option(label="Resolved")
    page.get_by_role("button", name="Save and send").click()
    assert page.get_by_text("Enquiry updated.").is_visible()
    assert page.locator(".govuk-summary-list").get_by_text("Resolved").is_visible()
    page.get_by_role("button", name="Sign out").click()

    page = sign_in("officer.newham", PASSWORD)
    page.goto(enquiry_url)
    thread = page.locator(".onesource-thread")
    assert "Paid today by BACS; they will arrive on Friday." in thread.inner_text()
    assert "(oneSource)" in thread.inner_text()
    page.get_by_role("link", name="Rate how this was handled").click()
    axe(page)
    page.get_by_label("5 – very satisfied").check()
    page.get_by_label("Comment").fill("Quick and clear.")
    page.get_by_role("button", name="Send rating").click()
    assert page.get_by_text("5 out of 5: Quick and clear.").is_visible()
    page.goto(f"{live_server.url}/enquiries/feedback/")
    axe(page)  # the feedback page with its averages
    assert page.get_by_role("table", name="By service").get_by_text("Council Tax and Benefits").is_visible()
