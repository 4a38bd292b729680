from django.apps import AppConfig


class HistoriqueConfig(AppConfig):
    name = "examens.apps.historique"
    label = "historique"
    verbose_name = "Historique inaltérable"
