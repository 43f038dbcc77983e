from tests.factories import PartnerFactory, SubscriptionFactory


def test_the_page_count_is_dark_text_on_white_not_on_the_current_page_blue(world, client_for):
    """'Page 1 of 3' sat in GOV.UK's current-page item (white on blue is for a page number link): its dark
    text on that blue failed WCAG AA contrast (3.78:1)."""
    for n in range(60):
        partner = PartnerFactory(name=f"Council {n}", short_name=f"Council {n}", slug=f"council-{n}")
        SubscriptionFactory(partner=partner, service=world["services"]["payroll"])
    page = client_for("admin").get("/services/subscriptions/").content.decode()
    assert "Page 1 of 3" in page
    assert "govuk-pagination__item--current" not in page
