from django.apps import AppConfig


class DjstaticConfig(AppConfig):
    name = "djstatic"
    verbose_name = "djstatic"
