"""Regrouper les jours après leur affectation : moins de demi-journées de commission, autant de venues."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from examens.planning.formats import lire_instance
from examens.planning.generateur import Parametres, generer_centre
from examens.planning.glouton import glouton
from examens.planning.probleme import Probleme, construire, limites_des_jours
from examens.planning.regroupement import _Etat, demi_journees_estimees, regrouper_jours

LUNDI, MARDI = "2022-05-30", "2022-05-31"


@pytest.mark.parametrize(
    ("capacites", "minutes", "attendu"),
    [
        ([240, 180], 0, 0),
        ([240, 180], 20, 1),
        ([240, 180], 240, 1),
        ([240, 180], 241, 2),
        ([240, 180], 420, 2),
        ([240, 180], 421, 3),  # au-delà de toutes : une de plus par tranche de la plus grande
        ([240, 180], 900, 4),
        ([], 30, 30),  # aucune demi-journée ce jour-là : une par minute, le jour ne peut pas les recevoir
    ],
)
def test_demi_journees_estimees(capacites: list[int], minutes: int, attendu: int) -> None:
    assert demi_journees_estimees(capacites, minutes) == attendu


def _deux_jours() -> dict[str, Any]:
    """Quatre candidats, deux jours ; LV2 italien pour C1 et C2 seulement."""
    jour = [["08:00", "12:00"], ["13:00", "17:00"]]
    return {
        "format": "examens/planning-instance@1",
        "nom": "Deux jours",
        "jours": [{"date": LUNDI, "plages": jour}, {"date": MARDI, "plages": jour}],
        "epreuves": {
            "LV2": {"preparation": 20, "duree": 20, "langue": True},
            "E5B": {"preparation": 0, "duree": 40},
        },
        "loges": [{"id": "L1", "places": 2, "epreuves": ["LV2"]}],
        "postes": 0,
        "commissions": [
            {"id": "KI", "epreuves": ["LV2"], "langue": "italien", "membres": ["X1"]},
            {"id": "KP", "epreuves": ["E5B"], "membres": ["X2"]},
        ],
        "examinateurs": [{"id": "X1", "etablissement": None}, {"id": "X2", "etablissement": None}],
        "candidats": [
            {"id": "C1", "etablissement": None, "epreuves": ["E5B", "LV2"], "langues": {"LV2": "italien"}},
            {"id": "C2", "etablissement": None, "epreuves": ["E5B", "LV2"], "langues": {"LV2": "italien"}},
            {"id": "C3", "etablissement": None, "epreuves": ["E5B"]},
            {"id": "C4", "etablissement": None, "epreuves": ["E5B"]},
        ],
    }


@pytest.mark.parametrize(("candidats", "jours", "graine"), [(60, 2, 1), (60, 3, 2), (80, 3, 7)])
def test_sur_des_centres_generes_les_demi_journees_estimees_baissent(candidats: int, jours: int, graine: int) -> None:
    probleme = construire(generer_centre(Parametres(candidats=candidats, jours=jours, graine=graine)))
    avant = {i: p.date for i, p in glouton(probleme).placements.items()}
    apres = regrouper_jours(probleme, avant)
    assert _Etat(probleme, apres).total() < _Etat(probleme, avant).total()
    # Les loges et les postes de chaque jour restent dans les limites de l'affectation des jours.
    limites = limites_des_jours(probleme, [t for t in probleme.taches if t.raison is None])
    for date, limite in limites.items():
        du_jour = [probleme.taches[i] for i, d in apres.items() if d == date]
        if limite.loges is not None:
            assert sum(t.preparation for t in du_jour) <= limite.loges
        assert sum(t.poste[1] for t in du_jour if t.poste) <= limite.postes


def _jours(probleme: Probleme, dates: dict[str, str]) -> dict[int, str]:
    return {t.index: dates[t.candidat] for t in probleme.taches}


def _par_candidat(probleme: Probleme, jours: dict[int, str]) -> dict[str, set[str]]:
    venus: dict[str, set[str]] = defaultdict(set)
    for i, date in jours.items():
        venus[probleme.taches[i].candidat].add(date)
    return dict(venus)


def test_la_langue_rare_vient_un_seul_jour_par_echange_de_candidats() -> None:
    probleme = construire(lire_instance(_deux_jours()))
    avant = _jours(probleme, {"C1": LUNDI, "C2": MARDI, "C3": LUNDI, "C4": MARDI})
    # LV2 italien lundi et mardi : deux demi-journées ; E5B : une chaque jour.
    assert _Etat(probleme, avant).total() == 4
    apres = regrouper_jours(probleme, avant)
    # Déplacer un candidat seul chargerait un jour en E5B plus que le jour le plus chargé d'avant : un
    # candidat italianiste échange son jour avec un des deux autres, et chacun vient toujours un seul jour.
    venus = _par_candidat(probleme, apres)
    assert all(len(v) == 1 for v in venus.values())
    assert venus["C1"] == venus["C2"] != venus["C3"] == venus["C4"]
    assert _Etat(probleme, apres).total() == 3


def test_un_candidat_qui_vient_deux_jours_y_regroupe_sa_langue() -> None:
    donnees = _deux_jours()
    donnees["regles"] = {"max_passages_par_jour": 1}  # C1 et C2 viennent deux jours
    donnees["candidats"].append({"id": "C5", "etablissement": None, "epreuves": ["E5B"]})
    probleme = construire(lire_instance(donnees))
    lv2 = {t.candidat: t.index for t in probleme.taches if t.epreuves == ("LV2",)}
    avant = _jours(probleme, {"C1": LUNDI, "C2": MARDI, "C3": LUNDI, "C4": MARDI, "C5": MARDI})
    avant[lv2["C1"]], avant[lv2["C2"]] = MARDI, LUNDI  # chacun sa LV2 l'autre jour que sa E5B
    apres = regrouper_jours(probleme, avant)
    # C2 échange ses deux jours (E5B le lundi, LV2 le mardi avec C1) : trois E5B le lundi, deux le mardi,
    # pas plus que le mardi d'avant.
    assert apres[lv2["C1"]] == apres[lv2["C2"]] == MARDI
    assert _par_candidat(probleme, apres) == _par_candidat(probleme, avant)
    assert _Etat(probleme, apres).total() < _Etat(probleme, avant).total()


def test_rien_ne_bouge_en_replanification() -> None:
    donnees = _deux_jours()
    donnees["reference"] = {"format": "examens/planning@1", "passages": [], "non_planifies": []}
    probleme = construire(lire_instance(donnees))
    avant = _jours(probleme, {"C1": LUNDI, "C2": MARDI, "C3": LUNDI, "C4": MARDI})
    assert regrouper_jours(probleme, avant) == avant


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(candidats=st.integers(5, 60), jours=st.integers(2, 3), graine=st.integers(0, 10_000))
def test_jamais_plus_de_venues_ni_de_demi_journees_estimees(candidats: int, jours: int, graine: int) -> None:
    instance = generer_centre(Parametres(candidats=candidats, jours=jours, graine=graine))
    probleme = construire(instance)
    avant = {i: p.date for i, p in glouton(probleme).placements.items()}
    apres = regrouper_jours(probleme, avant)
    assert apres.keys() == avant.keys()
    venus_avant, venus_apres = _par_candidat(probleme, avant), _par_candidat(probleme, apres)
    assert all(len(venus_apres[c]) <= len(venus_avant[c]) for c in venus_avant)
    assert _Etat(probleme, apres).total() <= _Etat(probleme, avant).total()
    # Chaque tâche a des fenêtres à sa date ; chaque candidat, au plus `max_passages_par_jour` tâches par jour.
    assert all(probleme.fenetres[(i, date)] for i, date in apres.items())
    par_jour: dict[tuple[str, str], int] = defaultdict(int)
    for i, date in apres.items():
        par_jour[(probleme.taches[i].candidat, date)] += 1
    assert max(par_jour.values()) <= instance.regles.max_passages_par_jour
    # Les tâches de chaque candidat, chaque jour, tiennent dans la journée (battements compris).
    par_bloc: dict[tuple[str, str], int] = defaultdict(int)
    for i, date in apres.items():
        t = probleme.taches[i]
        par_bloc[(t.candidat, date)] += t.occupation + instance.regles.battement
    for (_, date), minutes in par_bloc.items():
        plages = instance.jour(date).plages
        assert minutes <= plages[-1].fin - plages[0].debut + instance.regles.battement
    # Les jours qui tenaient dans leurs limites y tiennent encore.
    taches = [probleme.taches[i] for i in avant]
    limites = limites_des_jours(probleme, taches)
    for date, limite in limites.items():
        charges = [
            sum(
                probleme.taches[i].duree
                for i, d in affectation.items()
                if d == date and set(probleme.taches[i].commissions) <= e
            )
            for affectation in (avant, apres)
            for e, _ in limite.ensembles
        ]
        n = len(limite.ensembles)
        bornes = [m for _, m in limite.ensembles]
        if all(c <= b for c, b in zip(charges[:n], bornes, strict=True)):
            assert all(c <= b for c, b in zip(charges[n:], bornes, strict=True))


def test_des_jours_regroupes_trop_serres_cedent_la_place_a_ceux_de_l_affectation(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from examens.planning import cpsat

    instance = generer_centre(Parametres(candidats=40, jours=2, graine=3))
    probleme = construire(instance)
    premier = probleme.dates[0]

    def tout_le_premier_jour(probleme_: Probleme, jours: dict[int, str]) -> list[dict[int, str]]:
        return [dict(jours), dict.fromkeys(jours, premier)]  # bien trop serré : le compact ne peut pas tout placer

    monkeypatch.setattr(cpsat, "regroupements_successifs", tout_le_premier_jour)
    messages: list[str] = []
    resultat = cpsat.planifier_cpsat(probleme, cpsat.Parametres(temps_max=4, workers=1), messages.append)
    assert "jours regroupés trop serrés : 0 regroupements gardés sur 1" in messages
    a_placer = sum(1 for t in probleme.taches if t.raison is None)
    assert len(resultat.placements) == a_placer
    assert {p.date for p in resultat.placements.values()} == set(probleme.dates)


def test_une_affectation_trop_serree_cede_la_place_aux_jours_du_glouton_regroupes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from examens.planning import cpsat

    instance = generer_centre(Parametres(candidats=40, jours=2, graine=3))
    probleme = construire(instance)
    premier = probleme.dates[0]

    def tout_le_premier_jour(probleme_: Probleme, indice: dict[int, str], *_: Any) -> dict[int, str]:
        return dict.fromkeys(indice, premier)

    monkeypatch.setattr(cpsat, "affecter_jours", tout_le_premier_jour)
    monkeypatch.setattr(cpsat, "regroupements_successifs", lambda probleme_, jours: [dict(jours)])
    messages: list[str] = []
    resultat = cpsat.planifier_cpsat(probleme, cpsat.Parametres(temps_max=4, workers=1), messages.append)
    assert "affectation des jours trop serrée" in messages
    assert "jours du glouton regroupés" in messages
    assert len(resultat.placements) == sum(1 for t in probleme.taches if t.raison is None)
    assert {p.date for p in resultat.placements.values()} == set(probleme.dates)


@pytest.mark.parametrize("tenables", [1, 2, 3, 4, 5])
def test_des_regroupements_trop_serres_on_garde_la_derniere_etape_qui_tient(tenables: int) -> None:
    """Les étapes 0 à `tenables` − 1 tiennent (les jours de l'affectation), les suivantes mettent tout le
    monde le premier jour : la dichotomie garde la dernière qui tient, et le dit."""
    from examens.planning import cpsat

    instance = generer_centre(Parametres(candidats=40, jours=2, graine=3))
    probleme = construire(instance)
    jours = {i: p.date for i, p in glouton(probleme).placements.items()}
    serre = dict.fromkeys(jours, probleme.dates[0])
    etapes = [dict(jours) for _ in range(tenables)] + [serre for _ in range(6 - tenables)]
    messages: list[str] = []
    (retenus, compact, simple), complet = cpsat._regroupement_tenable(probleme, etapes, len(jours), messages.append)
    assert retenus == jours
    assert not complet
    assert max(len(compact), len(simple)) == len(jours)
    assert f"jours regroupés trop serrés : {tenables - 1} regroupements gardés sur 5" in messages


def test_des_regroupements_qui_tiennent_jusqu_au_bout_sont_gardes_sans_dichotomie() -> None:
    from examens.planning import cpsat

    instance = generer_centre(Parametres(candidats=40, jours=2, graine=3))
    probleme = construire(instance)
    jours = {i: p.date for i, p in glouton(probleme).placements.items()}
    messages: list[str] = []
    (retenus, _, _), complet = cpsat._regroupement_tenable(
        probleme, [dict.fromkeys(jours, probleme.dates[0]), jours], len(jours), messages.append
    )
    assert retenus == jours
    assert complet
    assert not any("trop serrés" in m for m in messages)


@pytest.mark.parametrize(("temps_max", "attendu"), [(1_000.0, 30.0), (60.0, 0.15 * 60)])
def test_l_affectation_des_jours_a_au_plus_son_plafond_de_temps_et_les_jours_le_reste(
    monkeypatch: pytest.MonkeyPatch, temps_max: float, attendu: float
) -> None:
    """L'affectation des jours a `part_jours` (15 %) du temps, mais jamais plus que `TEMPS_MAX_AFFECTATION`
    (30 s) : sur 1 000 s, 30 s et non 150, car elle ne gagne plus rien au-delà ; les jours se partagent le
    reste."""
    from examens.planning import cpsat

    assert cpsat.TEMPS_MAX_AFFECTATION == 30.0
    instance = generer_centre(Parametres(candidats=30, jours=2, graine=3))
    probleme = construire(instance)
    temps_affectation: list[float] = []
    temps_jours: list[float] = []
    vraie_affectation = cpsat.affecter_jours

    def affecter_jours(probleme_: Probleme, indice: dict[int, str], parametres: Any, temps: float) -> dict[int, str]:
        temps_affectation.append(temps)
        return vraie_affectation(probleme_, indice, parametres, min(temps, 1.0))

    def planifier_jour(probleme_: Probleme, date: str, taches: Any, indice: Any, parametres: Any, temps: float,
                       *args: Any, secours: Any = None, **kwargs: Any) -> Any:  # fmt: skip
        temps_jours.append(temps)
        return dict(secours), False  # le glouton contraint par les jours : pas de recherche

    monkeypatch.setattr(cpsat, "affecter_jours", affecter_jours)
    monkeypatch.setattr(cpsat, "planifier_jour", planifier_jour)
    resultat = cpsat.planifier_cpsat(probleme, cpsat.Parametres(temps_max=temps_max, workers=2))
    assert len(temps_affectation) == 1
    assert temps_affectation[0] == pytest.approx(attendu, abs=0.5)
    # Les jours se partagent tout ce que l'affectation n'a pas pris (ici une seconde au plus).
    assert len(temps_jours) == 2
    assert sum(temps_jours) > temps_max - 4
    assert len(resultat.placements) == sum(1 for t in probleme.taches if t.raison is None)
