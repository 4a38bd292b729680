from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "examens.apps.organisation"
    label = "organisation"
    verbose_name = "Organisation de la session"
