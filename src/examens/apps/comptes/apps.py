from django.apps import AppConfig


class ComptesConfig(AppConfig):
    name = "examens.apps.comptes"
    label = "comptes"
    verbose_name = "Comptes, habilitations et connexions"

    def ready(self) -> None:
        from examens.apps.comptes import signaux  # noqa: F401 — branche le journal des connexions
