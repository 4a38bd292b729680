from django.apps import AppConfig


class ExaminateursConfig(AppConfig):
    name = "examens.apps.examinateurs"
    label = "examinateurs"
    verbose_name = "Examinateurs"
