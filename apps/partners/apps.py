from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "apps.partners"
    label = "partners"

    def ready(self):
        from apps.core.contributions import Contribution

        from .pages import partner_page

        # Replaced section by section as the agreements and performance apps arrive.
        partner_page.register(Contribution("partners/sections/later.html", lambda user, partner: {}, order=90))
