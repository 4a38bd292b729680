"""Le vérificateur indépendant : un planning valide passe ; chaque règle violée à la main est nommée."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from examens.planning.formats import lire_instance, lire_planning
from examens.planning.verificateur import verifier

Corruption = Callable[[dict[str, Any], dict[str, Any]], None]


def _passage(planning: dict[str, Any], candidat: str, epreuve: str) -> dict[str, Any]:
    return next(p for p in planning["passages"] if p["candidat"] == candidat and p["epreuve"] == epreuve)


def test_le_planning_valide_passe_et_ses_statistiques_sont_recalculees(instance, planning) -> None:  # type: ignore[no-untyped-def]
    rapport = verifier(instance, planning)
    assert rapport.valide, [str(v) for v in rapport.violations]
    s = rapport.statistiques
    assert (s.non_planifies, s.jours_candidats, s.attente_minutes, s.demi_journees_commissions) == (0, 2, 80, 4)
    assert s.charge_max_minutes == {"E2:anglais": 30, "E4": 60, "E5B": 95, "E6": 40, "ENGAGEMENT": 20}


def _r1(i: dict[str, Any], p: dict[str, Any]) -> None:
    p["passages"].pop()  # C2/E5B disparaît


def _r1_double(i: dict[str, Any], p: dict[str, Any]) -> None:
    p["non_planifies"].append({"candidat": "C1", "epreuve": "E4", "raison": "?"})


def _r2(i: dict[str, Any], p: dict[str, Any]) -> None:
    _passage(p, "C1", "E2")["commission"] = "KA"


def _r2_langue(i: dict[str, Any], p: dict[str, Any]) -> None:
    i["commissions"][1]["langue"] = "espagnol"


def _r3_duree(i: dict[str, Any], p: dict[str, Any]) -> None:
    _passage(p, "C2", "E5B")["fin"] = "14:20"  # tiers-temps oublié : 40 au lieu de 55


def _r3_plage(i: dict[str, Any], p: dict[str, Any]) -> None:
    i["jours"][0]["plages"][1] = ["13:30", "17:00"]


def _r3_disponible(i: dict[str, Any], p: dict[str, Any]) -> None:
    i["commissions"][2]["disponible"] = [{"date": "2022-05-30", "plages": [["08:00", "12:00"]]}]


def _r3_grille(i: dict[str, Any], p: dict[str, Any]) -> None:
    i["pas"] = 10
    _passage(p, "C2", "E5B").update(debut="13:45", fin="14:40")


def _r4(i: dict[str, Any], p: dict[str, Any]) -> None:
    i["postes"] = 2
    _passage(p, "C2", "E5B").update(debut="13:20", fin="14:15")


def _r4_examinateur(i: dict[str, Any], p: dict[str, Any]) -> None:
    i["postes"] = 2
    _passage(p, "C2", "E5B").update(commission="KG", debut="13:20", fin="14:15")  # X4 est dans KC et KG


def _r5_battement(i: dict[str, Any], p: dict[str, Any]) -> None:
    _passage(p, "C1", "E2").update(preparation="09:40", debut="10:10", fin="10:40")


def _r5_arrivee(i: dict[str, Any], p: dict[str, Any]) -> None:
    i["candidats"][1]["arrivee"] = "14:00"


def _r5_max(i: dict[str, Any], p: dict[str, Any]) -> None:
    i["regles"] = {"max_passages_par_jour": 3}


def _r6_loge(i: dict[str, Any], p: dict[str, Any]) -> None:
    _passage(p, "C1", "E2")["loge"] = "L2"  # L2 n'accueille que E4


def _r6_places(i: dict[str, Any], p: dict[str, Any]) -> None:
    i["candidats"][1]["epreuves"] = ["E4", "E5B"]
    p["passages"].append(
        {"candidat": "C2", "epreuve": "E4", "commission": "KF", "date": "2022-05-30", "preparation": "07:55",
         "loge": "L1", "debut": "08:50", "fin": "09:50"}
    )  # fmt: skip
    i["jours"][0]["plages"][0][0] = "07:00"


def _r6_postes(i: dict[str, Any], p: dict[str, Any]) -> None:
    _passage(p, "C2", "E5B").update(commission="KG", debut="13:20", fin="14:15")
    i["commissions"][6]["membres"] = ["X2"]


def _r7(i: dict[str, Any], p: dict[str, Any]) -> None:
    _passage(p, "C1", "ENGAGEMENT")["commission"] = "KE"


def _r7_heure(i: dict[str, Any], p: dict[str, Any]) -> None:
    _passage(p, "C1", "ENGAGEMENT").update(debut="14:40", fin="15:00")


def _r8(i: dict[str, Any], p: dict[str, Any]) -> None:
    _passage(p, "C1", "E4")["commission"] = "KF"  # X7 est de ETAB-A, comme C1
    del _passage(p, "C1", "E4")["salle"]


def _r9_equilibre(i: dict[str, Any], p: dict[str, Any]) -> None:
    i["sujets"].append({"id": "WP-02", "support": "wordpress"})
    _passage(p, "C2", "E5B")["sujet"] = "WP-02"


def _r9_double(i: dict[str, Any], p: dict[str, Any]) -> None:
    _passage(p, "C2", "E5B")["sujet"] = "WP-01"


def _r9_manquant(i: dict[str, Any], p: dict[str, Any]) -> None:
    del _passage(p, "C2", "E5B")["sujet"]


CORRUPTIONS: list[tuple[int, Corruption]] = [
    (1, _r1),
    (1, _r1_double),
    (2, _r2),
    (2, _r2_langue),
    (3, _r3_duree),
    (3, _r3_plage),
    (3, _r3_disponible),
    (3, _r3_grille),
    (4, _r4),
    (4, _r4_examinateur),
    (5, _r5_battement),
    (5, _r5_arrivee),
    (5, _r5_max),
    (6, _r6_loge),
    (6, _r6_places),
    (6, _r6_postes),
    (7, _r7),
    (7, _r7_heure),
    (8, _r8),
    (9, _r9_equilibre),
    (9, _r9_double),
    (9, _r9_manquant),
]


@pytest.mark.parametrize(
    ("regle", "corruption"), [pytest.param(r, c, id=c.__name__.lstrip("_")) for r, c in CORRUPTIONS]
)
def test_chaque_regle_violee_est_nommee(
    instance_dict: dict[str, Any], planning_dict: dict[str, Any], regle: int, corruption: Corruption
) -> None:
    corruption(instance_dict, planning_dict)
    rapport = verifier(lire_instance(instance_dict), lire_planning(planning_dict))
    assert not rapport.valide
    assert rapport.regles_violees() == {regle}, [str(v) for v in rapport.violations]
    assert all(str(v).startswith(f"règle {regle} (") for v in rapport.violations)


def test_les_statistiques_annoncees_ne_sont_pas_crues(instance, planning_dict: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    planning_dict["statistiques"] = {
        "methode": "menteur", "statut": "OPTIMAL", "duree_s": 0, "non_planifies": 0, "jours_candidats": 1,
        "attente_minutes": 0, "demi_journees_commissions": 1, "charge_max_minutes": {},
    }  # fmt: skip
    rapport = verifier(instance, lire_planning(planning_dict))
    assert rapport.statistiques.attente_minutes == 80
    assert rapport.statistiques.methode == "menteur"


def test_changements_par_rapport_a_la_reference(instance_dict: dict[str, Any], planning_dict: dict[str, Any]) -> None:
    instance_dict["reference"] = {**planning_dict}
    instance_dict["reference"]["passages"] = [dict(x) for x in planning_dict["passages"]]
    _passage(instance_dict["reference"], "C2", "E5B").update(debut="14:00", fin="14:55")
    rapport = verifier(lire_instance(instance_dict), lire_planning(planning_dict))
    assert rapport.valide
    assert rapport.statistiques.changements == 1
