"""Pages de gestion des écrits (DSFR) : l'accueil des écrits d'une session, puis les lots de copies d'une épreuve
par centre de correction — constitution (simulation, puis enregistrement), affectation d'un lot à un correcteur,
répartition automatique des lots sans correcteur. Mêmes règles que `views.py` : le rôle d'abord
(`comptes.permissions`, sinon 403), l'objet cherché dans le périmètre (sinon 404), puis un service, qui trace.

| page                                         | qui                                                            |
|----------------------------------------------|----------------------------------------------------------------|
| accueil des écrits (`/ecrits/`)               | gestionnaire (son académie ; toute la session si pilote) ; le chef de centre y trouve la répartition de son centre, le correcteur ses lots (redirection) |
| lots d'une épreuve : ses centres de correction | gestionnaire                                                   |
| lots d'un centre de correction : constituer, confier, répartir | gestionnaire dont le périmètre comprend le centre (un autre : 404) |

Un correcteur, un chef de centre, un candidat n'ouvrent pas ces pages (403) : les lots ne portent que des
numéros d'anonymat, mais leur composition (établissements des candidats) reste l'affaire de la division des
examens.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from examens.apps.comptes.models import Role
from examens.apps.comptes.permissions import habilitations_de, roles_de
from examens.apps.ecrits import selectors_lots, services
from examens.apps.ecrits.forms_lots import (
    FormulaireAffectation,
    FormulaireConstitution,
    FormulaireRepartition,
    libelle_correcteur,
)
from examens.apps.ecrits.models import Lot
from examens.apps.ecrits.services.copies import RapportLots
from examens.apps.ecrits.views import _gestionnaire, _session, centres_geres
from examens.apps.ecrits.views_suivi import centres_du_gestionnaire
from examens.apps.organisation.models import Centre, EpreuveEcrite, ExamSession
from examens.apps.web.views import HORS_DROITS, habilite
from examens.core.erreurs import ErreurExamens

RIEN = "Rien n'est enregistré."


def _acteur(request: HttpRequest) -> str:
    return request.user.get_username()


# --- L'accueil des écrits --------------------------------------------------------------------------------------


@habilite
def accueil(request: HttpRequest) -> HttpResponse:
    """Les épreuves écrites de la session et les pages qui les mènent, pour le gestionnaire. Le chef de centre est
    conduit à la répartition de son centre, le correcteur à ses lots ; les autres rôles : 403."""
    session = _session(request)
    roles = roles_de(request.user, session=session)
    if Role.GESTIONNAIRE not in roles:
        for h in habilitations_de(request.user):
            if h.session_id == session.pk and h.role == Role.CHEF_DE_CENTRE:
                return redirect(f"{reverse('ecrits:repartition', args=[h.centre_id])}?session={session.code}")
        if Role.EXAMINATEUR in roles:
            return redirect("ecrits:mes_lots")
        raise PermissionDenied(HORS_DROITS)
    centres = centres_du_gestionnaire(request.user, session)
    return render(
        request,
        "ecrits/accueil.html",
        {
            "session": session,
            "accueil": selectors_lots.accueil_des_ecrits(session=session, centres=centres),
            "centres": list(centres_geres(request.user, session).order_by("nom", "code")),
        },
    )


# --- Les lots d'une épreuve : ses centres de correction ---------------------------------------------------------


@habilite
def lots_epreuve(request: HttpRequest, epreuve_pk: int) -> HttpResponse:
    epreuve = _gestionnaire(request, epreuve_pk)
    session = epreuve.session
    return render(
        request,
        "ecrits/lots/epreuve.html",
        {
            "session": session,
            "epreuve": epreuve,
            "lignes": selectors_lots.centres_de_correction(
                epreuve=epreuve, centres=centres_du_gestionnaire(request.user, session)
            ),
        },
    )


# --- Les lots d'un centre de correction : constituer, confier, répartir --------------------------------------------


def _resume_constitution(rapport: RapportLots, centre: Centre) -> str:
    copies = sum(ligne.copies for ligne in rapport.lignes)
    lots = rapport.lots_crees
    texte = (
        f"{rapport.epreuve}, centre de correction {centre.nom} : {rapport.anonymisees} copie(s) anonymisée(s), "
        f"{copies} copie(s) rangée(s) en {len(lots)} nouveau(x) lot(s)"
    )
    if lots:
        texte += f" ({lots[0].code}" + (f" à {lots[-1].code})" if len(lots) > 1 else ")")
    return texte + "."


def _contexte_centre(
    request: HttpRequest,
    session: ExamSession,
    epreuve: EpreuveEcrite,
    centre: Centre,
    *,
    constitution: FormulaireConstitution | None = None,
    affectation: FormulaireAffectation | None = None,
    repartition: FormulaireRepartition | None = None,
    simulation: RapportLots | None = None,
) -> dict[str, Any]:
    lots = selectors_lots.lots_du_centre(epreuve=epreuve, centre=centre)
    correcteurs = list(selectors_lots.correcteurs_proposes(session=session, centre=centre))
    charge = selectors_lots.charge_des_correcteurs(epreuve=epreuve, centre=centre)
    lot_choisi = request.GET.get("lot", "")
    etats = selectors_lots.centres_de_correction(epreuve=epreuve, centres=Centre.objects.filter(pk=centre.pk))
    return {
        "session": session,
        "epreuve": epreuve,
        "centre": centre,
        "etat": etats[0] if etats else None,
        "achemine_vers": selectors_lots.centre_de_correction_de(session=session, centre=centre),
        "lots": lots,
        "sans_correcteur": sum(1 for lot in lots if lot.correcteur_id is None),
        "simulation": simulation,
        "simulation_copies": sum(ligne.copies for ligne in simulation.lignes) if simulation else 0,
        "simulation_lots": sum(ligne.lots for ligne in simulation.lignes) if simulation else 0,
        "constitution": constitution or FormulaireConstitution(),
        "affectation": affectation
        or FormulaireAffectation(
            lots=_choix_lots(lots),
            correcteurs=correcteurs,
            charge=charge,
            initial={"lot": lot_choisi} if lot_choisi.isdigit() else {},
        ),
        "repartition": repartition or FormulaireRepartition(correcteurs=correcteurs, charge=charge),
        "correcteurs": len(correcteurs),
    }


def _choix_lots(lots: list[selectors_lots.LotDuCentre]) -> list[tuple[str, str]]:
    """Les lots qu'on peut encore confier (pas ceux rendus) ; le service refuse ceux dont la correction a
    commencé."""
    return [
        (str(lot.pk), f"{lot.code} — {lot.copies} copie(s) — {lot.correcteur or 'sans correcteur'}")
        for lot in lots
        if lot.statut != Lot.Statut.RENDU
    ]


@habilite
@require_http_methods(["GET", "POST"])
def lots_centre(request: HttpRequest, epreuve_pk: int, centre_pk: int) -> HttpResponse:
    epreuve = _gestionnaire(request, epreuve_pk)
    session = epreuve.session
    centre = get_object_or_404(centres_du_gestionnaire(request.user, session), pk=centre_pk)
    if request.method == "GET":
        return render(request, "ecrits/lots/centre.html", _contexte_centre(request, session, epreuve, centre))
    acteur = _acteur(request)
    retour = reverse("ecrits:lots_centre", args=[epreuve.pk, centre.pk])
    action = request.POST.get("action", "")
    if action in ("simuler", "constituer"):
        constitution = FormulaireConstitution(request.POST)
        if not constitution.is_valid():
            messages.error(request, f"Le formulaire contient des erreurs. {RIEN}")
            return render(
                request,
                "ecrits/lots/centre.html",
                _contexte_centre(request, session, epreuve, centre, constitution=constitution),
            )
        appliquer = action == "constituer"
        try:
            rapport = services.constituer_lots(
                epreuve=epreuve,
                acteur=acteur,
                taille=constitution.cleaned_data["taille"],
                appliquer=appliquer,
                centre_correction=centre,
            )
        except ErreurExamens as exc:
            messages.error(request, f"{exc.message.rstrip('.')}. {RIEN}")
            return redirect(retour)
        if not appliquer:
            return render(
                request,
                "ecrits/lots/centre.html",
                _contexte_centre(request, session, epreuve, centre, constitution=constitution, simulation=rapport),
            )
        if rapport.lots_crees:
            messages.success(request, _resume_constitution(rapport, centre))
        else:
            messages.info(request, f"{epreuve.epreuve}, {centre.nom} : aucune copie à ranger en lots. {RIEN}")
        for avertissement in rapport.avertissements:
            messages.warning(request, avertissement)
        return redirect(retour)
    correcteurs = list(selectors_lots.correcteurs_proposes(session=session, centre=centre))
    charge = selectors_lots.charge_des_correcteurs(epreuve=epreuve, centre=centre)
    if action == "affecter":
        lots = selectors_lots.lots_du_centre(epreuve=epreuve, centre=centre)
        affectation = FormulaireAffectation(
            request.POST, lots=_choix_lots(lots), correcteurs=correcteurs, charge=charge
        )
        if affectation.is_valid():
            lot = Lot.objects.select_related("epreuve").get(
                pk=affectation.cleaned_data["lot"], epreuve=epreuve, centre_correction=centre
            )
            correcteur = affectation.cleaned_data["correcteur"]
            try:
                services.affecter_lot(lot=lot, correcteur=correcteur, acteur=acteur)
            except ErreurExamens as exc:
                affectation.add_error(None, f"{exc.message.rstrip('.')}. {RIEN}")
            else:
                messages.success(request, f"Lot {lot.code} confié à {libelle_correcteur(correcteur, {})}.")
                return redirect(retour)
        else:
            messages.error(request, f"Le formulaire contient des erreurs. {RIEN}")
        return render(
            request,
            "ecrits/lots/centre.html",
            _contexte_centre(request, session, epreuve, centre, affectation=affectation),
        )
    if action == "repartir":
        repartition = FormulaireRepartition(request.POST, correcteurs=correcteurs, charge=charge)
        if repartition.is_valid():
            sans = list(Lot.objects.filter(epreuve=epreuve, centre_correction=centre, correcteur__isnull=True))
            if not sans:
                messages.info(request, f"Tous les lots de {centre.nom} ont un correcteur. {RIEN}")
                return redirect(retour)
            try:
                affectations = services.affecter_lots(
                    lots=sans, correcteurs=repartition.cleaned_data["correcteurs"], acteur=acteur
                )
            except ErreurExamens as exc:
                repartition.add_error(None, f"{exc.message.rstrip('.')}. {RIEN}")
            else:
                detail = ", ".join(f"{lot.code} → {c.code}" for lot, c in affectations[:20])
                suite = "…" if len(affectations) > 20 else ""
                messages.success(request, f"{len(affectations)} lot(s) confié(s) : {detail}{suite}.")
                return redirect(retour)
        else:
            messages.error(request, f"Le formulaire contient des erreurs. {RIEN}")
        return render(
            request,
            "ecrits/lots/centre.html",
            _contexte_centre(request, session, epreuve, centre, repartition=repartition),
        )
    messages.error(request, f"Action inconnue. {RIEN}")
    return redirect(retour)
