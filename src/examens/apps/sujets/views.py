"""Pages des sujets et pièces d'épreuve (DSFR). Chaque vue : vérifie le rôle (`sujets.acces`, sur les
habilitations de `comptes`), lit par les sélecteurs, appelle un service, rend un gabarit.

- `banque` : la banque E5B, son équilibre, le dépôt et la diffusion (gestionnaire de l'académie pilote) ;
- `fiche_sujet` : la fiche-sujet E4 d'un candidat (un membre de la commission de son passage E4) ;
- `pieces` : les pièces d'un candidat (gestionnaire, chef de centre, président de jury de son périmètre) ;
- `sujet_du_passage` : le PDF du sujet E5B d'un passage (la commission, pendant le passage ; journalisé).

Hors des droits : 403 ; un candidat hors du périmètre : 404.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from examens.apps.candidats.models import Candidat
from examens.apps.comptes.permissions import candidats_visibles, session_par_defaut
from examens.apps.dossiers.models import FicheActivite
from examens.apps.organisation.models import ExamSession
from examens.apps.planification.models import Passage
from examens.apps.sujets import acces, selectors, services
from examens.apps.sujets.forms import FormulaireFicheSujet, FormulaireSujet
from examens.apps.sujets.models import FicheSujet
from examens.core.erreurs import ErreurExamens

HORS_DROITS = "Votre rôle ne donne pas accès à cette page."
Vue = Callable[..., HttpResponse]


def _session(request: HttpRequest) -> ExamSession:
    session = session_par_defaut(request.user, request.GET.get("session"))
    if session is None:
        raise Http404("Session inconnue ou hors de vos habilitations.")
    return session


def connecte(vue: Vue) -> Vue:
    @login_required
    @wraps(vue)
    def enveloppe(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return vue(request, *args, **kwargs)

    return enveloppe


# --------------------------------------------------------------------------- banque E5B


@connecte
@require_http_methods(["GET", "POST"])
def banque(request: HttpRequest) -> HttpResponse:
    session = _session(request)
    if not acces.gestionnaire_pilote(request.user, session):
        raise PermissionDenied("La banque nationale de sujets E5B est tenue par l'académie pilote.")
    formulaire = FormulaireSujet(request.POST or None, request.FILES or None)
    if request.method == "POST" and formulaire.is_valid():
        d = formulaire.cleaned_data
        try:
            sujet = services.deposer_sujet(
                session=session,
                code=d["code"],
                support=d["support"],
                titre=d["titre"],
                contenu=d["sujet"].read(),
                grille=d["grille"].read() if d["grille"] else None,
                motif=d["motif"],
                par=acces.identifiant(request.user),
            )
        except ErreurExamens as erreur:
            formulaire.add_error(None, str(erreur))
        else:
            messages.success(request, f"Sujet {sujet.code} déposé (version {sujet.version}).")
            return redirect(f"{reverse('sujets:banque')}?session={session.code}")
    return render(
        request,
        "sujets/banque.html",
        {
            "session": session,
            "sujets": selectors.banque(session),
            "equilibre": selectors.equilibre_banque(session),
            "diffusion": selectors.derniere_diffusion(session),
            "formulaire": formulaire,
        },
    )


@connecte
@require_POST
def diffuser(request: HttpRequest) -> HttpResponse:
    session = _session(request)
    if not acces.gestionnaire_pilote(request.user, session):
        raise PermissionDenied("La banque nationale de sujets E5B est tenue par l'académie pilote.")
    try:
        d = services.diffuser_banque(session=session, par=acces.identifiant(request.user))
    except ErreurExamens as erreur:
        messages.error(request, str(erreur))
    else:
        messages.success(request, f"Banque diffusée aux académies (diffusion n° {d.numero}).")
    return redirect(f"{reverse('sujets:banque')}?session={session.code}")


# --------------------------------------------------------------------------- fiche-sujet E4


def _candidat_de_la_commission(request: HttpRequest, pk: int) -> tuple[Candidat, Passage]:
    """Le candidat et son passage E4, si l'utilisateur siège dans la commission de ce passage (sinon 403)."""
    candidat = get_object_or_404(Candidat.objects.select_related("session"), pk=pk)
    siens = acces.examinateurs_de(request.user, candidat.session)
    if not siens:
        raise PermissionDenied(HORS_DROITS)
    passage = services.passage_du_candidat(candidat, "E4")
    if passage is None or not siens & set(passage.commission.membres.values_list("pk", flat=True)):
        raise PermissionDenied("Seule la commission qui interroge ce candidat à l'E4 écrit sa fiche-sujet.")
    return candidat, passage


@connecte
@require_http_methods(["GET", "POST"])
def fiche_sujet(request: HttpRequest, pk: int) -> HttpResponse:
    candidat, passage = _candidat_de_la_commission(request, pk)
    fiche = FicheSujet.objects.filter(candidat=candidat).first()
    activites = FicheActivite.objects.filter(dossier__candidat=candidat, dossier__epreuve="E4").order_by("pk")
    initial = {}
    if fiche is not None:
        initial = {
            "activite": fiche.activite_id,
            "contexte": fiche.contexte,
            "parametres": "\n".join(fiche.parametres_modifies),
            "role_commission": fiche.role_commission,
        }
    formulaire = FormulaireFicheSujet(request.POST or None, initial=initial, activites=activites)
    par = acces.identifiant(request.user)
    if request.method == "POST":
        action = request.POST.get("action", "enregistrer")
        try:
            if action == "rouvrir" and fiche is not None:
                services.rouvrir_fiche_sujet(fiche=fiche, par=par)
                messages.success(request, "Fiche-sujet rouverte : elle est de nouveau en brouillon.")
                return redirect("sujets:fiche_sujet", pk=candidat.pk)
            if formulaire.is_valid():
                fiche = services.rediger_fiche_sujet(
                    candidat=candidat,
                    activite=formulaire.cleaned_data["activite"],
                    parametres_modifies=formulaire.liste_parametres,
                    role_commission=formulaire.cleaned_data["role_commission"],
                    contexte=formulaire.cleaned_data["contexte"],
                    par=par,
                )
                if action == "valider":
                    services.valider_fiche_sujet(fiche=fiche, par=par)
                    messages.success(request, "Fiche-sujet enregistrée et prête.")
                else:
                    messages.success(request, "Brouillon de la fiche-sujet enregistré.")
                return redirect("sujets:fiche_sujet", pk=candidat.pk)
        except ErreurExamens as erreur:
            formulaire.add_error(None, str(erreur))
    reglages = selectors.reglages_de(candidat.session)
    return render(
        request,
        "sujets/fiche_sujet.html",
        {
            "candidat": candidat,
            "passage": passage,
            "debut_local": passage.debut.astimezone(ZoneInfo(passage.version.centre.fuseau)),
            "limite": selectors.limite_fiche_sujet(
                passage.debut, fuseau=passage.version.centre.fuseau, reglages=reglages
            ),
            "fiche": fiche,
            "modifiable": fiche is None or fiche.statut == FicheSujet.Statut.BROUILLON,
            "formulaire": formulaire,
        },
    )


# --------------------------------------------------------------------------- pièces du candidat


@connecte
def pieces(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request)
    if not acces.roles_pieces(request.user, session):
        raise PermissionDenied(HORS_DROITS)
    candidat = get_object_or_404(candidats_visibles(request.user, session=session).select_related("centre"), pk=pk)
    return render(
        request,
        "sujets/pieces.html",
        {"session": session, "candidat": candidat, "pieces": selectors.pieces_du_candidat(candidat)},
    )


# --------------------------------------------------------------------------- sujet d'un passage


@connecte
def sujet_du_passage(request: HttpRequest, pk: int) -> HttpResponse:
    passage = get_object_or_404(Passage, pk=pk, epreuve="E5B")
    piece = "grille_e5b" if request.GET.get("piece") == "grille" else "sujet_e5b"
    try:
        lu = services.consulter_sujet(utilisateur=request.user, passage=passage, piece=piece)
    except PermissionDenied:
        raise
    except ErreurExamens as erreur:
        raise Http404(str(erreur)) from None
    reponse = HttpResponse(lu.contenu, content_type=lu.type_mime)
    reponse["Content-Disposition"] = f'inline; filename="{lu.nom_fichier}"'
    reponse["Cache-Control"] = "no-store"
    return reponse
