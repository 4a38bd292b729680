"""Pages des sujets et pièces d'épreuve (DSFR). Chaque vue : vérifie le rôle (`sujets.acces`, sur les
habilitations de `comptes`), lit par les sélecteurs, appelle un service, rend un gabarit.

- `banque` : la banque E5B, son équilibre, le dépôt et la diffusion (gestionnaire de l'académie pilote) ;
- `fiche_sujet` : la fiche-sujet E4 d'un candidat (un membre de la commission de son passage E4) ;
- `pieces` : les pièces d'un candidat (gestionnaire, chef de centre, président de jury de son périmètre) ;
- `lecture_fiche_sujet` : sa fiche-sujet E4 lue à l'écran par ces mêmes rôles (journalisée) ;
- `sujet_du_passage` : le PDF du sujet E5B d'un passage (la commission, pendant le passage ; journalisé) ;
- `contexte` : publier le contexte numérique national E5B (académie pilote, depuis la page de la banque) ;
- `attribution` : simuler puis appliquer l'attribution des sujets E5B (gestionnaire de l'académie pilote) ;
- `journal` : le journal d'attribution, filtrable par centre et par candidat, et l'usage des sujets
  (gestionnaires ; une académie ne voit que ses centres) ;
- `engagement`, `fiche_engagement` : l'état et le dépôt de la fiche d'engagement étudiant (le candidat, son
  établissement, un gestionnaire) ; sa lecture (PDF, journalisée) ;
- `centres` : la préparation des centres suivis (postes E5B, fiches-sujets E4 manquantes) ;
- `postes` : les postes E5B d'un centre, vérifiés un par un, et la liste de contrôle signée (chef de centre ;
  lecture pour le gestionnaire) ;
- `fiches_manquantes` : les candidats convoqués à l'E4 sans fiche-sujet prête (chef de centre, gestionnaire).

Hors des droits : 403 ; un candidat ou un centre hors du périmètre : 404.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from examens.apps.candidats.models import Candidat
from examens.apps.comptes.models import Role
from examens.apps.comptes.permissions import candidats_visibles, session_par_defaut
from examens.apps.dossiers.models import FicheActivite
from examens.apps.jury.anonymat import numero_anonyme
from examens.apps.organisation.models import Centre, ExamSession
from examens.apps.planification.models import Passage
from examens.apps.sujets import acces, selectors, services
from examens.apps.sujets.erreurs import PieceRefusee
from examens.apps.sujets.forms import (
    FormulaireAttribution,
    FormulaireContexte,
    FormulaireFicheEngagement,
    FormulaireFicheSujet,
    FormulaireJournal,
    FormulairePostes,
    FormulaireSujet,
)
from examens.apps.sujets.models import FicheSujet, PosteE5B
from examens.core.erreurs import ErreurExamens

HORS_DROITS = "Votre rôle ne donne pas accès à cette page."
PILOTE_SEULE = "La banque nationale de sujets E5B est tenue par l'académie pilote."
LIGNES_DU_JOURNAL = 100
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
            "contexte": selectors.contexte_en_vigueur(session),
            "formulaire_contexte": FormulaireContexte(),
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
        {
            "session": session,
            "candidat": candidat,
            **_designation(request, session, candidat),
            "pieces": selectors.pieces_du_candidat(candidat),
            # La fiche d'engagement se lit (et se dépose) par le gestionnaire, pas par le chef de centre ni le jury.
            "lire_engagement": candidat.engagement_etudiant
            and candidat.centre_id is not None
            and acces.gestionnaire_du_centre(request.user, session, candidat.centre),
        },
    )


def _designation(request: HttpRequest, session: Any, candidat: Any) -> dict[str, str]:
    """Comment la page nomme le candidat : le président de jury (sans autre rôle de pilotage) ne voit que le
    numéro d'anonymat sous lequel son jury délibère (Circ. 1.3), jamais le nom ni le numéro d'inscription."""
    if acces.roles_pieces(request.user, session) == {Role.PRESIDENT_JURY}:
        court = f"candidat anonyme {numero_anonyme(session.code, candidat.numero)}"
        return {"designation": court, "designation_courte": court}
    return {
        "designation": f"{candidat.nom} {candidat.prenoms}, candidat {candidat.numero}",
        "designation_courte": f"candidat {candidat.numero}",
    }


@connecte
def lecture_fiche_sujet(request: HttpRequest, pk: int) -> HttpResponse:
    """La fiche-sujet E4 lue à l'écran hors de sa commission (depuis la page des pièces), journalisée."""
    session = _session(request)
    if not acces.roles_pieces(request.user, session):
        raise PermissionDenied(HORS_DROITS)
    candidat = get_object_or_404(candidats_visibles(request.user, session=session).select_related("centre"), pk=pk)
    try:
        fiche = services.consulter_fiche_sujet(utilisateur=request.user, candidat=candidat)
    except PermissionDenied:
        raise
    except ErreurExamens as erreur:
        raise Http404(str(erreur)) from None
    passage = services.passage_du_candidat(candidat, "E4")
    fuseau = candidat.centre.fuseau if candidat.centre is not None else "Europe/Paris"
    reponse = render(
        request,
        "sujets/fiche_sujet_lecture.html",
        {
            "session": session,
            "candidat": candidat,
            **_designation(request, session, candidat),
            "fiche": fiche,
            "fuseau": fuseau,
            "debut": passage.debut if passage is not None else None,
        },
    )
    reponse["Cache-Control"] = "no-store"
    return reponse


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


def _pdf(lu: services.ContenuPiece) -> HttpResponse:
    reponse = HttpResponse(lu.contenu, content_type=lu.type_mime)
    reponse["Content-Disposition"] = f'inline; filename="{lu.nom_fichier}"'
    reponse["Cache-Control"] = "no-store"
    return reponse


def _avec_session(nom: str, session: ExamSession, *args: Any) -> str:
    return f"{reverse(nom, args=args)}?session={session.code}"


# --------------------------------------------------------------------------- contexte numérique E5B


@connecte
@require_POST
def contexte(request: HttpRequest) -> HttpResponse:
    session = _session(request)
    if not acces.gestionnaire_pilote(request.user, session):
        raise PermissionDenied(PILOTE_SEULE)
    formulaire = FormulaireContexte(request.POST)
    if not formulaire.is_valid():
        messages.error(request, "Contexte numérique : donnez sa version, le site WordPress et la boutique PrestaShop.")
    else:
        d = formulaire.cleaned_data
        try:
            c = services.publier_contexte_numerique(
                session=session,
                version=d["version"],
                wordpress=d["wordpress"],
                prestashop=d["prestashop"],
                par=acces.identifiant(request.user),
            )
        except ErreurExamens as erreur:
            messages.error(request, str(erreur))
        else:
            messages.success(
                request,
                f"Contexte numérique {c.version} publié : les centres vérifient leurs postes sur cette version.",
            )
    return redirect(_avec_session("sujets:banque", session))


# --------------------------------------------------------------------------- attribution et journal


@connecte
@require_http_methods(["GET", "POST"])
def attribution(request: HttpRequest) -> HttpResponse:
    """GET : le choix du centre, puis (`?simuler=1`) la simulation ; POST : l'attribution appliquée."""
    session = _session(request)
    if not acces.gestionnaire_pilote(request.user, session):
        raise PermissionDenied("L'attribution des sujets E5B est lancée par le gestionnaire de l'académie pilote.")
    centres = selectors.centres_en_requete(session, None).order_by("code")
    donnees = request.POST if request.method == "POST" else (request.GET if "simuler" in request.GET else None)
    formulaire = FormulaireAttribution(donnees, centres=centres)
    rapport = None
    if donnees is not None and formulaire.is_valid():
        centre = formulaire.cleaned_data["centre"]
        par = acces.identifiant(request.user)
        try:
            if request.method == "POST":
                rapport = services.attribuer_sujets(session=session, par=par, centre=centre, appliquer=True)
            else:
                rapport = services.attribuer_sujets(session=session, par=par, centre=centre)
        except ErreurExamens as erreur:
            messages.error(request, str(erreur))
        else:
            if request.method == "POST":
                ecrites = sum(c.compte("nouvelle") + c.compte("remplacee") for c in rapport.centres)
                messages.success(
                    request,
                    f"Attribution appliquée : {ecrites} attribution(s) nouvelle(s) ou changée(s), inscrite(s) au journal.",
                )
                suite = _avec_session("sujets:journal", session)
                return redirect(f"{suite}&centre={centre.pk}" if centre is not None else suite)
    fuseaux = dict(centres.values_list("code", "fuseau")) if rapport else {}
    return render(
        request,
        "sujets/attribution.html",
        {
            "session": session,
            "formulaire": formulaire,
            "rapport": rapport,
            "blocs": [(c, fuseaux.get(c.centre, "Europe/Paris")) for c in rapport.centres] if rapport else [],
            "centre_choisi": formulaire.cleaned_data.get("centre")
            if formulaire.is_bound and formulaire.is_valid()
            else None,
            "diffusion": selectors.derniere_diffusion(session),
        },
    )


@connecte
def journal(request: HttpRequest) -> HttpResponse:
    session = _session(request)
    centres = acces.centres_gestionnaire(request.user, session)
    if centres is None:
        raise PermissionDenied("Le journal d'attribution des sujets est consulté par les gestionnaires des académies.")
    formulaire = FormulaireJournal(request.GET or None, centres=centres.order_by("code"))
    centre = candidat = None
    if formulaire.is_bound and formulaire.is_valid():
        centre = formulaire.cleaned_data["centre"]
        numero = formulaire.cleaned_data["candidat"].strip()
        if numero:
            candidat = candidats_visibles(request.user, session=session).filter(numero=numero).first()
            if candidat is None:
                formulaire.add_error("candidat", f"Aucun candidat n° {numero} dans votre périmètre.")
    lignes = selectors.requete_journal(session=session, centres=centres, centre=centre, candidat=candidat)
    if formulaire.errors:
        lignes = lignes.none()
    page = Paginator(lignes, LIGNES_DU_JOURNAL).get_page(request.GET.get("page"))
    page.pages_list = page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)  # type: ignore[attr-defined]
    return render(
        request,
        "sujets/journal.html",
        {
            "session": session,
            "formulaire": formulaire,
            "page_obj": page,
            "lignes": [selectors.ligne_attribution(a) for a in page.object_list],
            "usages": selectors.sujets_utilises(session=session)
            if acces.gestionnaire_pilote(request.user, session)
            else [],
        },
    )


# --------------------------------------------------------------------------- fiche d'engagement étudiant


def _candidat_engagement(request: HttpRequest, pk: int) -> tuple[Candidat, str]:
    """Le candidat (404 hors du périmètre) et la qualité de l'utilisateur pour sa fiche d'engagement (403 sinon)."""
    session = _session(request)
    candidat = get_object_or_404(
        candidats_visibles(request.user, session=session).select_related("session", "centre", "etablissement"),
        pk=pk,
    )
    qualite = acces.qualite_depot_engagement(request.user, candidat)
    if qualite is None:
        raise PermissionDenied(
            "La fiche d'engagement étudiant est déposée par le candidat, son établissement ou le gestionnaire."
        )
    return candidat, qualite


@connecte
@require_http_methods(["GET", "POST"])
def engagement(request: HttpRequest, pk: int) -> HttpResponse:
    candidat, qualite = _candidat_engagement(request, pk)
    envoye = request.method == "POST"
    formulaire = FormulaireFicheEngagement(request.POST if envoye else None, request.FILES if envoye else None)
    if envoye and formulaire.is_valid():
        try:
            fiche = services.deposer_fiche_engagement(
                candidat=candidat,
                contenu=formulaire.cleaned_data["fiche"].read(),
                par=acces.identifiant(request.user),
                deposant=qualite,
            )
        except PieceRefusee as erreur:  # le fichier : l'erreur va au champ
            formulaire.add_error("fiche", str(erreur))
        except ErreurExamens as erreur:  # le dépôt lui-même (date limite, candidat non inscrit…)
            formulaire.add_error(None, str(erreur))
        else:
            messages.success(
                request,
                f"Fiche d'engagement étudiant déposée (version {fiche.version}) pour le candidat {candidat.numero}.",
            )
            return redirect(_avec_session("sujets:engagement", candidat.session, candidat.pk))
    etat = selectors.etat_engagement(candidat)
    return render(
        request,
        "sujets/engagement.html",
        {
            "session": candidat.session,
            "candidat": candidat,
            "qualite": qualite,
            "etat": etat,
            "formulaire": formulaire,
            # Passé la date limite, seul le gestionnaire dépose encore (le service le vérifie aussi).
            "depot_ouvert": candidat.engagement_etudiant
            and candidat.desiste_le is None
            and (not etat.limite_passee or qualite == "gestionnaire"),
        },
    )


@connecte
def fiche_engagement(request: HttpRequest, pk: int) -> HttpResponse:
    candidat, _ = _candidat_engagement(request, pk)
    try:
        lu = services.consulter_fiche_engagement(utilisateur=request.user, candidat=candidat)
    except PermissionDenied:
        raise
    except ErreurExamens as erreur:
        raise Http404(str(erreur)) from None
    return _pdf(lu)


# --------------------------------------------------------------------------- préparation des centres


def _centres_suivis(request: HttpRequest, session: ExamSession) -> Any:
    centres = acces.centres_suivis(request.user, session)
    if centres is None:
        raise PermissionDenied("La préparation des centres est suivie par les gestionnaires et les chefs de centre.")
    return centres


def _centre_suivi(request: HttpRequest, pk: int) -> tuple[ExamSession, Centre]:
    session = _session(request)
    return session, get_object_or_404(_centres_suivis(request, session), pk=pk)


@connecte
def centres(request: HttpRequest) -> HttpResponse:
    session = _session(request)
    suivis = _centres_suivis(request, session)
    dans_la_session = suivis & selectors.centres_en_requete(session, None)
    manquantes = selectors.fiches_manquantes_par_centre(session=session, centres=dans_la_session)
    return render(
        request,
        "sujets/centres.html",
        {
            "session": session,
            "contexte": selectors.contexte_en_vigueur(session),
            "lignes": [
                (e, manquantes.get(e.centre_id, 0))
                for e in selectors.alertes_postes(session=session, centres=dans_la_session, toutes=True)
            ],
        },
    )


@connecte
@require_http_methods(["GET", "POST"])
def postes(request: HttpRequest, pk: int) -> HttpResponse:
    session, centre = _centre_suivi(request, pk)
    chef = acces.chef_du_centre(request.user, session, centre)
    formulaire = FormulairePostes(request.POST if request.POST.get("action") == "declarer" else None, centre=centre)
    if request.method == "POST":
        if not chef:
            raise PermissionDenied(
                "Le chef du centre prépare et vérifie les postes E5B ; le gestionnaire les consulte."
            )
        par = acces.identifiant(request.user)
        action = request.POST.get("action")
        try:
            if action == "declarer":
                if formulaire.is_valid():
                    declares = services.declarer_postes(
                        session=session,
                        centre=centre,
                        noms=formulaire.liste_noms,
                        salle=formulaire.cleaned_data["salle"],
                        par=par,
                    )
                    messages.success(request, f"{len(declares)} poste(s) E5B déclaré(s) ou déjà inscrit(s).")
                    return redirect(_avec_session("sujets:postes", session, centre.pk))
            elif action == "verifier":
                identifiant = request.POST.get("poste", "")
                if not identifiant.isdigit():
                    raise Http404("Poste inconnu.")
                poste = get_object_or_404(PosteE5B, pk=int(identifiant), session=session, centre=centre)
                poste = services.verifier_poste(
                    poste=poste,
                    wordpress_ok=request.POST.get("wordpress") == "on",
                    prestashop_ok=request.POST.get("prestashop") == "on",
                    observations=request.POST.get("observations", ""),
                    par=par,
                )
                messages.success(request, f"Poste {poste.nom} vérifié : {poste.get_etat_display()}.")
                return redirect(_avec_session("sujets:postes", session, centre.pk) + f"#poste-{poste.pk}")
            elif action == "signer":
                signature = services.signer_preparation_postes(session=session, centre=centre, par=par)
                messages.success(
                    request,
                    f"Liste de contrôle signée : {signature.postes_prets} poste(s) prêt(s) sur "
                    f"{signature.postes_declares} déclaré(s).",
                )
                return redirect(_avec_session("sujets:postes", session, centre.pk))
            else:
                messages.error(request, "Action inconnue.")
                return redirect(_avec_session("sujets:postes", session, centre.pk))
        except ErreurExamens as erreur:
            if action == "declarer":
                formulaire.add_error(None, str(erreur))
            else:
                messages.error(request, str(erreur))
                return redirect(_avec_session("sujets:postes", session, centre.pk))
    contexte_vigueur = selectors.contexte_en_vigueur(session)
    return render(
        request,
        "sujets/postes.html",
        {
            "session": session,
            "centre": centre,
            "chef": chef,
            "contexte": contexte_vigueur,
            "etat": selectors.alertes_postes(session=session, centres=[centre], toutes=True)[0],
            "postes": selectors.postes_du_centre(session=session, centre=centre, contexte=contexte_vigueur),
            "signatures": selectors.signatures_postes(session=session, centre=centre),
            "formulaire": formulaire,
        },
    )


@connecte
def fiches_manquantes(request: HttpRequest, pk: int) -> HttpResponse:
    session, centre = _centre_suivi(request, pk)
    reglages = selectors.reglages_de(session)
    aujourd_hui = timezone.now().astimezone(ZoneInfo(centre.fuseau)).date()
    lignes = []
    for f in selectors.fiches_manquantes_a_venir(centre, session=session):
        limite = selectors.limite_fiche_sujet(f.debut, fuseau=f.fuseau, reglages=reglages)
        lignes.append((f, limite, aujourd_hui > limite))
    return render(
        request,
        "sujets/fiches_manquantes.html",
        {
            "session": session,
            "centre": centre,
            "lignes": lignes,
            "delai": selectors.delai_fiche_sujet(reglages.fiche_sujet_jours_avant),
        },
    )
