from django.apps import AppConfig


class SavingsConfig(AppConfig):
    name = "apps.savings"
    label = "savings"

    def ready(self):
        from apps.core.contributions import Contribution, dashboard
        from apps.partners.pages import partner_page
        from apps.transformation.pages import project_page

        from . import selectors

        dashboard.register(Contribution("savings/panels/dashboard.html", selectors.dashboard_panel, order=30))
        partner_page.register(Contribution("savings/panels/partner.html", selectors.partner_section, order=40))
        project_page.register(Contribution("savings/panels/project.html", selectors.project_section, order=10))
