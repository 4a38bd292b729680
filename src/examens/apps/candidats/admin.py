"""Administration des établissements et des candidats. Chaque écriture est tracée (`AdminTrace`) : un changement
de centre, un désistement, une dispense ou une note conservée saisis ici laissent une trace, sans identité."""

from django.contrib import admin

from examens.apps.candidats.models import Candidat, Dispense, Etablissement, NoteConservee, PeriodeStage
from examens.apps.historique.admin import AdminTrace


@admin.register(Etablissement)
class EtablissementAdmin(AdminTrace):
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
class CandidatAdmin(AdminTrace):
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
