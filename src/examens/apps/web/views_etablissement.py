"""L'espace établissement : ses candidats, l'état de leurs dossiers E4/E6, les pièces manquantes avec leurs
dates limites ; le dépôt des pièces (dossier PDF, attestation de stage, livret scolaire et sa mention PIX) et
la transmission des notes de CCF.

Le périmètre est celui des habilitations « établissement » de l'utilisateur (`comptes.permissions`) : un
candidat d'un autre établissement, ou une pièce d'un tel candidat, est introuvable (404) ; un autre rôle reçoit
403. Les écritures passent par les services du domaine (`dossiers.pieces`, `notes.ccf`), qui les tracent.
"""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import capfirst
from django.views.decorators.http import require_http_methods, require_POST

from examens.apps.candidats.models import Candidat
from examens.apps.comptes.models import Role
from examens.apps.comptes.permissions import Droit, a_le_droit, candidats_visibles, habilitations_de
from examens.apps.dossiers.models import Piece
from examens.apps.dossiers.pieces import deposer_piece, verifier_televersement
from examens.apps.notes.ccf import epreuves_ccf, transmettre_notes_ccf
from examens.apps.notes.models import Resultat, SituationCCF
from examens.apps.organisation.models import ExamSession
from examens.apps.web.forms_espaces import FormulaireCCF, FormulaireLivret, FormulairePiece
from examens.apps.web.selectors_espaces import (
    LIBELLES_PIX,
    dates_limites,
    livret_examine,
    pieces_du_candidat,
    suivi_des_candidats,
    suivi_du_candidat,
)
from examens.apps.web.views import HORS_DROITS, _session, habilite
from examens.core.erreurs import ErreurExamens

PAR_PAGE = 50


def mes_candidats(utilisateur: Any, *, session: ExamSession | None = None) -> QuerySet[Candidat]:
    """Les candidats des établissements dont l'utilisateur a l'habilitation « établissement » (dans la session,
    si elle est donnée) — lus par `candidats_visibles`, puis restreints à ces établissements : un compte qui
    cumule un autre rôle ne voit pas, ici, les candidats de cet autre rôle."""
    etablissements = {
        h.etablissement_id
        for h in habilitations_de(utilisateur)
        if h.role == Role.ETABLISSEMENT and (session is None or h.session_id == session.pk)
    }
    return candidats_visibles(utilisateur, session=session).filter(etablissement_id__in=etablissements)


def _mon_candidat(request: HttpRequest, pk: int) -> Candidat:
    if not a_le_droit(request.user, Droit.ESPACE_ETABLISSEMENT):
        raise PermissionDenied(HORS_DROITS)
    candidat = get_object_or_404(
        mes_candidats(request.user).select_related("session", "etablissement", "centre"), pk=pk
    )
    if not a_le_droit(request.user, Droit.ESPACE_ETABLISSEMENT, session=candidat.session):
        raise PermissionDenied(HORS_DROITS)
    return candidat


def _identifiant(request: HttpRequest) -> str:
    return request.user.get_username()


@habilite
def etablissement(request: HttpRequest) -> HttpResponse:
    session = _session(request, Droit.ESPACE_ETABLISSEMENT)
    suivis = suivi_des_candidats(candidats=mes_candidats(request.user, session=session), session=session)
    incomplets = request.GET.get("incomplets") == "1"
    affiches = [s for s in suivis if not s.complet] if incomplets else suivis
    page = Paginator(affiches, PAR_PAGE).get_page(request.GET.get("page"))
    page.pages_list = page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)  # type: ignore[attr-defined]
    etablissements = sorted({str(s.candidat.etablissement) for s in suivis if s.candidat.etablissement})
    return render(
        request,
        "web/etablissement/tableau.html",
        {
            "session": session,
            "page_obj": page,
            "limites": dates_limites(session),
            "etablissements": etablissements,
            "nombre": len(suivis),
            "complets": sum(1 for s in suivis if s.complet),
            "en_retard": sum(1 for s in suivis if s.en_retard),
            "manquantes": sum(len(s.manquantes) for s in suivis),
            "incomplets": incomplets,
        },
    )


def _contexte_candidat(candidat: Candidat, **formulaires: Any) -> dict[str, Any]:
    suivi = suivi_du_candidat(candidat=candidat)
    periodes = candidat.periodes_stage.order_by("debut", "id")
    return {
        "candidat": candidat,
        "session": candidat.session,
        "suivi": suivi,
        "limites": dates_limites(candidat.session),
        "pieces": pieces_du_candidat(candidat),
        "libelles_pix": LIBELLES_PIX,
        "livret_examine": livret_examine(candidat),
        "formulaire_piece": formulaires.get("formulaire_piece") or FormulairePiece(periodes=periodes),
        "formulaire_livret": formulaires.get("formulaire_livret") or FormulaireLivret(),
    }


@habilite
def candidat(request: HttpRequest, pk: int) -> HttpResponse:
    c = _mon_candidat(request, pk)
    return render(request, "web/etablissement/candidat.html", _contexte_candidat(c))


@habilite
@require_POST
def deposer(request: HttpRequest, pk: int) -> HttpResponse:
    """Dépôt d'un dossier E4/E6 ou d'une attestation de stage (PDF contrôlé), tracé."""
    c = _mon_candidat(request, pk)
    formulaire = FormulairePiece(request.POST, request.FILES, periodes=c.periodes_stage.order_by("debut", "id"))
    if formulaire.is_valid():
        d = formulaire.cleaned_data
        fichier = d["fichier"]
        try:
            pdf = verifier_televersement(nom=fichier.name, fichier=fichier)
            nouvelle = (
                (d["entreprise"], d["debut"], d["fin"]) if d["nature"] == Piece.Nature.ATTESTATION_STAGE else None
            )
            piece = deposer_piece(
                candidat=c,
                nature=d["nature"],
                pdf=pdf,
                par=_identifiant(request),
                periode=d["periode"] if d["nature"] == Piece.Nature.ATTESTATION_STAGE else None,
                nouvelle_periode=None if d["periode"] else nouvelle,
            )
        except ErreurExamens as erreur:
            formulaire.add_error("fichier", erreur.message)
        else:
            messages.success(
                request,
                f"{capfirst(piece.get_nature_display())} déposé(e) : « {piece.nom_fichier} », "
                f"{piece.pages} page(s), version {piece.version}.",
            )
            return redirect("web:etablissement_candidat", pk=c.pk)
    return render(request, "web/etablissement/candidat.html", _contexte_candidat(c, formulaire_piece=formulaire))


@habilite
@require_POST
def deposer_livret(request: HttpRequest, pk: int) -> HttpResponse:
    """Dépôt du livret scolaire et de sa mention PIX, tracé."""
    c = _mon_candidat(request, pk)
    formulaire = FormulaireLivret(request.POST, request.FILES)
    if formulaire.is_valid():
        d = formulaire.cleaned_data
        try:
            pdf = verifier_televersement(nom=d["livret"].name, fichier=d["livret"])
            piece = deposer_piece(
                candidat=c,
                nature=Piece.Nature.LIVRET_SCOLAIRE,
                pdf=pdf,
                par=_identifiant(request),
                mention_pix=d["mention_pix"],
            )
        except ErreurExamens as erreur:
            formulaire.add_error("livret", erreur.message)
        else:
            messages.success(
                request,
                f"Livret scolaire déposé : « {piece.nom_fichier} », mention PIX : {piece.get_mention_pix_display()}.",
            )
            return redirect("web:etablissement_candidat", pk=c.pk)
    return render(request, "web/etablissement/candidat.html", _contexte_candidat(c, formulaire_livret=formulaire))


@habilite
def piece(request: HttpRequest, pk: int) -> FileResponse:
    """Le PDF d'une pièce déposée pour l'un de ses candidats."""
    if not a_le_droit(request.user, Droit.ESPACE_ETABLISSEMENT):
        raise PermissionDenied(HORS_DROITS)
    p = get_object_or_404(Piece.objects.filter(candidat__in=mes_candidats(request.user)), pk=pk)
    return FileResponse(
        io.BytesIO(bytes(p.contenu)), as_attachment=True, filename=p.nom_fichier, content_type="application/pdf"
    )


def _formulaires_ccf(candidat: Candidat, donnees: Any = None, seule: str | None = None) -> list[FormulaireCCF]:
    epreuves = epreuves_ccf(candidat)
    saisies: dict[str, list[str]] = {}
    for epreuve, note in (
        SituationCCF.objects.filter(resultat__candidat=candidat)
        .order_by("resultat__epreuve", "numero")
        .values_list("resultat__epreuve", "note")
    ):
        saisies.setdefault(epreuve, []).append(f"{note:.2f}".rstrip("0").rstrip(".").replace(".", ","))
    return [
        FormulaireCCF(
            donnees if e.code == seule else None,
            epreuve=e.code,
            situations=e.situations,
            initiales=saisies.get(e.code, []),
        )
        for e in epreuves
    ]


@habilite
@require_http_methods(["GET", "POST"])
def notes_ccf(request: HttpRequest, pk: int) -> HttpResponse:
    """Les notes des situations de CCF à transmettre (candidat de catégorie A), une épreuve par formulaire."""
    c = _mon_candidat(request, pk)
    epreuve = request.POST.get("epreuve", "") if request.method == "POST" else None
    formulaires = _formulaires_ccf(c, request.POST if epreuve else None, seule=epreuve)
    if request.method == "POST":
        formulaire = next((f for f in formulaires if f.epreuve == epreuve), None)
        if formulaire is None:
            messages.error(request, f"L'épreuve « {epreuve} » n'est pas évaluée en CCF pour ce candidat.")
        elif formulaire.is_valid():
            try:
                resultat = transmettre_notes_ccf(
                    candidat=c, epreuve=epreuve, notes=formulaire.notes(), par=_identifiant(request)
                )
            except ErreurExamens as erreur:
                formulaire.add_error(None, erreur.message)
            else:
                note = f"{resultat.note_examinateur:.2f}".rstrip("0").rstrip(".").replace(".", ",")
                messages.success(
                    request,
                    f"{epreuve} : notes de CCF transmises ; note de l'épreuve {note}/20 (moyenne des situations "
                    "arrondie au demi-point supérieur).",
                )
                return redirect(reverse("web:etablissement_notes_ccf", args=[c.pk]))
    resultats = {
        r.epreuve: r for r in Resultat.objects.filter(candidat=c, epreuve__in=[f.epreuve for f in formulaires])
    }
    lignes = [(f, resultats.get(f.epreuve)) for f in formulaires]
    return render(
        request,
        "web/etablissement/notes_ccf.html",
        {
            "candidat": c,
            "session": c.session,
            "lignes": lignes,
            "limites": dates_limites(c.session),
            "categorie": c.categorie.code,
        },
    )
