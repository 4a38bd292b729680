"""Un petit centre écrit à la main, et un planning valide calculé à la main (voir les commentaires)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from examens.planning.formats import lire_instance, lire_planning

JOUR = "2022-05-30"


def instance_minimale() -> dict[str, Any]:
    return {
        "format": "examens/planning-instance@1",
        "nom": "Centre de test",
        "jours": [{"date": JOUR, "plages": [["08:00", "12:00"], ["13:00", "17:00"]]}],
        "epreuves": {
            "E2": {"preparation": 30, "duree": 30, "langue": True},
            "E4": {"preparation": 40, "duree": 60},
            "E5B": {"preparation": 0, "duree": 40, "poste": True, "sujet": True},
            "E6": {"preparation": 0, "duree": 40},
            "ENGAGEMENT": {"preparation": 0, "duree": 20, "suit": "E6"},
        },
        "loges": [
            {"id": "L1", "places": 1, "epreuves": ["E2", "E4"]},
            {"id": "L2", "places": 1, "epreuves": ["E4"]},
        ],
        "postes": 1,
        "commissions": [
            {"id": "KA", "epreuves": ["E4"], "membres": ["X1", "X2"], "salle": "S1"},
            {"id": "KB", "epreuves": ["E2"], "langue": "anglais", "membres": ["X3"]},
            {"id": "KC", "epreuves": ["E5B"], "membres": ["X4"]},
            {"id": "KD", "epreuves": ["E6", "ENGAGEMENT"], "membres": ["X5"]},
            {"id": "KE", "epreuves": ["E6", "ENGAGEMENT"], "membres": ["X6"]},
            {"id": "KF", "epreuves": ["E4"], "membres": ["X7"]},
            {"id": "KG", "epreuves": ["E5B"], "membres": ["X4"]},
        ],
        "examinateurs": [
            {"id": "X1", "etablissement": "ETAB-B"},
            {"id": "X2", "etablissement": None},
            {"id": "X3", "etablissement": None},
            {"id": "X4", "etablissement": None},
            {"id": "X5", "etablissement": None},
            {"id": "X6", "etablissement": None},
            {"id": "X7", "etablissement": "ETAB-A"},
        ],
        "candidats": [
            {
                "id": "C1",
                "etablissement": "ETAB-A",
                "epreuves": ["E2", "E4", "E5B", "E6", "ENGAGEMENT"],
                "langues": {"E2": "anglais"},
            },
            {"id": "C2", "etablissement": None, "epreuves": ["E5B"], "majoration": True},
        ],
        "sujets": [{"id": "WP-01", "support": "wordpress"}, {"id": "PS-01", "support": "prestashop"}],
    }


def planning_valide() -> dict[str, Any]:
    # C1 : E4 (loge 08:00–08:40, oral 08:40–09:40), E2 (loge 09:50, oral 10:20–10:50),
    #      E6 11:00–11:40 puis ENGAGEMENT 11:40–12:00, E5B 13:00–13:40.
    # C2 : E5B majorée (40 × 4/3 → 55 min) 13:40–14:35.
    # attente : C1 13:40 − 08:00 − 260 min occupées = 80 ; C2 0.
    return {
        "format": "examens/planning@1",
        "passages": [
            {"candidat": "C1", "epreuve": "E4", "commission": "KA", "date": JOUR, "preparation": "08:00",
             "loge": "L1", "debut": "08:40", "fin": "09:40", "salle": "S1"},
            {"candidat": "C1", "epreuve": "E2", "commission": "KB", "date": JOUR, "preparation": "09:50",
             "loge": "L1", "debut": "10:20", "fin": "10:50"},
            {"candidat": "C1", "epreuve": "E6", "commission": "KD", "date": JOUR, "debut": "11:00", "fin": "11:40"},
            {"candidat": "C1", "epreuve": "ENGAGEMENT", "commission": "KD", "date": JOUR, "debut": "11:40",
             "fin": "12:00"},
            {"candidat": "C1", "epreuve": "E5B", "commission": "KC", "date": JOUR, "debut": "13:00",
             "fin": "13:40", "sujet": "WP-01"},
            {"candidat": "C2", "epreuve": "E5B", "commission": "KC", "date": JOUR, "debut": "13:40",
             "fin": "14:35", "sujet": "PS-01"},
        ],
        "non_planifies": [],
    }  # fmt: skip


@pytest.fixture
def instance_dict() -> dict[str, Any]:
    return copy.deepcopy(instance_minimale())


@pytest.fixture
def planning_dict() -> dict[str, Any]:
    return copy.deepcopy(planning_valide())


@pytest.fixture
def instance():  # type: ignore[no-untyped-def]
    return lire_instance(instance_minimale())


@pytest.fixture
def planning():  # type: ignore[no-untyped-def]
    return lire_planning(planning_valide())
