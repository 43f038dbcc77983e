from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "apps.catalogue"
    label = "catalogue"

    def ready(self):
        from apps.core import generations
        from apps.core.contributions import Contribution, dashboard
        from apps.partners.models import Partner
        from apps.partners.pages import partner_page

        from . import panels, selectors
        from .models import Service, Subscription

        generations.watch(selectors.SUBSCRIPTIONS, Subscription, Service, Partner)

        partner_page.register(Contribution("catalogue/sections/services_taken.html", panels.services_taken, order=10))
        catalogue = ("catalogue.ServiceArea", "catalogue.Service", "partners.Partner")
        dashboard.register(
            Contribution(
                "catalogue/panels/my_services.html",
                panels.my_services,
                order=10,
                shows=(*catalogue, "catalogue.Subscription"),
            )
        )
        dashboard.register(
            Contribution(
                "catalogue/panels/open_requests.html",
                panels.open_requests,
                order=80,
                shows=(*catalogue, "catalogue.CommissioningRequest"),
            )
        )
