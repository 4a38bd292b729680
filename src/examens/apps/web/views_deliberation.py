"""Délibération d'un jury dans l'application web : la liste des candidats par numéro d'anonymat, le livret et le
calcul de chaque candidat, les points de jury motivés, les décisions (simulées puis appliquées), le contrôle
(choix des épreuves, notes, seconde délibération), l'examen des livrets, le verrouillage, la publication et
le procès-verbal.

Qui : le président du jury et les gestionnaires dont le périmètre comprend le jury (`Droit.DELIBERATION`,
`comptes.permissions.jurys_visibles`). Un jury ou un candidat hors du périmètre est introuvable (404) ; un
rôle sans ce droit (chef de centre, examinateur, établissement, candidat) est refusé (403).

Chaque écriture passe par un service du domaine, qui la trace et la refuse si la délibération du jury est
verrouillée (`jury.services.verifier_deliberation_ouverte`).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from examens.apps.candidats.models import Candidat
from examens.apps.comptes.permissions import Droit, a_le_droit, candidats_visibles, jurys_visibles
from examens.apps.editions.models import Version
from examens.apps.editions.services import creer_travail
from examens.apps.editions.travaux import executer
from examens.apps.jury.anonymat import numero_anonyme, numeros_anonymes
from examens.apps.jury.models import Jury, MentionPix
from examens.apps.jury.services import (
    avertissements_avant_signature,
    deliberer_session,
    etat_de,
    marquer_livret_examine,
    publier_deliberation,
    rouvrir_deliberation,
    verrouiller_deliberation,
)
from examens.apps.notes.models import Resultat
from examens.apps.notes.selectors import candidats_concernes
from examens.apps.notes.services import relever_note_jury, saisir_note_controle
from examens.apps.planification.services import choisir_epreuves_controle
from examens.apps.web.forms_deliberation import (
    FormulaireChoixControle,
    FormulaireFiltreJury,
    FormulaireLivret,
    FormulaireNoteControle,
    FormulairePointsJury,
    FormulaireReouverture,
)
from examens.apps.web.selectors_deliberation import (
    MODELE_PV,
    anonymiser,
    fiche_deliberation,
    jurys_a_deliberer,
    lignes_de,
    page_du_jury,
)
from examens.apps.web.telechargements import servir_version
from examens.apps.web.views import HORS_DROITS, _session, habilite
from examens.core.deliberation import Decision as DecisionMoteur
from examens.core.erreurs import ErreurExamens
from examens.core.reglement import reglement_fourni

PAR_PAGE = 50
VARIANTES_PV = ("anonyme", "nominatif")


# --- Périmètre --------------------------------------------------------------------------------------------


def _jury(request: HttpRequest, pk: int) -> Jury:
    """Le jury demandé : 403 si le rôle ne délibère pas, 404 s'il est hors du périmètre."""
    utilisateur = request.user
    if not a_le_droit(utilisateur, Droit.DELIBERATION):
        raise PermissionDenied(HORS_DROITS)
    jury = get_object_or_404(
        jurys_visibles(utilisateur).select_related("session", "etat_deliberation").prefetch_related("membres"), pk=pk
    )
    if not a_le_droit(utilisateur, Droit.DELIBERATION, session=jury.session):
        raise PermissionDenied(HORS_DROITS)
    return jury


def _candidats_du_jury(request: HttpRequest, jury: Jury) -> QuerySet[Candidat]:
    """Les candidats que le jury délibère (non désistés), dans le périmètre de l'utilisateur."""
    return candidats_concernes(session=jury.session, jury=jury) & candidats_visibles(request.user, session=jury.session)


def _candidat(request: HttpRequest, jury: Jury, pk: int) -> Candidat:
    return get_object_or_404(_candidats_du_jury(request, jury).select_related("session"), pk=pk)


def _acteur(request: HttpRequest) -> str:
    return request.user.get_username()


def _url_jury(jury: Jury) -> str:
    return reverse("web:deliberation_jury", args=[jury.pk])


def _url_candidat(jury: Jury, candidat: Candidat) -> str:
    return reverse("web:deliberation_candidat", args=[jury.pk, candidat.pk])


# --- Liste des jurys ------------------------------------------------------------------------------------


@habilite
def deliberation(request: HttpRequest) -> HttpResponse:
    session = _session(request, Droit.DELIBERATION)
    lignes = jurys_a_deliberer(jurys=jurys_visibles(request.user, session=session))
    return render(request, "web/deliberation/jurys.html", {"session": session, "lignes": lignes})


# --- Page d'un jury ----------------------------------------------------------------------------------------


def _rendre_jury(request: HttpRequest, jury: Jury, *, status: int = 200, **contexte: Any) -> HttpResponse:
    filtre = FormulaireFiltreJury(request.GET if request.method == "GET" and request.GET else None)
    criteres = filtre.cleaned_data if filtre.is_bound and filtre.is_valid() else {}
    page_jury, _anonymes = page_du_jury(
        jury=jury,
        candidats=_candidats_du_jury(request, jury),
        decision=criteres.get("decision") or "",
        texte=criteres.get("texte") or "",
    )
    page = Paginator(page_jury.trouves, PAR_PAGE).get_page(request.GET.get("page"))
    page.pages_list = page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)  # type: ignore[attr-defined]
    requete = request.GET.copy()
    requete.pop("page", None)
    contexte.setdefault("formulaire_reouverture", FormulaireReouverture())
    return render(
        request,
        "web/deliberation/jury.html",
        {
            "session": jury.session,
            "jury": jury,
            "p": page_jury,
            "filtre": filtre,
            "page_obj": page,
            "lignes": lignes_de(page.object_list),
            "requete": requete.urlencode(),
            "variantes_pv": VARIANTES_PV,
            **contexte,
        },
        status=status,
    )


@habilite
def jury(request: HttpRequest, pk: int) -> HttpResponse:
    return _rendre_jury(request, _jury(request, pk))


def _rapport_anonyme(rapport: Any, session_code: str) -> dict[str, Any]:
    """Le rapport de délibération tel que le jury le lit : numéros d'anonymat, 50 lignes au plus par liste."""
    anonymes = numeros_anonymes(session_code, (d.numero for d in rapport.decisions))
    libelles = {d.value: d.label for d in DecisionMoteur}
    changements = sorted(
        (
            anonymes[d.numero],
            libelles.get(d.precedente[0], d.precedente[0]) if d.precedente else "aucune",
            d.deliberation.decision.label,
        )
        for d in rapport.changements
    )
    return {
        "decompte": [(libelles.get(code, code), n) for code, n in rapport.decompte.items()],
        "changements": changements[:50],
        "nombre_changements": len(changements),
        "erreurs": [anonymiser(e, anonymes) for e in rapport.erreurs[:50]],
        "nombre_erreurs": len(rapport.erreurs),
        "avertissements": [anonymiser(a, anonymes) for a in rapport.avertissements[:50]],
        "nombre_avertissements": len(rapport.avertissements),
        "total": len(rapport.decisions),
    }


@habilite
@require_POST
def deliberer(request: HttpRequest, pk: int) -> HttpResponse:
    """Délibère le jury : simulation (rien n'est écrit, le rapport s'affiche), ou application."""
    jury_ = _jury(request, pk)
    appliquer = request.POST.get("appliquer") == "1"
    try:
        rapport = deliberer_session(session=jury_.session, jury=jury_, acteur=_acteur(request), appliquer=appliquer)
    except ErreurExamens as exc:
        messages.error(request, exc.message)
        return redirect(_url_jury(jury_))
    if not appliquer:
        return _rendre_jury(request, jury_, rapport=_rapport_anonyme(rapport, jury_.session.code))
    if rapport.erreurs:
        messages.error(
            request,
            f"{len(rapport.erreurs)} erreur(s) : rien n'est enregistré. Simulez la délibération pour les lire.",
        )
    else:
        messages.success(
            request,
            f"Délibération enregistrée : {rapport.enregistrees} décision(s) nouvelle(s) ou remplacée(s) sur "
            f"{len(rapport.decisions)} candidat(s).",
        )
    return redirect(_url_jury(jury_))


@habilite
@require_POST
def verrouiller(request: HttpRequest, pk: int) -> HttpResponse:
    jury_ = _jury(request, pk)
    try:
        verrouiller_deliberation(jury=jury_, acteur=_acteur(request))
    except ErreurExamens as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Délibération verrouillée : notes, points de jury et décisions ne changent plus.")
    return redirect(_url_jury(jury_))


@habilite
@require_POST
def publier(request: HttpRequest, pk: int) -> HttpResponse:
    jury_ = _jury(request, pk)
    try:
        publier_deliberation(jury=jury_, acteur=_acteur(request))
    except ErreurExamens as exc:
        messages.error(request, exc.message)
    else:
        date = jury_.session.date_resultats
        quand = f" à partir du {date:%d/%m/%Y}" if date else " dès que la session aura sa date de publication"
        messages.success(
            request, f"Résultats publiés : les candidats du jury et leurs établissements les consultent{quand}."
        )
    return redirect(_url_jury(jury_))


@habilite
@require_POST
def rouvrir(request: HttpRequest, pk: int) -> HttpResponse:
    jury_ = _jury(request, pk)
    formulaire = FormulaireReouverture(request.POST)
    if not formulaire.is_valid():
        return _rendre_jury(request, jury_, status=400, formulaire_reouverture=formulaire)
    try:
        rouvrir_deliberation(jury=jury_, acteur=_acteur(request), motif=formulaire.cleaned_data["motif"])
    except ErreurExamens as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Délibération rouverte : la réouverture et son motif sont tracés.")
    return redirect(_url_jury(jury_))


@habilite
@require_POST
def editer_pv(request: HttpRequest, pk: int) -> HttpResponse:
    """Émet le procès-verbal (anonyme ou nominatif) des décisions verrouillées ; rappelle la composition."""
    jury_ = _jury(request, pk)
    variante = request.POST.get("variante", "")
    if variante not in VARIANTES_PV:
        messages.error(request, "Choisissez le procès-verbal anonyme ou nominatif.")
        return redirect(_url_jury(jury_))
    if not etat_de(jury_).verrouillee:
        messages.error(
            request, "Verrouillez la délibération avant d'éditer le procès-verbal : il reprend les décisions figées."
        )
        return redirect(_url_jury(jury_))
    for avertissement in avertissements_avant_signature(jury_):
        messages.warning(request, f"Avant de signer : {avertissement}")
    travail = creer_travail(
        session=jury_.session,
        nature=f"editer:{MODELE_PV}",
        parametres={"jury": jury_.nom, "variante": variante},
        par=_acteur(request),
    )
    try:
        bilan = executer(travail, processus=1)
    except Exception as exc:  # le travail est passé en échec avec l'erreur ; la page le dit
        messages.error(request, f"Le procès-verbal n'a pas pu être édité : {exc}")
    else:
        texte = "nouvelle version émise" if bilan.nouvelles else "déjà à jour (aucune nouvelle version)"
        messages.success(request, f"Procès-verbal {variante} : {texte}.")
    return redirect(f"{_url_jury(jury_)}#proces-verbal")


@habilite
@require_POST
def telecharger_pv(request: HttpRequest, pk: int, version: int) -> HttpResponse:
    """Le PDF d'une version du procès-verbal ; le téléchargement est journalisé (qui a reçu quelle version)."""
    jury_ = _jury(request, pk)
    v = get_object_or_404(
        Version.objects.select_related("document", "fichier"),
        pk=version,
        document__jury=jury_,
        document__modele=MODELE_PV,
    )
    return servir_version(v, par=_acteur(request))


# --- Page d'un candidat ------------------------------------------------------------------------------------


def _rendre_candidat(
    request: HttpRequest, jury_: Jury, candidat: Candidat, *, status: int = 200, **formulaires: Any
) -> HttpResponse:
    reglement = reglement_fourni(jury_.session.reglement)
    anonyme = numero_anonyme(jury_.session.code, candidat.numero)
    fiche = fiche_deliberation(candidat=candidat, reglement=reglement, anonyme=anonyme)
    intitules = {e.code: e.intitule for e in reglement.epreuves.values()}
    possibles = fiche.premier_groupe.epreuves_controle_possibles if fiche.premier_groupe else ()
    if "points" not in formulaires:
        formulaires["points"] = FormulairePointsJury(
            epreuves=[(e.code, f"{e.code} — {e.intitule}") for e in fiche.epreuves_relevables]
        )
    pix_declaree = (fiche.livret_depose or {}).get("mention_pix") or ""
    if "livret" not in formulaires:
        formulaires["livret"] = FormulaireLivret(initial={"mention_pix": pix_declaree or None})
    if "choix" not in formulaires:
        formulaires["choix"] = FormulaireChoixControle(
            possibles=[(c, f"{c} — {intitules.get(c, c)}") for c in possibles],
            initial={"epreuves": fiche.choix_controle},
        )
    if "controle" not in formulaires:
        formulaires["controle"] = FormulaireNoteControle(
            epreuves=[(c, f"{c} — {intitules.get(c, c)}") for c in fiche.choix_controle]
        )
    return render(
        request,
        "web/deliberation/candidat.html",
        {
            "session": jury_.session,
            "jury": jury_,
            "etat": etat_de(jury_),
            "fiche": fiche,
            "pix_declaree": MentionPix(pix_declaree).label if pix_declaree else "",
            "formulaires": formulaires,
            "intitules": intitules,
        },
        status=status,
    )


@habilite
def candidat(request: HttpRequest, pk: int, candidat_pk: int) -> HttpResponse:
    jury_ = _jury(request, pk)
    return _rendre_candidat(request, jury_, _candidat(request, jury_, candidat_pk))


def _erreur_de_service(request: HttpRequest, candidat_: Candidat, exc: ErreurExamens) -> None:
    anonymes = {candidat_.numero: numero_anonyme(candidat_.session.code, candidat_.numero)}
    messages.error(request, anonymiser(exc.message, anonymes))


@habilite
@require_POST
def points_jury(request: HttpRequest, pk: int, candidat_pk: int) -> HttpResponse:
    jury_ = _jury(request, pk)
    candidat_ = _candidat(request, jury_, candidat_pk)
    resultats = {r.epreuve: r for r in Resultat.objects.filter(candidat=candidat_, etat="note", origine="session")}
    formulaire = FormulairePointsJury(request.POST, epreuves=[(code, code) for code in sorted(resultats)])
    if not formulaire.is_valid():
        return _rendre_candidat(request, jury_, candidat_, status=400, points=formulaire)
    d = formulaire.cleaned_data
    try:
        relever_note_jury(resultat=resultats[d["epreuve"]], note=d["note"], acteur=_acteur(request), motif=d["motif"])
    except ErreurExamens as exc:
        _erreur_de_service(request, candidat_, exc)
    else:
        messages.success(
            request,
            f"{d['epreuve']} : note après jury enregistrée. Délibérez de nouveau pour mettre la décision à jour.",
        )
    return redirect(_url_candidat(jury_, candidat_))


@habilite
@require_POST
def livret(request: HttpRequest, pk: int, candidat_pk: int) -> HttpResponse:
    jury_ = _jury(request, pk)
    candidat_ = _candidat(request, jury_, candidat_pk)
    formulaire = FormulaireLivret(request.POST)
    if not candidat_.livret_scolaire:
        messages.error(request, "Ce candidat n'a pas fourni de livret scolaire.")
        return redirect(_url_candidat(jury_, candidat_))
    if not formulaire.is_valid():
        return _rendre_candidat(request, jury_, candidat_, status=400, livret=formulaire)
    try:
        marquer_livret_examine(
            candidat=candidat_,
            acteur=_acteur(request),
            jury=jury_,
            observations=formulaire.cleaned_data["observations"],
            mention_pix=formulaire.cleaned_data["mention_pix"],
        )
    except ErreurExamens as exc:
        _erreur_de_service(request, candidat_, exc)
    else:
        messages.success(request, "Livret scolaire examiné : un ajournement est désormais possible (§4.8).")
    return redirect(_url_candidat(jury_, candidat_))


@habilite
@require_POST
def choix_controle(request: HttpRequest, pk: int, candidat_pk: int) -> HttpResponse:
    jury_ = _jury(request, pk)
    candidat_ = _candidat(request, jury_, candidat_pk)
    reglement = reglement_fourni(jury_.session.reglement)
    formulaire = FormulaireChoixControle(request.POST, possibles=[(e, e) for e in reglement.controle.epreuves])
    if not formulaire.is_valid():
        messages.error(request, "Choisissez les épreuves de contrôle parmi celles proposées.")
        return redirect(_url_candidat(jury_, candidat_))
    try:
        choisir_epreuves_controle(candidat_, epreuves=formulaire.cleaned_data["epreuves"], par=_acteur(request))
    except ErreurExamens as exc:
        _erreur_de_service(request, candidat_, exc)
    else:
        messages.success(request, f"Épreuves de contrôle choisies : {', '.join(formulaire.cleaned_data['epreuves'])}.")
    return redirect(_url_candidat(jury_, candidat_))


@habilite
@require_POST
def note_controle(request: HttpRequest, pk: int, candidat_pk: int) -> HttpResponse:
    jury_ = _jury(request, pk)
    candidat_ = _candidat(request, jury_, candidat_pk)
    reglement = reglement_fourni(jury_.session.reglement)
    formulaire = FormulaireNoteControle(request.POST, epreuves=[(e, e) for e in reglement.controle.epreuves])
    if not formulaire.is_valid():
        return _rendre_candidat(request, jury_, candidat_, status=400, controle=formulaire)
    d = formulaire.cleaned_data
    try:
        saisir_note_controle(candidat=candidat_, epreuve=d["epreuve"], valeur=d["valeur"], acteur=_acteur(request))
    except ErreurExamens as exc:
        _erreur_de_service(request, candidat_, exc)
    else:
        messages.success(request, f"Contrôle {d['epreuve']} : note enregistrée. Délibérez de nouveau (second groupe).")
    return redirect(_url_candidat(jury_, candidat_))
