"""Contrôle de conformité des dossiers E4 et E6 (§6, §7 ; A.2008) : la file des dossiers du périmètre, la page
d'un dossier (pièces, stage, proposition du cœur, décisions, notifications), la décision de la commission et la
levée d'un doute le jour de l'épreuve.

| page                          | qui                                                                     |
|-------------------------------|-------------------------------------------------------------------------|
| file, page d'un dossier       | gestionnaire (son académie, toute la session pour le pilote), chef de centre (son centre, lecture) |
| décision, levée de doute      | gestionnaire (`Droit.DECIDER_CONFORMITE`)                              |

Hors périmètre, un dossier est introuvable (404) ; un rôle sans le droit reçoit 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from examens.apps.comptes.permissions import (
    Droit,
    a_le_droit,
    academies_visibles,
    candidats_visibles,
    centres_visibles,
)
from examens.apps.dossiers.models import Dossier
from examens.apps.dossiers.services import DecisionEnregistree, decider_conformite, lever_le_doute
from examens.apps.web.forms_conformite import FormulaireDecision, FormulaireFileDossiers, FormulaireLeveeDoute
from examens.apps.web.selectors_conformite import (
    dossiers_visibles,
    file_des_dossiers,
    libelles_causes,
    page_dossier,
)
from examens.apps.web.views import HORS_DROITS, _session, habilite
from examens.core.erreurs import ErreurExamens
from examens.core.reglement import reglement_fourni

PAR_PAGE = 50
FILTRES = ("statut", "academie", "centre", "epreuve")


@habilite
def file_conformite(request: HttpRequest) -> HttpResponse:
    session = _session(request, Droit.CONFORMITE)
    utilisateur = request.user
    reglement = reglement_fourni(session.reglement)
    formulaire = FormulaireFileDossiers(
        request.GET if any(k in request.GET for k in FILTRES) else None,
        academies=academies_visibles(utilisateur, session=session),
        centres=centres_visibles(utilisateur, session=session),
        epreuves=reglement.conformite.epreuves_avec_dossier,
    )
    if formulaire.is_bound:
        formulaire.is_valid()
    dossiers = file_des_dossiers(dossiers=dossiers_visibles(utilisateur, session), filtres=formulaire.filtres())
    page = Paginator(dossiers, PAR_PAGE).get_page(request.GET.get("page"))
    page.pages_list = page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)  # type: ignore[attr-defined]
    return render(
        request,
        "web/conformite/file.html",
        {
            "session": session,
            "formulaire": formulaire,
            "page_obj": page,
            "lignes": [(d, libelles_causes(d.causes)) for d in page.object_list],  # type: ignore[attr-defined]
            "date_limite": session.date_limite_dossiers,
        },
    )


def _dossier(request: HttpRequest, pk: int, droit: Droit) -> Dossier:
    """Le dossier, s'il est dans le périmètre (sinon 404) d'un rôle qui a ce droit (sinon 403)."""
    utilisateur = request.user
    if not a_le_droit(utilisateur, droit):
        raise PermissionDenied(HORS_DROITS)
    dossier = get_object_or_404(
        Dossier.objects.select_related(
            "candidat__session", "candidat__etablissement", "candidat__centre__academie"
        ).filter(candidat__in=candidats_visibles(utilisateur)),
        pk=pk,
    )
    if not a_le_droit(utilisateur, droit, session=dossier.candidat.session):
        raise PermissionDenied(HORS_DROITS)
    return dossier


def _afficher(
    request: HttpRequest,
    dossier: Dossier,
    *,
    decision: FormulaireDecision | None = None,
    doute: FormulaireLeveeDoute | None = None,
) -> HttpResponse:
    session = dossier.candidat.session
    donnees = page_dossier(dossier=dossier, session=session)
    peut_decider = a_le_droit(request.user, Droit.DECIDER_CONFORMITE, session=session)
    if peut_decider and decision is None:
        proposition = donnees.controle
        conforme = proposition is None or proposition.resultat.conforme
        decision = FormulaireDecision(
            initial={
                "decision": "conforme" if conforme else "non_conforme",
                "causes": donnees.causes_proposees,
                "motifs": proposition.motifs if proposition is not None else "",
            }
        )
    if peut_decider and doute is None and donnees.doute_a_lever:
        doute = FormulaireLeveeDoute()
    return render(
        request,
        "web/conformite/dossier.html",
        {
            "session": session,
            "page": donnees,
            "dossier": dossier,
            "candidat": dossier.candidat,
            "peut_decider": peut_decider,
            "formulaire": decision,
            "formulaire_doute": doute,
            "peut_voir_fiche": a_le_droit(request.user, Droit.FICHE_CANDIDAT, session=session),
        },
    )


@habilite
def dossier_conformite(request: HttpRequest, pk: int) -> HttpResponse:
    return _afficher(request, _dossier(request, pk, Droit.CONFORMITE))


def _annoncer(request: HttpRequest, r: DecisionEnregistree) -> None:
    d = r.decision
    texte = f"Décision enregistrée : dossier {d.dossier.epreuve} {'conforme' if d.conforme else 'non conforme'}."
    if r.nv_poses:
        texte += f" Épreuve(s) mise(s) en NV : {', '.join(r.nv_poses)}."
    if r.note_retablie:
        texte += " Le doute est levé : la note suspendue est rétablie."
    texte += (
        f" Notification envoyée à {len(r.destinataires)} destinataire(s) (candidat et établissement)."
        if r.destinataires
        else " Aucune notification (décision conforme, ou aucune adresse connue)."
    )
    messages.success(request, texte)
    if r.nv_a_lever:
        messages.warning(
            request,
            f"L'épreuve {', '.join(r.nv_a_lever)} reste en NV : levez-la par une saisie de note si c'est justifié.",
        )


def _apres(request: HttpRequest, dossier: Dossier) -> HttpResponse:
    return redirect(reverse("web:dossier_conformite", args=[dossier.pk]))


@require_POST
@habilite
def decider(request: HttpRequest, pk: int) -> HttpResponse:
    dossier = _dossier(request, pk, Droit.DECIDER_CONFORMITE)
    formulaire = FormulaireDecision(request.POST)
    if not formulaire.is_valid():
        return _afficher(request, dossier, decision=formulaire)
    try:
        resultat = decider_conformite(
            dossier=dossier,
            conforme=formulaire.conforme,
            causes=formulaire.cleaned_data["causes"],
            motifs=formulaire.cleaned_data["motifs"],
            par=request.user.get_username(),
        )
    except ErreurExamens as erreur:
        formulaire.add_error(None, erreur.message)
        return _afficher(request, dossier, decision=formulaire)
    _annoncer(request, resultat)
    return _apres(request, dossier)


@require_POST
@habilite
def lever_doute(request: HttpRequest, pk: int) -> HttpResponse:
    dossier = _dossier(request, pk, Droit.DECIDER_CONFORMITE)
    resultat = dossier.candidat.resultats.filter(epreuve=dossier.epreuve).first()
    formulaire = FormulaireLeveeDoute(request.POST)
    if resultat is None or not formulaire.is_valid():
        if resultat is None:
            formulaire.add_error(None, "Aucune note n'est enregistrée pour cette épreuve : pas de doute à lever.")
        return _afficher(request, dossier, doute=formulaire)
    try:
        r = lever_le_doute(
            resultat=resultat,
            conforme=formulaire.conforme,
            causes=formulaire.cleaned_data["causes_nv"],
            motif=formulaire.cleaned_data["motif"],
            par=request.user.get_username(),
        )
    except ErreurExamens as erreur:
        formulaire.add_error(None, erreur.message)
        return _afficher(request, dossier, doute=formulaire)
    _annoncer(request, r)
    return _apres(request, dossier)
