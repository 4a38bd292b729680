from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from examens.apps.notes.models import NoteControle, Resultat, Saisie, SituationCCF


class SituationCCFInline(admin.TabularInline):
    model = SituationCCF
    extra = 0


@admin.register(Resultat)
class ResultatAdmin(admin.ModelAdmin):
    """Consultation seulement : une note se saisit par les services, qui la tracent dans l'historique."""

    list_display = ("candidat", "epreuve", "etat", "note_examinateur", "note_jury", "suspendue", "origine")
    list_filter = ("epreuve", "etat", "suspendue", "origine")
    search_fields = ("candidat__numero",)
    list_select_related = ("candidat",)
    inlines = (SituationCCFInline,)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(NoteControle)
class NoteControleAdmin(admin.ModelAdmin):
    """Consultation seulement : une note de contrôle se saisit par `notes.services.saisir_note_controle`, qui
    vérifie le droit au contrôle et trace la saisie."""

    list_display = ("candidat", "epreuve", "etat", "note")
    list_filter = ("epreuve", "etat")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Saisie)
class SaisieAdmin(admin.ModelAdmin):
    """Consultation seulement : une saisie passe par `notes.services.saisir_note_orale` (double saisie, tracée)."""

    list_display = ("candidat", "epreuve", "rang", "etat", "note", "doute", "saisie_par", "version", "validee_le")
    list_filter = ("epreuve", "etat", "doute", "qualite")
    search_fields = ("candidat__numero", "commission", "saisie_par")
    list_select_related = ("candidat",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
