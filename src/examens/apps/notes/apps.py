from django.apps import AppConfig


class NotesConfig(AppConfig):
    name = "examens.apps.notes"
    label = "notes"
    verbose_name = "Notes et résultats"
