"""Pages web des épreuves écrites (DSFR). Chaque vue : vérifie le rôle (`comptes.permissions`), cherche l'objet
dans le périmètre de l'utilisateur (hors périmètre : 404), appelle un sélecteur ou un service, rend un gabarit.

| page                              | qui                                                        |
|-----------------------------------|------------------------------------------------------------|
| répartition d'un centre           | gestionnaire (son académie, ou toute la session si pilote), chef du centre |
| présences d'une salle             | idem                                                       |
| lots d'un correcteur, double saisie | le correcteur à qui le lot est confié (numéros d'anonymat seulement) |
| harmonisation (statistiques)      | gestionnaire de la session                                 |
| table de correspondance           | gestionnaire (`selectors.correspondance`) ; lecture tracée |
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from examens.apps.comptes.models import Role
from examens.apps.comptes.permissions import habilitations_de, roles_de, session_par_defaut
from examens.apps.ecrits import selectors, selectors_suivi, services
from examens.apps.ecrits.models import CommissionHarmonisation, Lot, Place
from examens.apps.examinateurs.models import Examinateur
from examens.apps.organisation.models import Centre, EpreuveEcrite, ExamSession, Salle
from examens.apps.web import graphiques
from examens.apps.web.views import HORS_DROITS, habilite
from examens.core.erreurs import ErreurExamens

ROLES_CENTRE = frozenset({Role.GESTIONNAIRE, Role.CHEF_DE_CENTRE})


def _session(request: HttpRequest) -> ExamSession:
    session = session_par_defaut(request.user, request.GET.get("session"))
    if session is None:
        raise Http404("Session inconnue ou hors de vos habilitations.")
    return session


def _session_habilitee(request: HttpRequest, session: ExamSession) -> None:
    if not roles_de(request.user, session=session):
        raise Http404("Session hors de vos habilitations.")


def centres_geres(utilisateur: Any, session: ExamSession) -> QuerySet[Centre]:
    """Les centres dont l'utilisateur organise le jour J : ceux de l'académie d'un gestionnaire (tous pour
    l'académie pilote), le centre d'un chef de centre. Les autres rôles n'en gèrent aucun."""
    filtre = Q(pk__in=[])
    for h in habilitations_de(utilisateur):
        if h.session_id != session.pk:
            continue
        if h.role == Role.GESTIONNAIRE:
            filtre |= Q(pk__isnull=False) if h.national else Q(academie_id=h.academie_id)
        elif h.role == Role.CHEF_DE_CENTRE:
            filtre |= Q(pk=h.centre_id)
    return Centre.objects.filter(filtre)


def _centre(request: HttpRequest, session: ExamSession, pk: int) -> Centre:
    if not roles_de(request.user, session=session) & ROLES_CENTRE:
        raise PermissionDenied(HORS_DROITS)
    return get_object_or_404(centres_geres(request.user, session), pk=pk)


@habilite
def repartition(request: HttpRequest, centre_pk: int) -> HttpResponse:
    session = _session(request)
    centre = _centre(request, session, centre_pk)
    return render(
        request,
        "ecrits/repartition.html",
        {
            "session": session,
            "centre": centre,
            "epreuves": selectors.repartition_du_centre(session=session, centre=centre),
        },
    )


@habilite
def presences(request: HttpRequest, centre_pk: int, epreuve_pk: int, salle_pk: int) -> HttpResponse:
    epreuve = get_object_or_404(EpreuveEcrite.objects.select_related("session"), pk=epreuve_pk)
    session = epreuve.session
    _session_habilitee(request, session)
    centre = _centre(request, session, centre_pk)
    salle = get_object_or_404(Salle, pk=salle_pk, centre=centre)
    lignes = selectors.places_de_la_salle(epreuve=epreuve, salle=salle)
    if not lignes:
        raise Http404("Aucune place dans cette salle pour cette épreuve.")
    if request.method == "POST":
        valeurs = {
            ligne.candidat_id: request.POST.get(f"presence-{ligne.candidat_id}", ligne.presence) for ligne in lignes
        }
        if any(v not in Place.Presence.values for v in valeurs.values()):
            messages.error(request, "Choisissez présent, absent ou à saisir pour chaque candidat.")
        else:
            try:
                bilan = services.saisir_presences(
                    epreuve=epreuve, salle=salle, presences=valeurs, acteur=request.user.get_username()
                )
            except ErreurExamens as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, f"Présences enregistrées : {bilan.resume()}")
                return redirect("ecrits:presences", centre_pk=centre.pk, epreuve_pk=epreuve.pk, salle_pk=salle.pk)
    return render(
        request,
        "ecrits/presences.html",
        {
            "session": session,
            "centre": centre,
            "epreuve": epreuve,
            "salle": salle,
            "lignes": lignes,
            "horaires": selectors.horaires(epreuve=epreuve, centre=centre),
            "choix": Place.Presence.choices,
        },
    )


def _examinateurs(request: HttpRequest) -> list[int]:
    return [h.examinateur_id for h in habilitations_de(request.user) if h.role == Role.EXAMINATEUR]


@habilite
def mes_lots(request: HttpRequest) -> HttpResponse:
    examinateurs = _examinateurs(request)
    if not examinateurs:
        raise PermissionDenied(HORS_DROITS)
    lots = [
        lot
        for examinateur in Examinateur.objects.filter(pk__in=examinateurs)
        for lot in selectors.lots_du_correcteur(examinateur=examinateur)
    ]
    return render(request, "ecrits/mes_lots.html", {"lots": lots})


@habilite
def saisie_lot(request: HttpRequest, lot_pk: int, rang: int) -> HttpResponse:
    """La double saisie d'un lot par son correcteur : numéros d'anonymat seulement ; la saisie en cours ne
    montre jamais l'autre (deux saisies indépendantes)."""
    examinateurs = _examinateurs(request)
    if not examinateurs:
        raise PermissionDenied(HORS_DROITS)
    if rang not in (1, 2):
        raise Http404("Une note se saisit deux fois : saisie 1 ou saisie 2.")
    lot = get_object_or_404(Lot.objects.select_related("epreuve"), pk=lot_pk, correcteur_id__in=examinateurs)
    copies = selectors.copies_du_lot(lot=lot)
    if request.method == "POST":
        notes = {c.numero: v for c in copies if (v := request.POST.get(f"note-{c.numero}", "").strip())}
        try:
            bilan = services.saisir_notes(lot=lot, rang=rang, notes=notes, acteur=request.user.get_username())
        except ErreurExamens as exc:
            messages.error(request, exc.message)
        else:
            niveau = messages.WARNING if bilan.ecarts else messages.SUCCESS
            messages.add_message(request, niveau, f"Saisie {rang} enregistrée : {bilan.resume()}")
            return redirect("ecrits:saisie_lot", lot_pk=lot.pk, rang=rang)
    lignes = [(c, c.saisie_1 if rang == 1 else c.saisie_2) for c in copies]
    return render(request, "ecrits/saisie_lot.html", {"lot": lot, "rang": rang, "lignes": lignes})


def _gestionnaire(request: HttpRequest, epreuve_pk: int) -> EpreuveEcrite:
    epreuve = get_object_or_404(EpreuveEcrite.objects.select_related("session"), pk=epreuve_pk)
    roles = roles_de(request.user, session=epreuve.session)
    if not roles:
        raise Http404("Session hors de vos habilitations.")
    if Role.GESTIONNAIRE not in roles:
        raise PermissionDenied(HORS_DROITS)
    return epreuve


@habilite
def harmonisation(request: HttpRequest, epreuve_pk: int) -> HttpResponse:
    epreuve = _gestionnaire(request, epreuve_pk)
    stats = selectors.statistiques_harmonisation(epreuve=epreuve)
    tranches = [f"{i}" for i in range(len(stats.ensemble_finales.distribution))]
    histogramme = graphiques.histogramme(
        identifiant="distribution",
        titre=f"Distribution des notes de {epreuve.epreuve} (après harmonisation)",
        description=(
            "Histogramme : nombre de copies par tranche d'un point (de 0 à 20, la dernière tranche comprend 20). "
            "Les effectifs par correcteur sont dans le tableau qui suit."
        ),
        donnees=list(zip(tranches, stats.ensemble_finales.distribution, strict=True)),
    )
    moyennes = graphiques.barres_horizontales(
        identifiant="moyennes",
        titre="Moyenne par correcteur (avant harmonisation)",
        description="Barres horizontales : moyenne des notes validées de chaque correcteur, sur 20.",
        donnees=[(ligne.correcteur, ligne.initiales.moyenne_arrondie()) for ligne in stats.par_correcteur],
        maximum=20,
    )
    return render(
        request,
        "ecrits/harmonisation.html",
        {
            "epreuve": epreuve,
            "stats": stats,
            "commission": CommissionHarmonisation.objects.filter(epreuve=epreuve).first(),
            "lots": selectors.lots_de_l_epreuve(epreuve=epreuve),
            "histogramme": histogramme,
            "moyennes": moyennes,
        },
    )


@habilite
def correspondance(request: HttpRequest, epreuve_pk: int) -> HttpResponse:
    """La table de correspondance : chaque lecture est tracée (qui, quand, quelle épreuve) ; les dernières
    lectures s'affichent sous la table."""
    epreuve = get_object_or_404(EpreuveEcrite.objects.select_related("session"), pk=epreuve_pk)
    _session_habilitee(request, epreuve.session)
    # 403 hors gestionnaire (rien n'est tracé) ; sinon la lecture est tracée avant d'être montrée.
    lignes = services.consulter_correspondance(utilisateur=request.user, epreuve=epreuve, contexte="table")
    return render(
        request,
        "ecrits/correspondance.html",
        {
            "epreuve": epreuve,
            "lignes": lignes,
            "consultations": selectors_suivi.consultations_de_la_correspondance(epreuve=epreuve),
        },
    )
