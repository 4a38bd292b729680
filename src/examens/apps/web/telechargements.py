"""Servir le fichier d'une version émise (édition tracée) : une seule façon, pour toutes les pages.

Le téléchargement est journalisé (`editions.services.enregistrer_telechargement` : qui a reçu quelle version)
et la réponse n'est gardée par aucun cache partagé."""

from __future__ import annotations

from django.http import HttpResponse

from examens.apps.editions.models import Version
from examens.apps.editions.services import enregistrer_telechargement


def servir_version(version: Version, *, par: str) -> HttpResponse:
    enregistrer_telechargement(version=version, par=par)
    reponse = HttpResponse(bytes(version.fichier.contenu), content_type=version.fichier.type_mime)
    reponse["Content-Disposition"] = f'attachment; filename="{version.nom_fichier}"'
    reponse["Cache-Control"] = "private, no-store"
    return reponse
