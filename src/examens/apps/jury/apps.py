from django.apps import AppConfig


class JuryConfig(AppConfig):
    name = "examens.apps.jury"
    label = "jury"
    verbose_name = "Jurys et délibérations"
