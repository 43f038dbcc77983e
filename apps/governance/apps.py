from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "apps.governance"
    label = "governance"
    verbose_name = "Joint Committee business"

    def ready(self):
        from apps.core.contributions import Contribution, dashboard
        from apps.savings.pages import line_page

        from . import panels, selectors

        # The committee's business is the same for every member: drawn once, until one of these changes.
        dashboard.register(
            Contribution(
                "governance/panels/committee.html",
                panels.committee_panel,
                order=3,
                shows=("governance.Meeting", "governance.AgendaItem", "governance.Action", "accounts.User"),
            )
        )
        dashboard.register(Contribution("governance/panels/my_actions.html", panels.my_actions_panel, order=4))
        line_page.register(Contribution("governance/panels/saving_line.html", selectors.saving_line_section, order=20))
