from django.apps import AppConfig


class GrowthConfig(AppConfig):
    name = "apps.growth"
    label = "growth"
    verbose_name = "Growing the business"

    def ready(self):
        from apps.core.contributions import Contribution
        from apps.delivery.pages import plan_page

        from . import selectors

        plan_page.register(Contribution("growth/panels/plan.html", selectors.plan_section, order=10))
