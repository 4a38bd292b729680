"""Des plannings dans le monde des tests web (tests/conftest.py).

- `planning_ecrit` : une version écrite à la main (instance et planning au format, relus valides par le
  vérificateur) pour les centres C1 et L1 : un passage E6 de Léa (C1) et un d'Inès (L1) — rapide, pour la
  matrice des permissions et le nombre de requêtes ;
- `centre_planifiable` : le centre C1 rendu planifiable (loge, salles, examinateurs disponibles, candidats de
  catégorie C) puis planifié par le glouton — pour les parcours (déplacer, replanifier, publier).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from examens.apps.candidats.models import Candidat, Etablissement
from examens.apps.dossiers.models import Dossier
from examens.apps.examinateurs.models import Disponibilite, Examinateur
from examens.apps.organisation.models import Salle
from examens.apps.planification.models import Commission, Passage, VersionPlanning

JOUR = "2022-05-30"
PLAGES = [["08:00", "12:00"], ["13:00", "18:00"]]
PARIS = ZoneInfo("Europe/Paris")


@dataclass
class PlanningEcrit:
    version_c1: VersionPlanning
    version_l1: VersionPlanning
    passage_lea: Passage
    passage_ines: Passage
    dossier_lea: Dossier
    dossier_hugo: Dossier
    dossier_ines: Dossier


def _instant(heure: str) -> dt.datetime:
    h, m = heure.split(":")
    return dt.datetime(2022, 5, 30, int(h), int(m), tzinfo=PARIS)


def _minutes(heure: str, plus: int) -> str:
    h, m = heure.split(":")
    total = int(h) * 60 + int(m) + plus
    return f"{total // 60:02d}:{total % 60:02d}"


def version_ecrite(
    monde: Any, centre: Any, candidats: list[Any], *, numero: int = 1, statut: str = "brouillon"
) -> VersionPlanning:
    """Une version d'E6 (40 min, sans préparation) : deux commissions K01 et K02 d'un examinateur chacune, en
    salles « Oral 1 » et « Oral 2 » ; les candidats passent à la suite, alternativement devant K01 et K02."""
    salles = {
        nom: Salle.objects.get_or_create(centre=centre, nom=nom, type="oral", capacite=3)[0]
        for nom in ("Oral 1", "Oral 2")
    }
    membres = {}
    commissions = {}
    for code, salle in (("K01", "Oral 1"), ("K02", "Oral 2")):
        x, _ = Examinateur.objects.get_or_create(
            session=monde.session,
            code=f"{centre.code[-4:]}-{code}",
            defaults={
                "nom": f"NOM-{code}",
                "prenom": "Alex",
                "qualite": "enseignant",
                "bloc": 3,
                "academie": centre.academie,
            },
        )
        k, _ = Commission.objects.get_or_create(
            session=monde.session, centre=centre, code=code, defaults={"epreuves": ["E6"], "salle": salles[salle]}
        )
        k.membres.set([x])
        membres[code], commissions[code] = x, k
    passages, lignes = [], []
    for rang, c in enumerate(candidats):
        code = ("K01", "K02")[rang % 2]
        debut = _minutes("08:00", 50 * (rang // 2))
        if debut >= "11:20":
            debut = _minutes("13:00", 50 * (rang // 2) - 200)
        fin = _minutes(debut, 40)
        salle = "Oral 1" if code == "K01" else "Oral 2"
        passages.append(
            {
                "candidat": c.numero,
                "epreuve": "E6",
                "commission": code,
                "date": JOUR,
                "debut": debut,
                "fin": fin,
                "salle": salle,
            }
        )
        lignes.append((c, code, debut, fin, salle))
    instance = {
        "format": "examens/planning-instance@1",
        "nom": f"{centre.nom} — test",
        "fuseau": "Europe/Paris",
        "pas": 5,
        "jours": [{"date": JOUR, "plages": PLAGES}],
        "epreuves": {"E6": {"preparation": 0, "duree": 40}},
        "loges": [],
        "postes": 0,
        "commissions": [
            {
                "id": code,
                "epreuves": ["E6"],
                "membres": [membres[code].code],
                "salle": salle,
                "disponible": [{"date": JOUR, "plages": PLAGES}],
            }
            for code, salle in (("K01", "Oral 1"), ("K02", "Oral 2"))
        ],
        "examinateurs": [{"id": membres[code].code, "etablissement": None} for code in ("K01", "K02")],
        "candidats": [{"id": c.numero, "etablissement": None, "epreuves": ["E6"]} for c in candidats],
        "sujets": [],
        "regles": {"battement": 10, "max_passages_par_jour": 4, "conflit_etablissement": True},
    }
    version = VersionPlanning.objects.create(
        session=monde.session,
        centre=centre,
        numero=numero,
        statut=statut,
        creee_par="test",
        motif="planning écrit à la main",
        solveur="glouton",
        statut_solveur="GLOUTON",
        duree_s=0.1,
        instance=instance,
        resultat={"format": "examens/planning@1", "passages": passages, "non_planifies": []},
        passages_planifies=len(passages),
        non_planifies=0,
        jours_candidats=len(passages),
        attente_minutes=0,
        demi_journees_commissions=2,
        bornes={
            "non_planifies": 0,
            "jours_candidats": len(passages),
            "attente_minutes": 0,
            "demi_journees_commissions": 2,
        },
    )
    Passage.objects.bulk_create(
        Passage(
            version=version,
            candidat=c,
            epreuve="E6",
            commission=commissions[code],
            salle=salles[salle],
            debut=_instant(debut),
            fin=_instant(fin),
        )
        for c, code, debut, fin, salle in lignes
    )
    return version


def planning_ecrit(monde: Any) -> PlanningEcrit:
    v1 = version_ecrite(monde, monde.c1, [monde.lea])
    vl = version_ecrite(monde, monde.l1, [monde.ines])
    hugo = Dossier.objects.create(candidat=monde.hugo, epreuve="E4", depose_le=date(2022, 4, 1))
    ines = Dossier.objects.create(candidat=monde.ines, epreuve="E6", depose_le=date(2022, 4, 1))
    return PlanningEcrit(
        version_c1=v1,
        version_l1=vl,
        passage_lea=Passage.objects.get(version=v1, candidat=monde.lea),
        passage_ines=Passage.objects.get(version=vl, candidat=monde.ines),
        dossier_lea=Dossier.objects.get(candidat=monde.lea, epreuve="E4"),
        dossier_hugo=hugo,
        dossier_ines=ines,
    )


def ajouter_passages(monde: Any, version: VersionPlanning, nombre: int) -> None:
    """`nombre` candidats de plus au centre de la version, chacun avec un passage (pour compter les requêtes)."""
    deja = Candidat.objects.count()
    candidats = Candidat.objects.bulk_create(
        Candidat(
            session=monde.session,
            numero=f"22-5{deja + k:05d}",
            nom=f"NOM{k}",
            prenoms="Sam",
            date_naissance=date(2003, 1, 1),
            mode_preparation="individuel",
            centre=version.centre,
            langue_e2="anglais",
        )
        for k in range(nombre)
    )
    commissions = list(Commission.objects.filter(session=monde.session, centre=version.centre).order_by("code"))
    Passage.objects.bulk_create(
        Passage(
            version=version,
            candidat=c,
            epreuve="E6",
            commission=commissions[k % len(commissions)],
            debut=_instant("08:00") + dt.timedelta(minutes=50 * k),
            fin=_instant("08:40") + dt.timedelta(minutes=50 * k),
        )
        for k, c in enumerate(candidats)
    )


# --------------------------------------------------------------------------- un centre vraiment planifié


def centre_planifiable(monde: Any) -> None:
    """C1 reçoit une loge, des salles d'oral, une salle informatique, des examinateurs disponibles le 30 et le 31
    mai 2022 (E4, E6, E5B, anglais) et trois candidats de catégorie C (école privée hors contrat)."""
    c1, academie = monde.c1, monde.clermont
    Salle.objects.create(centre=c1, nom="Loge 1", type=Salle.Type.LOGE, capacite=3)
    for i in range(1, 6):
        Salle.objects.get_or_create(centre=c1, nom=f"Oral {i}", type=Salle.Type.ORAL, capacite=3)
    Salle.objects.create(centre=c1, nom="Informatique 1", type=Salle.Type.INFORMATIQUE, capacite=4)
    ecole = Etablissement.objects.create(
        uai="0630050T",
        nom="École privée du commerce",
        academie=academie,
        statut=Etablissement.Statut.PRIVE_HORS_CONTRAT,
    )
    E, P = Examinateur.Qualite.ENSEIGNANT, Examinateur.Qualite.PROFESSIONNEL
    for code, qualite, bloc, langue in (
        ("P01", E, 1, ""),
        ("P02", P, 1, ""),
        ("P03", E, 3, ""),
        ("P04", P, 3, ""),
        ("P05", E, 2, ""),
        ("P06", E, 2, ""),
        ("P07", E, None, "anglais"),
    ):
        x = Examinateur.objects.create(
            session=monde.session,
            code=code,
            nom=f"NOM-{code}",
            prenom="Alex",
            qualite=qualite,
            bloc=bloc,
            langue=langue,
            academie=academie,
        )
        Disponibilite.objects.bulk_create(
            Disponibilite(examinateur=x, date=j, demi_journee=d)
            for j in (date(2022, 5, 30), date(2022, 5, 31))
            for d in ("matin", "apres_midi")
        )
    for k in range(3):
        Candidat.objects.create(
            session=monde.session,
            numero=f"22-00010{k}",
            nom=f"DURAND{k}",
            prenoms="Noé",
            date_naissance=date(2002, 6, 1),
            mode_preparation=Candidat.ModePreparation.SCOLAIRE,
            etablissement=ecole,
            centre=c1,
            langue_e2="anglais",
        )
