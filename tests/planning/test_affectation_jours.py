"""L'affectation des jours (`cpsat.affecter_jours`) : le moins de jours-candidats, puis, avec
`demi_journees_par_jour`, le moins de demi-journées qu'il faut au moins à chaque groupe chaque jour, puis
l'équilibre des charges."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from examens.planning import cpsat
from examens.planning.formats import Statut, lire_instance
from examens.planning.glouton import glouton, vers_planning
from examens.planning.probleme import Probleme, construire
from examens.planning.regroupement import _Etat
from examens.planning.verificateur import verifier

LUNDI, MARDI = "2022-05-30", "2022-05-31"


def _quatorze_e5b() -> dict[str, Any]:
    """Quatorze E5B de 40 min, une commission, deux jours de deux plages de 4 h : six passages par
    demi-journée, 560 min en tout, donc trois demi-journées au moins (240 + 240 + 80)."""
    jour = [["08:00", "12:00"], ["13:00", "17:00"]]
    return {
        "format": "examens/planning-instance@1",
        "nom": "Quatorze E5B",
        "jours": [{"date": LUNDI, "plages": jour}, {"date": MARDI, "plages": jour}],
        "epreuves": {"E5B": {"preparation": 0, "duree": 40}},
        "loges": [],
        "postes": 0,
        "commissions": [{"id": "KP", "epreuves": ["E5B"], "membres": ["X1"]}],
        "examinateurs": [{"id": "X1", "etablissement": None}],
        "candidats": [{"id": f"C{n:02}", "etablissement": None, "epreuves": ["E5B"]} for n in range(1, 15)],
    }


def _affecter(probleme: Probleme, par_demi_journees: bool) -> dict[int, str]:
    indice = {i: p.date for i, p in glouton(probleme).placements.items()}
    parametres = cpsat.Parametres(workers=1, graine=0, demi_journees_par_jour=par_demi_journees)
    return cpsat.affecter_jours(probleme, indice, parametres, 10.0)


@pytest.mark.parametrize(
    ("par_demi_journees", "passages_par_jour", "demi_journees"),
    [
        (False, [7, 7], 4),  # l'équilibre seul : 280 min chaque jour, deux demi-journées chaque jour
        (True, [6, 8], 3),  # une demi-journée pleine un jour, deux l'autre jour, chargées au plus égal
    ],
)
def test_les_demi_journees_comptees_avant_l_equilibre(
    par_demi_journees: bool, passages_par_jour: list[int], demi_journees: int
) -> None:
    probleme = construire(lire_instance(_quatorze_e5b()))
    jours = _affecter(probleme, par_demi_journees)
    assert len(jours) == 14  # tout le monde a un jour
    assert sorted(Counter(jours.values()).values()) == passages_par_jour
    assert _Etat(probleme, jours).total() == demi_journees


def test_le_planning_ouvre_les_demi_journees_comptees() -> None:
    instance = lire_instance(_quatorze_e5b())
    probleme = construire(instance)
    parametres = cpsat.Parametres(temps_max=20, workers=1, graine=0, demi_journees_par_jour=True)
    resultat = cpsat.planifier_cpsat(probleme, parametres)
    planning = vers_planning(probleme, resultat.placements, methode="cpsat", statut=Statut.FEASIBLE, duree_s=0.0)
    assert verifier(instance, planning).valide
    assert planning.statistiques is not None
    assert planning.statistiques.non_planifies == 0
    assert planning.statistiques.demi_journees_commissions == 3
