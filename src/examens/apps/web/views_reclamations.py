"""Les réclamations des candidats, instruites par le gestionnaire de l'académie (droit
`TRAITER_RECLAMATIONS`) dans son périmètre : l'académie pilote voit toute la session, une académie rattachée
ses candidats. Une réclamation hors du périmètre est introuvable (404)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from examens.apps.comptes.permissions import Droit, a_le_droit, candidats_visibles
from examens.apps.reclamations.models import Reclamation
from examens.apps.reclamations.selectors import detail_communicable, reclamations_des
from examens.apps.reclamations.services import instruire_reclamation
from examens.apps.web.forms_espaces import FormulaireInstruction
from examens.apps.web.views import HORS_DROITS, _session, habilite
from examens.core.erreurs import ErreurExamens
from examens.core.reglement import reglement_fourni

PAR_PAGE = 50


@habilite
def reclamations(request: HttpRequest) -> HttpResponse:
    session = _session(request, Droit.TRAITER_RECLAMATIONS)
    qs = reclamations_des(candidats_visibles(request.user, session=session))
    statut = request.GET.get("statut", "ouvertes")
    if statut == "ouvertes":
        qs = qs.filter(statut__in=Reclamation.OUVERTES)
    elif statut in Reclamation.Statut.values:
        qs = qs.filter(statut=statut)
    else:
        statut = "toutes"
    page = Paginator(qs, PAR_PAGE).get_page(request.GET.get("page"))
    page.pages_list = page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)  # type: ignore[attr-defined]
    return render(
        request,
        "web/reclamations/liste.html",
        {
            "session": session,
            "page_obj": page,
            "statut": statut,
            "filtres": [("ouvertes", "À instruire"), *Reclamation.Statut.choices, ("toutes", "Toutes")],
        },
    )


@habilite
@require_http_methods(["GET", "POST"])
def reclamation(request: HttpRequest, pk: int) -> HttpResponse:
    if not a_le_droit(request.user, Droit.TRAITER_RECLAMATIONS):
        raise PermissionDenied(HORS_DROITS)
    r = get_object_or_404(
        reclamations_des(candidats_visibles(request.user)).select_related(
            "candidat__session", "candidat__etablissement", "candidat__centre"
        ),
        pk=pk,
    )
    if not a_le_droit(request.user, Droit.TRAITER_RECLAMATIONS, session=r.candidat.session):
        raise PermissionDenied(HORS_DROITS)
    formulaire = FormulaireInstruction(
        request.POST or None, initial={"statut": Reclamation.Statut.EN_INSTRUCTION, "reponse": r.reponse}
    )
    if request.method == "POST" and formulaire.is_valid():
        try:
            r = instruire_reclamation(
                reclamation=r,
                statut=formulaire.cleaned_data["statut"],
                reponse=formulaire.cleaned_data["reponse"],
                par=request.user.get_username(),
            )
        except ErreurExamens as erreur:
            formulaire.add_error(None, erreur.message)
        else:
            messages.success(request, f"Réclamation : {r.get_statut_display()}.")
            return redirect("web:reclamation", pk=r.pk)
    intitules = {e.code: e.intitule for e in reglement_fourni(r.candidat.session.reglement).epreuves.values()}
    return render(
        request,
        "web/reclamations/reclamation.html",
        {
            "reclamation": r,
            "candidat": r.candidat,
            "session": r.candidat.session,
            "intitule": intitules.get(r.epreuve, ""),
            "detail": detail_communicable(candidat=r.candidat, epreuve=r.epreuve) if r.epreuve else None,
            "formulaire": formulaire if r.ouverte else None,
        },
    )
