"""L'espace candidat : l'état de son dossier, ses horaires et convocations (heure locale de son centre), ses
résultats une fois publiés, son relevé de notes et son attestation de blocs, ses réclamations.

Le périmètre est « soi-même » (habilitation « candidat ») : un document, une réclamation d'un autre candidat
est introuvable (404) ; un autre rôle reçoit 403. Chaque téléchargement est journalisé comme une remise
(`editions.Envoi`, canal « téléchargement ») : on sait qui a reçu quelle version.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from examens.apps.candidats.models import Candidat
from examens.apps.candidats.selectors import horaires_du_candidat
from examens.apps.comptes.models import Role
from examens.apps.comptes.permissions import Droit, a_le_droit, candidats_visibles, habilitations_de, voit_les_resultats
from examens.apps.editions.models import Document, Version
from examens.apps.planification.selectors import passages_du_candidat
from examens.apps.reclamations.models import Reclamation
from examens.apps.reclamations.selectors import detail_communicable
from examens.apps.reclamations.services import deposer_reclamation
from examens.apps.web.forms_espaces import FormulaireReclamation
from examens.apps.web.selectors import fiche_candidat
from examens.apps.web.selectors_espaces import (
    documents_du_candidat,
    modeles_visibles,
    reclamations_du_candidat,
    suivi_du_candidat,
)
from examens.apps.web.telechargements import servir_version
from examens.apps.web.views import HORS_DROITS, _session, habilite
from examens.core.erreurs import ErreurExamens
from examens.core.reglement import reglement_fourni


def _moi(request: HttpRequest) -> Candidat:
    """Le candidat de l'utilisateur dans la session choisie (`?session=`), lu par `candidats_visibles`."""
    session = _session(request, Droit.ESPACE_CANDIDAT)
    ids = [
        h.candidat_id for h in habilitations_de(request.user) if h.role == Role.CANDIDAT and h.session_id == session.pk
    ]
    return get_object_or_404(
        candidats_visibles(request.user, session=session).select_related(
            "session", "etablissement", "centre__academie"
        ),
        pk__in=ids,
    )


def _mes_candidats(request: HttpRequest) -> list[int]:
    """Les candidats de l'utilisateur, toutes sessions (pour un identifiant dans l'adresse)."""
    if not a_le_droit(request.user, Droit.ESPACE_CANDIDAT):
        raise PermissionDenied(HORS_DROITS)
    return [h.candidat_id for h in habilitations_de(request.user) if h.role == Role.CANDIDAT]


@habilite
def espace(request: HttpRequest) -> HttpResponse:
    candidat = _moi(request)
    resultats_visibles = voit_les_resultats(request.user, candidat.session)
    fiche = fiche_candidat(candidat=candidat, resultats_visibles=resultats_visibles, voir_acteurs=False)
    passages = passages_du_candidat(candidat)
    return render(
        request,
        "web/espace_candidat/espace.html",
        {
            "candidat": candidat,
            "session": candidat.session,
            "fiche": fiche,
            "suivi": suivi_du_candidat(candidat=candidat),
            "ecrits": horaires_du_candidat(candidat=candidat),
            "oraux": [(p, p.local(p.debut), p.local(p.fin)) for p in passages],
            "documents": documents_du_candidat(
                candidat=candidat, resultats_visibles=resultats_visibles, identifiant=request.user.get_username()
            ),
            "reclamations": reclamations_du_candidat(candidat),
            "resultats_visibles": resultats_visibles,
        },
    )


@habilite
def document(request: HttpRequest, pk: int) -> HttpResponse:
    """La dernière version d'un de ses documents ; le téléchargement est journalisé (`Envoi`)."""
    ids = _mes_candidats(request)
    doc = get_object_or_404(
        Document.objects.select_related("session").filter(
            candidat__in=candidats_visibles(request.user), candidat_id__in=ids
        ),
        pk=pk,
    )
    if doc.modele not in modeles_visibles(resultats_visibles=voit_les_resultats(request.user, doc.session)):
        raise Http404("Document introuvable.")
    version = get_object_or_404(
        Version.objects.select_related("document", "fichier"), document=doc, numero=doc.derniere_version
    )
    return servir_version(version, par=request.user.get_username())


def _epreuves_notees(candidat: Candidat) -> list[tuple[str, str]]:
    """Les épreuves sur lesquelles il peut réclamer : celles qui ont une note ou un état à son relevé."""
    fiche = fiche_candidat(candidat=candidat, resultats_visibles=True, voir_acteurs=False)
    return [(n.epreuve, f"{n.epreuve} — {n.intitule}") for n in fiche.notes]


@habilite
@require_http_methods(["GET", "POST"])
def nouvelle_reclamation(request: HttpRequest) -> HttpResponse:
    candidat = _moi(request)
    if not voit_les_resultats(request.user, candidat.session):
        messages.info(request, "Une réclamation se dépose après la publication des résultats.")
        return redirect("web:espace_candidat")
    epreuves = _epreuves_notees(candidat)
    formulaire = FormulaireReclamation(request.POST or None, epreuves=epreuves)
    if request.method == "POST" and formulaire.is_valid():
        try:
            reclamation = deposer_reclamation(
                candidat=candidat,
                epreuve=formulaire.cleaned_data["epreuve"],
                motif=formulaire.cleaned_data["motif"],
                par=request.user.get_username(),
            )
        except ErreurExamens as erreur:
            formulaire.add_error(None, erreur.message)
        else:
            messages.success(request, "Votre réclamation est déposée : l'académie l'instruit et vous répondra ici.")
            return redirect("web:espace_candidat_reclamation", pk=reclamation.pk)
    choisie = (formulaire.data.get("epreuve") if formulaire.is_bound else request.GET.get("epreuve")) or ""
    if choisie and choisie not in dict(epreuves):
        choisie = ""
    if not formulaire.is_bound and choisie:
        formulaire.initial["epreuve"] = choisie
    return render(
        request,
        "web/espace_candidat/reclamation_nouvelle.html",
        {
            "candidat": candidat,
            "session": candidat.session,
            "formulaire": formulaire,
            "epreuves": epreuves,
            "choisie": choisie,
            "detail": detail_communicable(candidat=candidat, epreuve=choisie) if choisie else None,
        },
    )


@habilite
def reclamation(request: HttpRequest, pk: int) -> HttpResponse:
    ids = _mes_candidats(request)
    r = get_object_or_404(
        Reclamation.objects.select_related("candidat__session").filter(
            candidat__in=candidats_visibles(request.user), candidat_id__in=ids
        ),
        pk=pk,
    )
    intitules = {e.code: e.intitule for e in reglement_fourni(r.candidat.session.reglement).epreuves.values()}
    return render(
        request,
        "web/espace_candidat/reclamation.html",
        {
            "reclamation": r,
            "candidat": r.candidat,
            "session": r.candidat.session,
            "intitule": intitules.get(r.epreuve, ""),
            "detail": detail_communicable(candidat=r.candidat, epreuve=r.epreuve) if r.epreuve else None,
        },
    )
