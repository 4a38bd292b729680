"""Les réclamations dans l'administration : consultation seule (elles s'écrivent par les services, tracés)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from examens.apps.reclamations.models import Reclamation


@admin.register(Reclamation)
class ReclamationAdmin(admin.ModelAdmin):
    list_display = ("candidat", "epreuve", "statut", "deposee_le", "traitee_par")
    list_filter = ("statut", "epreuve")
    search_fields = ("candidat__numero",)
    list_select_related = ("candidat",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
