from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from examens.apps.historique.models import Trace


@admin.register(Trace)
class TraceAdmin(admin.ModelAdmin):
    """L'historique se consulte ; il ne s'écrit que par les services, et ne se modifie jamais."""

    list_display = ("quand", "acteur", "action", "objet_type", "objet_libelle", "motif")
    list_filter = ("action", "objet_type")
    search_fields = ("acteur", "objet_id", "objet_libelle", "motif")
    date_hierarchy = "quand"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
