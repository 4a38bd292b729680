"""Borne des demi-journées quand les groupes de commissions se partagent les loges et les postes.

Groupe par groupe, la borne ignore les loges ; le modèle indexé par le temps
(`bornes.avec_ressources`) range tous les groupes ensemble, chaque préparation dans une
place de loge.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from examens.cli.main import main
from examens.planning.bornes import (
    a_jours_fixes,
    a_jours_fixes_avec_ressources,
    avec_ressources,
    calculer_bornes,
    ecarts_par_groupe,
)
from examens.planning.formats import lire_instance
from examens.planning.generateur import Parametres, generer_centre
from examens.planning.probleme import construire, groupes_de_commissions
from examens.planning.service import Methode, planifier
from examens.planning.verificateur import verifier

JOURS = ("2022-05-30", "2022-05-31")


def _centre(
    *,
    oraux: int,
    langues: int = 0,
    commissions_e4: int = 4,
    commissions_langue: int = 1,
    places: int = 1,
    jours: int = 2,
    plages: tuple[tuple[str, str], ...] = (("13:00", "18:00"),),
    postes: int | None = None,
) -> dict[str, Any]:
    """Des E4 (40 min de préparation, 60 min d'oral) et des oraux de langue (30 + 30), une loge pour
    les deux ; avec `postes`, les langues deviennent des épreuves sur poste sans préparation."""
    calendrier = [{"date": d, "plages": [list(p) for p in plages]} for d in JOURS[:jours]]
    commissions = [
        {"id": f"KE{i}", "epreuves": ["E4"], "membres": [f"XE{i}"], "disponible": calendrier}
        for i in range(1, commissions_e4 + 1)
    ] + [
        {"id": f"KL{i}", "epreuves": ["L"], "membres": [f"XL{i}"], "disponible": calendrier}
        for i in range(1, commissions_langue + 1)
    ]
    langue: dict[str, Any] = (
        {"preparation": 30, "duree": 30} if postes is None else {"preparation": 0, "duree": 40, "poste": True}
    )
    donnees: dict[str, Any] = {
        "format": "examens/planning-instance@1",
        "jours": calendrier,
        "epreuves": {"E4": {"preparation": 40, "duree": 60}, "L": langue},
        "loges": [{"id": "LOGE-1", "places": places, "epreuves": ["E4"] if postes else ["E4", "L"]}],
        "commissions": commissions,
        "examinateurs": [{"id": c["membres"][0], "etablissement": None} for c in commissions],
        "candidats": [{"id": f"E{i:02d}", "etablissement": None, "epreuves": ["E4"]} for i in range(oraux)]
        + [{"id": f"L{i:02d}", "etablissement": None, "epreuves": ["L"]} for i in range(langues)],
    }  # fmt: skip
    if postes is not None:
        donnees["postes"] = postes
    return donnees


def test_une_place_de_loge_ouvre_une_demi_journee_de_plus() -> None:
    """Douze E4 sur deux après-midi, quatre commissions, une place de loge. Groupe par groupe : trois
    demi-journées de quatre oraux. Mais les préparations passent l'une après l'autre, six au plus par
    après-midi (13 h à 17 h), et six oraux d'une heure entre 13 h 40 et 18 h demandent deux commissions :
    quatre demi-journées. Le planificateur les atteint : la borne est exacte."""
    instance = lire_instance(_centre(oraux=12))
    assert calculer_bornes(instance).demi_journees_commissions == 3  # sans le modèle : groupe par groupe
    bornes = calculer_bornes(instance, temps_ressources=10)
    assert (bornes.demi_journees_par_groupe, bornes.demi_journees_commissions) == (3, 4)
    planning = planifier(instance, methode=Methode.CPSAT, temps_max=10, graine=0, workers=1)
    rapport = verifier(instance, planning)
    assert rapport.valide, [str(v) for v in rapport.violations]
    assert rapport.statistiques.non_planifies == 0
    assert rapport.statistiques.demi_journees_commissions == 4


@pytest.mark.parametrize(
    ("centre", "par_groupe", "demi_journees"),
    [
        pytest.param({"oraux": 12, "places": 2}, 3, 3, id="deux places : chaque après-midi a sa place"),
        pytest.param({"oraux": 12}, 3, 4, id="une place : six préparations par après-midi"),
        pytest.param(
            {"oraux": 8, "langues": 9, "jours": 1, "commissions_e4": 2, "places": 2}, None, None,
            id="une seule plage : E4 et langues à la fois ne tiennent pas (pas de borne, centre infaisable)",
        ),
        pytest.param(
            {"oraux": 8, "langues": 9, "commissions_e4": 3, "places": 2}, 3, 3,
            id="deux après-midi : langues un jour, E4 l'autre",
        ),
        pytest.param(
            {"oraux": 16, "langues": 9, "commissions_e4": 4, "places": 2}, 5, 6,
            id="seize E4 et neuf langues : les langues prennent une place tout l'après-midi",
        ),
        pytest.param({"oraux": 0, "langues": 14, "postes": 1, "commissions_langue": 2}, 2, 2, id="un poste : sept langues par après-midi"),
        pytest.param(
            {"oraux": 0, "langues": 21, "postes": 1, "commissions_langue": 2}, None, None,
            id="un poste : vingt et une langues ne tiennent pas en deux après-midi (pas de borne)",
        ),
    ],
)  # fmt: skip
def test_borne_avec_ressources(centre: dict[str, Any], par_groupe: int | None, demi_journees: int | None) -> None:
    instance = lire_instance(_centre(**centre))
    probleme = construire(instance)
    taches = [t for t in probleme.taches if t.raison is None]
    groupes = groupes_de_commissions(taches)[0]
    ensemble = avec_ressources(probleme, [(liste, 0) for liste in groupes.values()], temps_max=10)
    assert ensemble is not None
    assert ensemble.demi_journees == demi_journees
    if par_groupe is not None:
        assert calculer_bornes(instance).demi_journees_commissions == par_groupe


@pytest.mark.parametrize(
    ("centre", "en_minutes", "pas_a_pas"),
    [
        pytest.param(
            {"oraux": 13}, 0, 1,
            id="une place : la loge a 600 min pour 520 de préparation, mais six E4 par après-midi seulement",
        ),
        pytest.param(
            {"oraux": 8, "langues": 9, "jours": 1, "commissions_e4": 2, "places": 2}, 0, 2,
            id="deux places : les langues en prennent une tout l'après-midi, six E4 sur huit",
        ),
        pytest.param(
            {"oraux": 0, "langues": 21, "postes": 1, "commissions_langue": 2}, 6, 7,
            id="un poste : 600 min pour 15 épreuves de 40 min, mais 7 par après-midi de 300 min",
        ),
        pytest.param({"oraux": 12}, 0, 0, id="douze E4 tiennent"),
    ],
)  # fmt: skip
def test_les_passages_non_placables_pas_a_pas(centre: dict[str, Any], en_minutes: int, pas_a_pas: int) -> None:
    """Les bornes de faisabilité comptent les loges et les postes en minutes sur tout le centre ; le
    modèle de tous les groupes ensemble les compte à chaque pas. Le planificateur laisse exactement ce
    nombre de passages de côté : la borne est exacte."""
    instance = lire_instance(_centre(**centre))
    assert calculer_bornes(instance).non_planifies == en_minutes
    bornes = calculer_bornes(instance, temps_ressources=10)
    assert bornes.non_planifies == pas_a_pas
    assert bornes.avec_ressources is not None
    assert bornes.avec_ressources.non_planifies == pas_a_pas
    assert (bornes.avec_ressources.demi_journees is None) == (pas_a_pas > 0)
    rapport = verifier(instance, planifier(instance, methode=Methode.CPSAT, temps_max=20, graine=0, workers=1))
    assert rapport.valide, [str(v) for v in rapport.violations]
    assert rapport.statistiques.non_planifies == pas_a_pas


def test_examens_bornes_dit_combien_de_passages_ne_tiennent_pas(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    chemin = tmp_path / "centre.json"
    chemin.write_bytes(orjson.dumps(_centre(oraux=13)))
    assert main(["bornes", str(chemin)]) == 0
    sortie = capsys.readouterr().out
    assert "tous les groupes ensemble — 1 passage(s) au moins non plaçable(s)" in sortie
    assert "Centre INFAISABLE : au moins 1 passage(s) non plaçable(s)." in sortie


def test_la_borne_avec_ressources_ne_depasse_jamais_un_planning_complet() -> None:
    """Sur le centre à une place de loge : tout planning qui place tout, celui du glouton compris, ouvre
    au moins autant de demi-journées ; à jours fixés aussi."""
    instance = lire_instance(_centre(oraux=12))
    planning = planifier(instance, methode=Methode.GLOUTON)
    rapport = verifier(instance, planning)
    assert rapport.valide
    assert rapport.statistiques.non_planifies == 0
    ecarts = ecarts_par_groupe(instance, planning)
    fixes = a_jours_fixes_avec_ressources(instance, planning, ecarts, temps_max=10)
    assert a_jours_fixes(ecarts) <= fixes <= rapport.statistiques.demi_journees_commissions
    assert fixes >= calculer_bornes(instance, temps_ressources=10).demi_journees_commissions
    assert a_jours_fixes_avec_ressources(instance, planning, ecarts, temps_max=0) == a_jours_fixes(ecarts)


def test_une_chaine_a_cheval_sur_deux_plages_qui_se_touchent_n_a_pas_de_borne_avec_ressources() -> None:
    """Le modèle range chaque tâche dans une seule plage : quand une épreuve et celle qui la suit peuvent
    tomber dans deux plages qui se touchent, il ne s'applique pas (None), et la borne reste celle des
    groupes."""
    donnees = _centre(oraux=2, plages=(("08:00", "12:00"), ("12:00", "16:00")))
    donnees["epreuves"]["ENG"] = {"preparation": 0, "duree": 20, "suit": "E4"}
    for c in donnees["commissions"]:
        c["epreuves"].append("ENG") if "E4" in c["epreuves"] else None
    for c in donnees["candidats"]:
        c["epreuves"].append("ENG")
    instance = lire_instance(donnees)
    probleme = construire(instance)
    taches = [t for t in probleme.taches if t.raison is None]
    assert avec_ressources(probleme, [(taches, 0)], temps_max=5) is None
    bornes = calculer_bornes(instance, temps_ressources=5)
    assert bornes.demi_journees_commissions == bornes.demi_journees_par_groupe


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    oraux=st.integers(0, 10),
    langues=st.integers(0, 12),
    commissions_e4=st.integers(1, 3),
    commissions_langue=st.integers(1, 2),
    places=st.integers(1, 3),
    jours=st.integers(1, 2),
    matin=st.booleans(),
)
def test_propriete_la_borne_ne_depasse_pas_le_glouton_quand_il_place_tout(
    oraux: int, langues: int, commissions_e4: int, commissions_langue: int, places: int, jours: int, matin: bool
) -> None:
    """Pour des centres tirés au hasard : le glouton laisse au moins autant de passages de côté que la borne
    en annonce ; quand il place tout, son planning, valide, ouvre au moins la borne avec ressources, qui
    vaut elle-même au moins la borne groupe par groupe."""
    plages = (("08:00", "12:00"), ("13:00", "18:00")) if matin else (("13:00", "18:00"),)
    instance = lire_instance(
        _centre(oraux=oraux, langues=langues, commissions_e4=commissions_e4,
                commissions_langue=commissions_langue, places=places, jours=jours, plages=plages)
    )  # fmt: skip
    bornes = calculer_bornes(instance, temps_ressources=5)
    assert bornes.demi_journees_commissions >= bornes.demi_journees_par_groupe
    rapport = verifier(instance, planifier(instance, methode=Methode.GLOUTON))
    assert rapport.valide, [str(v) for v in rapport.violations]
    assert bornes.non_planifies <= rapport.statistiques.non_planifies
    if rapport.statistiques.non_planifies == 0:
        assert bornes.demi_journees_commissions <= rapport.statistiques.demi_journees_commissions


def test_examens_bornes_affiche_les_deux_bornes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    chemin = tmp_path / "centre.json"
    chemin.write_bytes(orjson.dumps(_centre(oraux=12)))
    assert main(["bornes", str(chemin)]) == 0
    sorties = capsys.readouterr()
    assert "demi-journées (comm.) ≥ 4 (groupe par groupe : 3 ; loges et postes partagés : +1)" in sorties.out
    assert "avec les loges et les postes pas à pas (au plus 60 s de calcul)" in sorties.err
    assert main(["bornes", str(chemin), "--temps", "0"]) == 0
    sorties = capsys.readouterr()
    assert "demi-journées (comm.) ≥ 3\n" in sorties.out
    assert sorties.err == ""
    with pytest.raises(SystemExit) as sortie:
        main(["bornes", str(chemin), "--temps", "-1"])
    assert sortie.value.code == 2
    assert "doit être positif ou nul" in capsys.readouterr().err


def test_la_borne_avec_ressources_d_un_centre_genere() -> None:
    """Centre généré de 150 candidats sur 3 jours, une loge de 8 places pour l'E4 et les langues : 76
    demi-journées groupe par groupe, 77 quand les groupes se partagent la loge. Valeur de référence des
    benchmarks (docs/benchmarks.md) ; un worker et un temps déterministe : reproductible."""
    instance = generer_centre(Parametres(candidats=150, jours=3, graine=1))
    bornes = calculer_bornes(instance, temps_ressources=60)
    assert (bornes.demi_journees_par_groupe, bornes.demi_journees_commissions, bornes.non_planifies) == (76, 77, 0)
