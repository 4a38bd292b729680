"""Fixtures partagées : le « monde » des tests de l'application web, avec une persona par rôle.

Deux académies (Clermont-Ferrand, pilote ; Lyon, rattachée), trois centres, deux établissements, trois
candidats aux périmètres choisis pour que chaque rôle en voie certains et pas d'autres :

| candidat | centre            | établissement      | vu par                                                        |
|----------|-------------------|--------------------|---------------------------------------------------------------|
| lea      | C1 (Clermont)     | lycée de Clermont  | pilote, chef du centre C1, présidente, établissement, elle-même |
| hugo     | C2 (Clermont)     | lycée de Clermont  | pilote, présidente (confié nommément), établissement           |
| ines     | L1 (Lyon)         | CFA de Lyon        | pilote, gestionnaire de Lyon                                   |

Léa a un parcours complet : dossiers et conformité, notes, décision de jury, traces de l'historique. Le jury
a publié ses résultats puis rouvert sa délibération (ni verrouillée, ni cachée aux candidats).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction

from examens.core.uai import lettre_de_controle
from personas import PERSONAS

MOT_DE_PASSE = "mot-de-passe-de-test-2022"


def uai(chiffres: str) -> str:
    return chiffres + lettre_de_controle(chiffres)


@dataclass
class Monde:
    session: Any
    autre_session: Any
    clermont: Any
    lyon: Any
    c1: Any
    c2: Any
    l1: Any
    lycee: Any
    cfa: Any
    lea: Any
    hugo: Any
    ines: Any
    jury: Any
    examinateur_x: Any
    utilisateurs: dict[str, Any]
    mot_de_passe: str = MOT_DE_PASSE  # le même pour toutes les personas

    def utilisateur(self, persona: str) -> Any:
        return self.utilisateurs.get(persona)


def candidat(session: Any, numero: str, nom: str, **autres: Any) -> Any:
    from examens.apps.candidats.models import Candidat

    valeurs: dict[str, Any] = {
        "session": session,
        "numero": numero,
        "nom": nom,
        "prenoms": "Camille",
        "date_naissance": date(2003, 5, 2),
        "mode_preparation": Candidat.ModePreparation.SCOLAIRE,
        "langue_e2": "anglais",
    }
    valeurs.update(autres)
    return Candidat.objects.create(**valeurs)


def parcours_complet(c: Any, *, acteur: str = "dec-clermont") -> None:
    """Dossiers déposés et jugés conformes, sept notes, une décision de jury, des traces : un candidat réel."""
    from examens.apps.dossiers.models import DecisionConformite, Dossier
    from examens.apps.historique.models import Trace
    from examens.apps.historique.services import tracer
    from examens.apps.jury.models import DecisionJury
    from examens.apps.notes.models import Resultat

    with transaction.atomic():
        for epreuve in ("E4", "E6"):
            d = Dossier.objects.create(candidat=c, epreuve=epreuve, depose_le=date(2022, 4, 1))
            DecisionConformite.objects.create(dossier=d, conforme=True, decidee_par="commission")
        for epreuve, note in (("E1", 12), ("E2", 14), ("E3", 11), ("E4", 15), ("E5A", 9), ("E5B", 13), ("E6", 16)):
            r = Resultat.objects.create(candidat=c, epreuve=epreuve, note_examinateur=Decimal(note))
        tracer(
            acteur=acteur,
            action=Trace.Action.MODIFICATION,
            objet_type="notes.resultat",
            objet_id=r.pk,
            objet_libelle=f"candidat {c.numero} — E6",
            avant={"note_examinateur": "15.00"},
            apres={"note_examinateur": "16.00"},
            motif="erreur de report corrigée",
        )
        DecisionJury.objects.create(
            candidat=c, decision="admis", moyenne="12,86", decidee_par="jury clermont", unites_obtenues=["U1"]
        )


@pytest.fixture(autouse=True, scope="session")
def http_dans_les_tests() -> Any:
    """Le client et le serveur de test parlent HTTP : la redirection vers HTTPS des réglages de production
    (`SECURE_SSL_REDIRECT`) y est levée ; `tests/web/test_securite_web.py` la vérifie à part."""
    from django.test import override_settings

    with override_settings(SECURE_SSL_REDIRECT=False):
        yield


@pytest.fixture
def monde(db: None, settings: Any) -> Monde:
    from examens.apps.candidats.models import Candidat, Etablissement
    from examens.apps.comptes.models import Role
    from examens.apps.comptes.services import habiliter
    from examens.apps.examinateurs.models import Examinateur
    from examens.apps.jury.models import EtatDeliberation, Jury, MembreJury
    from examens.apps.organisation.models import Academie, Centre, ExamSession

    # Un hachage rapide : neuf comptes par test, et les mots de passe ne sont pas l'objet de ces tests.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    clermont = Academie.objects.create(code="clermont-ferrand", nom="Clermont-Ferrand")
    lyon = Academie.objects.create(code="lyon", nom="Lyon")
    session = ExamSession.objects.create(
        code="bts-ndrc-2022",
        intitule="BTS NDRC 2022",
        reglement="bts-ndrc-2022",
        academie_pilote=clermont,
        date_resultats=date(2022, 7, 6),
    )
    autre_session = ExamSession.objects.create(
        code="bts-ndrc-2023", intitule="BTS NDRC 2023", reglement="bts-ndrc-2022", academie_pilote=lyon
    )
    c1 = Centre.objects.create(academie=clermont, code=uai("0630001"), nom="Lycée Sidoine-Apollinaire")
    c2 = Centre.objects.create(academie=clermont, code=uai("0030002"), nom="Lycée Banville", fuseau="Europe/Paris")
    l1 = Centre.objects.create(academie=lyon, code=uai("0690003"), nom="Lycée La Martinière")
    lycee = Etablissement.objects.create(
        uai=uai("0630010"), nom="Lycée Blaise-Pascal", academie=clermont, statut="public"
    )
    cfa = Etablissement.objects.create(
        uai=uai("0690020"), nom="CFA du commerce de Lyon", academie=lyon, statut="cfa", habilite_ccf=True
    )
    lea = candidat(session, "22-000001", "MARTIN", prenoms="Léa", centre=c1, etablissement=lycee)
    hugo = candidat(session, "22-000002", "BERNARD", prenoms="Hugo", centre=c2, etablissement=lycee)
    ines = candidat(
        session,
        "22-000003",
        "PETIT",
        prenoms="Inès",
        centre=l1,
        etablissement=cfa,
        mode_preparation=Candidat.ModePreparation.APPRENTI,
    )
    parcours_complet(lea)
    jury = Jury.objects.create(session=session, nom="Jury — Clermont-Ferrand", president="Mme DURAND, IA-IPR")
    jury.centres.set([c1])
    jury.candidats.set([hugo])
    # Les résultats du jury sont publiés (le 6 juillet 2022) et sa délibération rouverte : candidats et
    # établissement les consultent, et les écritures restent permises (jury/services, verrouillage).
    EtatDeliberation.objects.create(
        jury=jury, publiee_le=datetime(2022, 7, 6, 8, tzinfo=UTC), publiee_par="test", reouvertures=1
    )
    examinateur_x = Examinateur.objects.create(
        session=session, code="X0001", nom="LEROY", prenom="Paul", qualite="enseignant", bloc=1, academie=clermont
    )
    MembreJury.objects.create(jury=jury, nom="Paul LEROY", qualite="enseignant", examinateur=examinateur_x)

    modele = get_user_model()
    utilisateurs: dict[str, Any] = {"anonyme": None}
    perimetres = {
        "gestionnaire_pilote": (Role.GESTIONNAIRE, clermont),
        "gestionnaire_lyon": (Role.GESTIONNAIRE, lyon),
        "chef_de_centre": (Role.CHEF_DE_CENTRE, c1),
        "examinateur": (Role.EXAMINATEUR, examinateur_x),
        "presidente": (Role.PRESIDENT_JURY, jury),
        "etablissement": (Role.ETABLISSEMENT, lycee),
        "candidat": (Role.CANDIDAT, lea),
    }
    for persona in PERSONAS[1:]:
        u = modele.objects.create_user(persona.replace("_", "-"), f"{persona}@exemple.fr", MOT_DE_PASSE)
        if persona in perimetres:
            role, objet = perimetres[persona]
            habiliter(utilisateur=u, role=role, session=session, perimetre=objet, acteur="test")
        utilisateurs[persona] = u
    return Monde(
        session=session,
        autre_session=autre_session,
        clermont=clermont,
        lyon=lyon,
        c1=c1,
        c2=c2,
        l1=l1,
        lycee=lycee,
        cfa=cfa,
        lea=lea,
        hugo=hugo,
        ines=ines,
        jury=jury,
        examinateur_x=examinateur_x,
        utilisateurs=utilisateurs,
    )
