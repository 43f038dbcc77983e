from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    name = "apps.delivery"
    label = "delivery"
    verbose_name = "Delivery plan"

    def ready(self):
        from apps.core.contributions import Contribution, dashboard

        from .selectors import dashboard_panel

        dashboard.register(Contribution("delivery/panels/dashboard.html", dashboard_panel, order=40))
