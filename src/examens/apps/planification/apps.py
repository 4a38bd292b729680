from django.apps import AppConfig


class PlanificationConfig(AppConfig):
    name = "examens.apps.planification"
    label = "planification"
    verbose_name = "Planification des oraux"
