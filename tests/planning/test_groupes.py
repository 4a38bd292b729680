"""Groupes de commissions (`probleme.groupes_de_commissions`), partagés par les bornes et CP-SAT."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from examens.planning.generateur import Parametres, generer_centre
from examens.planning.probleme import construire, groupes_de_commissions


@settings(max_examples=15, deadline=None)
@given(candidats=st.integers(5, 60), graine=st.integers(0, 10_000))
def test_les_groupes_partitionnent_les_taches_sans_partager_de_commission(candidats: int, graine: int) -> None:
    instance = generer_centre(Parametres(candidats=candidats, jours=2, graine=graine))
    taches = [t for t in construire(instance).taches if t.commissions]
    groupes, racine = groupes_de_commissions(taches, (c.id for c in instance.commissions))
    assert sorted(t.index for liste in groupes.values() for t in liste) == [t.index for t in taches]
    for cle, liste in groupes.items():
        for t in liste:
            assert {racine[k] for k in t.commissions} == {cle}  # une tâche relie ses commissions à son groupe
    assert set(racine) >= {c.id for c in instance.commissions}
    assert set(groupes) <= set(racine.values())
