from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "apps.core"
    label = "core"
    verbose_name = "Core"

    def ready(self):
        from django.urls import register_converter

        from .contributions import watch_shown_models
        from .converters import FinancialYearConverter

        register_converter(FinancialYearConverter, "year")
        watch_shown_models()
