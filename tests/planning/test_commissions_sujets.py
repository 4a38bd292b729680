"""Composition des commissions (Règlement §2) et répartition des sujets E5B."""

from __future__ import annotations

from examens.planning.commissions import Intervenant, Qualite, composer_commissions
from examens.planning.formats import Sujet, Support
from examens.planning.sujets import Demande, repartir_sujets

E, P = Qualite.ENSEIGNANT, Qualite.PROFESSIONNEL


def test_un_enseignant_du_bloc_et_un_professionnel_d_abord() -> None:
    intervenants = [
        Intervenant("T1", E, "A", frozenset({1})),
        Intervenant("T2", E, "B", frozenset({1})),
        Intervenant("T3", E, "C", frozenset({3})),
        Intervenant("P1", P),
    ]
    compositions = composer_commissions(intervenants, bloc=1, nombre=2)
    assert [c.membres for c in compositions] == [("T1", "P1"), ("T2", "T3")]
    assert [c.sans_professionnel for c in compositions] == [False, True]
    assert compositions[0].alerte is None
    assert compositions[1].alerte is not None
    assert "sans professionnel" in compositions[1].alerte


def test_pas_assez_d_enseignants_du_bloc() -> None:
    assert composer_commissions([Intervenant("P1", P)], bloc=3, nombre=1) == []


def test_sujets_equilibres_et_jamais_deux_fois_le_meme_jour() -> None:
    sujets = [Sujet(f"WP-{i}", Support.WORDPRESS) for i in range(3)] + [
        Sujet(f"PS-{i}", Support.PRESTASHOP) for i in range(3)
    ]
    demandes = [Demande(i, f"K{i % 2}", "2022-05-30", 480 + 40 * i) for i in range(11)]
    resultat = repartir_sujets(demandes, sujets)
    assert len(resultat) == 11
    supports = [next(s.support for s in sujets if s.id == resultat[i]) for i in range(11)]
    assert abs(supports.count(Support.WORDPRESS) - supports.count(Support.PRESTASHOP)) <= 1
    for commission in ("K0", "K1"):
        donnes = [resultat[d.cle] for d in demandes if d.commission == commission]
        assert len(donnes) == len(set(donnes))


def test_affinite_choisit_le_second_membre() -> None:
    """Avec une affinité (demi-journées communes), le second membre est celui qui siège le plus avec le titulaire."""
    intervenants = [
        Intervenant("T1", E, "A", frozenset({1})),
        Intervenant("T2", E, "B", frozenset({1})),
        Intervenant("P1", P),
        Intervenant("P2", P),
    ]
    communes = {("T1", "P1"): 1, ("T1", "P2"): 6, ("T2", "P1"): 4}
    compositions = composer_commissions(intervenants, bloc=1, nombre=2, affinite=lambda a, b: communes.get((a, b), 0))
    assert [c.membres for c in compositions] == [("T1", "P2"), ("T2", "P1")]
    sans_pro = [
        Intervenant("T1", E, "A", frozenset({2})),
        Intervenant("T2", E, "A", frozenset({2})),
        Intervenant("T3", E, "B", frozenset({2})),
    ]
    paires = composer_commissions(sans_pro, bloc=2, nombre=1, affinite=lambda a, b: 5 if b == "T2" else 0)
    assert paires[0].membres == ("T1", "T3")  # affinité, mais jamais deux membres du même établissement s'il y a mieux
