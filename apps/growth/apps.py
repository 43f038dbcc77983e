from django.apps import AppConfig


class GrowthConfig(AppConfig):
    name = "apps.growth"
    label = "growth"
    verbose_name = "Growing the business"
