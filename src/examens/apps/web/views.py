"""Les pages de l'application web. Chaque vue : vérifie le droit (`comptes.permissions`), lit par les
sélecteurs dans le périmètre de l'utilisateur, rend un gabarit DSFR. Un objet hors du périmètre est
introuvable (404), une page hors des droits du rôle est interdite (403)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from examens.apps.comptes.models import Role
from examens.apps.comptes.permissions import (
    Droit,
    a_le_droit,
    candidats_visibles,
    centres_visibles,
    commissions_visibles,
    habilitations_de,
    jurys_visibles,
    session_par_defaut,
    voit_les_resultats,
)
from examens.apps.organisation.models import ExamSession
from examens.apps.sujets.acces import centres_suivis
from examens.apps.web import graphiques
from examens.apps.web.exports import ecrire_xlsx
from examens.apps.web.forms import FormulaireRecherche
from examens.apps.web.selectors import (
    ENTETES_EXPORT,
    ENTETES_RESULTATS,
    LIBELLES_TRANCHES,
    Categories,
    TableauDeBord,
    alertes_sujets,
    fiche_candidat,
    lignes_export,
    rechercher_candidats,
    tableau_de_bord,
)
from examens.core.reglement import reglement_fourni

PAR_PAGE = 50
LIMITE_EXPORT = 50_000
SANS_HABILITATION = (
    "Votre compte n'a aucune habilitation pour cette session : demandez-la au gestionnaire de votre académie."
)
HORS_DROITS = "Votre rôle ne donne pas accès à cette page."

Vue = Callable[..., HttpResponse]


def habilite(vue: Vue) -> Vue:
    """Connecté (sinon : page de connexion) et titulaire d'au moins une habilitation (sinon : 403)."""

    @login_required
    @wraps(vue)
    def enveloppe(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not habilitations_de(request.user):
            raise PermissionDenied(SANS_HABILITATION)
        return vue(request, *args, **kwargs)

    return enveloppe


def _session(request: HttpRequest, droit: Droit) -> ExamSession:
    """La session choisie (`?session=code`, sinon la plus récente de l'utilisateur), où le rôle a ce droit."""
    session = session_par_defaut(request.user, request.GET.get("session"))
    if session is None:
        raise Http404("Session inconnue ou hors de vos habilitations.")
    if not a_le_droit(request.user, droit, session=session):
        raise PermissionDenied(HORS_DROITS)
    return session


@habilite
def accueil(request: HttpRequest) -> HttpResponse:
    habilitations = habilitations_de(request.user)
    return render(
        request,
        "web/accueil.html",
        {
            "habilitations": habilitations,
            "roles": {h.role for h in habilitations},
            "Role": Role,
            "peut_piloter": a_le_droit(request.user, Droit.TABLEAU_DE_BORD),
            "peut_rechercher": a_le_droit(request.user, Droit.RECHERCHE_CANDIDATS),
        },
    )


def _graphiques(tdb: TableauDeBord) -> dict[str, Any]:
    if not tdb.resultats_visibles:
        return {}

    def taux(identifiant: str, titre: str, lignes: list[Any]) -> graphiques.Graphique:
        return graphiques.barres_horizontales(
            identifiant=identifiant,
            titre=titre,
            description=(
                "Diagramme en barres horizontales : pourcentage de candidats admis parmi les candidats délibérés "
                "(hors parcours progressifs incomplets). Les effectifs sont dans le tableau qui suit."
            ),
            donnees=[(ligne.libelle, ligne.taux) for ligne in lignes],
            maximum=100,
            unite=" %",
        )

    return {
        "graphique_categories": taux("taux-categorie", "Taux d'admission par catégorie", tdb.par_categorie),
        "graphique_academies": taux("taux-academie", "Taux d'admission par académie", tdb.par_academie),
        "graphique_centres": taux("taux-centre", "Taux d'admission par centre d'examen", tdb.par_centre),
        "histogrammes": [
            (
                d,
                graphiques.histogramme(
                    identifiant=f"notes-{d.epreuve.lower()}",
                    titre=f"Répartition des notes — {d.epreuve}",
                    description=(
                        f"Histogramme : nombre de notes de l'épreuve {d.epreuve} ({d.intitule}) par tranche de "
                        "2 points, de 0 à 20. Les effectifs sont dans le tableau qui suit."
                    ),
                    donnees=list(zip(LIBELLES_TRANCHES, d.tranches, strict=True)),
                ),
            )
            for d in tdb.distributions
        ],
    }


@habilite
def tableau_de_bord_session(request: HttpRequest) -> HttpResponse:
    session = _session(request, Droit.TABLEAU_DE_BORD)
    utilisateur = request.user
    tdb = tableau_de_bord(
        session=session,
        candidats=candidats_visibles(utilisateur, session=session),
        jurys=jurys_visibles(utilisateur, session=session),
        commissions=commissions_visibles(utilisateur, session=session),
        resultats_visibles=voit_les_resultats(utilisateur, session),
    )
    # Préparation des épreuves (postes E5B, fiches-sujets E4) : pour qui prépare les centres seulement.
    suivis = centres_suivis(utilisateur, session)
    if suivis is not None:
        tdb.alertes.extend(alertes_sujets(session=session, centres=suivis))
    return render(
        request,
        "web/tableau_de_bord.html",
        {"tdb": tdb, "session": session, "libelles_tranches": LIBELLES_TRANCHES, **_graphiques(tdb)},
    )


def _recherche(request: HttpRequest, session: ExamSession) -> tuple[FormulaireRecherche, Any, bool]:
    utilisateur = request.user
    resultats_visibles = voit_les_resultats(utilisateur, session)
    formulaire = FormulaireRecherche(
        request.GET
        if any(k in request.GET for k in ("texte", "centre", "etablissement", "decision", "situation"))
        else None,
        centres=centres_visibles(utilisateur, session=session),
        avec_decisions=resultats_visibles,
    )
    if formulaire.is_bound:
        formulaire.is_valid()
    candidats = rechercher_candidats(
        candidats=candidats_visibles(utilisateur, session=session), criteres=formulaire.criteres()
    )
    return formulaire, candidats, resultats_visibles


@habilite
def candidats(request: HttpRequest) -> HttpResponse:
    session = _session(request, Droit.RECHERCHE_CANDIDATS)
    formulaire, resultats, resultats_visibles = _recherche(request, session)
    page = Paginator(resultats, PAR_PAGE).get_page(request.GET.get("page"))
    page.pages_list = page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)  # type: ignore[attr-defined]
    classer = Categories(reglement_fourni(session.reglement))
    lignes = [
        (
            c,
            classer.de(
                c.mode_preparation,
                c.etablissement.statut if c.etablissement else None,
                c.etablissement.habilite_ccf if c.etablissement else None,
            ),
        )
        for c in page.object_list
    ]
    requete = request.GET.copy()
    requete.pop("page", None)
    return render(
        request,
        "web/candidats/liste.html",
        {
            "session": session,
            "formulaire": formulaire,
            "page_obj": page,
            "lignes": lignes,
            "resultats_visibles": resultats_visibles,
            "peut_exporter": a_le_droit(request.user, Droit.EXPORT_CANDIDATS, session=session),
            "requete": requete.urlencode(),
        },
    )


@habilite
def export_candidats(request: HttpRequest) -> HttpResponse:
    session = _session(request, Droit.EXPORT_CANDIDATS)
    _formulaire, resultats, resultats_visibles = _recherche(request, session)
    nombre = resultats.count()
    if nombre > LIMITE_EXPORT:
        messages.error(
            request,
            f"L'export est limité à {LIMITE_EXPORT:_} candidats ({nombre:_} trouvés) : précisez la recherche.".replace(
                "_", "\u202f"
            ),
        )
        return redirect(f"{reverse('web:candidats')}?{request.GET.urlencode()}")
    fichier = ecrire_xlsx(
        titre="Candidats",
        entetes=ENTETES_EXPORT + (ENTETES_RESULTATS if resultats_visibles else []),
        lignes=lignes_export(
            candidats=resultats, reglement=reglement_fourni(session.reglement), avec_resultats=resultats_visibles
        ),
    )
    nom = f"candidats-{session.code}-{timezone.localdate():%Y-%m-%d}.xlsx"
    return FileResponse(
        fichier,
        as_attachment=True,
        filename=nom,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@habilite
def fiche(request: HttpRequest, pk: int) -> HttpResponse:
    utilisateur = request.user
    if not a_le_droit(utilisateur, Droit.FICHE_CANDIDAT):
        raise PermissionDenied(HORS_DROITS)
    candidat = get_object_or_404(
        candidats_visibles(utilisateur).select_related("session", "etablissement__academie", "centre__academie"),
        pk=pk,
    )
    donnees = fiche_candidat(
        candidat=candidat,
        resultats_visibles=voit_les_resultats(utilisateur, candidat.session),
        voir_acteurs=a_le_droit(utilisateur, Droit.VOIR_ACTEURS, session=candidat.session),
    )
    return render(
        request,
        "web/candidats/fiche.html",
        {
            "fiche": donnees,
            "candidat": candidat,
            "session": candidat.session,
            "peut_rechercher": a_le_droit(utilisateur, Droit.RECHERCHE_CANDIDATS, session=candidat.session),
        },
    )
