"""Administration des habilitations (chaque écriture tracée) et consultation du journal des connexions."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from examens.apps.comptes.models import Connexion, Habilitation
from examens.apps.historique.admin import AdminTrace


@admin.register(Habilitation)
class HabilitationAdmin(AdminTrace):
    list_display = ("utilisateur", "role", "session", "perimetre_libelle", "accordee_par", "accordee_le")
    list_filter = ("role", "session")
    search_fields = ("utilisateur__username",)
    list_select_related = (
        "utilisateur",
        "session",
        "academie",
        "centre",
        "jury",
        "etablissement",
        "examinateur",
        "candidat",
    )
    autocomplete_fields = ("centre", "etablissement", "examinateur", "candidat")
    readonly_fields = ("accordee_par", "accordee_le")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change:
            obj.accordee_par = request.user.get_username()  # type: ignore[union-attr]
        super().save_model(request, obj, form, change)


@admin.register(Connexion)
class ConnexionAdmin(admin.ModelAdmin):
    """Le journal se consulte ; il ne s'écrit que par les signaux d'authentification, et ne s'efface qu'au
    terme de sa conservation."""

    list_display = ("quand", "identifiant", "succes", "ip")
    list_filter = ("succes",)
    search_fields = ("identifiant", "ip")
    date_hierarchy = "quand"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # la purge passe par `services.purger_journal_connexions`
