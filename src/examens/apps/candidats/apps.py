from django.apps import AppConfig


class CandidatsConfig(AppConfig):
    name = "examens.apps.candidats"
    label = "candidats"
    verbose_name = "Établissements et candidats"
