from django.apps import AppConfig


class SlasConfig(AppConfig):
    name = "apps.slas"
    label = "slas"
    verbose_name = "Service level agreements"

    def ready(self):
        from apps.catalogue.pages import service_page
        from apps.catalogue.services import commissioning_request_accepted
        from apps.core.contributions import Contribution, dashboard
        from apps.partners.pages import partner_page

        from . import contributions, receivers

        # The catalogue cannot import this app (it sits below it), so it announces an accepted
        # request and the agreements listen: the one place a signal is the right tool.
        commissioning_request_accepted.connect(receivers.add_commissioned_service, dispatch_uid="slas_commissioning")
        dashboard.register(
            Contribution(
                "slas/panels/dashboard.html",
                contributions.dashboard_panel,
                order=30,
                shows=("slas.Agreement", "slas.ServiceSchedule", "partners.Partner"),
            )
        )
        partner_page.register(
            Contribution("slas/sections/partner_agreement.html", contributions.partner_section, order=20)
        )
        service_page.register(Contribution("slas/sections/service_terms.html", contributions.service_section, order=20))
