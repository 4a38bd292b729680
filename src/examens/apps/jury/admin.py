"""Administration des jurys : composition (avec l'avertissement d'équilibre CE D643-31) ; décisions en lecture
seule (elles s'écrivent par `jury.services.deliberer_session`, qui les trace)."""

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from examens.apps.historique.admin import AdminTrace
from examens.apps.jury.models import DecisionJury, EtatDeliberation, ExamenLivret, Jury, MembreJury


class MembreJuryInline(admin.TabularInline):
    model = MembreJury
    extra = 0
    autocomplete_fields = ("examinateur",)


@admin.register(Jury)
class JuryAdmin(AdminTrace):
    list_display = ("nom", "session", "president", "composition")
    list_filter = ("session",)
    search_fields = ("nom", "president")
    filter_horizontal = ("centres",)
    raw_id_fields = ("candidats",)
    inlines = (MembreJuryInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Jury]:
        return super().get_queryset(request).prefetch_related("membres")

    @admin.display(description="composition")
    def composition(self, obj: Jury) -> str:
        membres = list(obj.membres.all())
        enseignants = sum(1 for m in membres if m.qualite == "enseignant")
        texte = f"{enseignants} enseignant(s), {len(membres) - enseignants} professionnel(s)"
        return texte if not obj.avertissements_composition() else f"⚠ {texte}"

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        for avertissement in form.instance.avertissements_composition():
            messages.warning(request, avertissement)


@admin.register(ExamenLivret)
class ExamenLivretAdmin(AdminTrace):
    list_display = ("candidat", "jury", "examine_par", "examine_le", "mention_pix")
    list_select_related = ("candidat", "jury")
    search_fields = ("candidat__numero", "candidat__nom")
    raw_id_fields = ("candidat",)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(DecisionJury)
class DecisionJuryAdmin(admin.ModelAdmin):
    """Consultation seulement : une décision ne se modifie pas, une nouvelle délibération la remplace."""

    list_display = ("candidat", "decision", "motif", "moyenne", "apres_controle", "jury", "decidee_par", "decidee_le")
    list_filter = ("en_vigueur", "decision", "motif", "apres_controle", "jury")
    search_fields = ("candidat__numero", "candidat__nom")
    list_select_related = ("candidat", "jury")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(EtatDeliberation)
class EtatDeliberationAdmin(admin.ModelAdmin):
    """Consultation seulement : verrouiller, rouvrir (avec un motif) et publier passent par les services, qui
    tracent chaque acte (écran « Délibération » de l'application web)."""

    list_display = ("jury", "libelle", "verrouillee_le", "publiee_le", "reouvertures", "rouverte_le")
    list_select_related = ("jury",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
