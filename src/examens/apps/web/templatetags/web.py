"""Balises des gabarits web : la navigation principale selon les rôles, quelques mises en forme françaises."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import quote

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
    if a_le_droit(utilisateur, Droit.DELIBERATION):
        entrees.append({"nom": "deliberation", "libelle": "Délibération", "url": reverse("web:deliberation")})
    if a_le_droit(utilisateur, Droit.ESPACE_EXAMINATEUR):
        entrees.append(
            {"nom": "espace_examinateur", "libelle": "Espace examinateur", "url": reverse("web:espace_examinateur")}
        )
    if a_le_droit(utilisateur, Droit.SAISIE_NOTES):
        entrees.append({"nom": "saisies", "libelle": "Saisie des notes", "url": reverse("web:saisies")})
    if a_le_droit(utilisateur, Droit.EDITIONS):
        entrees.append({"nom": "editions", "libelle": "Éditions", "url": reverse("web:editions")})
    if a_le_droit(utilisateur, Droit.TRAITER_RECLAMATIONS):
        entrees.append({"nom": "reclamations", "libelle": "Réclamations", "url": reverse("web:reclamations")})
    if a_le_droit(utilisateur, Droit.ESPACE_ETABLISSEMENT):
        entrees.append({"nom": "etablissement", "libelle": "Mon établissement", "url": reverse("web:etablissement")})
    if a_le_droit(utilisateur, Droit.ESPACE_CANDIDAT):
        entrees.append({"nom": "espace_candidat", "libelle": "Mon espace", "url": reverse("web:espace_candidat")})
    if a_le_droit(utilisateur, Droit.CONFORMITE):
        entrees.append({"nom": "conformite", "libelle": "Conformité", "url": reverse("web:conformite")})
    if a_le_droit(utilisateur, Droit.PLANNING):
        entrees.append({"nom": "plannings", "libelle": "Plannings", "url": reverse("web:plannings")})
    if (ecrits := _entree_ecrits(habilitations)) is not None:
        entrees.append(ecrits)
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
        entree["active"] = (
            entree["nom"] == courante
            or (courante == "fiche_candidat" and entree["nom"] == "candidats")
            or (entree["nom"] == "deliberation" and str(courante).startswith("deliberation_"))
            or (entree["nom"] == "saisies" and courante == "grille_saisie")
            or (entree["nom"] in ("etablissement", "espace_candidat") and str(courante).startswith(f"{entree['nom']}_"))
            or (entree["nom"] == "reclamations" and courante == "reclamation")
            or (entree["nom"] == "conformite" and courante == "dossier_conformite")
            or (entree["nom"] == "plannings" and courante in ("planning_centre", "passage"))
            or (entree["nom"] == "ecrits" and getattr(request.resolver_match, "namespace", "") == "ecrits")
        )
    return {"entrees": entrees}


def _entree_ecrits(habilitations: list[Any]) -> dict[str, Any] | None:
    """« Épreuves écrites » : l'accueil des écrits pour le gestionnaire, la répartition de son centre pour le chef
    de centre (session la plus récente), ses lots de copies pour le correcteur ; aucune pour les autres rôles."""
    roles = {h.role for h in habilitations}
    if Role.GESTIONNAIRE in roles:
        url = reverse("ecrits:accueil")
    elif Role.CHEF_DE_CENTRE in roles:
        h = max((h for h in habilitations if h.role == Role.CHEF_DE_CENTRE), key=lambda h: h.session_id)
        url = f"{reverse('ecrits:repartition', args=[h.centre_id])}?session={quote(h.session.code)}"
    elif Role.EXAMINATEUR in roles:
        url = reverse("ecrits:mes_lots")
    else:
        return None
    return {"nom": "ecrits", "libelle": "Épreuves écrites", "url": url}


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
