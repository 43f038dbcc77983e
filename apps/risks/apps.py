from django.apps import AppConfig


class RisksConfig(AppConfig):
    name = "apps.risks"
    label = "risks"
    verbose_name = "Risk register"

    def ready(self):
        from apps.core.contributions import Contribution, dashboard

        from . import selectors

        dashboard.register(Contribution("risks/panels/dashboard.html", selectors.dashboard_panel, order=45))
