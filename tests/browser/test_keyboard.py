"""The sign-in form and the KPI entry grid work with the keyboard alone, in headless Chromium.

No click and no ``fill``: focus moves with Tab, text is typed, forms are sent with Enter. Each test
records the order in which Tab visits the page's controls and checks that it reaches the fields in
reading order before the button that sends them, and that what was typed is in the database.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from apps.kpis.models import Measurement
from tests.factories import PASSWORD
from tests.kpis.factories import KPIFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Enough presses to pass the header, navigation and filters of any page before its form.
MAX_TABS = 60


def focused(page):
    """What has the focus: its id, or for a button or link its text."""
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            if (!el || el === document.body) return "";
            return el.id ? `#${el.id}` : `${el.tagName.toLowerCase()}:${el.innerText.trim()}`;
        }"""
    )


def tab_to(page, target, order):
    """Press Tab until ``target`` has the focus, noting each stop in ``order``."""
    if focused(page) == target:
        return
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        order.append(focused(page))
        if order[-1] == target:
            return
    raise AssertionError(f"Tab never reached {target}; it went {order}")


def test_a_user_signs_in_with_the_keyboard_alone(world, live_server, page):
    page.goto(f"{live_server.url}/accounts/login/")
    # The user name has the focus when the page opens, so typing starts there.
    order = [focused(page)]
    assert order == ["#id_username"]

    page.keyboard.type("officer.havering")
    tab_to(page, "#id_password", order)
    page.keyboard.type(PASSWORD)
    tab_to(page, "button:Sign in", order)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/")

    assert order == ["#id_username", "#id_password", "button:Sign in"]
    assert page.get_by_role("button", name="Sign out").is_visible()
    assert get_user_model().objects.get(username="officer.havering").last_login is not None


def test_an_officer_enters_and_saves_a_figure_with_the_keyboard_alone(world, live_server, page, sign_in):
    kpi = KPIFactory(
        code="EXT-06",
        name="Payroll accuracy",
        area=world["areas"]["EXT"],
        service=world["services"]["payroll"],
        data_owner=world["users"]["officer.exchequer"],
    )
    cell = f"c{kpi.pk}-{world['havering'].pk}"
    sign_in("officer.exchequer", PASSWORD)
    page.goto(f"{live_server.url}/kpis/entry/?month=2016-05")
    order = []

    tab_to(page, f"#id_{cell}-numerator", order)
    page.keyboard.type("995")
    tab_to(page, f"#id_{cell}-denominator", order)
    page.keyboard.type("1000")
    tab_to(page, f"#id_{cell}-commentary", order)
    page.keyboard.type("Two payslips corrected.")
    tab_to(page, "button:Save as draft", order)
    page.keyboard.press("Enter")
    page.get_by_text("1 figure for May 2016 saved as drafts.").wait_for()

    # The month and partner chooser comes first, then the row's fields in reading order, then the buttons.
    assert order.index("button:Show figures") < order.index(f"#id_{cell}-numerator")
    assert (
        order.index(f"#id_{cell}-numerator")
        < order.index(f"#id_{cell}-denominator")
        < order.index(f"#id_{cell}-commentary")
        < order.index("button:Submit for approval")
        < order.index("button:Save as draft")
    )
    figure = Measurement.objects.get(kpi=kpi, partner=world["havering"], period=dt.date(2016, 5, 1))
    assert (figure.numerator, figure.denominator) == (Decimal("995"), Decimal("1000"))
    assert figure.commentary == "Two payslips corrected."
    assert figure.status == Measurement.Status.DRAFT
    assert figure.entered_by == world["users"]["officer.exchequer"]
