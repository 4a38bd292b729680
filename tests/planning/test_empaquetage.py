"""Borne des demi-journées par empaquetage : ranger les passages d'un groupe dans le moins de demi-journées.

Une demi-journée est donnée par les longueurs de ses fenêtres (une par disponibilité de la commission
dans la plage) ; les passages d'une fenêtre y sont disjoints, leurs durées s'additionnent sans la dépasser.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from examens.planning.bornes import _plus_petit_nombre, calculer_bornes, empaquetage_minimal
from examens.planning.generateur import Parametres, generer_centre
from examens.planning.probleme import somme_maximale

APRES_MIDI = (300,)  # E5B, 13 h – 18 h, sans préparation
MATIN = (240,)


@pytest.mark.parametrize(
    ("durees", "demi_journees", "attendu"),
    [
        pytest.param([], [APRES_MIDI], 0, id="rien à ranger"),
        pytest.param([40] * 7, [APRES_MIDI], 1, id="sept E5B dans un après-midi"),
        pytest.param([40] * 8, [APRES_MIDI] * 3, 2, id="la huitième ouvre une autre demi-journée"),
        pytest.param([40] * 6, [MATIN, APRES_MIDI], 1, id="six E5B remplissent une matinée"),
        # une seule E5B majorée (55 min) : un seul après-midi peut atteindre 295 min, les autres 280
        pytest.param([40] * 21 + [55], [APRES_MIDI] * 4, 4, id="une seule épreuve majorée"),
        pytest.param([40] * 6 + [55] * 12, [APRES_MIDI] * 4, 3, id="assez d'épreuves majorées (2 × 40 + 4 × 55)"),
        pytest.param([60] * 2, [(50, 50), (120,)], 1, id="un passage tient dans une seule fenêtre"),
        pytest.param([60], [(50, 50)], None, id="aucune fenêtre assez longue"),
    ],
)
def test_empaquetage(durees: list[int], demi_journees: list[tuple[int, ...]], attendu: int | None) -> None:
    assert empaquetage_minimal(durees, demi_journees) == attendu


def test_l_empaquetage_compte_les_passages_de_chaque_duree() -> None:
    """Par capacités, chaque après-midi vaut 300 min (2 × 40 + 4 × 55) : trois suffiraient pour 895 min ;
    avec une seule épreuve de 55 min, trois après-midi en rangent au plus 295 + 280 + 280 = 855."""
    durees = [40] * 21 + [55]
    capacite = somme_maximale(300, set(durees), 5)
    assert capacite == 300
    assert _plus_petit_nombre([capacite] * 4, sum(durees), 300) == 3
    assert empaquetage_minimal(durees, [APRES_MIDI] * 4) == 4


def _premier_qui_convient(durees: list[int], demi_journees: list[tuple[int, ...]]) -> int | None:
    """Un rangement réel (les plus longs d'abord, dans la première fenêtre qui a la place, les plus
    grandes demi-journées ouvertes d'abord) : le nombre de demi-journées qu'il ouvre, ou None."""
    ordre = sorted(range(len(demi_journees)), key=lambda i: -sum(demi_journees[i]))
    reste = {i: list(demi_journees[i]) for i in ordre}
    ouvertes: list[int] = []
    for d in sorted(durees, reverse=True):
        for i in ouvertes + [i for i in ordre if i not in ouvertes]:
            k = next((k for k, r in enumerate(reste[i]) if r >= d), None)
            if k is not None:
                reste[i][k] -= d
                if i not in ouvertes:
                    ouvertes.append(i)
                break
        else:
            return None
    return len(ouvertes)


@settings(max_examples=60, deadline=None)
@given(
    durees=st.lists(st.sampled_from([20, 30, 40, 55, 60]), max_size=30),
    demi_journees=st.lists(
        st.lists(st.integers(1, 60).map(lambda n: 5 * n), min_size=1, max_size=2).map(tuple), min_size=1, max_size=10
    ),
)
def test_l_empaquetage_est_une_borne_au_moins_aussi_forte_que_les_capacites(
    durees: list[int], demi_journees: list[tuple[int, ...]]
) -> None:
    borne = empaquetage_minimal(durees, demi_journees)
    rangement = _premier_qui_convient(durees, demi_journees)
    if rangement is not None:  # un rangement existe : la borne est définie et ne le dépasse pas
        assert borne is not None
        assert borne <= rangement
    if borne is not None and durees:
        capacites = [sum(somme_maximale(f, set(durees), 5) for f in fenetres) for fenetres in demi_journees]
        if sum(capacites) >= sum(durees):
            assert borne >= _plus_petit_nombre(capacites, sum(durees), 300)


def test_la_borne_d_un_centre_genere_monte_et_reste_reproductible() -> None:
    """Centre généré de 150 candidats sur 3 jours : 74 demi-journées par capacités, 76 par empaquetage
    (E5B : peu d'épreuves majorées de 55 min pour remplir les après-midi de 300 min)."""
    instance = generer_centre(Parametres(candidats=150, jours=3, graine=1))
    assert calculer_bornes(instance).demi_journees_commissions == 76
    assert calculer_bornes(instance).demi_journees_commissions == 76


def test_un_empaquetage_trop_grand_laisse_la_borne_par_capacites() -> None:
    """Beaucoup de durées différentes dans une longue fenêtre : trop de remplissages à écrire ; la fonction
    renonce (None) au lieu de s'éterniser, et la borne par capacités reste celle du centre."""
    durees = [d for d in range(20, 125, 5) for _ in range(30)]
    assert empaquetage_minimal(durees, [(600,)] * 10) is None
