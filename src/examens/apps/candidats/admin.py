from django.contrib import admin

from examens.apps.candidats.models import Candidat, Dispense, Etablissement, NoteConservee, PeriodeStage


@admin.register(Etablissement)
class EtablissementAdmin(admin.ModelAdmin):
    list_display = ("uai", "nom", "ville", "academie", "statut", "habilite_ccf")
    list_filter = ("academie", "statut", "habilite_ccf")
    search_fields = ("uai", "nom", "ville")


class DispenseInline(admin.TabularInline):
    model = Dispense
    extra = 0


class NoteConserveeInline(admin.TabularInline):
    model = NoteConservee
    extra = 0


class PeriodeStageInline(admin.TabularInline):
    model = PeriodeStage
    extra = 0


@admin.register(Candidat)
class CandidatAdmin(admin.ModelAdmin):
    list_display = ("numero", "nom", "prenoms", "etablissement", "mode_preparation", "categorie_affichee", "parcours")
    list_filter = ("session", "mode_preparation", "parcours", "centre")
    search_fields = ("numero", "nom", "prenoms", "etablissement__uai", "etablissement__nom")
    list_select_related = ("etablissement", "session")
    inlines = (DispenseInline, NoteConserveeInline, PeriodeStageInline)

    @admin.display(description="catégorie")
    def categorie_affichee(self, obj: Candidat) -> str:
        try:
            return obj.categorie.code
        except KeyError:
            return "?"
