"""Candidats : la catégorie A/C se déduit (jamais saisie), LV2 ≠ E2, UAI contrôlé, dispenses permises."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from examens.apps.candidats.models import Candidat, Dispense, Etablissement
from examens.apps.organisation.models import Academie, ExamSession

pytestmark = pytest.mark.django_db
S, M = Etablissement.Statut, Candidat.ModePreparation


def _etablissement(academie: Academie, statut: str, habilite: bool = False) -> Etablissement:
    return Etablissement.objects.create(
        uai="0630001J", nom="Lycée Sidoine-Apollinaire", academie=academie, statut=statut, habilite_ccf=habilite
    )


def _candidat(session: ExamSession, etab: Etablissement | None, mode: str, **autres: object) -> Candidat:
    valeurs: dict[str, object] = {
        "session": session,
        "numero": "22-000001",
        "nom": "MARTIN",
        "prenoms": "Léa",
        "date_naissance": date(2002, 3, 14),
        "etablissement": etab,
        "mode_preparation": mode,
        "langue_e2": "anglais",
    }
    valeurs.update(autres)
    return Candidat(**valeurs)


@pytest.mark.parametrize(
    ("statut", "habilite", "mode", "categorie"),
    [
        pytest.param(S.PUBLIC, False, M.SCOLAIRE, "A", id="scolaire du public → A"),
        pytest.param(S.PRIVE_SOUS_CONTRAT, False, M.SCOLAIRE, "A", id="scolaire du privé sous contrat → A"),
        pytest.param(S.PRIVE_HORS_CONTRAT, False, M.SCOLAIRE, "C", id="scolaire du privé hors contrat → C"),
        pytest.param(S.CFA, True, M.APPRENTI, "A", id="apprenti d'un CFA habilité → A"),
        pytest.param(S.CFA, False, M.APPRENTI, "C", id="apprenti d'un CFA non habilité → C"),
        pytest.param(S.FORMATION_CONTINUE_PUBLIQUE, True, M.FORMATION_CONTINUE, "A", id="FPC publique habilitée → A"),
        pytest.param(S.FORMATION_CONTINUE_PRIVEE, True, M.FORMATION_CONTINUE, "C", id="FPC privée → C"),
        pytest.param(S.ENSEIGNEMENT_A_DISTANCE, False, M.A_DISTANCE, "C", id="CNED → C"),
    ],
)
def test_la_categorie_se_deduit(
    session: ExamSession, clermont: Academie, statut: str, habilite: bool, mode: str, categorie: str
) -> None:
    candidat = _candidat(session, _etablissement(clermont, statut, habilite), mode)
    assert candidat.categorie.code == categorie


@pytest.mark.parametrize("mode", [M.INDIVIDUEL, M.EXPERIENCE_PROFESSIONNELLE])
def test_candidats_sans_etablissement_en_categorie_c(session: ExamSession, mode: str) -> None:
    assert _candidat(session, None, mode).categorie.code == "C"


def test_lv2_identique_a_e2_refusee(session: ExamSession) -> None:
    candidat = _candidat(session, None, M.INDIVIDUEL, langue_lv2="Anglais")
    with pytest.raises(ValidationError, match="différente"):
        candidat.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        _candidat(session, None, M.INDIVIDUEL, langue_lv2="anglais").save()


def test_uai_invalide_refuse(clermont: Academie) -> None:
    etab = Etablissement(uai="0630001A", nom="X", academie=clermont, statut=S.PUBLIC)
    with pytest.raises(ValidationError, match="lettre de contrôle devrait être J"):
        etab.full_clean()


@pytest.mark.parametrize(("unite", "permise"), [("U1", True), ("U3", True), ("U4", False), ("U2", False)])
def test_seules_u1_et_u3_sont_dispensables(session: ExamSession, unite: str, permise: bool) -> None:
    candidat = _candidat(session, None, M.INDIVIDUEL)
    candidat.save()
    dispense = Dispense(candidat=candidat, unite=unite, titre="BTS MCO 2019")
    if permise:
        dispense.full_clean()
    else:
        with pytest.raises(ValidationError, match="n'est pas dispensable"):
            dispense.full_clean()
