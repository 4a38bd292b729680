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


def test_la_borne_d_un_centre_genere_par_empaquetage() -> None:
    """Centre généré de 150 candidats sur 3 jours : 74 demi-journées par capacités, 76 par empaquetage
    (E5B : peu d'épreuves majorées de 55 min pour remplir les après-midi de 300 min). Valeur de référence
    des benchmarks (docs/benchmarks.md)."""
    instance = generer_centre(Parametres(candidats=150, jours=3, graine=1))
    assert calculer_bornes(instance).demi_journees_commissions == 76


def test_un_empaquetage_trop_grand_laisse_la_borne_par_capacites() -> None:
    """Beaucoup de durées différentes dans une longue fenêtre : trop de remplissages à écrire ; la fonction
    renonce (None) au lieu de s'éterniser (l'appelant garde alors la borne par capacités)."""
    durees = [d for d in range(20, 125, 5) for _ in range(30)]
    assert empaquetage_minimal(durees, [(600,)] * 10) is None


def _chaine_a_cheval(
    plages: list[list[str]],
    disponible: list[list[str]],
    passages: list[tuple[str, ...]],
    durees: tuple[int, int, int, int] = (20, 40, 100, 80),
) -> None:
    """Une épreuve P et Q qui la suit, devant K1, qui peuvent passer d'une fenêtre à la suivante quand
    elles se touchent : la borne ne dépasse jamais les demi-journées du planning, que le vérificateur
    accepte."""
    from examens.planning.formats import lire_instance, lire_planning
    from examens.planning.verificateur import verifier

    jour = "2022-05-30"
    candidats = sorted({c for c, *_ in passages})
    epreuves_de = {c: [e for x, e, *_ in passages if x == c] for c in candidats}
    instance = lire_instance(
        {
            "format": "examens/planning-instance@1",
            "jours": [{"date": jour, "plages": plages}],
            "epreuves": {
                "P": {"preparation": 0, "duree": durees[0]},
                "Q": {"preparation": 0, "duree": durees[1], "suit": "P"},
                "R": {"preparation": 0, "duree": durees[2]},
                "T": {"preparation": 0, "duree": durees[3]},
            },
            "commissions": [
                {"id": k, "epreuves": ["P", "Q", "R", "T"], "membres": [x],
                 "disponible": [{"date": jour, "plages": disponible}]}
                for k, x in (("K1", "X1"), ("K2", "X2"))
            ],
            "examinateurs": [{"id": "X1", "etablissement": None}, {"id": "X2", "etablissement": None}],
            "candidats": [{"id": c, "etablissement": None, "epreuves": epreuves_de[c]} for c in candidats],
        }
    )  # fmt: skip
    planning = lire_planning(
        {
            "format": "examens/planning@1",
            "passages": [
                {"candidat": c, "epreuve": e, "commission": "K1", "date": jour, "debut": d, "fin": f}
                for c, e, d, f in passages
            ],
        }
    )
    rapport = verifier(instance, planning)
    assert rapport.valide, [str(v) for v in rapport.violations]
    assert calculer_bornes(instance).demi_journees_commissions <= rapport.statistiques.demi_journees_commissions


def test_une_epreuve_et_sa_suivante_a_cheval_sur_deux_disponibilites_qui_se_touchent() -> None:
    # K1 disponible 8 h – 10 h puis 10 h – 12 h : P finit à 10 h, Q commence à 10 h ; une demi-journée
    _chaine_a_cheval(
        [["08:00", "12:00"], ["13:00", "17:00"]],
        [["08:00", "10:00"], ["10:00", "12:00"], ["13:00", "15:00"], ["15:00", "17:00"]],
        [("C1", "R", "08:00", "09:40"), ("C2", "P", "09:40", "10:00"), ("C2", "Q", "10:00", "10:40"),
         ("C3", "T", "10:40", "12:00")],
    )  # fmt: skip


def test_une_epreuve_et_sa_suivante_a_cheval_sur_deux_plages_qui_se_touchent() -> None:
    # plages 8 h – 12 h et 12 h – 16 h, P de 40 min et Q de 20 min : P finit la matinée de K1, Q ouvre son
    # après-midi ; deux demi-journées pleines. Rangée d'un seul tenant (60 min), la chaîne en demanderait trois.
    _chaine_a_cheval(
        [["08:00", "12:00"], ["12:00", "16:00"]],
        [["08:00", "12:00"], ["12:00", "16:00"]],
        [("C1", "R", "08:00", "09:40"), ("C2", "R", "09:40", "11:20"), ("C3", "P", "11:20", "12:00"),
         ("C3", "Q", "12:00", "12:20"), ("C4", "T", "12:20", "14:10"), ("C5", "T", "14:10", "16:00")],
        durees=(40, 20, 100, 110),
    )  # fmt: skip
