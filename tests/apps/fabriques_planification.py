"""Un petit centre d'oraux en base pour les tests de planification : 6 candidats (et un désisté), 12
examinateurs disponibles deux jours, une loge, six salles d'oral, une salle informatique.

Candidats (numéros 22-9000xx) : C1 à C4 de catégorie C (privé hors contrat, sauf C4 individuel) passent E2,
E4, E5B, E6 — C1 avec LV2 espagnol, C2 avec l'engagement étudiant, C3 en temps majoré ; A1 et A2 de
catégorie A (lycée public) ne passent que E5B (et LV2 pour A1) ; D1 s'est désisté.
L'examinateur X01 enseigne dans l'établissement de C1 à C3 (conflit d'intérêts, §2).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from examens.apps.candidats.models import Candidat, Etablissement
from examens.apps.examinateurs.models import Disponibilite, Examinateur
from examens.apps.organisation.models import Academie, Centre, ExamSession, Salle
from examens.core.uai import lettre_de_controle

JOURS = (date(2022, 5, 30), date(2022, 5, 31))


def uai(rang: int) -> str:
    chiffres = f"0630{rang:03d}"
    return chiffres + lettre_de_controle(chiffres)


@dataclass
class CentreDeTest:
    session: ExamSession
    centre: Centre
    candidats: dict[str, Candidat]
    examinateurs: dict[str, Examinateur]
    etablissement_c: Etablissement


def examinateur(
    session: ExamSession,
    academie: Academie,
    code: str,
    qualite: str,
    *,
    bloc: int | None = None,
    langue: str = "",
    etablissement: Etablissement | None = None,
    jours: tuple[date, ...] = JOURS,
) -> Examinateur:
    x = Examinateur.objects.create(
        session=session,
        code=code,
        nom=f"NOM-{code}",
        prenom="Alex",
        qualite=qualite,
        bloc=bloc,
        langue=langue,
        etablissement=etablissement,
        academie=academie,
    )
    Disponibilite.objects.bulk_create(
        [Disponibilite(examinateur=x, date=j, demi_journee=d) for j in jours for d in ("matin", "apres_midi")]
    )
    return x


def candidat(session: ExamSession, centre: Centre, numero: str, **autres: object) -> Candidat:
    valeurs: dict[str, object] = {
        "session": session,
        "numero": numero,
        "nom": f"NOM-{numero}",
        "prenoms": "Camille",
        "date_naissance": date(2002, 3, 14),
        "mode_preparation": Candidat.ModePreparation.SCOLAIRE,
        "langue_e2": "anglais",
        "centre": centre,
    }
    valeurs.update(autres)
    return Candidat.objects.create(**valeurs)


def centre_de_test(session: ExamSession, academie: Academie) -> CentreDeTest:
    centre = Centre.objects.create(academie=academie, code=uai(1), nom="Lycée Blaise-Pascal", ville="Clermont-Ferrand")
    Salle.objects.create(centre=centre, nom="Loge 1", type=Salle.Type.LOGE, capacite=3)
    for i in range(1, 7):
        Salle.objects.create(centre=centre, nom=f"Oral {i}", type=Salle.Type.ORAL, capacite=3)
    Salle.objects.create(centre=centre, nom="Informatique 1", type=Salle.Type.INFORMATIQUE, capacite=4)
    Salle.objects.create(centre=centre, nom="Gymnase", type=Salle.Type.ECRIT, capacite=100)
    S = Etablissement.Statut
    etab_c = Etablissement.objects.create(
        uai=uai(20), nom="École privée", academie=academie, statut=S.PRIVE_HORS_CONTRAT
    )
    etab_a = Etablissement.objects.create(uai=uai(21), nom="Lycée public", academie=academie, statut=S.PUBLIC)
    autre = Etablissement.objects.create(uai=uai(22), nom="Lycée voisin", academie=academie, statut=S.PUBLIC)
    M = Candidat.ModePreparation
    candidats = {
        "C1": candidat(session, centre, "22-900001", etablissement=etab_c, langue_lv2="espagnol"),
        "C2": candidat(session, centre, "22-900002", etablissement=etab_c, engagement_etudiant=True),
        "C3": candidat(session, centre, "22-900003", etablissement=etab_c, temps_majore=True),
        "C4": candidat(session, centre, "22-900004", mode_preparation=M.INDIVIDUEL, langue_e2="espagnol"),
        "A1": candidat(session, centre, "22-900005", etablissement=etab_a, langue_lv2="espagnol"),
        "A2": candidat(session, centre, "22-900006", etablissement=etab_a, engagement_etudiant=True),
        "D1": candidat(session, centre, "22-900007", etablissement=etab_c, desiste_le=date(2022, 5, 2)),
    }
    E, P = Examinateur.Qualite.ENSEIGNANT, Examinateur.Qualite.PROFESSIONNEL
    examinateurs = {
        x.code: x
        for x in (
            examinateur(session, academie, "X01", E, bloc=1, etablissement=etab_c),
            examinateur(session, academie, "X02", E, bloc=1, etablissement=autre),
            examinateur(session, academie, "X03", P, bloc=1),
            examinateur(session, academie, "X04", P, bloc=1),
            examinateur(session, academie, "X05", E, bloc=3, etablissement=autre),
            examinateur(session, academie, "X06", P, bloc=3),
            examinateur(session, academie, "X13", E, bloc=3),
            examinateur(session, academie, "X14", P, bloc=3),
            examinateur(session, academie, "X07", E, bloc=2),
            examinateur(session, academie, "X08", E, bloc=2, etablissement=autre),
            examinateur(session, academie, "X09", E, langue="anglais", etablissement=autre),
            examinateur(session, academie, "X10", E, langue="espagnol"),
        )
    }
    return CentreDeTest(session, centre, candidats, examinateurs, etab_c)
