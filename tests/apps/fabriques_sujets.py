"""Un centre d'oraux minimal pour les tests des sujets : un planning **publié** écrit directement en base (sans
solveur), deux commissions E5B, une commission E4, une commission E6 + engagement, et une persona par rôle.

| persona          | rôle                                     |
|------------------|------------------------------------------|
| pilote           | gestionnaire de l'académie pilote        |
| chef             | chef du centre C                          |
| x1               | examinateur X1, commission K05 (E5B)      |
| x3               | examinateur X3, commission K06 (E5B)      |
| x5               | examinateur X5, commission K01 (E4)       |
| candidat         | le candidat E5B n° 1                      |
| etablissement    | l'établissement des candidats             |

Passages E5B (30 et 31 mai 2022, heure de Paris) : K05 à 08:00, 08:50, 09:40 le 30 et 08:00 le 31 ;
K06 à 08:00 et 08:50 le 30. E4 (K01) : deux candidats le 30 mai. Engagement (K02, après E6) : un candidat.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from examens.apps.candidats.models import Candidat, Etablissement
from examens.apps.comptes.models import Role
from examens.apps.comptes.services import habiliter
from examens.apps.dossiers.models import Dossier, FicheActivite
from examens.apps.examinateurs.models import Examinateur
from examens.apps.organisation.models import Academie, Centre, ExamSession, Salle
from examens.apps.planification.models import Commission, Passage, VersionPlanning
from examens.core.uai import lettre_de_controle

PARIS = ZoneInfo("Europe/Paris")


def uai(rang: int) -> str:
    chiffres = f"0631{rang:03d}"
    return chiffres + lettre_de_controle(chiffres)


def pdf(texte: str = "sujet", taille: int = 0) -> bytes:
    """Un PDF minimal (octets magiques et fin de fichier), éventuellement gonflé jusqu'à `taille` octets."""
    corps = f"%PDF-1.4\n% {texte}\n1 0 obj << /Type /Catalog >> endobj\n".encode()
    fin = b"trailer << /Root 1 0 R >>\n%%EOF\n"
    remplissage = b"%" + b"x" * max(0, taille - len(corps) - len(fin) - 2) + b"\n" if taille else b""
    return corps + remplissage + fin


def paris(jour: int, heure: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2022, 5, jour, heure, minute, tzinfo=PARIS).astimezone(dt.UTC)


@dataclass
class CentreSujets:
    session: ExamSession
    academie: Academie
    centre: Centre
    etablissement: Etablissement
    version: VersionPlanning
    commissions: dict[str, Commission]
    examinateurs: dict[str, Examinateur]
    candidats: dict[str, Candidat]
    passages: dict[str, Passage]  # clé : « E5B-1 », « E4-1 »…
    utilisateurs: dict[str, Any] = field(default_factory=dict)


def _version(session: ExamSession, centre: Centre, numero: int = 1, statut: str = "publie") -> VersionPlanning:
    return VersionPlanning.objects.create(
        session=session,
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


def centre_sujets(session: ExamSession, academie: Academie) -> CentreSujets:
    centre = Centre.objects.create(academie=academie, code=uai(1), nom="Lycée Jean-Zay", ville="Thiers")
    Salle.objects.create(centre=centre, nom="Informatique 1", type=Salle.Type.INFORMATIQUE, capacite=6)
    Salle.objects.create(centre=centre, nom="Loge 1", type=Salle.Type.LOGE, capacite=4)
    etab = Etablissement.objects.create(
        uai=uai(20), nom="École privée", academie=academie, statut=Etablissement.Statut.PRIVE_HORS_CONTRAT
    )
    x = {
        code: Examinateur.objects.create(
            session=session, code=code, nom=f"NOM-{code}", prenom="Alex", qualite=q, bloc=b, academie=academie
        )
        for code, q, b in (
            ("X1", "enseignant", 2),
            ("X2", "enseignant", 2),
            ("X3", "enseignant", 2),
            ("X4", "enseignant", 2),
            ("X5", "enseignant", 1),
            ("X6", "professionnel", 1),
            ("X7", "enseignant", 3),
            ("X8", "professionnel", 3),
        )
    }
    k = {}
    for code, epreuves, membres in (
        ("K05", ["E5B"], ("X1", "X2")),
        ("K06", ["E5B"], ("X3", "X4")),
        ("K01", ["E4"], ("X5", "X6")),
        ("K02", ["E6", "ENGAGEMENT"], ("X7", "X8")),
    ):
        k[code] = Commission.objects.create(session=session, centre=centre, code=code, epreuves=epreuves)
        k[code].membres.set([x[m] for m in membres])
    candidats = {}
    for i in range(1, 9):
        candidats[f"C{i}"] = Candidat.objects.create(
            session=session,
            numero=f"22-70000{i}",
            nom=f"NOM-{i}",
            prenoms="Camille",
            date_naissance=dt.date(2002, 3, 14),
            courriel=f"candidat{i}@exemple.fr",
            mode_preparation=Candidat.ModePreparation.SCOLAIRE,
            langue_e2="anglais",
            centre=centre,
            etablissement=etab,
            engagement_etudiant=i == 8,
        )
    version = _version(session, centre)
    passages = {}
    e5b = [
        ("C1", "K05", 30, 8, 0),
        ("C2", "K05", 30, 8, 50),
        ("C3", "K05", 30, 9, 40),
        ("C4", "K05", 31, 8, 0),
        ("C5", "K06", 30, 8, 0),
        ("C6", "K06", 30, 8, 50),
    ]
    for i, (c, kc, jour, h, m) in enumerate(e5b, 1):
        debut = paris(jour, h, m)
        passages[f"E5B-{i}"] = Passage.objects.create(
            version=version,
            candidat=candidats[c],
            epreuve="E5B",
            commission=k[kc],
            debut=debut,
            fin=debut + dt.timedelta(minutes=40),
        )
    for i, (c, h) in enumerate((("C1", 14), ("C7", 15)), 1):
        debut = paris(30, h)
        passages[f"E4-{i}"] = Passage.objects.create(
            version=version,
            candidat=candidats[c],
            epreuve="E4",
            commission=k["K01"],
            debut_preparation=debut - dt.timedelta(minutes=40),
            debut=debut,
            fin=debut + dt.timedelta(hours=1),
        )
    debut = paris(31, 10)
    passages["E6-1"] = Passage.objects.create(
        version=version,
        candidat=candidats["C8"],
        epreuve="E6",
        commission=k["K02"],
        debut=debut,
        fin=debut + dt.timedelta(minutes=40),
    )
    passages["ENG-1"] = Passage.objects.create(
        version=version,
        candidat=candidats["C8"],
        epreuve="ENGAGEMENT",
        commission=k["K02"],
        debut=debut + dt.timedelta(minutes=40),
        fin=debut + dt.timedelta(minutes=60),
    )
    for c in ("C1", "C7"):
        d = Dossier.objects.create(candidat=candidats[c], epreuve="E4", depose_le=dt.date(2022, 4, 1))
        FicheActivite.objects.create(dossier=d, titre=f"Salon de l'habitat ({c})", nature="evenement_commercial")
        FicheActivite.objects.create(dossier=d, titre=f"Vente de cuisines ({c})", nature="negociation_vente")
    cs = CentreSujets(session, academie, centre, etab, version, k, x, candidats, passages)
    modele = get_user_model()
    for persona, role, objet in (
        ("pilote", Role.GESTIONNAIRE, academie),
        ("chef", Role.CHEF_DE_CENTRE, centre),
        ("x1", Role.EXAMINATEUR, x["X1"]),
        ("x3", Role.EXAMINATEUR, x["X3"]),
        ("x5", Role.EXAMINATEUR, x["X5"]),
        ("x7", Role.EXAMINATEUR, x["X7"]),
        ("candidat", Role.CANDIDAT, candidats["C1"]),
        ("etablissement", Role.ETABLISSEMENT, etab),
    ):
        # Sans mot de passe utilisable : les tests connectent par force_login, et le hachage coûte cher.
        u = modele.objects.create_user(persona, f"{persona}@exemple.fr", None)
        habiliter(utilisateur=u, role=role, session=session, perimetre=objet, acteur="test")
        cs.utilisateurs[persona] = u
    return cs


def remplir_banque(session: ExamSession, *, wordpress: int = 3, prestashop: int = 3, grilles: bool = True) -> None:
    from examens.apps.sujets.services import deposer_sujet

    for support, prefixe, n in (("wordpress", "WP", wordpress), ("prestashop", "PS", prestashop)):
        for i in range(1, n + 1):
            code = f"{prefixe}-{i:02d}"
            deposer_sujet(
                session=session,
                code=code,
                support=support,
                contenu=pdf(f"sujet {code}"),
                grille=pdf(f"grille {code}") if grilles else None,
                titre=f"Sujet {code}",
                par="pilote",
            )
