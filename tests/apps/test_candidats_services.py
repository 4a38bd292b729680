"""Changement de centre et désistement tracés ; purge RGPD au terme de la conservation, historique intact."""

from __future__ import annotations

from datetime import date

import pytest

from examens.apps.candidats.models import Candidat
from examens.apps.candidats.services import (
    PURGE,
    changer_centre,
    desister,
    echeance_conservation,
    purger_donnees_personnelles,
)
from examens.apps.historique.models import Trace
from examens.apps.organisation.models import Academie, Centre, ExamSession

pytestmark = pytest.mark.django_db


@pytest.fixture
def candidat(session: ExamSession) -> Candidat:
    return Candidat.objects.create(
        session=session,
        numero="22-000042",
        nom="DURAND",
        prenoms="Inès",
        date_naissance=date(2003, 1, 5),
        courriel="ines.durand@example.org",
        mode_preparation=Candidat.ModePreparation.INDIVIDUEL,
        langue_e2="anglais",
    )


def test_changement_de_centre_trace_sans_identite(candidat: Candidat, clermont: Academie) -> None:
    centre = Centre.objects.create(academie=clermont, code="0630002K", nom="Lycée Jeanne-d'Arc")
    changer_centre(candidat=candidat, centre=centre, acteur="dec.clermont", motif="rapprochement du domicile")
    trace = Trace.objects.pour("candidats.candidat", candidat.pk).get()
    assert trace.apres == {"centre": "0630002K"}
    assert trace.motif == "rapprochement du domicile"
    assert "DURAND" not in trace.objet_libelle  # pseudonyme : le numéro, pas l'identité


def test_changement_de_centre_sans_motif_refuse(candidat: Candidat, clermont: Academie) -> None:
    centre = Centre.objects.create(academie=clermont, code="0630002K", nom="Lycée Jeanne-d'Arc")
    with pytest.raises(ValueError, match="motif"):
        changer_centre(candidat=candidat, centre=centre, acteur="dec.clermont", motif=" ")


def test_desistement_trace_et_unique(candidat: Candidat) -> None:
    desister(candidat=candidat, le=date(2022, 5, 2), acteur="dec.clermont", motif="courrier du candidat")
    assert Trace.objects.pour("candidats.candidat", candidat.pk).count() == 1
    with pytest.raises(ValueError, match="déjà désisté"):
        desister(candidat=candidat, le=date(2022, 5, 3), acteur="dec.clermont")


@pytest.mark.parametrize(
    ("publication", "mois", "echeance"),
    [
        (date(2022, 7, 5), 60, date(2027, 7, 5)),
        (date(2022, 7, 5), 6, date(2023, 1, 5)),
        (date(2022, 8, 31), 6, date(2023, 2, 28)),
    ],
)
def test_echeance_de_conservation(session: ExamSession, publication: date, mois: int, echeance: date) -> None:
    session.date_resultats, session.conservation_donnees_mois = publication, mois
    assert echeance_conservation(session) == echeance


def test_purge_rgpd_au_terme_seulement_et_historique_intact(session: ExamSession, candidat: Candidat) -> None:
    desister(candidat=candidat, le=date(2022, 5, 2), acteur="dec.clermont")
    session.date_resultats = date(2022, 7, 5)
    session.conservation_donnees_mois = 12
    session.save()
    avant_terme = purger_donnees_personnelles(
        session=session, aujourd_hui=date(2023, 7, 4), acteur="test", appliquer=True
    )
    assert avant_terme.candidats == 0
    simulation = purger_donnees_personnelles(session=session, aujourd_hui=date(2023, 7, 5), acteur="test")
    assert simulation.candidats == 1
    candidat.refresh_from_db()
    assert candidat.nom == "DURAND"  # simulation : rien n'a changé
    purger_donnees_personnelles(session=session, aujourd_hui=date(2023, 7, 5), acteur="test", appliquer=True)
    candidat.refresh_from_db()
    assert (candidat.nom, candidat.prenoms, candidat.courriel) == (PURGE, PURGE, "")
    assert candidat.numero == "22-000042"  # le numéro reste : résultats et historique restent lisibles
    assert Trace.objects.pour("candidats.candidat", candidat.pk).count() == 1
    assert Trace.objects.filter(action=Trace.Action.SUPPRESSION).count() == 1
