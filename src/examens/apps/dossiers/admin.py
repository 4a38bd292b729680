"""Administration des dossiers E4/E6 (écritures tracées) ; les décisions de conformité en lecture seule : elles
s'écrivent par `dossiers.services.controler_conformite_session`, qui les trace et pose les NV."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from examens.apps.dossiers.models import DecisionConformite, Dossier, FicheActivite
from examens.apps.historique.admin import AdminTrace


class FicheActiviteInline(admin.TabularInline):
    model = FicheActivite
    extra = 0


@admin.register(Dossier)
class DossierAdmin(AdminTrace):
    list_display = ("candidat", "epreuve", "depose_le", "vise_et_signe")
    list_filter = ("epreuve",)
    search_fields = ("candidat__numero", "candidat__nom")
    list_select_related = ("candidat",)
    inlines = (FicheActiviteInline,)


@admin.register(DecisionConformite)
class DecisionConformiteAdmin(admin.ModelAdmin):
    """Consultation seulement : une décision de la commission ne se réécrit pas, un nouveau contrôle en ajoute une."""

    list_display = ("dossier", "conforme", "decidee_par", "decidee_le")
    list_filter = ("conforme",)
    list_select_related = ("dossier__candidat",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
