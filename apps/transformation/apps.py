from django.apps import AppConfig


class TransformationConfig(AppConfig):
    name = "apps.transformation"
    label = "transformation"
    verbose_name = "Transformation projects"
