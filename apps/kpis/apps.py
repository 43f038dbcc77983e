from django.apps import AppConfig


class KpisConfig(AppConfig):
    name = "apps.kpis"
    label = "kpis"
    verbose_name = "KPIs and performance data"

    def ready(self):
        from apps.catalogue.pages import service_page
        from apps.core.contributions import Contribution, dashboard
        from apps.partners.pages import partner_page

        from . import published
        from .contributions import dashboard_panel, partner_section, service_section

        published.watch()

        dashboard.register(Contribution("kpis/panels/dashboard.html", dashboard_panel, order=20))
        partner_page.register(Contribution("kpis/sections/partner_scorecard.html", partner_section, order=30))
        service_page.register(Contribution("kpis/sections/service_kpis.html", service_section, order=30))
