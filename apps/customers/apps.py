from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "apps.customers"
    label = "customers"
    verbose_name = "Customers"

    def ready(self):
        from apps.core.contributions import Contribution, dashboard
        from apps.partners.pages import partner_page

        from . import selectors

        dashboard.register(Contribution("customers/panels/dashboard.html", selectors.dashboard_panel, order=40))
        partner_page.register(Contribution("customers/panels/partner.html", selectors.partner_section, order=40))
