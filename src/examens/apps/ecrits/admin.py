"""Consultation des écrits dans l'administration. Tout s'écrit par les services (tracés) : aucune création,
modification ni suppression ici. La table de correspondance n'y figure pas (anonymat) ; les saisies non plus."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from examens.apps.ecrits.models import Absence, Ajustement, CommissionHarmonisation, Incident, Lot, Place, Surveillance


class Consultation(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Place)
class PlaceAdmin(Consultation):
    list_display = ("epreuve", "salle", "numero", "candidat", "presence")
    list_filter = ("epreuve__epreuve", "presence", "salle__centre")
    search_fields = ("candidat__numero",)
    list_select_related = ("epreuve", "salle", "candidat")


@admin.register(Surveillance)
class SurveillanceAdmin(Consultation):
    list_display = ("epreuve", "salle", "examinateur", "nom")
    list_select_related = ("epreuve", "salle", "examinateur")


@admin.register(Incident)
class IncidentAdmin(Consultation):
    list_display = ("epreuve", "nature", "candidat", "salle", "survenu_le", "redige_par")
    list_filter = ("nature", "epreuve__epreuve")
    list_select_related = ("epreuve", "candidat", "salle")


@admin.register(Absence)
class AbsenceAdmin(Consultation):
    list_display = ("place", "decision", "decidee_par", "decidee_le")
    list_filter = ("decision",)
    list_select_related = ("place__epreuve", "place__salle")


@admin.register(Lot)
class LotAdmin(Consultation):
    list_display = ("code", "centre_correction", "correcteur", "statut")
    list_filter = ("epreuve__epreuve", "statut")
    list_select_related = ("epreuve", "centre_correction", "correcteur")


@admin.register(CommissionHarmonisation)
class CommissionHarmonisationAdmin(Consultation):
    list_display = ("epreuve", "president", "statut", "verrouillee_le", "anonymat_leve_le")


@admin.register(Ajustement)
class AjustementAdmin(Consultation):
    list_display = ("lot", "nature", "points", "motif", "decide_par", "decide_le")
    list_select_related = ("lot__epreuve",)
