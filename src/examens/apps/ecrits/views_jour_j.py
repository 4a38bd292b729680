"""Pages web du jour J des écrits (surveillants, procès-verbaux d'incident, heures de la salle) et des
absences (justificatifs, décision AB / ABJ). Même règle que `views.py` : le rôle d'abord (`comptes.permissions`,
sinon 403), puis l'objet cherché dans le périmètre (sinon 404), puis un sélecteur ou un service, qui trace.

| page                                           | qui                                                      |
|------------------------------------------------|----------------------------------------------------------|
| salle d'une épreuve : heures locales, surveillants, procès-verbaux ; affecter / retirer un surveillant ; rédiger un procès-verbal | gestionnaire (son académie, toute la session si pilote), chef du centre |
| procès-verbaux d'incident d'un centre          | idem                                                     |
| absences aux écrits, une absence : justificatifs, dépôt, décision AB / ABJ | gestionnaire (division des examens), centres de son périmètre |
| mes absences aux écrits, dépôt d'un justificatif | le candidat (les siennes), l'établissement (celles de ses candidats) |
| un justificatif (téléchargement tracé)         | ceux qui voient l'absence : gestionnaire, candidat, établissement |
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods, require_POST

from examens.apps.candidats.models import Candidat
from examens.apps.comptes.models import Role
from examens.apps.comptes.permissions import (
    Droit,
    a_le_droit,
    candidats_visibles,
    habilitations_de,
    roles_de,
    session_par_defaut,
)
from examens.apps.ecrits import selectors, services
from examens.apps.ecrits.forms_jour_j import (
    FiltreAbsences,
    FormulaireDecision,
    FormulaireIncident,
    FormulaireJustificatif,
    FormulaireSurveillant,
)
from examens.apps.ecrits.models import Absence, Justificatif, Place
from examens.apps.ecrits.services.absences import TYPES_JUSTIFICATIF
from examens.apps.ecrits.views import ROLES_CENTRE, centres_geres
from examens.apps.examinateurs.models import Examinateur
from examens.apps.organisation.models import Centre, EpreuveEcrite, ExamSession, Salle
from examens.apps.web.views import HORS_DROITS, habilite
from examens.core.ecrits import REGLES_ECRITS
from examens.core.erreurs import ErreurExamens
from examens.core.reglement import reglement_fourni

PAR_PAGE = 50
HORS_DIVISION = "Les absences se statuent à la division des examens : cette page est réservée aux gestionnaires."
LIBELLES_DECISION = dict(Absence.Decision.choices)
LIBELLES_MODE_EXAMEN = {
    "neutralisation_memoire": "mémoire neutralisée ou effacée",
    "blocage_transmissions": "toute transmission bloquée (wifi, Bluetooth…)",
    "voyant_clignotant": "voyant clignotant sur la tranche haute",
    "non_reversible": "mode examen irréversible sans câble pendant l'épreuve",
}


def _acteur(request: HttpRequest) -> str:
    return request.user.get_username()


# --- Jour J : la salle d'une épreuve ---------------------------------------------------------------


def _salle_de_l_epreuve(
    request: HttpRequest, centre_pk: int, epreuve_pk: int, salle_pk: int
) -> tuple[ExamSession, Centre, EpreuveEcrite, Salle]:
    """L'épreuve, le centre (géré par l'utilisateur : gestionnaire de son académie ou chef du centre, sinon 403
    ou 404) et la salle (du centre, avec des places à cette épreuve, sinon 404)."""
    epreuve = get_object_or_404(EpreuveEcrite.objects.select_related("session"), pk=epreuve_pk)
    session = epreuve.session
    roles = roles_de(request.user, session=session)
    if not roles:
        raise Http404("Session hors de vos habilitations.")
    if not roles & ROLES_CENTRE:
        raise PermissionDenied(HORS_DROITS)
    centre = get_object_or_404(centres_geres(request.user, session), pk=centre_pk)
    salle = get_object_or_404(Salle, pk=salle_pk, centre=centre)
    if not Place.objects.filter(epreuve=epreuve, salle=salle).exists():
        raise Http404("Aucune place dans cette salle pour cette épreuve.")
    return session, centre, epreuve, salle


def _examinateurs_proposes(session: ExamSession, centre: Centre) -> QuerySet[Examinateur]:
    """Les examinateurs de la session de l'académie du centre (ceux qu'on peut appeler à surveiller)."""
    return Examinateur.objects.filter(session=session, academie_id=centre.academie_id).order_by("nom", "prenom", "code")


def _regles_de_la_salle(session: ExamSession) -> dict[str, Any]:
    calculatrices = reglement_fourni(session.reglement).calculatrices
    return {
        "sans_memoire": calculatrices.non_programmable_sans_memoire_alphanumerique,
        "mode_examen": [LIBELLES_MODE_EXAMEN.get(c, c) for c in calculatrices.mode_examen_exige],
    }


def _contexte_salle(
    session: ExamSession,
    centre: Centre,
    epreuve: EpreuveEcrite,
    salle: Salle,
    *,
    formulaire: FormulaireSurveillant | None = None,
) -> dict[str, Any]:
    horaires = selectors.horaires(epreuve=epreuve, centre=centre)
    lignes = selectors.places_de_la_salle(epreuve=epreuve, salle=salle)
    surveillances = selectors.surveillances(epreuve=epreuve, salle=salle)
    return {
        "session": session,
        "centre": centre,
        "epreuve": epreuve,
        "salle": salle,
        "intitule": reglement_fourni(session.reglement).epreuve(epreuve.epreuve).intitule,
        "horaires": horaires,
        "tiers_temps": sum(1 for ligne in lignes if ligne.temps_majore),
        "lignes": [(ligne, horaires.fin_pour(ligne.temps_majore)) for ligne in lignes],
        "surveillances": surveillances,
        "surveillants_requis": REGLES_ECRITS.surveillants_par_salle,
        "surveillants_manquants": max(0, REGLES_ECRITS.surveillants_par_salle - len(surveillances)),
        "formulaire": formulaire or FormulaireSurveillant(examinateurs=_examinateurs_proposes(session, centre)),
        "incidents": selectors.incidents(session=session, centres=Centre.objects.filter(pk=centre.pk), salle=salle),
        "regles": _regles_de_la_salle(session),
    }


@habilite
def salle(request: HttpRequest, centre_pk: int, epreuve_pk: int, salle_pk: int) -> HttpResponse:
    session, centre, epreuve, s = _salle_de_l_epreuve(request, centre_pk, epreuve_pk, salle_pk)
    return render(request, "ecrits/jour_j/salle.html", _contexte_salle(session, centre, epreuve, s))


@habilite
@require_POST
def surveillants(request: HttpRequest, centre_pk: int, epreuve_pk: int, salle_pk: int) -> HttpResponse:
    """Ajoute un surveillant à la salle (« ajouter ») ou en retire un (« retirer ») : la liste complète passe par
    `services.affecter_surveillants`, qui vérifie qu'une personne ne surveille qu'une salle à la fois et trace."""
    session, centre, epreuve, s = _salle_de_l_epreuve(request, centre_pk, epreuve_pk, salle_pk)
    retour = reverse("ecrits:salle", args=[centre.pk, epreuve.pk, s.pk])
    actuelles = selectors.surveillances(epreuve=epreuve, salle=s)
    if request.POST.get("action") == "retirer":
        cible = next((x for x in actuelles if str(x.pk) == request.POST.get("surveillance", "")), None)
        if cible is None:
            messages.error(request, "Ce surveillant n'est plus affecté à cette salle : la liste a été rechargée.")
            return redirect(retour)
        gardees = [x for x in actuelles if x.pk != cible.pk]
        try:
            services.affecter_surveillants(
                epreuve=epreuve,
                salle=s,
                examinateurs=[x.examinateur for x in gardees if x.examinateur is not None],
                noms=[x.nom for x in gardees if x.examinateur is None],
                acteur=_acteur(request),
            )
        except ErreurExamens as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"{cible.libelle} ne surveille plus la salle {s.nom} en {epreuve.epreuve}.")
        return redirect(retour)
    formulaire = FormulaireSurveillant(request.POST, examinateurs=_examinateurs_proposes(session, centre))
    if formulaire.is_valid():
        nouveau = formulaire.cleaned_data["examinateur"]
        nom = formulaire.cleaned_data["nom"]
        try:
            services.affecter_surveillants(
                epreuve=epreuve,
                salle=s,
                examinateurs=[x.examinateur for x in actuelles if x.examinateur is not None]
                + ([nouveau] if nouveau else []),
                noms=[x.nom for x in actuelles if x.examinateur is None] + ([nom] if nom else []),
                acteur=_acteur(request),
            )
        except ErreurExamens as exc:
            formulaire.add_error(None, exc.message)
        else:
            qui = f"{nouveau.prenom} {nouveau.nom.upper()}" if nouveau else nom
            messages.success(request, f"{qui} surveille la salle {s.nom} en {epreuve.epreuve}.")
            return redirect(retour)
    return render(
        request, "ecrits/jour_j/salle.html", _contexte_salle(session, centre, epreuve, s, formulaire=formulaire)
    )


@habilite
@require_http_methods(["GET", "POST"])
def incident(request: HttpRequest, centre_pk: int, epreuve_pk: int, salle_pk: int) -> HttpResponse:
    """Rédiger un procès-verbal d'incident ou de suspicion de fraude (qui désigne un candidat de la salle). L'heure
    se saisit et se lit en heure locale du centre ; le procès-verbal ne se modifie plus ensuite."""
    session, centre, epreuve, s = _salle_de_l_epreuve(request, centre_pk, epreuve_pk, salle_pk)
    horaires = selectors.horaires(epreuve=epreuve, centre=centre)
    candidats = Candidat.objects.filter(places_ecrits__epreuve=epreuve, places_ecrits__salle=s).order_by(
        "places_ecrits__numero"
    )
    with timezone.override(ZoneInfo(centre.fuseau)):
        if request.method == "POST":
            formulaire = FormulaireIncident(request.POST, candidats=candidats, jour=horaires.debut.date())
            if formulaire.is_valid():
                d = formulaire.cleaned_data
                try:
                    pv = services.consigner_incident(
                        epreuve=epreuve,
                        nature=d["nature"],
                        description=d["description"],
                        mesures=d["mesures"],
                        salle=s,
                        candidat=d["candidat"],
                        survenu_le=d["survenu_le"],
                        acteur=_acteur(request),
                    )
                except ErreurExamens as exc:
                    formulaire.add_error(None, exc.message)
                else:
                    messages.success(
                        request,
                        f"Procès-verbal n° {pv.pk} enregistré ({pv.get_nature_display()}"
                        + (f", candidat {pv.candidat.numero}" if pv.candidat else "")
                        + ") ; il ne se modifie plus : un complément se rédige dans un nouveau procès-verbal.",
                    )
                    return redirect("ecrits:salle", centre_pk=centre.pk, epreuve_pk=epreuve.pk, salle_pk=s.pk)
        else:
            maintenant = timezone.now()
            heure = horaires.debut if maintenant < horaires.debut or maintenant > horaires.fin_majoree else maintenant
            choisi = (
                candidats.filter(pk=request.GET.get("candidat")).first()
                if request.GET.get("candidat", "").isdigit()
                else None
            )
            formulaire = FormulaireIncident(
                candidats=candidats,
                jour=horaires.debut.date(),
                initial={"survenu_le": heure.replace(second=0, microsecond=0), "candidat": choisi},
            )
        return render(
            request,
            "ecrits/jour_j/incident.html",
            {
                "session": session,
                "centre": centre,
                "epreuve": epreuve,
                "salle": s,
                "horaires": horaires,
                "formulaire": formulaire,
            },
        )


@habilite
def incidents_du_centre(request: HttpRequest, centre_pk: int) -> HttpResponse:
    """Les procès-verbaux d'incident d'un centre, toutes épreuves, en heure locale du centre."""
    session = session_par_defaut(request.user, request.GET.get("session"))
    if session is None:
        raise Http404("Session inconnue ou hors de vos habilitations.")
    if not roles_de(request.user, session=session) & ROLES_CENTRE:
        raise PermissionDenied(HORS_DROITS)
    centre = get_object_or_404(centres_geres(request.user, session), pk=centre_pk)
    return render(
        request,
        "ecrits/jour_j/incidents.html",
        {
            "session": session,
            "centre": centre,
            "incidents": selectors.incidents(session=session, centres=Centre.objects.filter(pk=centre.pk)),
        },
    )


# --- Absences : la division des examens ------------------------------------------------------------


def centres_de_la_division(utilisateur: Any, session: ExamSession) -> QuerySet[Centre]:
    """Les centres dont le gestionnaire statue les absences : ceux de son académie (tous pour l'académie
    pilote). Les chefs de centre n'en font pas partie : ils constatent l'absence, ils ne la jugent pas."""
    filtre = Q(pk__in=[])
    for h in habilitations_de(utilisateur):
        if h.session_id == session.pk and h.role == Role.GESTIONNAIRE:
            filtre |= Q(pk__isnull=False) if h.national else Q(academie_id=h.academie_id)
    return Centre.objects.filter(filtre)


def _division(request: HttpRequest, session: ExamSession) -> QuerySet[Centre]:
    roles = roles_de(request.user, session=session)
    if not roles:
        raise Http404("Session hors de vos habilitations.")
    if Role.GESTIONNAIRE not in roles:
        raise PermissionDenied(HORS_DIVISION)
    return centres_de_la_division(request.user, session)


@habilite
def absences(request: HttpRequest) -> HttpResponse:
    """Les absents d'une épreuve ou d'un centre du périmètre, avec l'état de leur justification ; filtres et
    pages de 50. Nombre de requêtes constant."""
    session = session_par_defaut(request.user, request.GET.get("session"))
    if session is None:
        raise Http404("Session inconnue ou hors de vos habilitations.")
    centres = _division(request, session)
    filtre = FiltreAbsences(request.GET or None, epreuves=session.calendrier.all(), centres=centres)
    criteres = filtre.cleaned_data if filtre.is_bound and filtre.is_valid() else {}
    qs = selectors.absences(
        session=session,
        centres=centres,
        epreuve=criteres.get("epreuve"),
        centre=criteres.get("centre"),
        decision=criteres.get("decision") or "",
    )
    page = Paginator(qs, PAR_PAGE).get_page(request.GET.get("page"))
    page.pages_list = page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)  # type: ignore[attr-defined]
    return render(request, "ecrits/jour_j/absences.html", {"session": session, "filtre": filtre, "page_obj": page})


def _absence_de_la_division(request: HttpRequest, pk: int) -> Absence:
    absence = get_object_or_404(Absence.objects.select_related("place__epreuve__session"), pk=pk)
    session = absence.place.epreuve.session
    centres = _division(request, session)
    return get_object_or_404(selectors.absences(session=session, centres=centres), pk=pk)


def _contexte_absence(
    absence: Absence,
    *,
    formulaire_justificatif: FormulaireJustificatif | None = None,
    formulaire_decision: FormulaireDecision | None = None,
) -> dict[str, Any]:
    place = absence.place
    return {
        "absence": absence,
        "place": place,
        "candidat": place.candidat,
        "epreuve": place.epreuve,
        "centre": place.salle.centre,
        "session": place.epreuve.session,
        "horaires": selectors.horaires(epreuve=place.epreuve, centre=place.salle.centre),
        "justificatifs": selectors.justificatifs(absence=absence),
        "decisions": [
            {
                "quand": t.quand,
                "avant": LIBELLES_DECISION.get((t.avant or {}).get("decision", ""), "—"),
                "apres": LIBELLES_DECISION.get((t.apres or {}).get("decision", ""), "—"),
                "motif": t.motif,
                "acteur": t.acteur,
            }
            for t in selectors.decisions_de_l_absence(absence=absence)
        ],
        "telechargements": selectors.telechargements_des_justificatifs(absence=absence),
        "en_attente": absence.decision == Absence.Decision.EN_ATTENTE,
        "formulaire_justificatif": formulaire_justificatif or FormulaireJustificatif(),
        "formulaire_decision": formulaire_decision or FormulaireDecision(),
    }


@habilite
def absence(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "ecrits/jour_j/absence.html", _contexte_absence(_absence_de_la_division(request, pk)))


def _deposer(request: HttpRequest, a: Absence) -> tuple[FormulaireJustificatif, Justificatif | None]:
    formulaire = FormulaireJustificatif(request.POST, request.FILES)
    if not formulaire.is_valid():
        return formulaire, None
    nom, contenu = formulaire.contenu()
    try:
        justificatif = services.deposer_justificatif(
            absence=a, nom_fichier=nom, contenu=contenu, acteur=_acteur(request)
        )
    except ErreurExamens as exc:
        formulaire.add_error("fichier", exc.message)
        return formulaire, None
    messages.success(
        request,
        f"Justificatif déposé : « {justificatif.nom_fichier} » ({TYPES_JUSTIFICATIF[justificatif.type_mime]}, "
        f"{justificatif.taille} octets).",
    )
    return formulaire, justificatif


@habilite
@require_POST
def deposer_justificatif(request: HttpRequest, pk: int) -> HttpResponse:
    """Le gestionnaire dépose une pièce reçue par courrier ou courriel (absence non encore statuée)."""
    a = _absence_de_la_division(request, pk)
    formulaire, justificatif = _deposer(request, a)
    if justificatif is not None:
        return redirect("ecrits:absence", pk=a.pk)
    return render(request, "ecrits/jour_j/absence.html", _contexte_absence(a, formulaire_justificatif=formulaire))


@habilite
@require_POST
def statuer(request: HttpRequest, pk: int) -> HttpResponse:
    """ABJ (force majeure reconnue, sur pièce) ou maintien de l'AB, motivé ; le service trace la décision et
    notifie le candidat et les comptes de son établissement."""
    a = _absence_de_la_division(request, pk)
    formulaire = FormulaireDecision(request.POST)
    if formulaire.is_valid():
        force_majeure = formulaire.cleaned_data["decision"] == Absence.Decision.FORCE_MAJEURE
        try:
            a = services.statuer_absence(
                absence=a, force_majeure=force_majeure, motif=formulaire.cleaned_data["motif"], acteur=_acteur(request)
            )
        except ErreurExamens as exc:
            formulaire.add_error(None, exc.message)
        else:
            candidat = a.place.candidat
            messages.success(
                request,
                f"Candidat {candidat.numero}, {a.place.epreuve.epreuve} : {a.get_decision_display()}. Le candidat et "
                "son établissement en sont informés par courriel.",
            )
            return redirect("ecrits:absence", pk=a.pk)
    return render(request, "ecrits/jour_j/absence.html", _contexte_absence(a, formulaire_decision=formulaire))


# --- Absences : le candidat et son établissement ---------------------------------------------------


def candidats_personnels(utilisateur: Any) -> QuerySet[Candidat]:
    """Le candidat lui-même (habilitation « candidat ») et les candidats de son établissement (habilitation
    « établissement »), lus par `candidats_visibles` : un compte qui cumule un autre rôle ne voit pas ici les
    candidats de cet autre rôle."""
    filtre = Q(pk__in=[])
    for h in habilitations_de(utilisateur):
        if h.role == Role.CANDIDAT:
            filtre |= Q(pk=h.candidat_id)
        elif h.role == Role.ETABLISSEMENT:
            filtre |= Q(session_id=h.session_id, etablissement_id=h.etablissement_id)
    return candidats_visibles(utilisateur).filter(filtre)


def _espace_personnel(request: HttpRequest) -> None:
    if not (a_le_droit(request.user, Droit.ESPACE_CANDIDAT) or a_le_droit(request.user, Droit.ESPACE_ETABLISSEMENT)):
        raise PermissionDenied(HORS_DROITS)


def _absences_personnelles(request: HttpRequest) -> QuerySet[Absence]:
    _espace_personnel(request)
    return (
        Absence.objects.filter(place__candidat__in=candidats_personnels(request.user))
        .select_related("place__candidat__etablissement", "place__epreuve__session", "place__salle__centre")
        .order_by("place__epreuve__session_id", "place__epreuve__debut", "place__candidat__numero")
    )


@habilite
def mes_absences(request: HttpRequest) -> HttpResponse:
    return render(request, "ecrits/jour_j/mes_absences.html", {"absences": list(_absences_personnelles(request))})


@habilite
@require_http_methods(["GET", "POST"])
def mon_absence(request: HttpRequest, pk: int) -> HttpResponse:
    """Une absence du candidat (ou d'un candidat de l'établissement) : sa décision, ses pièces, le dépôt d'une
    pièce tant qu'elle n'est pas statuée."""
    a = get_object_or_404(_absences_personnelles(request), pk=pk)
    formulaire = FormulaireJustificatif()
    if request.method == "POST":
        formulaire, justificatif = _deposer(request, a)
        if justificatif is not None:
            return redirect("ecrits:mon_absence", pk=a.pk)
    return render(
        request,
        "ecrits/jour_j/mon_absence.html",
        {
            "absence": a,
            "place": a.place,
            "candidat": a.place.candidat,
            "epreuve": a.place.epreuve,
            "horaires": selectors.horaires(epreuve=a.place.epreuve, centre=a.place.salle.centre),
            "justificatifs": selectors.justificatifs(absence=a),
            "en_attente": a.decision == Absence.Decision.EN_ATTENTE,
            "formulaire_justificatif": formulaire,
        },
    )


@habilite
def justificatif(request: HttpRequest, pk: int) -> HttpResponse:
    """Le fichier d'un justificatif, pour qui voit l'absence : gestionnaire du périmètre, le candidat, son
    établissement. Chaque téléchargement est tracé (`services.telecharger_justificatif`) ; jamais mis en cache
    partagé."""
    j = get_object_or_404(Justificatif.objects.select_related("absence__place__epreuve__session"), pk=pk)
    session = j.absence.place.epreuve.session
    roles = roles_de(request.user, session=session)
    personnel = a_le_droit(request.user, Droit.ESPACE_CANDIDAT, session=session) or a_le_droit(
        request.user, Droit.ESPACE_ETABLISSEMENT, session=session
    )
    if not roles:
        raise Http404("Session hors de vos habilitations.")
    if Role.GESTIONNAIRE not in roles and not personnel:
        raise PermissionDenied(HORS_DROITS)
    absence = Absence.objects.filter(pk=j.absence_id)
    if (
        Role.GESTIONNAIRE in roles
        and absence.filter(place__salle__centre__in=centres_de_la_division(request.user, session)).exists()
    ):
        qualite = "gestionnaire"
    elif personnel and absence.filter(place__candidat__in=candidats_personnels(request.user)).exists():
        candidat_id = j.absence.place.candidat_id
        lui_meme = any(h.role == Role.CANDIDAT and h.candidat_id == candidat_id for h in habilitations_de(request.user))
        qualite = "candidat" if lui_meme else "etablissement"
    else:
        raise Http404("Justificatif hors de votre périmètre.")
    # La lecture est tracée (qui, quand, au titre de quoi, quelle pièce) avant d'être servie.
    j = services.telecharger_justificatif(justificatif=j, acteur=_acteur(request), qualite=qualite)
    reponse = HttpResponse(bytes(j.contenu), content_type=j.type_mime)
    reponse["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=j.nom_fichier)
    reponse["Cache-Control"] = "private, no-store"
    return reponse
