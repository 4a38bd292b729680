"""Planning des oraux d'un centre : la grille d'une version (jour × commission ou salle, heures locales du
centre), ses bornes et indicateurs de qualité, le détail d'un passage et son déplacement manuel (relu par le
vérificateur indépendant : refusé avec la règle enfreinte, ou nouvelle version), la publication d'une version,
le désistement d'un examinateur suivi d'une replanification.

| page                                     | qui                                                         |
|------------------------------------------|-------------------------------------------------------------|
| centres, planning d'un centre, passage   | gestionnaire (son académie ; le pilote : toute la session), chef du centre |
| déplacer un passage                      | idem (`Droit.AMENAGER_PLANNING`)                            |
| publier, désister et replanifier         | gestionnaire (`Droit.PUBLIER_PLANNING`)                     |

Un examinateur voit ses propres passages ailleurs (pas ici : 403). Hors périmètre : 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from examens.apps.comptes.permissions import Droit, a_le_droit, centres_visibles, examinateurs_visibles
from examens.apps.organisation.models import Centre, ExamSession
from examens.apps.planification.erreurs import DeplacementRefuse
from examens.apps.planification.models import DesistementExaminateur, Passage, VersionPlanning
from examens.apps.planification.services import deplacer_passage, desister_et_replanifier, publier_planning
from examens.apps.web.forms_planning import FormulaireDeplacement, FormulaireReplanification
from examens.apps.web.selectors_planning import (
    LIBELLES_EPREUVES,
    LIBELLES_STATUTS_SOLVEUR,
    centres_planifies,
    commissions_pour,
    examinateurs_du_centre,
    grille,
    jours_de,
    local,
    non_planifies,
    passages_de_la_version,
    version_choisie,
    versions_du_centre,
)
from examens.apps.web.views import HORS_DROITS, _session, habilite
from examens.core.erreurs import ErreurExamens


@habilite
def plannings(request: HttpRequest) -> HttpResponse:
    session = _session(request, Droit.PLANNING)
    centres = centres_planifies(centres=centres_visibles(request.user, session=session), session=session)
    return render(request, "web/planning/centres.html", {"session": session, "centres": centres})


def _centre(request: HttpRequest, pk: int, droit: Droit) -> tuple[ExamSession, Centre]:
    session = _session(request, droit)
    return session, get_object_or_404(centres_visibles(request.user, session=session), pk=pk)


def _url_centre(centre: Centre, session: ExamSession, version: VersionPlanning | None = None) -> str:
    url = f"{reverse('web:planning_centre', args=[centre.pk])}?session={session.code}"
    return url + (f"&version={version.pk}" if version is not None else "")


def _afficher_centre(
    request: HttpRequest,
    session: ExamSession,
    centre: Centre,
    *,
    replanification: FormulaireReplanification | None = None,
) -> HttpResponse:
    utilisateur = request.user
    versions = versions_du_centre(centre=centre, session=session)
    version = version_choisie(versions, request.GET.get("version"))
    if request.GET.get("version") and version is None:
        raise Http404("Version inconnue pour ce centre.")
    vue = "salle" if request.GET.get("vue") == "salle" else "commission"
    peut_publier = a_le_droit(utilisateur, Droit.PUBLIER_PLANNING, session=session)
    if peut_publier and replanification is None and versions:
        replanification = FormulaireReplanification(
            examinateurs=examinateurs_du_centre(
                centre=centre, session=session, visibles=examinateurs_visibles(utilisateur, session=session)
            )
        )
    return render(
        request,
        "web/planning/centre.html",
        {
            "session": session,
            "centre": centre,
            "versions": versions,
            "version": version,
            "vue": vue,
            "jours": grille(passages_de_la_version(version), fuseau=centre.fuseau, par=vue) if version else [],
            "non_planifies": non_planifies(version) if version else [],
            "libelle_statut_solveur": LIBELLES_STATUTS_SOLVEUR.get(version.statut_solveur, "") if version else "",
            "peut_publier": peut_publier,
            "formulaire_replanification": replanification if peut_publier else None,
            "url_centre": _url_centre(centre, session, version),
        },
    )


@habilite
def planning_centre(request: HttpRequest, pk: int) -> HttpResponse:
    session, centre = _centre(request, pk, Droit.PLANNING)
    return _afficher_centre(request, session, centre)


@require_POST
@habilite
def replanifier(request: HttpRequest, pk: int) -> HttpResponse:
    session, centre = _centre(request, pk, Droit.PUBLIER_PLANNING)
    formulaire = FormulaireReplanification(
        request.POST,
        examinateurs=examinateurs_du_centre(
            centre=centre, session=session, visibles=examinateurs_visibles(request.user, session=session)
        ),
    )
    if not formulaire.is_valid():
        return _afficher_centre(request, session, centre, replanification=formulaire)
    examinateur = formulaire.cleaned_data["examinateur"]
    try:
        rapport, resultat = desister_et_replanifier(
            centre=centre,
            session=session,
            examinateur=examinateur,
            motif=formulaire.cleaned_data["motif"],
            par=request.user.get_username(),
        )
    except ErreurExamens as erreur:
        formulaire.add_error(None, erreur.message)
        if examinateur is not None and DesistementExaminateur.objects.filter(examinateur=examinateur).exists():
            formulaire.add_error(None, "Le désistement est enregistré ; relancez la replanification sans examinateur.")
        return _afficher_centre(request, session, centre, replanification=formulaire)
    if rapport is not None:
        messages.info(request, rapport.resume())
    v = resultat.version
    messages.success(
        request,
        f"Version {v.numero} enregistrée (brouillon) : {resultat.changements or 0} passage(s) déplacé(s) par rapport "
        f"à la version {v.reference.numero if v.reference else '—'}, {len(resultat.non_planifies)} non planifié(s). "
        "Vérifiez-la puis publiez-la.",
    )
    return redirect(_url_centre(centre, session, v))


@require_POST
@habilite
def publier(request: HttpRequest, pk: int) -> HttpResponse:
    utilisateur = request.user
    if not a_le_droit(utilisateur, Droit.PUBLIER_PLANNING):
        raise PermissionDenied(HORS_DROITS)
    version = get_object_or_404(
        VersionPlanning.objects.select_related("session", "centre")
        .defer("instance", "resultat", "bornes")
        .filter(centre__in=centres_visibles(utilisateur)),
        pk=pk,
    )
    if not a_le_droit(utilisateur, Droit.PUBLIER_PLANNING, session=version.session):
        raise Http404("Version hors de vos habilitations.")
    try:
        publier_planning(version, par=utilisateur.get_username())
    except ErreurExamens as erreur:
        messages.error(request, erreur.message)
    else:
        messages.success(request, f"Version {version.numero} publiée : les convocations la liront.")
    return redirect(_url_centre(version.centre, version.session, version))


def _passage(request: HttpRequest, pk: int, droit: Droit) -> Passage:
    utilisateur = request.user
    if not a_le_droit(utilisateur, droit):
        raise PermissionDenied(HORS_DROITS)
    passage = get_object_or_404(
        Passage.objects.select_related("version__session", "version__centre", "candidat", "commission", "salle", "loge")
        .defer("version__resultat", "version__bornes")  # l'instance suffit : commissions et jours du formulaire
        .filter(version__centre__in=centres_visibles(utilisateur)),
        pk=pk,
    )
    if not a_le_droit(utilisateur, droit, session=passage.version.session):
        raise Http404("Passage hors de vos habilitations.")
    return passage


def _afficher_passage(
    request: HttpRequest, passage: Passage, *, formulaire: FormulaireDeplacement | None = None, refus: Any = None
) -> HttpResponse:
    version = passage.version
    fuseau = version.centre.fuseau
    peut_deplacer = (
        a_le_droit(request.user, Droit.AMENAGER_PLANNING, session=version.session)
        and version.statut != VersionPlanning.Statut.REMPLACE
    )
    if peut_deplacer and formulaire is None:
        debut = local(passage.debut, fuseau)
        formulaire = FormulaireDeplacement(
            initial={"commission": passage.commission.code, "date": debut.date().isoformat(), "heure": debut.time()},
            commissions=commissions_pour(version, passage.epreuve),
            jours=jours_de(version),
        )
    return render(
        request,
        "web/planning/passage.html",
        {
            "session": version.session,
            "passage": passage,
            "version": version,
            "centre": version.centre,
            "membres": sorted(passage.commission.membres.all(), key=lambda x: x.code),
            "epreuve": LIBELLES_EPREUVES.get(passage.epreuve, passage.epreuve),
            "debut": local(passage.debut, fuseau),
            "fin": local(passage.fin, fuseau),
            "debut_preparation": local(passage.debut_preparation, fuseau),
            "formulaire": formulaire if peut_deplacer else None,
            "refus": refus,
            "url_centre": _url_centre(version.centre, version.session, version),
        },
    )


@habilite
def passage(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method == "POST":
        p = _passage(request, pk, Droit.AMENAGER_PLANNING)
        return _deplacer(request, p)
    return _afficher_passage(request, _passage(request, pk, Droit.PLANNING))


def _deplacer(request: HttpRequest, p: Passage) -> HttpResponse:
    version = p.version
    if version.statut == VersionPlanning.Statut.REMPLACE:
        raise PermissionDenied("Cette version est remplacée : déplacez le passage dans la version en vigueur.")
    formulaire = FormulaireDeplacement(
        request.POST, commissions=commissions_pour(version, p.epreuve), jours=jours_de(version)
    )
    if not formulaire.is_valid():
        return _afficher_passage(request, p, formulaire=formulaire)
    donnees = formulaire.cleaned_data
    try:
        resultat = deplacer_passage(
            passage=p,
            commission=donnees["commission"],
            date=donnees["date"],
            debut=donnees["heure"],
            par=request.user.get_username(),
            motif=donnees["motif"],
        )
    except DeplacementRefuse as refus:
        return _afficher_passage(request, p, formulaire=formulaire, refus=refus)
    except ErreurExamens as erreur:
        formulaire.add_error(None, erreur.message)
        return _afficher_passage(request, p, formulaire=formulaire)
    v = resultat.version
    messages.success(
        request,
        f"Passage déplacé : version {v.numero} enregistrée (brouillon), relue par le vérificateur ; "
        f"{v.changements} passage(s) déplacé(s) par rapport à la version {version.numero}.",
    )
    return redirect(_url_centre(v.centre, v.session, v))
