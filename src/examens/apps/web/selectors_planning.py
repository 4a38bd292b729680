"""Lectures des écrans du planning d'un centre : les centres du périmètre et leur version en vigueur, les versions
d'un centre (sans leurs gros JSON), la grille d'une version par jour × commission (ou × salle) en heures locales
du centre, le détail d'un passage. Nombre de requêtes constant, quel que soit le nombre de passages."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import QuerySet

from examens.apps.examinateurs.models import Examinateur
from examens.apps.organisation.models import Centre, ExamSession
from examens.apps.planification.models import Commission, EpreuvePlanifiee, Nature, Passage, VersionPlanning

GROS_CHAMPS = ("instance", "resultat", "bornes")
LIBELLES_EPREUVES = dict(EpreuvePlanifiee.choices)
LIBELLES_STATUTS_SOLVEUR = {
    "OPTIMAL": "optimal (chaque critère atteint sa borne)",
    "FEASIBLE": "réalisable",
    "GLOUTON": "glouton (heuristique rapide)",
    "INFAISABLE": "des passages ne peuvent pas être placés",
}


@dataclass(frozen=True, slots=True)
class CentrePlanifie:
    centre: Centre
    version: VersionPlanning | None  # publiée, sinon la plus récente (oraux)
    versions: int


def centres_planifies(*, centres: QuerySet[Centre], session: ExamSession) -> list[CentrePlanifie]:
    """Les centres du périmètre avec leur version des oraux en vigueur. Requêtes : 2."""
    liste = list(centres.order_by("nom", "code"))
    versions: dict[int, list[VersionPlanning]] = defaultdict(list)
    for v in (
        VersionPlanning.objects.filter(session=session, nature=Nature.ORAUX, centre__in=[c.pk for c in liste])
        .defer(*GROS_CHAMPS)
        .order_by("centre_id", "-numero")
    ):
        versions[v.centre_id].append(v)
    return [
        CentrePlanifie(
            c,
            next((v for v in versions[c.pk] if v.statut == VersionPlanning.Statut.PUBLIE), None)
            or next(iter(versions[c.pk]), None),
            len(versions[c.pk]),
        )
        for c in liste
    ]


def versions_du_centre(*, centre: Centre, session: ExamSession) -> list[VersionPlanning]:
    """Toutes les versions du centre (oraux et contrôle), les plus récentes d'abord, sans leurs JSON. Requête : 1."""
    return list(
        VersionPlanning.objects.filter(session=session, centre=centre).defer(*GROS_CHAMPS).order_by("nature", "-numero")
    )


def version_choisie(versions: list[VersionPlanning], identifiant: str | None) -> VersionPlanning | None:
    """La version demandée (`?version=`), parmi celles du centre ; à défaut, les oraux publiés, sinon la plus récente.
    Un identifiant étranger au centre n'est pas trouvé."""
    if identifiant:
        return next((v for v in versions if str(v.pk) == identifiant), None)
    oraux = [v for v in versions if v.nature == Nature.ORAUX] or versions
    return next((v for v in oraux if v.statut == VersionPlanning.Statut.PUBLIE), None) or next(iter(oraux), None)


def non_planifies(version: VersionPlanning) -> list[dict[str, str]]:
    """Les passages non placés et leur raison (dans le JSON du planning). Requête : 1, s'il y en a."""
    if not version.non_planifies:
        return []
    resultat = VersionPlanning.objects.values_list("resultat", flat=True).get(pk=version.pk)
    return list(resultat.get("non_planifies", []))


# --------------------------------------------------------------------------- la grille


@dataclass(frozen=True, slots=True)
class Case:
    """Un passage dans la grille, ses heures en heure locale du centre."""

    pk: int
    epreuve: str
    candidat: str  # numéro
    nom: str
    commission: str
    salle: str
    debut: str
    fin: str
    preparation: str | None
    loge: str | None


@dataclass
class LigneGrille:
    titre: str
    detail: str
    cases: list[list[Case]] = field(default_factory=list)  # une liste par heure de la journée


@dataclass
class JourGrille:
    date: dt.date
    heures: list[int]
    lignes: list[LigneGrille]
    passages: int


def _heure(instant: dt.datetime, fuseau: ZoneInfo) -> dt.datetime:
    return instant.astimezone(fuseau)


def passages_de_la_version(version: VersionPlanning) -> list[Passage]:
    """Les passages de la version avec candidat, commission (et ses membres), salle et loge. Requêtes : 2."""
    return list(
        Passage.objects.filter(version=version)
        .select_related("candidat", "commission", "salle", "loge")
        .prefetch_related("commission__membres")
        .order_by("debut", "commission__code", "candidat__numero")
    )


def grille(passages: list[Passage], *, fuseau: str, par: str = "commission") -> list[JourGrille]:
    """Par jour (heure locale du centre), une ligne par commission (ou par salle) et une colonne par heure où
    commence au moins un passage ; chaque case liste les passages qui commencent dans cette heure."""
    zone = ZoneInfo(fuseau)
    par_jour: dict[dt.date, list[tuple[Passage, dt.datetime]]] = defaultdict(list)
    for p in passages:
        debut = _heure(p.debut, zone)
        par_jour[debut.date()].append((p, debut))
    jours = []
    for date, liste in sorted(par_jour.items()):
        heures = sorted({debut.hour for _, debut in liste})
        lignes: dict[str, LigneGrille] = {}
        for p, debut in liste:
            salle = p.salle.nom if p.salle else "salle non attribuée"
            if par == "salle":
                cle, titre, detail = salle, salle, ""
            else:
                membres = sorted(p.commission.membres.all(), key=lambda x: x.code)
                cle, titre = p.commission.code, f"{p.commission.code} — {salle}"
                detail = ", ".join(f"{x.prenom} {x.nom}" for x in membres)
            ligne = lignes.setdefault(cle, LigneGrille(titre, detail, [[] for _ in heures]))
            ligne.cases[heures.index(debut.hour)].append(
                Case(
                    pk=p.pk,
                    epreuve=p.epreuve,
                    candidat=p.candidat.numero,
                    nom=f"{p.candidat.nom} {p.candidat.prenoms}",
                    commission=p.commission.code,
                    salle=salle,
                    debut=f"{debut:%H:%M}",
                    fin=f"{_heure(p.fin, zone):%H:%M}",
                    preparation=f"{_heure(p.debut_preparation, zone):%H:%M}" if p.debut_preparation else None,
                    loge=p.loge.nom if p.loge else None,
                )
            )
        jours.append(JourGrille(date, heures, [lignes[k] for k in sorted(lignes)], len(liste)))
    return jours


# --------------------------------------------------------------------------- un passage


def commissions_pour(version: VersionPlanning, epreuve: str) -> list[tuple[str, str]]:
    """Les commissions de l'instance de la version qui font passer l'épreuve : (code, libellé)."""
    return [
        (k["id"], f"{k['id']} — {', '.join(k['membres'])}" + (f" — {k['salle']}" if k.get("salle") else ""))
        for k in version.instance.get("commissions", [])
        if epreuve in k.get("epreuves", [])
    ]


def jours_de(version: VersionPlanning) -> list[dt.date]:
    return [dt.date.fromisoformat(j["date"]) for j in version.instance.get("jours", [])]


def examinateurs_du_centre(
    *, centre: Centre, session: ExamSession, visibles: QuerySet[Examinateur]
) -> QuerySet[Examinateur]:
    """Les examinateurs non désistés qui siègent dans une commission active d'oral du centre. Requête : 1."""
    commissions = Commission.objects.filter(session=session, centre=centre, nature=Nature.ORAUX, active=True)
    return (
        visibles.filter(pk__in=commissions.values("membres"))
        .exclude(desistement__isnull=False)
        .order_by("nom", "prenom", "code")
    )


def local(instant: dt.datetime | None, fuseau: str) -> Any:
    return None if instant is None else instant.astimezone(ZoneInfo(fuseau))
