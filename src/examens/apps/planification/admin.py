"""Administration de la planification, en lecture seule : les plannings, commissions et passages s'écrivent
par les services (`examens planifier-centre`, `replanifier`, `planifier-session`, `planifier-controle`), qui
les vérifient et les tracent. Les heures sont montrées dans le fuseau du centre."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from examens.apps.planification.models import (
    Campagne,
    ChoixControle,
    Commission,
    DesistementExaminateur,
    EtapeCampagne,
    Passage,
    VersionPlanning,
)
from examens.apps.planification.selectors import GROS_CHAMPS_VERSION


class LectureSeule(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class InlineLectureSeule(admin.TabularInline):  # type: ignore[type-arg]
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _local(instant: dt.datetime | None, fuseau: str) -> str:
    return "" if instant is None else instant.astimezone(ZoneInfo(fuseau)).strftime("%d/%m/%Y %H:%M")


class PassageInline(InlineLectureSeule):
    model = Passage
    fields = (
        "candidat",
        "epreuve",
        "commission",
        "salle",
        "loge",
        "preparation_locale",
        "debut_local",
        "fin_locale",
        "sujet",
    )
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[Passage]:
        return (
            super()
            .get_queryset(request)
            .select_related("candidat", "commission", "salle", "loge", "version__centre")
            .defer(*GROS_CHAMPS_VERSION)
            .order_by("debut", "commission__code")
        )

    @admin.display(description="préparation (heure locale)")
    def preparation_locale(self, obj: Passage) -> str:
        return _local(obj.debut_preparation, obj.version.centre.fuseau)

    @admin.display(description="début (heure locale)")
    def debut_local(self, obj: Passage) -> str:
        return _local(obj.debut, obj.version.centre.fuseau)

    @admin.display(description="fin (heure locale)")
    def fin_locale(self, obj: Passage) -> str:
        return _local(obj.fin, obj.version.centre.fuseau)


@admin.register(VersionPlanning)
class VersionPlanningAdmin(LectureSeule):
    list_display = (
        "centre",
        "nature",
        "numero",
        "statut",
        "passages_planifies",
        "non_planifies",
        "changements",
        "jours_candidats",
        "attente_minutes",
        "demi_journees_commissions",
        "solveur",
        "creee_le",
        "creee_par",
    )
    list_filter = ("session", "nature", "statut", "centre")
    list_select_related = ("centre",)
    search_fields = ("centre__code", "centre__nom")
    exclude = ("instance", "resultat")

    def get_queryset(self, request: HttpRequest) -> QuerySet[VersionPlanning]:
        return super().get_queryset(request).defer("instance", "resultat")

    readonly_fields = ("non_planifies_detail",)
    inlines = (PassageInline,)

    @admin.display(description="passages non planifiés (raisons)")
    def non_planifies_detail(self, obj: VersionPlanning) -> str:
        lignes = [f"{n['candidat']} {n['epreuve']} : {n['raison']}" for n in obj.resultat.get("non_planifies", [])]
        return "\n".join(lignes) or "aucun"


@admin.register(Passage)
class PassageAdmin(LectureSeule):
    list_display = (
        "candidat",
        "epreuve",
        "commission",
        "salle",
        "loge",
        "debut_local",
        "fin_locale",
        "centre",
        "version",
    )
    list_filter = ("version__session", "version__centre", "version__statut", "epreuve")
    list_select_related = ("candidat", "commission", "salle", "loge", "version__centre")
    search_fields = ("candidat__numero", "candidat__nom", "commission__code")
    ordering = ("version__centre", "debut")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Passage]:
        return super().get_queryset(request).defer(*GROS_CHAMPS_VERSION)

    @admin.display(description="centre")
    def centre(self, obj: Passage) -> str:
        return obj.version.centre.code

    @admin.display(description="début (heure locale)", ordering="debut")
    def debut_local(self, obj: Passage) -> str:
        return _local(obj.debut, obj.version.centre.fuseau)

    @admin.display(description="fin (heure locale)")
    def fin_locale(self, obj: Passage) -> str:
        return _local(obj.fin, obj.version.centre.fuseau)


@admin.register(Commission)
class CommissionAdmin(LectureSeule):
    list_display = ("code", "centre", "nature", "epreuves_", "langue", "membres_", "salle", "active", "alerte")
    list_filter = ("session", "nature", "active", "centre")
    list_select_related = ("centre", "salle")
    search_fields = ("code", "centre__code", "membres__code", "membres__nom")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Commission]:
        return super().get_queryset(request).prefetch_related("membres")

    @admin.display(description="épreuves")
    def epreuves_(self, obj: Commission) -> str:
        return ", ".join(obj.epreuves)

    @admin.display(description="membres")
    def membres_(self, obj: Commission) -> str:
        return ", ".join(f"{x.code} {x.prenom} {x.nom}" for x in obj.membres.all())


class EtapeInline(InlineLectureSeule):
    model = EtapeCampagne
    fields = ("centre", "statut", "version", "message", "debut", "fin", "tache")
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[EtapeCampagne]:
        return super().get_queryset(request).select_related("centre", "version__centre").defer(*GROS_CHAMPS_VERSION)


@admin.register(Campagne)
class CampagneAdmin(LectureSeule):
    list_display = ("session", "lancee_le", "lancee_par", "solveur")
    inlines = (EtapeInline,)


@admin.register(DesistementExaminateur)
class DesistementExaminateurAdmin(LectureSeule):
    list_display = ("examinateur", "le", "motif", "enregistre_par")
    list_select_related = ("examinateur",)


@admin.register(ChoixControle)
class ChoixControleAdmin(LectureSeule):
    list_display = ("candidat", "epreuves", "saisi_par", "saisi_le")
    list_select_related = ("candidat",)
    search_fields = ("candidat__numero",)
