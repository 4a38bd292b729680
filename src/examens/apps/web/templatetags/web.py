"""Balises des gabarits web : la navigation principale selon les rôles, quelques mises en forme françaises."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django import template
from django.urls import reverse

from examens.apps.comptes.models import Role
from examens.apps.comptes.permissions import Droit, a_le_droit, habilitations_de

register = template.Library()


@register.inclusion_tag("web/_navigation.html", takes_context=True)
def menu_principal(context: dict[str, Any]) -> dict[str, Any]:
    """Les entrées du menu que les rôles de l'utilisateur ouvrent ; la page courante est signalée
    (`aria-current="page"`)."""
    request = context["request"]
    utilisateur = request.user
    courante = getattr(request.resolver_match, "url_name", "")
    entrees: list[dict[str, Any]] = []
    habilitations = habilitations_de(utilisateur)
    if habilitations:
        entrees.append({"nom": "accueil", "libelle": "Accueil", "url": reverse("web:accueil")})
    if a_le_droit(utilisateur, Droit.TABLEAU_DE_BORD):
        entrees.append({"nom": "tableau_de_bord", "libelle": "Tableau de bord", "url": reverse("web:tableau_de_bord")})
    if a_le_droit(utilisateur, Droit.RECHERCHE_CANDIDATS):
        entrees.append({"nom": "candidats", "libelle": "Candidats", "url": reverse("web:candidats")})
    if a_le_droit(utilisateur, Droit.EDITIONS):
        entrees.append({"nom": "editions", "libelle": "Éditions", "url": reverse("web:editions")})
    for h in habilitations:
        if h.role == Role.CANDIDAT:
            entrees.append(
                {
                    "nom": "fiche_candidat",
                    "libelle": "Mon dossier d'examen",
                    "url": reverse("web:fiche_candidat", args=[h.candidat_id]),
                }
            )
    if getattr(utilisateur, "is_staff", False):
        entrees.append({"nom": "admin", "libelle": "Administration", "url": reverse("admin:index")})
    for entree in entrees:
        entree["active"] = entree["nom"] == courante or (courante == "fiche_candidat" and entree["nom"] == "candidats")
    return {"entrees": entrees}


@register.filter
def minutes(duree: timedelta | None) -> int:
    """Une durée en minutes entières (verrouillage de django-axes)."""
    return 0 if duree is None else int(duree.total_seconds() // 60)


@register.filter
def pourcent(valeur: Decimal | None) -> str:
    """82.4 → « 82,4 % » ; None → « — »."""
    if valeur is None:
        return "—"
    return f"{valeur:.1f}".replace(".", ",") + "\u202f%"
