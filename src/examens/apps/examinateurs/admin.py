from django.contrib import admin

from examens.apps.examinateurs.models import Disponibilite, Examinateur


class DisponibiliteInline(admin.TabularInline):
    model = Disponibilite
    extra = 0


@admin.register(Examinateur)
class ExaminateurAdmin(admin.ModelAdmin):
    list_display = ("code", "nom", "prenom", "qualite", "bloc", "langue", "etablissement")
    list_filter = ("session", "qualite", "bloc", "langue")
    search_fields = ("code", "nom", "prenom")
    inlines = (DisponibiliteInline,)
