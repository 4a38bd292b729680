"""Des oraux planifiés et publiés dans le monde des tests web (`tests/conftest.py`), pour l'espace examinateur et
la double saisie. Écrits directement en base (sans solveur).

| commission | centre | membres                          | passages                                                    |
|------------|--------|----------------------------------|-------------------------------------------------------------|
| K1 (E4)    | C1     | X0001 (persona « examinateur »), Y | E4 de C1A, C1B le 30 mai 2022 (heure de Paris)             |
| K3 (E2)    | C1     | X0001 seul                       | E2 de C1C le 30 mai : seconde saisie par le chef de centre |
| K4 (E6, engagement) | C1 | X0001, Y                     | E6 puis engagement étudiant de C1A, dans 30 jours          |
| K2 (E5B)   | C2     | Z, W                             | E5B de C2A le 30 mai                                        |
| K5 (E6, engagement) | C2 | Z, W                         | engagement de C2A, dans 30 jours                            |
| K6 (E4)    | C1     | X0001, Y                         | E4 de C1A, planning **brouillon** (invisible)               |

Y (« examinateur-y ») et Z (« examinateur-z ») ont un compte ; C1A a déposé sa fiche d'engagement.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.utils import timezone

from examens.apps.candidats.models import Candidat
from examens.apps.comptes.models import Role
from examens.apps.comptes.services import habiliter
from examens.apps.examinateurs.models import Examinateur
from examens.apps.planification.models import Commission, Passage, VersionPlanning
from examens.apps.sujets.models import FicheEngagement

PARIS = ZoneInfo("Europe/Paris")
JOUR = dt.date(2022, 5, 30)
PDF = b"%PDF-1.4\n% fiche\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def paris(jour: dt.date, heure: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(jour, dt.time(heure, minute), tzinfo=PARIS).astimezone(dt.UTC)


@dataclass
class Oraux:
    commissions: dict[str, Commission]
    passages: dict[str, Passage]
    candidats: dict[str, Any]
    examinateurs: dict[str, Examinateur]
    utilisateurs: dict[str, Any]
    versions: dict[str, VersionPlanning]


def version(monde: Any, centre: Any, statut: str = VersionPlanning.Statut.PUBLIE, numero: int = 1) -> VersionPlanning:
    return VersionPlanning.objects.create(
        session=monde.session,
        centre=centre,
        numero=numero,
        statut=statut,
        creee_par="test",
        solveur="glouton",
        statut_solveur="GLOUTON",
        duree_s=0.1,
        instance={},
        resultat={},
        passages_planifies=0,
        non_planifies=0,
        jours_candidats=0,
        attente_minutes=0,
        demi_journees_commissions=0,
    )


def examinateur(monde: Any, code: str, **autres: Any) -> Examinateur:
    valeurs = {"qualite": "professionnel", "bloc": 1, "academie": monde.clermont, "prenom": "Alex", "nom": f"NOM{code}"}
    valeurs.update(autres)
    return Examinateur.objects.create(session=monde.session, code=code, **valeurs)


def candidat(monde: Any, numero: str, nom: str, centre: Any, **autres: Any) -> Candidat:
    return Candidat.objects.create(
        session=monde.session,
        numero=numero,
        nom=nom,
        prenoms="Camille",
        date_naissance=dt.date(2001, 9, 12),
        mode_preparation=Candidat.ModePreparation.INDIVIDUEL,
        langue_e2="anglais",
        centre=centre,
        **autres,
    )


def passage(v: VersionPlanning, c: Any, epreuve: str, k: Commission, debut: dt.datetime, minutes: int) -> Passage:
    return Passage.objects.create(
        version=v, candidat=c, epreuve=epreuve, commission=k, debut=debut, fin=debut + dt.timedelta(minutes=minutes)
    )


def oraux_publies(monde: Any, *, e4: int = 2) -> Oraux:
    """Le planning décrit en tête du module ; `e4` candidats passent l'E4 devant K1 (C1A, C1B, puis d'autres)."""
    x, y = monde.examinateur_x, examinateur(monde, "Y0002")
    z, w = examinateur(monde, "Z0003"), examinateur(monde, "W0004")
    modele = get_user_model()
    utilisateurs = {"examinateur": monde.utilisateur("examinateur")}
    for persona, objet in (("examinateur_y", y), ("examinateur_z", z)):
        u = modele.objects.create_user(persona.replace("_", "-"), f"{persona}@exemple.fr", monde.mot_de_passe)
        habiliter(utilisateur=u, role=Role.EXAMINATEUR, session=monde.session, perimetre=objet, acteur="test")
        utilisateurs[persona] = u
    candidats = {
        f"C1{chr(65 + i)}": candidat(
            monde, f"22-0001{i:02d}", f"CANDIDAT{chr(65 + i)}", monde.c1, engagement_etudiant=i == 0
        )
        for i in range(max(e4, 3))
    }
    candidats["C2A"] = candidat(monde, "22-000200", "DURAND", monde.c2)
    k = {}
    for code, centre, epreuves, membres in (
        ("K1", monde.c1, ["E4"], (x, y)),
        ("K3", monde.c1, ["E2"], (x,)),
        ("K4", monde.c1, ["E6", "ENGAGEMENT"], (x, y)),
        ("K2", monde.c2, ["E5B"], (z, w)),
        ("K5", monde.c2, ["E6", "ENGAGEMENT"], (z, w)),
        ("K6", monde.c1, ["E4"], (x, y)),
    ):
        k[code] = Commission.objects.create(session=monde.session, centre=centre, code=code, epreuves=epreuves)
        k[code].membres.set(membres)
    v1, v2 = version(monde, monde.c1), version(monde, monde.c2)
    brouillon = version(monde, monde.c1, VersionPlanning.Statut.BROUILLON, numero=2)
    dans_30_jours = timezone.localdate() + dt.timedelta(days=30)
    p = {}
    e4_candidats = [c for code, c in candidats.items() if code.startswith("C1")][:e4]
    for i, c in enumerate(e4_candidats):
        p[f"E4-{i + 1}"] = passage(v1, c, "E4", k["K1"], paris(JOUR, 8) + dt.timedelta(minutes=20 * i), 60)
    p["E2-1"] = passage(v1, candidats["C1C"], "E2", k["K3"], paris(JOUR, 14), 30)
    p["E6-1"] = passage(v1, candidats["C1A"], "E6", k["K4"], paris(dans_30_jours, 9), 40)
    p["ENG-1"] = passage(v1, candidats["C1A"], "ENGAGEMENT", k["K4"], paris(dans_30_jours, 9, 40), 20)
    p["E5B-C2"] = passage(v2, candidats["C2A"], "E5B", k["K2"], paris(JOUR, 9), 40)
    p["ENG-C2"] = passage(v2, candidats["C2A"], "ENGAGEMENT", k["K5"], paris(dans_30_jours, 10), 20)
    p["E4-brouillon"] = passage(brouillon, candidats["C1A"], "E4", k["K6"], paris(JOUR, 16), 60)
    FicheEngagement.objects.create(
        candidat=candidats["C1A"],
        contenu=PDF,
        taille=len(PDF),
        empreinte="0" * 64,
        deposant=FicheEngagement.Deposant.CANDIDAT,
        deposee_par="candidat",
    )
    return Oraux(k, p, candidats, {"X": x, "Y": y, "Z": z, "W": w}, utilisateurs, {"C1": v1, "C2": v2})


def ajouter_e4(monde: Any, o: Oraux, nombre: int) -> list[Passage]:
    """`nombre` passages E4 de plus devant K1, le même jour, pour autant de nouveaux candidats de C1."""
    deja = sum(1 for cle in o.passages if cle.startswith("E4-") and cle != "E4-brouillon")
    ajoutes = []
    for i in range(deja, deja + nombre):
        c = candidat(monde, f"22-0005{i:02d}", f"AJOUT{i}", monde.c1)
        o.candidats[f"AJOUT{i}"] = c
        o.passages[f"E4-{i + 1}"] = passage(
            o.versions["C1"], c, "E4", o.commissions["K1"], paris(JOUR, 8) + dt.timedelta(minutes=10 * i), 60
        )
        ajoutes.append(o.passages[f"E4-{i + 1}"])
    return ajoutes
