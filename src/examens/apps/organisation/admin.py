from django.contrib import admin

from examens.apps.organisation.models import Academie, Centre, EpreuveEcrite, ExamSession, Regroupement, Salle


class SalleInline(admin.TabularInline):
    model = Salle
    extra = 0


@admin.register(ExamSession)
class ExamSessionAdmin(admin.ModelAdmin):
    list_display = ("intitule", "code", "reglement", "academie_pilote")


@admin.register(Academie)
class AcademieAdmin(admin.ModelAdmin):
    list_display = ("nom", "code", "fuseau")
    search_fields = ("nom", "code")


@admin.register(Regroupement)
class RegroupementAdmin(admin.ModelAdmin):
    list_display = ("nom", "session")
    filter_horizontal = ("academies",)


@admin.register(Centre)
class CentreAdmin(admin.ModelAdmin):
    list_display = ("code", "nom", "ville", "academie", "fuseau")
    list_filter = ("academie", "fuseau")
    search_fields = ("code", "nom", "ville")
    inlines = (SalleInline,)


@admin.register(EpreuveEcrite)
class EpreuveEcriteAdmin(admin.ModelAdmin):
    list_display = ("epreuve", "session", "debut", "duree_minutes", "temps_de_loge_minutes")
