"""L'historique dans l'administration : consultation seule ; et `AdminTrace`, qui trace chaque ajout,
modification ou suppression faite par l'administration (formulaire principal et lignes en ligne).

L'administration Django exécute l'enregistrement d'un formulaire (`changeform_view`) et une suppression
(`delete_view`, action de masse) dans une transaction : la trace est écrite avec le changement, tout ou rien.
Les traces ne portent jamais d'identité (l'historique est pseudonyme par construction, voir la purge RGPD) :
les champs personnels d'un candidat sont notés « modifié » sans leur valeur.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from examens.apps.historique.models import Trace
from examens.apps.historique.services import tracer

# Identité des personnes : jamais recopiée dans l'historique.
CHAMPS_PERSONNELS = frozenset({"nom", "prenoms", "prenom", "date_naissance", "courriel"})
VALEUR_MASQUEE = "[donnée personnelle]"
MOTIF_ADMIN = "saisie dans l'administration"


def _json(valeur: Any) -> Any:
    if valeur is None or isinstance(valeur, bool | int | str | list | dict):
        return valeur
    if isinstance(valeur, Decimal):
        return f"{valeur:.2f}"
    if isinstance(valeur, date | datetime):
        return valeur.isoformat()
    return str(valeur)


def valeurs_tracables(obj: models.Model) -> dict[str, Any]:
    """Les champs de l'objet en JSON (les clés étrangères par leur identifiant), identité comprise : à masquer
    par `_masquer` avant d'écrire la trace."""
    return {c.attname: _json(c.value_from_object(obj)) for c in obj._meta.concrete_fields if not c.primary_key}


def _masquer(valeurs: dict[str, Any] | None) -> dict[str, Any] | None:
    if valeurs is None:
        return None
    return {k: VALEUR_MASQUEE if k in CHAMPS_PERSONNELS and v not in (None, "") else v for k, v in valeurs.items()}


def libelle_tracable(obj: models.Model, pk: Any = None) -> str:
    """Un libellé sans identité : « candidat 22-000001 — note conservée n° 3 »."""
    meta = obj._meta
    numero = getattr(obj, "numero", None) if meta.model_name == "candidat" else None
    if numero is not None:
        return f"candidat {numero}"
    candidat_id = getattr(obj, "candidat_id", None)
    prefixe = ""
    if candidat_id is not None:
        prefixe = f"candidat {obj.candidat.numero} — "  # type: ignore[attr-defined]
    elif getattr(obj, "dossier_id", None) is not None:
        dossier = obj.dossier  # type: ignore[attr-defined]
        prefixe = f"candidat {dossier.candidat.numero} — dossier {dossier.epreuve} — "
    return f"{prefixe}{meta.verbose_name} n° {obj.pk if pk is None else pk}"


def _tracer_objet(
    request: HttpRequest, action: Trace.Action, obj: models.Model, avant: dict[str, Any] | None, pk: Any = None
) -> None:
    apres = None if action == Trace.Action.SUPPRESSION else valeurs_tracables(obj)
    if avant is not None and apres is not None:
        avant, apres = (
            {k: v for k, v in avant.items() if apres.get(k) != v},
            {k: v for k, v in apres.items() if avant.get(k) != v},
        )
        if not avant and not apres:
            return
    tracer(
        acteur=request.user.get_username() or "inconnu",  # type: ignore[union-attr]
        action=action,
        objet_type=obj._meta.label_lower,
        objet_id=obj.pk if pk is None else pk,  # une suppression remet obj.pk à None
        objet_libelle=libelle_tracable(obj, pk),
        avant=_masquer(avant),
        apres=_masquer(apres),
        motif=MOTIF_ADMIN,
    )


def _avant(obj: models.Model) -> dict[str, Any] | None:
    if obj.pk is None:
        return None
    ancien = type(obj)._default_manager.filter(pk=obj.pk).first()
    return None if ancien is None else valeurs_tracables(ancien)


class AdminTrace(admin.ModelAdmin):
    """Un `ModelAdmin` dont chaque écriture (formulaire, lignes en ligne, suppression) laisse une trace :
    l'utilisateur, l'instant, les champs avant et après, le motif « saisie dans l'administration »."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        avant = _avant(obj) if change else None
        super().save_model(request, obj, form, change)
        _tracer_objet(request, Trace.Action.MODIFICATION if avant else Trace.Action.CREATION, obj, avant)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        avants = {f.instance.pk: _avant(f.instance) for f in formset.forms if f.instance.pk is not None}
        supprimes = [(f.instance, f.instance.pk) for f in formset.deleted_forms if f.instance.pk is not None]
        super().save_formset(request, form, formset, change)
        for obj, pk in supprimes:
            _tracer_objet(request, Trace.Action.SUPPRESSION, obj, avants.get(pk), pk)
        for obj in formset.new_objects:
            _tracer_objet(request, Trace.Action.CREATION, obj, None)
        for obj, _champs in formset.changed_objects:
            _tracer_objet(request, Trace.Action.MODIFICATION, obj, avants.get(obj.pk))

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        _tracer_objet(request, Trace.Action.SUPPRESSION, obj, valeurs_tracables(obj))
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            _tracer_objet(request, Trace.Action.SUPPRESSION, obj, valeurs_tracables(obj))
        super().delete_queryset(request, queryset)


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
