"""Aménagements manuels du planning d'un centre : déplacer un passage (relu par le vérificateur indépendant contre
l'instance enregistrée : accepté → nouvelle version vérifiée ; refusé → la règle enfreinte est nommée et rien
n'est écrit) ; désistement d'un examinateur suivi d'une replanification."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from fabriques_planification import CentreDeTest, centre_de_test

from examens.apps.examinateurs.models import Examinateur
from examens.apps.historique.models import Trace
from examens.apps.organisation.models import Academie, ExamSession
from examens.apps.planification.erreurs import DeplacementRefuse, PlanificationImpossible
from examens.apps.planification.models import Passage, VersionPlanning
from examens.apps.planification.selectors import instance_enregistree, planning_enregistre
from examens.apps.planification.services import (
    deplacer_passage,
    desister_et_replanifier,
    planifier_centre,
    publier_planning,
)
from examens.planning.formats import lire_instance
from examens.planning.verificateur import verifier

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def ct(session: ExamSession, clermont: Academie) -> CentreDeTest:
    return centre_de_test(session, clermont)


@pytest.fixture
def version(ct: CentreDeTest) -> VersionPlanning:
    return planifier_centre(ct.centre, session=ct.session, par="test", solveur="glouton", publier=True).version


def _reverifier(v: VersionPlanning) -> None:
    rapport = verifier(lire_instance(instance_enregistree(v)), planning_enregistre(v))
    assert rapport.valide, [str(x) for x in rapport.violations]
    assert rapport.statistiques.changements == v.changements
    assert rapport.statistiques.attente_minutes == v.attente_minutes


def _compte() -> tuple[int, int, int]:
    return VersionPlanning.objects.count(), Passage.objects.count(), Trace.objects.count()


def _local(p: Passage) -> tuple[dt.date, dt.time]:
    debut = p.debut.astimezone(PARIS)
    return debut.date(), debut.time()


def test_le_planning_relu_de_la_base_est_celui_que_le_verificateur_accepte(version: VersionPlanning) -> None:
    _reverifier(version)
    relu = planning_enregistre(version)
    assert len(relu.passages) == version.passages_planifies


def test_un_deplacement_valide_cree_une_version_verifiee(ct: CentreDeTest, version: VersionPlanning) -> None:
    """Le passage E6 de C1 avancé ou reculé sur un créneau libre de sa commission : version 2, brouillon,
    référence la version 1, un passage déplacé, relue valide par le vérificateur."""
    e6 = Passage.objects.select_related("commission", "candidat").get(
        version=version, candidat=ct.candidats["C1"], epreuve="E6"
    )
    jour, heure = _local(e6)
    accepte = None
    refus: list[DeplacementRefuse] = []
    for minutes in range(8 * 60, 17 * 60 + 20, 5):
        essai = dt.time(minutes // 60, minutes % 60)
        if essai == heure:
            continue
        try:
            accepte = deplacer_passage(
                passage=e6, commission=e6.commission.code, date=jour, debut=essai, par="chef", motif="convenance"
            )
            break
        except DeplacementRefuse as erreur:
            refus.append(erreur)
    assert accepte is not None, [str(e) for e in refus]
    v2 = accepte.version
    assert (v2.numero, v2.statut, v2.reference_id) == (2, "brouillon", version.pk)
    assert (v2.solveur, v2.changements) == ("manuel", 1)
    assert v2.passages_planifies == version.passages_planifies
    assert "déplacement manuel de 22-900001/E6" in v2.motif
    deplace = Passage.objects.get(version=v2, candidat=ct.candidats["C1"], epreuve="E6")
    assert _local(deplace) == (jour, essai)
    assert deplace.fin - deplace.debut == e6.fin - e6.debut
    assert Passage.objects.get(pk=e6.pk).debut == e6.debut  # la version 1 n'est pas réécrite
    _reverifier(v2)
    assert Trace.objects.filter(objet_type="planification.versionplanning", objet_id=str(v2.pk)).exists()


def test_un_deplacement_qui_enfreint_une_regle_la_nomme_et_n_ecrit_rien(
    ct: CentreDeTest, version: VersionPlanning
) -> None:
    """Sur le créneau d'un autre passage de la même commission : règle 4 (commission à deux endroits)."""
    e6 = Passage.objects.select_related("commission", "candidat").get(
        version=version, candidat=ct.candidats["C1"], epreuve="E6"
    )
    autre = Passage.objects.filter(version=version, commission=e6.commission).exclude(candidat=e6.candidat).first()
    assert autre is not None
    avant = _compte()
    jour, heure = _local(autre)
    with pytest.raises(DeplacementRefuse) as refus:
        deplacer_passage(passage=e6, commission=e6.commission.code, date=jour, debut=heure, par="chef", motif="essai")
    assert "règle 4 : commission et examinateur jamais à deux endroits" in refus.value.regles
    assert "règle 4" in refus.value.message
    assert "Rien n'est enregistré" in refus.value.message
    assert _compte() == avant


@pytest.mark.parametrize(
    ("heure", "regle"),
    [
        pytest.param(dt.time(12, 0), "règle 3 : jour, plages, disponibilités, grille et durées", id="sur la pause"),
        pytest.param(dt.time(9, 3), "règle 3 : jour, plages, disponibilités, grille et durées", id="hors grille"),
    ],
)
def test_hors_des_plages_ou_de_la_grille_regle_3(
    ct: CentreDeTest, version: VersionPlanning, heure: dt.time, regle: str
) -> None:
    e6 = Passage.objects.select_related("commission", "candidat").get(
        version=version, candidat=ct.candidats["C1"], epreuve="E6"
    )
    avant = _compte()
    with pytest.raises(DeplacementRefuse) as refus:
        deplacer_passage(passage=e6, commission=e6.commission.code, date=_local(e6)[0], debut=heure, par="x", motif="m")
    assert regle in refus.value.regles
    assert _compte() == avant


def test_une_commission_qui_ne_fait_pas_passer_l_epreuve_regle_2(ct: CentreDeTest, version: VersionPlanning) -> None:
    e6 = Passage.objects.select_related("commission", "candidat").get(
        version=version, candidat=ct.candidats["C1"], epreuve="E6"
    )
    e4 = Passage.objects.select_related("commission").filter(version=version, epreuve="E4").first()
    assert e4 is not None
    jour, heure = _local(e6)
    with pytest.raises(DeplacementRefuse) as refus:
        deplacer_passage(passage=e6, commission=e4.commission.code, date=jour, debut=heure, par="x", motif="m")
    assert "règle 2 : commission habilitée (épreuve, langue)" in refus.value.regles


def test_l_engagement_suit_l_e6_deplacee(ct: CentreDeTest, version: VersionPlanning) -> None:
    """L'engagement étudiant suit l'E6 (§2) : il est déplacé avec elle, et compte comme un passage déplacé."""
    c2 = ct.candidats["C2"]
    e6 = Passage.objects.select_related("commission", "candidat").get(version=version, candidat=c2, epreuve="E6")
    jour, heure = _local(e6)
    for minutes in range(8 * 60, 17 * 60, 5):
        essai = dt.time(minutes // 60, minutes % 60)
        if essai == heure:
            continue
        try:
            r = deplacer_passage(passage=e6, commission=e6.commission.code, date=jour, debut=essai, par="x", motif="m")
        except DeplacementRefuse:
            continue
        break
    else:
        pytest.fail("aucun créneau libre pour l'E6 et l'engagement de C2")
    nouveaux = {p.epreuve: p for p in Passage.objects.filter(version=r.version, candidat=c2)}
    assert nouveaux["ENGAGEMENT"].debut == nouveaux["E6"].fin
    assert r.version.changements == 2
    _reverifier(r.version)


def test_motif_obligatoire_et_version_remplacee_refusee(ct: CentreDeTest, version: VersionPlanning) -> None:
    e6 = Passage.objects.select_related("commission", "candidat").get(
        version=version, candidat=ct.candidats["C1"], epreuve="E6"
    )
    jour, heure = _local(e6)
    with pytest.raises(DeplacementRefuse, match="motif"):
        deplacer_passage(passage=e6, commission=e6.commission.code, date=jour, debut=heure, par="x", motif=" ")
    with pytest.raises(DeplacementRefuse, match="déjà à cet endroit"):
        deplacer_passage(passage=e6, commission=e6.commission.code, date=jour, debut=heure, par="x", motif="m")
    v2 = planifier_centre(ct.centre, session=ct.session, par="test", solveur="glouton").version
    publier_planning(v2, par="test")
    with pytest.raises(DeplacementRefuse, match="remplacée"):
        deplacer_passage(passage=e6, commission=e6.commission.code, date=jour, debut=heure, par="x", motif="m")


def test_desister_et_replanifier(ct: CentreDeTest, version: VersionPlanning) -> None:
    sortant = Examinateur.objects.get(session=ct.session, code="X13")
    rapport, resultat = desister_et_replanifier(
        centre=ct.centre, session=ct.session, par="dec", motif="maladie", examinateur=sortant
    )
    assert rapport is not None
    assert rapport.dissoutes
    v2 = resultat.version
    assert (v2.numero, v2.reference_id, v2.statut) == (2, version.pk, "brouillon")
    assert "désistement de l'examinateur X13 : maladie" in v2.motif
    assert resultat.changements is not None
    assert not Passage.objects.filter(version=v2, commission__membres=sortant).exists()
    _reverifier(v2)
    # Replanifier seulement (sans examinateur) ; un motif est exigé.
    _, encore = desister_et_replanifier(centre=ct.centre, session=ct.session, par="dec", motif="disponibilités")
    assert encore.version.numero == 3
    with pytest.raises(PlanificationImpossible, match="motif"):
        desister_et_replanifier(centre=ct.centre, session=ct.session, par="dec", motif="")
