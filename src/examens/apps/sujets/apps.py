from django.apps import AppConfig


class SujetsConfig(AppConfig):
    name = "examens.apps.sujets"
    label = "sujets"
    verbose_name = "Sujets et pièces d'épreuve"
