from django.apps import AppConfig


class ReclamationsConfig(AppConfig):
    name = "examens.apps.reclamations"
    label = "reclamations"
    verbose_name = "Réclamations des candidats"
