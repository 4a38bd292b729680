"""Les loges vues comme des réserves : celles qui acceptent les mêmes épreuves sont réunies dans les modèles,
et chaque préparation reçoit ensuite une loge de sa réserve, sans jamais dépasser les places d'aucune."""

from __future__ import annotations

import time
from collections import Counter
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from examens.planning import relache
from examens.planning.formats import Statut, lire_instance
from examens.planning.generateur import Parametres, generer_centre
from examens.planning.glouton import Placement, qualite_jour, vers_planning
from examens.planning.loges import repartir_dans_les_loges, reserves_de_loges
from examens.planning.probleme import construire
from examens.planning.service import planifier
from examens.planning.verificateur import verifier
from planning.jour_genere import jour, rien, scinder_loges, solveur

JOUR = "2022-05-30"


def _centre(loges: list[dict[str, Any]], candidats: int = 9, commissions: int = 3) -> dict[str, Any]:
    """Des candidats qui ne passent que l'E4 (40 min de loge, 1 h d'oral), une matinée."""
    return {
        "format": "examens/planning-instance@1",
        "jours": [{"date": JOUR, "plages": [["08:00", "12:00"]]}],
        "epreuves": {"E4": {"preparation": 40, "duree": 60}}
        | ({"E2": {"preparation": 30, "duree": 30}} if any("E2" in loge["epreuves"] for loge in loges) else {}),
        "loges": loges,
        "commissions": [{"id": f"K{n}", "epreuves": ["E4"], "membres": [f"X{n}"]} for n in range(1, commissions + 1)],
        "examinateurs": [{"id": f"X{n}", "etablissement": None} for n in range(1, commissions + 1)],
        "candidats": [{"id": f"C{n}", "etablissement": None, "epreuves": ["E4"]} for n in range(1, candidats + 1)],
    }


@pytest.mark.parametrize(
    ("loges", "attendu"),
    [
        # mêmes épreuves, dans n'importe quel ordre : une réserve, nommée d'après la première loge
        ([("A", ["E2", "E4"]), ("B", ["E4", "E2"])], {"A": ["A", "B"]}),
        # d'autres épreuves : une autre réserve
        ([("A", ["E2", "E4"]), ("B", ["E4"]), ("C", ["E4", "E2"])], {"A": ["A", "C"], "B": ["B"]}),
        ([("A", ["E4"])], {"A": ["A"]}),
    ],
)
def test_les_loges_aux_memes_epreuves_forment_une_reserve(
    loges: list[tuple[str, list[str]]], attendu: dict[str, list[str]]
) -> None:
    instance = lire_instance(_centre([{"id": i, "places": 1, "epreuves": e} for i, e in loges]))
    reserves, reserve_de = reserves_de_loges(instance)
    assert {r: [loge.id for loge in ls] for r, ls in reserves.items()} == attendu
    assert reserve_de == {loge: r for r, ls in attendu.items() for loge in ls}


def _preparations(placements: dict[int, Placement], loge: str) -> list[tuple[int, int]]:
    return [(p.debut - 40, p.debut) for p in placements.values() if p.loge == loge]


def _au_plus(intervalles: list[tuple[int, int]]) -> int:
    """Le plus grand nombre d'intervalles [début, fin) qui se chevauchent."""
    evenements = sorted([(d, 1) for d, _ in intervalles] + [(f, -1) for _, f in intervalles])
    courant = pire = 0
    for _, delta in evenements:
        courant += delta
        pire = max(pire, courant)
    return pire


@given(debuts=st.lists(st.integers(8 * 12 + 8, 11 * 12).map(lambda n: n * 5), min_size=1, max_size=9))
def test_chaque_preparation_recoit_une_loge_sans_depasser_ses_places(debuts: list[int]) -> None:
    """Loges de 2 et 1 places : tant que la réserve (3) n'est jamais dépassée, chaque loge tient ses places."""
    instance = lire_instance(
        _centre([{"id": "L1", "places": 2, "epreuves": ["E4"]}, {"id": "L2", "places": 1, "epreuves": ["E4"]}])
    )
    probleme = construire(instance)
    reserves, _ = reserves_de_loges(instance)
    placements = {i: Placement(i, "K1", JOUR, debut, "L1") for i, debut in enumerate(debuts)}
    if _au_plus([(d - 40, d) for d in debuts]) > 3:
        with pytest.raises(ValueError, match="débordée"):
            repartir_dans_les_loges(probleme, reserves, placements)
        return
    reparties = repartir_dans_les_loges(probleme, reserves, placements)
    assert {i: (p.commission, p.debut) for i, p in reparties.items()} == {i: ("K1", d) for i, d in enumerate(debuts)}
    assert all(p.loge in ("L1", "L2") for p in reparties.values())
    assert _au_plus(_preparations(reparties, "L1")) <= 2
    assert _au_plus(_preparations(reparties, "L2")) <= 1


def test_un_centre_aux_loges_reunies_est_planifie_et_verifie() -> None:
    """Trois commissions d'E4 et 2 + 1 places : pour qu'elles commencent ensemble, les deux loges servent."""
    instance = lire_instance(
        _centre([{"id": "L1", "places": 2, "epreuves": ["E4"]}, {"id": "L2", "places": 1, "epreuves": ["E4"]}])
    )
    planning = planifier(instance, temps_max=5, workers=1, graine=1)
    assert verifier(instance, planning).valide
    assert planning.statistiques is not None
    assert planning.statistiques.non_planifies == 0
    assert planning.statistiques.demi_journees_commissions == 3
    assert Counter(p.loge for p in planning.passages) == {"L1": 6, "L2": 3}


@pytest.mark.parametrize("graine", [4, 7])
def test_fermer_des_demi_journees_tient_chaque_loge_quand_la_loge_est_scindee(graine: int) -> None:
    """Planning relâché, permutation et modèle agrégé (`relache.fermer`) cherchent sur la réserve ; chaque loge
    tient ensuite ses places (le vérificateur compte loge par loge)."""
    probleme, date, taches, placements = jour(graine, loges_scindees=True)
    _, attente, demis = qualite_jour(probleme, placements)
    outils = relache.Outils(solveur, rien, time.monotonic)
    resultat = relache.fermer(probleme, date, taches, placements, attente, outils, time.monotonic() + 12.0, print)
    assert qualite_jour(probleme, resultat)[2] < demis
    planning = vers_planning(probleme, resultat, methode="cpsat", statut=Statut.FEASIBLE, duree_s=0.0)
    rapport = verifier(probleme.instance, planning)
    assert rapport.valide, rapport.violations


def test_un_centre_genere_aux_loges_scindees_est_planifie_et_verifie() -> None:
    instance = scinder_loges(generer_centre(Parametres(candidats=40, jours=2, graine=3)))
    planning = planifier(instance, temps_max=8, workers=2, graine=1, plafond_attente=0.6)
    rapport = verifier(instance, planning)
    assert rapport.valide, rapport.violations
    assert planning.statistiques is not None
    assert planning.statistiques.non_planifies == 0
