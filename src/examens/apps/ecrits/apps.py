from django.apps import AppConfig


class EcritsConfig(AppConfig):
    name = "examens.apps.ecrits"
    label = "ecrits"
    verbose_name = "Épreuves écrites"
