from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    name = "apps.delivery"
    label = "delivery"
    verbose_name = "Delivery plan"

    def ready(self):
        from apps.core.contributions import Contribution, dashboard
        from apps.partners.pages import partner_page

        from .selectors import dashboard_panel, partner_section

        dashboard.register(Contribution("delivery/panels/dashboard.html", dashboard_panel, order=40))
        partner_page.register(Contribution("delivery/sections/partner.html", partner_section, order=60))
