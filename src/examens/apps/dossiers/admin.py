from django.contrib import admin

from examens.apps.dossiers.models import DecisionConformite, Dossier, FicheActivite


class FicheActiviteInline(admin.TabularInline):
    model = FicheActivite
    extra = 0


@admin.register(Dossier)
class DossierAdmin(admin.ModelAdmin):
    list_display = ("candidat", "epreuve", "depose_le", "vise_et_signe")
    list_filter = ("epreuve",)
    search_fields = ("candidat__numero", "candidat__nom")
    list_select_related = ("candidat",)
    inlines = (FicheActiviteInline,)


@admin.register(DecisionConformite)
class DecisionConformiteAdmin(admin.ModelAdmin):
    list_display = ("dossier", "conforme", "decidee_par", "decidee_le")
    list_filter = ("conforme",)
    readonly_fields = ("decidee_le",)
