"""Espace examinateur et double saisie des notes d'oral.

- `espace` : ses passages jour par jour (heure du centre), ce qu'il prépare (fiche-sujet E4, page des sujets),
  ce qu'il lit pendant le passage (sujet et grille E5B, page des sujets), l'évaluation de l'engagement étudiant ;
- `agenda` : ses passages en iCalendar (la convocation des éditions, `documents.ics`) ;
- `saisies` : les grilles de saisie du périmètre (commission × jour), avec leur avancement ;
- `grille` : la saisie d'une commission pour un jour — une case par passage, la sienne seulement (les deux saisies
  restent indépendantes), écrite par `notes.services.saisir_note_orale` ;
- `evaluation_engagement`, `fiche_engagement` : la fiche d'évaluation (sujets.services.evaluer_engagement) et la
  fiche d'engagement du candidat (journalisée, sujets.services.consulter_fiche_engagement).

Hors des droits du rôle : 403 ; une commission ou un passage hors du périmètre : 404.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from examens.apps.comptes.permissions import Droit, a_le_droit, commissions_visibles
from examens.apps.notes.selectors import EtatCase
from examens.apps.notes.services import DemandeSaisie, SaisiePerimee, SaisieRefusee, saisir_notes_orales
from examens.apps.planification.models import Passage, VersionPlanning
from examens.apps.sujets.models import EvaluationEngagement
from examens.apps.sujets.services import consulter_fiche_engagement, evaluer_engagement
from examens.apps.web.forms_examinateur import FormulaireEvaluationEngagement
from examens.apps.web.selectors_examinateur import (
    Grille,
    LigneGrille,
    agenda_ics,
    espace_examinateur,
    examinateurs_de,
    grille_de_saisie,
    grilles_visibles,
)
from examens.apps.web.views import HORS_DROITS, _session, habilite
from examens.core.erreurs import ErreurExamens

PAS_EXAMINATEUR = "Cet espace est celui des examinateurs : votre compte n'y est pas habilité."


def _identifiant(request: HttpRequest) -> str:
    return str(request.user.get_username())


# --------------------------------------------------------------------------- espace examinateur


@habilite
def espace(request: HttpRequest) -> HttpResponse:
    session = _session(request, Droit.ESPACE_EXAMINATEUR)
    examinateurs = examinateurs_de(request.user, session)
    if not examinateurs:
        raise PermissionDenied(PAS_EXAMINATEUR)
    par = _identifiant(request)
    return render(
        request,
        "web/examinateur/espace.html",
        {"session": session, "espaces": [espace_examinateur(x, par=par) for x in examinateurs], "EtatCase": EtatCase},
    )


@habilite
def agenda(request: HttpRequest) -> HttpResponse:
    session = _session(request, Droit.ESPACE_EXAMINATEUR)
    examinateurs = examinateurs_de(request.user, session)
    if not examinateurs:
        raise PermissionDenied(PAS_EXAMINATEUR)
    examinateur = examinateurs[0]
    contenu = agenda_ics(examinateur)
    if contenu is None:
        raise Http404("Aucun passage publié : votre agenda est vide.")
    reponse = HttpResponse(contenu.encode(), content_type="text/calendar; charset=utf-8")
    reponse["Content-Disposition"] = f'attachment; filename="interrogations-{examinateur.code}.ics"'
    reponse["Cache-Control"] = "no-store"
    return reponse


def _passage_de_ma_commission(request: HttpRequest, pk: int, epreuve: str) -> Passage:
    """Un passage (planning publié) d'une commission où l'utilisateur siège ; sinon 404 (403 sans le rôle)."""
    if not a_le_droit(request.user, Droit.ESPACE_EXAMINATEUR):
        raise PermissionDenied(HORS_DROITS)
    return get_object_or_404(
        Passage.objects.select_related("candidat__session", "commission", "version__centre").filter(
            commission__in=commissions_visibles(request.user),
            commission__membres__habilitations__utilisateur=request.user,
            version__statut=VersionPlanning.Statut.PUBLIE,
            epreuve=epreuve,
        ),
        pk=pk,
    )


@habilite
@require_http_methods(["GET", "POST"])
def evaluation_engagement(request: HttpRequest, pk: int) -> HttpResponse:
    passage = _passage_de_ma_commission(request, pk, "ENGAGEMENT")
    candidat = passage.candidat
    evaluation = EvaluationEngagement.objects.filter(candidat=candidat).defer("grille").first()
    formulaire = FormulaireEvaluationEngagement(
        request.POST or None, initial=FormulaireEvaluationEngagement.initial_de(evaluation)
    )
    if request.method == "POST" and formulaire.is_valid():
        try:
            evaluer_engagement(
                candidat=candidat,
                fiche_evaluation=formulaire.fiche_evaluation(),
                note=formulaire.cleaned_data["note"],
                appreciation=formulaire.cleaned_data["appreciation"],
                par=_identifiant(request),
            )
        except ErreurExamens as erreur:
            formulaire.add_error(None, str(erreur))
        else:
            messages.success(
                request,
                f"Fiche d'évaluation de l'engagement étudiant du candidat {candidat.numero} enregistrée. Sa note "
                "est reportée au résultat de l'épreuve facultative, que lit la délibération.",
            )
            return redirect(f"{reverse('web:espace_examinateur')}?session={candidat.session.code}")
    return render(
        request,
        "web/examinateur/evaluation_engagement.html",
        {"passage": passage, "candidat": candidat, "evaluation": evaluation, "formulaire": formulaire},
    )


@habilite
def fiche_engagement(request: HttpRequest, pk: int) -> HttpResponse:
    passage = _passage_de_ma_commission(request, pk, "ENGAGEMENT")
    try:
        lu = consulter_fiche_engagement(utilisateur=request.user, candidat=passage.candidat)
    except PermissionDenied:
        raise
    except ErreurExamens as erreur:
        raise Http404(str(erreur)) from None
    reponse = HttpResponse(lu.contenu, content_type=lu.type_mime)
    reponse["Content-Disposition"] = f'inline; filename="{lu.nom_fichier}"'
    reponse["Cache-Control"] = "no-store"
    return reponse


# --------------------------------------------------------------------------- double saisie


@habilite
def saisies(request: HttpRequest) -> HttpResponse:
    session = _session(request, Droit.SAISIE_NOTES)
    return render(
        request,
        "web/examinateur/saisies.html",
        {
            "session": session,
            "grilles": grilles_visibles(request.user, session, par=_identifiant(request)),
            "EtatCase": EtatCase,
        },
    )


def _affiche(ligne: LigneGrille) -> str:
    """Ce que la page montre de sa propre saisie : « 12,5|0 », « 14|1 » (doute), « |0 » (rien)."""
    sienne = ligne.case.sienne
    return f"{ligne.case.valeur_sienne}|{int(sienne.doute) if sienne else 0}"


def _lignes_du_gabarit(
    grille: Grille, erreurs: dict[int, str], retapees: dict[int, tuple[str, bool]]
) -> list[dict[str, Any]]:
    lignes = []
    for ligne in grille.lignes:
        pk = ligne.passage.pk
        valeur, doute = retapees.get(
            pk, (ligne.case.valeur_sienne, bool(ligne.case.sienne and ligne.case.sienne.doute))
        )
        lignes.append(
            {"l": ligne, "valeur": valeur, "doute": doute, "affiche": _affiche(ligne), "erreur": erreurs.get(pk, "")}
        )
    return lignes


def _bilan(compte: Counter[str]) -> str:
    morceaux = []
    if compte[EtatCase.VALIDEE]:
        morceaux.append(f"{compte[EtatCase.VALIDEE]} résultat(s) validé(s) (deux saisies concordantes)")
    if compte[EtatCase.ECART]:
        morceaux.append(f"{compte[EtatCase.ECART]} écart(s) entre les deux saisies, à vérifier sur la fiche signée")
    if compte[EtatCase.UNE_SAISIE]:
        morceaux.append(f"{compte[EtatCase.UNE_SAISIE]} en attente de la seconde saisie")
    total = sum(compte.values())
    return f"{total} saisie(s) enregistrée(s) : " + " ; ".join(morceaux) + "."


@habilite
@require_http_methods(["GET", "POST"])
def grille(request: HttpRequest, pk: int, jour: str) -> HttpResponse:
    utilisateur = request.user
    if not a_le_droit(utilisateur, Droit.SAISIE_NOTES):
        raise PermissionDenied(HORS_DROITS)
    commission = get_object_or_404(commissions_visibles(utilisateur).select_related("centre", "session"), pk=pk)
    if not a_le_droit(utilisateur, Droit.SAISIE_NOTES, session=commission.session):
        raise PermissionDenied(HORS_DROITS)
    try:
        date = dt.date.fromisoformat(jour)
    except ValueError:
        raise Http404("Date illisible : AAAA-MM-JJ.") from None
    par = _identifiant(request)
    g = grille_de_saisie(utilisateur, commission, date, par=par)
    if not g.lignes:
        raise Http404("Aucun passage publié de cette commission ce jour-là.")
    erreurs: dict[int, str] = {}
    retapees: dict[int, tuple[str, bool]] = {}
    conflit = False
    if request.method == "POST":
        compte: Counter[str] = Counter()
        demandes: list[DemandeSaisie] = []
        for ligne in g.lignes:
            cle = ligne.passage.pk
            valeur = request.POST.get(f"valeur-{cle}", "").strip()
            doute = request.POST.get(f"doute-{cle}") == "on" and ligne.doute_possible
            affiche = request.POST.get(f"affiche-{cle}")
            if affiche is None or f"{valeur}|{int(doute)}" == affiche:
                continue  # case absente du formulaire envoyé, ou inchangée : rien à écrire
            retapees[cle] = (valeur, doute)
            c = ligne.passage.candidat
            case = f"Candidat {c.numero} ({c.nom} {c.prenoms}), {ligne.passage.epreuve}"
            if not ligne.saisissable:
                # La page montrait une case modifiable qui ne l'est plus (validée entre-temps…) : on le dit.
                erreurs[cle] = (
                    f"{case} : la case a changé depuis l'affichage de la page ({ligne.raison}) ; rien n'a été "
                    "enregistré."
                )
                conflit = True
            elif not valeur:
                erreurs[cle] = (
                    f"{case} : une saisie ne s'efface pas ; saisissez la note, ou AB pour un candidat absent."
                )
            elif not request.POST.get(f"version-{cle}", "").isdigit():
                erreurs[cle], conflit = f"{case} : page incomplète, rechargez-la.", True
            else:
                demandes.append(DemandeSaisie(cle, valeur, int(request.POST[f"version-{cle}"]), doute))
        issues = saisir_notes_orales(utilisateur=utilisateur, demandes=demandes) if demandes else {}
        for cle, issue in issues.items():
            if isinstance(issue, SaisieRefusee):
                erreurs[cle] = str(issue)
                conflit = conflit or isinstance(issue, SaisiePerimee)
            elif issue.modifiee:
                compte[issue.etat] += 1
        retapees = {cle: v for cle, v in retapees.items() if cle in erreurs}
        if compte:
            (messages.success if not erreurs else messages.info)(request, _bilan(compte))
        if not erreurs:
            if not compte:
                messages.info(request, "Aucune case modifiée : rien n'a été enregistré.")
            return redirect(request.get_full_path())
        g = grille_de_saisie(utilisateur, commission, date, par=par)  # état frais : versions et saisies des autres
    statut = 409 if conflit else 200
    return render(
        request,
        "web/examinateur/grille.html",
        {
            "grille": g,
            "session": commission.session,
            "lignes": _lignes_du_gabarit(g, erreurs, retapees),
            "erreurs": [
                (
                    f"valeur-{ligne.passage.pk}" if ligne.saisissable else f"ligne-{ligne.passage.pk}",
                    erreurs[ligne.passage.pk],
                )
                for ligne in g.lignes
                if ligne.passage.pk in erreurs
            ],
            "conflit": conflit,
            "EtatCase": EtatCase,
        },
        status=statut,
    )
