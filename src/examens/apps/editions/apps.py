from django.apps import AppConfig


class EditionsConfig(AppConfig):
    name = "examens.apps.editions"
    label = "editions"
    verbose_name = "Éditions et envois"
