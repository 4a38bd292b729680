"""Balises des gabarits web : la navigation principale selon les rôles, quelques mises en forme françaises."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from django import template
from django.urls import reverse

from examens.apps.comptes.models import Role
from examens.apps.comptes.permissions import Droit, a_le_droit, habilitations_de, session_par_defaut

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
    if (sujets := _entree_sujets(request)) is not None:
        entrees.append(sujets)
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
            or (entree["nom"] == "sujets" and getattr(request.resolver_match, "namespace", "") == "sujets")
        )
    return {"entrees": entrees}


def _entree_ecrits(habilitations: list[Any]) -> dict[str, Any] | None:
    """« Épreuves écrites » : l'accueil des écrits pour le gestionnaire, la répartition de son centre pour le chef
    de centre (session la plus récente), ses lots de copies pour le correcteur ; un sous-menu pour qui cumule ces
    rôles ; aucune entrée pour les autres."""
    roles = {h.role for h in habilitations}
    liens: list[dict[str, Any]] = []
    if Role.GESTIONNAIRE in roles:
        liens.append({"libelle": "Accueil des écrits", "url": reverse("ecrits:accueil")})
    if Role.CHEF_DE_CENTRE in roles:
        h = max((h for h in habilitations if h.role == Role.CHEF_DE_CENTRE), key=lambda h: h.session_id)
        url = f"{reverse('ecrits:repartition', args=[h.centre_id])}?session={quote(h.session.code)}"
        liens.append({"libelle": f"Répartition et salles — {h.centre.nom}", "url": url})
    if Role.EXAMINATEUR in roles:
        liens.append({"libelle": "Mes lots de copies", "url": reverse("ecrits:mes_lots")})
    if not liens:
        return None
    entree: dict[str, Any] = {"nom": "ecrits", "libelle": "Épreuves écrites", "url": liens[0]["url"]}
    if len(liens) > 1:
        entree["liens"] = [{**lien, "active": False} for lien in liens]
    return entree


def _entree_sujets(request: Any) -> dict[str, Any] | None:
    """« Sujets et pièces » (apps/sujets), un sous-menu dans la session affichée (sinon la plus récente) : banque,
    attribution, journal et préparation des centres pour le gestionnaire de l'académie pilote ; préparation des
    centres et journal pour le gestionnaire d'une autre académie ; postes E5B et fiches-sujets manquantes de son
    centre pour le chef de centre. Aucune pour les autres rôles : l'examinateur ouvre ses fiches-sujets E4 et ses
    sujets E5B depuis son espace. Sans requête : les habilitations sont déjà chargées."""
    utilisateur = request.user
    session = session_par_defaut(utilisateur, request.GET.get("session")) or session_par_defaut(utilisateur)
    if session is None:
        return None
    habilitations = [h for h in habilitations_de(utilisateur) if h.session_id == session.pk]
    pages: list[tuple[str, str, tuple[Any, ...]]] = []
    gestion = [h for h in habilitations if h.role == Role.GESTIONNAIRE]
    if any(h.national for h in gestion):
        pages += [
            ("sujets:banque", "Banque de sujets E5B", ()),
            ("sujets:attribution", "Attribution des sujets E5B", ()),
            ("sujets:journal", "Journal d'attribution", ()),
            ("sujets:centres", "Préparation des centres", ()),
        ]
    elif gestion:
        pages += [("sujets:centres", "Préparation des centres", ()), ("sujets:journal", "Journal d'attribution", ())]
    chefs = [h for h in habilitations if h.role == Role.CHEF_DE_CENTRE and h.centre_id]
    for h in chefs:
        du_centre = f" — {h.centre.nom}" if len(chefs) > 1 else " du centre"
        pages += [
            ("sujets:postes", f"Postes E5B{du_centre}", (h.centre_id,)),
            ("sujets:fiches_manquantes", f"Fiches-sujets E4 manquantes{du_centre}", (h.centre_id,)),
        ]
    if not pages:
        return None
    liens, vues = [], set()
    for nom, libelle, args in pages:
        chemin = reverse(nom, args=args)
        if chemin not in vues:
            vues.add(chemin)
            url = f"{chemin}?session={quote(session.code)}"
            liens.append({"libelle": libelle, "url": url, "active": request.path == chemin})
    return {"nom": "sujets", "libelle": "Sujets et pièces", "url": liens[0]["url"], "liens": liens}


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
