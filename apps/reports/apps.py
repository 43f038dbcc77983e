from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "apps.reports"
    label = "reports"
    verbose_name = "Monthly reports"

    def ready(self):
        from apps.core.contributions import Contribution, dashboard

        from . import dashboards

        # First on the dashboard: the latest published report, as each role reads it.
        # Drawn again for a reader when a version is published (or a pack built), never shared across scopes.
        dashboard.register(
            Contribution(
                "reports/panels/dashboard.html",
                dashboards.dashboard_panel,
                order=5,
                shows=("reports.PublishedReport", "reports.CommitteePack", "partners.Partner"),
            )
        )
