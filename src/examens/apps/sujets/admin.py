"""Administration des sujets et pièces : consultation seulement, sauf les réglages de la session (tracés).

Les écritures passent par les services (dépôt vérifié, diffusion équilibrée, attribution selon la règle 9,
journal des consultations) : l'administration ne permet ni d'ajouter, ni de modifier, ni de supprimer. Le
contenu des sujets, des grilles et des fiches d'engagement n'y figure jamais (il ne se lit que par
`services.consulter_sujet` et `services.consulter_fiche_engagement`, qui journalisent chaque lecture).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from examens.apps.historique.admin import AdminTrace
from examens.apps.sujets.models import (
    AttributionSujet,
    AvertissementEngagement,
    Consultation,
    ContexteNumerique,
    DiffusionBanque,
    EvaluationEngagement,
    FicheEngagement,
    FicheSujet,
    PosteE5B,
    ReglagesSujets,
    SignaturePostes,
    Sujet,
)


class LectureSeule(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ReglagesSujets)
class ReglagesSujetsAdmin(AdminTrace):
    list_display = ("session", "consultation_avant_minutes", "fiche_sujet_jours_avant", "limite_fiches_engagement")


@admin.register(Sujet)
class SujetAdmin(LectureSeule):
    list_display = ("code", "support", "version", "titre", "taille", "grille_taille", "depose_le", "depose_par")
    list_filter = ("session", "support")
    search_fields = ("code", "titre")
    exclude = ("contenu", "grille")

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).defer("contenu", "grille")


@admin.register(DiffusionBanque)
class DiffusionBanqueAdmin(LectureSeule):
    list_display = ("session", "numero", "diffusee_le", "diffusee_par")


@admin.register(AttributionSujet)
class AttributionSujetAdmin(LectureSeule):
    list_display = (
        "candidat_numero",
        "sujet",
        "commission",
        "debut",
        "centre",
        "attribue_le",
        "attribue_par",
        "remplacee_le",
    )
    list_filter = ("session", "centre")
    search_fields = ("candidat_numero", "sujet__code", "commission")
    list_select_related = ("sujet", "centre")

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).defer("sujet__contenu", "sujet__grille")


@admin.register(Consultation)
class ConsultationAdmin(LectureSeule):
    list_display = ("quand", "acteur", "role", "piece", "candidat_numero", "commission", "sujet_version")
    list_filter = ("piece", "role")
    search_fields = ("acteur", "candidat_numero", "commission")
    exclude = ("utilisateur", "sujet", "passage", "candidat")


@admin.register(FicheSujet)
class FicheSujetAdmin(LectureSeule):
    list_display = ("candidat", "commission", "statut", "redigee_par", "modifiee_le", "prete_le", "remise_le")
    list_filter = ("statut",)
    search_fields = ("candidat__numero",)
    list_select_related = ("candidat", "commission")
    # Le contenu de la fiche reste confidentiel jusqu'à la loge : seul son cycle de vie se voit ici.
    fields = (
        "candidat",
        "commission",
        "statut",
        "redigee_par",
        "creee_le",
        "modifiee_le",
        "prete_le",
        "prete_par",
        "remise_le",
        "remise_par",
    )


@admin.register(FicheEngagement)
class FicheEngagementAdmin(LectureSeule):
    list_display = ("candidat", "version", "deposant", "deposee_par", "deposee_le", "taille")
    search_fields = ("candidat__numero",)
    list_select_related = ("candidat",)
    exclude = ("contenu",)

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).defer("contenu")


@admin.register(EvaluationEngagement)
class EvaluationEngagementAdmin(LectureSeule):
    list_display = ("candidat", "commission", "note", "evaluee_par", "evaluee_le")
    search_fields = ("candidat__numero",)
    list_select_related = ("candidat",)


@admin.register(AvertissementEngagement)
class AvertissementEngagementAdmin(LectureSeule):
    list_display = ("candidat", "averti_le", "averti_par")
    list_select_related = ("candidat",)


@admin.register(ContexteNumerique)
class ContexteNumeriqueAdmin(LectureSeule):
    list_display = ("session", "version", "publie_le", "publie_par")


@admin.register(PosteE5B)
class PosteE5BAdmin(LectureSeule):
    list_display = ("centre", "nom", "etat", "contexte_version", "verifie_le", "verifie_par")
    list_filter = ("etat", "centre")
    list_select_related = ("centre",)


@admin.register(SignaturePostes)
class SignaturePostesAdmin(LectureSeule):
    list_display = ("centre", "signee_le", "signee_par", "postes_prets", "postes_declares", "contexte_version")
    list_select_related = ("centre",)
