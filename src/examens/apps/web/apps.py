from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "examens.apps.web"
    label = "web"
    verbose_name = "Application web (DSFR)"
