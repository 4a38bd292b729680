from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "examens.apps.dossiers"
    label = "dossiers"
    verbose_name = "Dossiers E4/E6 et conformité"
