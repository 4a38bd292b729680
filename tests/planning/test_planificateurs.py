"""Glouton, CP-SAT, bornes : tout planning produit passe le vérificateur indépendant."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from examens.planning.bornes import calculer_bornes
from examens.planning.formats import Statut, lire_instance, lire_planning, planning_vers_dict
from examens.planning.generateur import Parametres, generer_centre
from examens.planning.service import Methode, planifier
from examens.planning.verificateur import verifier


def _valide(instance, planning) -> None:  # type: ignore[no-untyped-def]
    rapport = verifier(instance, planning)
    assert rapport.valide, [str(v) for v in rapport.violations[:5]]
    assert rapport.statistiques == planning.statistiques


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    candidats=st.integers(1, 30),
    jours=st.integers(1, 3),
    graine=st.integers(0, 10_000),
    marge=st.sampled_from([0.5, 0.8, 1.3, 2.0]),
)
def test_tout_planning_glouton_passe_le_verificateur(candidats: int, jours: int, graine: int, marge: float) -> None:
    instance = generer_centre(Parametres(candidats=candidats, jours=jours, graine=graine, marge=marge))
    planning = planifier(instance, methode=Methode.GLOUTON)
    _valide(instance, planning)
    # chaque (candidat, épreuve) est placé ou expliqué
    assert all(n.raison for n in planning.non_planifies)
    assert planning.statistiques is not None
    assert planning.statistiques.non_planifies >= calculer_bornes(instance).non_planifies


@pytest.mark.slow
@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(candidats=st.integers(3, 20), jours=st.integers(1, 2), graine=st.integers(0, 1000))
def test_tout_planning_cpsat_passe_le_verificateur(candidats: int, jours: int, graine: int) -> None:
    instance = generer_centre(Parametres(candidats=candidats, jours=jours, graine=graine))
    planning = planifier(instance, temps_max=3, workers=2, graine=1)
    _valide(instance, planning)


def test_cpsat_bat_le_glouton_sur_un_petit_centre() -> None:
    instance = generer_centre(Parametres(candidats=30, jours=2, graine=5))
    glouton = planifier(instance, methode=Methode.GLOUTON)
    cpsat = planifier(instance, temps_max=6, workers=2, graine=1)
    _valide(instance, cpsat)
    assert glouton.statistiques is not None
    assert cpsat.statistiques is not None
    assert cpsat.statistiques.non_planifies == glouton.statistiques.non_planifies == 0
    assert cpsat.statistiques.jours_candidats <= glouton.statistiques.jours_candidats
    assert cpsat.statistiques.attente_minutes < glouton.statistiques.attente_minutes
    assert cpsat.statistiques.statut in (Statut.FEASIBLE, Statut.OPTIMAL)


def test_le_centre_a_la_main_est_planifie(instance_dict: dict[str, Any]) -> None:
    instance = lire_instance(instance_dict)
    for methode in Methode:
        planning = planifier(instance, methode=methode, temps_max=3, workers=1)
        _valide(instance, planning)
        assert planning.statistiques is not None
        assert planning.statistiques.non_planifies == 0


def test_langue_sans_commission_non_planifiee_avec_sa_raison(instance_dict: dict[str, Any]) -> None:
    instance_dict["candidats"][0]["langues"]["E2"] = "italien"
    instance = lire_instance(instance_dict)
    bornes = calculer_bornes(instance)
    assert bornes.non_planifies == 1
    assert bornes.impossibles[0].raison == "aucune commission ne fait passer E2 en italien"
    planning = planifier(instance, temps_max=3, workers=1)
    _valide(instance, planning)
    assert [(n.candidat, n.epreuve, n.raison) for n in planning.non_planifies] == [
        ("C1", "E2", "aucune commission ne fait passer E2 en italien")
    ]
    assert planning.statistiques is not None
    assert planning.statistiques.statut is Statut.INFAISABLE


def test_conflit_d_etablissement_evite(instance_dict: dict[str, Any]) -> None:
    # KF (X7, de ETAB-A) ne doit jamais recevoir C1, de ETAB-A
    instance_dict["commissions"][0]["disponible"] = [{"date": "2022-05-30", "plages": [["16:00", "17:00"]]}]
    instance = lire_instance(instance_dict)
    planning = planifier(instance, methode=Methode.GLOUTON)
    _valide(instance, planning)
    assert all(p.commission != "KF" for p in planning.passages if p.candidat == "C1")


def test_bornes_d_un_centre_trop_petit() -> None:
    instance = generer_centre(Parametres(candidats=60, jours=1, graine=2))
    bornes = calculer_bornes(instance)
    assert bornes.faisable
    # un seul jour et la moitié des commissions de E4 : la borne compte les passages impossibles
    from dataclasses import replace

    e4 = [c for c in instance.commissions if c.epreuves == ("E4",)]
    petit = replace(instance, commissions=tuple(c for c in instance.commissions if c not in e4[1:]))
    bornes = calculer_bornes(petit)
    demande = next(c for c in bornes.capacites if c.ressource == "commissions E4")
    assert demande.demande > demande.capacite
    assert bornes.non_planifies == demande.passages_en_trop > 0
    planning = planifier(petit, methode=Methode.GLOUTON)
    assert planning.statistiques is not None
    assert planning.statistiques.non_planifies >= bornes.non_planifies


def test_bornes_deja_calculees_reprises_telles_quelles(monkeypatch: pytest.MonkeyPatch) -> None:
    """Un appelant qui a déjà les bornes (planification en base) les passe : `planifier` ne les recalcule
    pas, et rend le même planning qu'en les calculant lui-même."""
    import examens.planning.service as service

    instance = generer_centre(Parametres(candidats=25, jours=2, graine=9))
    bornes = calculer_bornes(instance)
    attendu = planifier(instance, methode=Methode.GLOUTON)

    def interdit(*_: object) -> None:
        raise AssertionError("bornes recalculées")

    monkeypatch.setattr(service, "calculer_bornes", interdit)
    planning = planifier(instance, methode=Methode.GLOUTON, bornes=bornes)
    assert planning.passages == attendu.passages
    assert planning.non_planifies == attendu.non_planifies
    assert planning.statistiques is not None
    assert attendu.statistiques is not None
    assert planning.statistiques.statut == attendu.statistiques.statut


def test_bornes_inferieures_aux_statistiques_d_un_planning() -> None:
    instance = generer_centre(Parametres(candidats=25, jours=2, graine=9))
    bornes = calculer_bornes(instance)
    s = planifier(instance, methode=Methode.GLOUTON).statistiques
    assert s is not None
    assert s.non_planifies == 0
    assert bornes.jours_candidats <= s.jours_candidats
    assert bornes.attente_minutes <= s.attente_minutes
    assert bornes.demi_journees_commissions <= s.demi_journees_commissions


def test_replanification_bouge_peu(instance_dict: dict[str, Any]) -> None:
    instance = lire_instance(instance_dict)
    premier = planifier(instance, temps_max=3, workers=1)
    # un candidat s'ajoute : la référence est l'ancien planning
    instance_dict["candidats"].append({"id": "C3", "etablissement": None, "epreuves": ["E5B", "E6"]})
    instance_dict["reference"] = planning_vers_dict(premier)
    nouvelle = lire_instance(instance_dict)
    for methode in Methode:
        second = planifier(nouvelle, methode=methode, temps_max=3, workers=1)
        _valide(nouvelle, second)
        assert second.statistiques is not None
        assert second.statistiques.changements == 0
        assert second.statistiques.non_planifies == 0


def test_reproductible_avec_un_worker_et_une_graine() -> None:
    instance = generer_centre(Parametres(candidats=12, jours=1, graine=4))
    a = planifier(instance, temps_max=2, workers=1, graine=3)
    b = planifier(instance, temps_max=2, workers=1, graine=3)
    assert a.passages == b.passages


def test_ecrit_puis_relu(instance, tmp_path) -> None:  # type: ignore[no-untyped-def]
    planning = planifier(instance, methode=Methode.GLOUTON)
    relu = lire_planning(planning_vers_dict(planning))
    assert (relu.passages, relu.non_planifies) == (planning.passages, planning.non_planifies)
