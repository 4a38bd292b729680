"""Borne des demi-journées par couverture : chaque commission devant laquelle passe un candidat ouvre au
moins une demi-journée ; un candidat qui ne peut passer que devant certaines commissions (conflit
d'établissement, disponibilités) en impose une parmi elles."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from examens.planning.bornes import calculer_bornes, couverture_minimale, demi_journees_a_jours_fixes
from examens.planning.formats import Statut, lire_instance
from examens.planning.glouton import glouton, vers_planning
from examens.planning.probleme import construire
from examens.planning.verificateur import verifier

f = frozenset


@pytest.mark.parametrize(
    ("ensembles", "attendu"),
    [
        pytest.param([], 0, id="aucun passage"),
        pytest.param([f("AB")] * 5, 1, id="tous peuvent aller partout"),
        pytest.param([f("A"), f("B")], 2, id="chacun sa seule commission"),
        pytest.param([f("AB"), f("B")], 1, id="B sert les deux"),
        pytest.param([f("AB"), f("BC"), f("CA")], 2, id="trois paires en triangle"),
        pytest.param([f("A"), f("BC"), f("CD"), f("D")], 3, id="A, puis D couvre CD, B ou C pour BC"),
        pytest.param([f(), f("A")], 1, id="un passage sans commission ne compte pas"),
    ],
)
def test_couverture_minimale(ensembles: list[frozenset[str]], attendu: int) -> None:
    assert couverture_minimale(ensembles) == attendu


def _exhaustive(ensembles: list[frozenset[str]]) -> int:
    utiles = [e for e in ensembles if e]
    univers = sorted(set().union(*utiles)) if utiles else []
    return next(
        n
        for n in range(len(univers) + 1)
        for choix in itertools.combinations(univers, n)
        if all(e & set(choix) for e in utiles)
    )


@settings(max_examples=200, deadline=None)
@given(st.lists(st.frozensets(st.sampled_from("ABCDEF"), max_size=4), max_size=8), st.integers(1, 40))
def test_la_couverture_est_exacte_ou_reste_une_borne(ensembles: list[frozenset[str]], essais_max: int) -> None:
    """Sans limite d'essais, le minimum exact ; avec une limite, jamais plus que lui (c'est encore une borne)."""
    exact = _exhaustive(ensembles)
    assert couverture_minimale(ensembles) == exact
    assert couverture_minimale(ensembles, essais_max=essais_max) <= exact


def _italien() -> dict[str, Any]:
    """Trois candidats d'italien, deux commissions d'un examinateur chacune : C1 est de l'établissement de X2,
    C3 de celui de X1 ; leurs 60 min tiendraient dans une seule demi-journée."""
    jour = [["08:00", "12:00"], ["13:00", "17:00"]]
    return {
        "format": "examens/planning-instance@1",
        "nom": "Italien",
        "jours": [{"date": "2022-05-30", "plages": jour}],
        "epreuves": {"LV2": {"preparation": 0, "duree": 20, "langue": True}},
        "loges": [],
        "postes": 0,
        "commissions": [
            {"id": "K1", "epreuves": ["LV2"], "langue": "italien", "membres": ["X1"]},
            {"id": "K2", "epreuves": ["LV2"], "langue": "italien", "membres": ["X2"]},
        ],
        "examinateurs": [{"id": "X1", "etablissement": "E1"}, {"id": "X2", "etablissement": "E2"}],
        "candidats": [
            {"id": "C1", "etablissement": "E2", "epreuves": ["LV2"], "langues": {"LV2": "italien"}},
            {"id": "C2", "etablissement": None, "epreuves": ["LV2"], "langues": {"LV2": "italien"}},
            {"id": "C3", "etablissement": "E1", "epreuves": ["LV2"], "langues": {"LV2": "italien"}},
        ],
    }


@pytest.mark.parametrize(("temps_ressources", "attendu"), [(0.0, 2), (5.0, 2)])
def test_deux_candidats_en_conflit_croise_ouvrent_deux_demi_journees(temps_ressources: float, attendu: int) -> None:
    instance = lire_instance(_italien())
    bornes = calculer_bornes(instance, temps_ressources=temps_ressources)
    assert bornes.demi_journees_commissions == attendu
    # La borne est atteinte, et jamais dépassée par un planning valide.
    probleme = construire(instance)
    planning = vers_planning(
        probleme, glouton(probleme).placements, methode="glouton", statut=Statut.GLOUTON, duree_s=0.0
    )
    assert verifier(instance, planning).valide
    assert planning.statistiques is not None
    assert planning.statistiques.demi_journees_commissions >= attendu
    assert demi_journees_a_jours_fixes(instance, planning) == attendu


def test_sans_conflit_une_seule_demi_journee_suffit() -> None:
    donnees = _italien()
    for c in donnees["candidats"]:
        c["etablissement"] = None
    assert calculer_bornes(lire_instance(donnees)).demi_journees_commissions == 1
