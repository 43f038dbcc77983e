from django.apps import AppConfig


class RisksConfig(AppConfig):
    name = "apps.risks"
    label = "risks"
    verbose_name = "Risk register"

    def ready(self):
        from apps.core.contributions import Contribution, dashboard
        from apps.delivery.pages import activity_page
        from apps.savings.pages import line_page

        from . import selectors

        # A partner officer's principal risks are those linked to their partner: through the risk's own
        # links (a many-to-many change on the risk), a saving the partner shares or its agreement.
        dashboard.register(
            Contribution(
                "risks/panels/dashboard.html",
                selectors.dashboard_panel,
                order=45,
                shows=(
                    "risks.Risk",
                    "risks.MitigatingAction",
                    "savings.PartnerShare",
                    "slas.Agreement",
                    "accounts.User",
                ),
            )
        )
        line_page.register(Contribution("risks/panels/saving_line.html", selectors.saving_line_section, order=10))
        activity_page.register(Contribution("risks/panels/activity.html", selectors.activity_section, order=10))
