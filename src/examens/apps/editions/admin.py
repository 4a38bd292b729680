from typing import ClassVar

from django.contrib import admin

from examens.apps.editions.models import Document, Envoi, Travail, Version


class LectureSeule(admin.ModelAdmin):  # type: ignore[type-arg]
    """Les éditions ne se modifient pas à la main : elles se rééditent (nouvelle version)."""

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


class VersionEnLigne(admin.TabularInline):  # type: ignore[type-arg]
    model = Version
    fields = ("numero", "emise_le", "emise_par", "motif", "fichier")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Document)
class DocumentAdmin(LectureSeule):
    list_display = ("intitule", "modele", "derniere_version", "centre")
    list_filter = ("modele",)
    search_fields = ("cle", "intitule")
    inlines: ClassVar = [VersionEnLigne]


@admin.register(Envoi)
class EnvoiAdmin(LectureSeule):
    list_display = ("destinataire", "objet", "envoye_le", "statut", "accuse_le", "relances")
    list_filter = ("statut", "canal")
    search_fields = ("destinataire", "objet")


@admin.register(Travail)
class TravailAdmin(LectureSeule):
    list_display = ("nature", "statut", "fait", "total", "demande_par", "cree_le", "fin")
    list_filter = ("statut", "nature")
