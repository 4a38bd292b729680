"""Lecture et écriture des formats `examens/planning-instance@1` et `examens/planning@1`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest

from examens.planning.formats import (
    FormatInvalide,
    Statut,
    instance_vers_dict,
    lire_instance,
    lire_instance_fichier,
    lire_planning,
    lire_planning_fichier,
    planning_vers_dict,
)
from examens.planning.generateur import Parametres, generer_centre

DONNEES = Path(__file__).parent / "donnees"

Corruption = Callable[[dict[str, Any]], object]


def test_l_exemple_du_format_se_lit() -> None:
    instance = lire_instance_fichier(DONNEES / "instance-exemple.json")
    assert instance.pas == 5
    assert instance.candidats[0].arrivee == 9 * 60 + 30
    assert instance.epreuves["ENGAGEMENT"].suit == "E6"
    assert instance.commissions[1].langue == "espagnol"
    planning = lire_planning_fichier(DONNEES / "planning-exemple.json")
    assert planning.statistiques is not None
    assert planning.statistiques.statut is Statut.FEASIBLE
    assert planning.passages[0].preparation == 8 * 60 + 20


def test_valeurs_par_defaut(instance_dict: dict[str, Any]) -> None:
    del instance_dict["commissions"][0]["salle"]
    instance = lire_instance(instance_dict)
    assert (instance.pas, instance.fuseau) == (5, "Europe/Paris")
    assert instance.regles.battement == 10
    assert instance.regles.max_passages_par_jour == 4
    assert instance.regles.conflit_etablissement is True
    # sans `disponible`, une commission est disponible sur toutes les plages du centre
    assert instance.commissions[0].disponible == instance.jours
    assert instance.commissions[0].salle is None
    assert instance.candidats[0].majoration is False


def test_aller_retour_instance_et_planning(instance_dict: dict[str, Any], planning_dict: dict[str, Any]) -> None:
    instance = lire_instance(instance_dict)
    assert lire_instance(instance_vers_dict(instance)) == instance
    planning = lire_planning(planning_dict)
    assert lire_planning(planning_vers_dict(planning)) == planning
    assert planning_vers_dict(planning)["passages"] == planning_dict["passages"]


def test_aller_retour_d_un_centre_genere(tmp_path: Path) -> None:
    instance = generer_centre(Parametres(candidats=40, jours=2, graine=7))
    fichier = tmp_path / "centre.json"
    fichier.write_bytes(orjson.dumps(instance_vers_dict(instance)))
    assert lire_instance_fichier(fichier) == instance
    assert "--graine 7" in instance.nom


def _set(chemin: list[Any], valeur: object) -> Corruption:
    def corrompre(d: dict[str, Any]) -> None:
        cible = d
        for cle in chemin[:-1]:
            cible = cible[cle]
        cible[chemin[-1]] = valeur

    return corrompre


def _del(chemin: list[Any]) -> Corruption:
    def corrompre(d: dict[str, Any]) -> None:
        cible = d
        for cle in chemin[:-1]:
            cible = cible[cle]
        del cible[chemin[-1]]

    return corrompre


INSTANCES_REFUSEES: list[tuple[str, Corruption, str, str]] = [
    ("clé inconnue à la racine", _set(["couleur"], "bleu"), "couleur", "clé inconnue"),
    ("clé obligatoire", _del(["candidats"]), "candidats", "obligatoire"),
    ("mauvais format", _set(["format"], "examens/planning-instance@2"), "format", "au lieu de"),
    ("clé inconnue candidat", _set(["candidats", 1, "age"], 20), "candidats[1].age", "clé inconnue"),
    ("durée hors pas", _set(["epreuves", "E4", "duree"], 62), "epreuves.E4.duree", "multiple du pas"),
    ("préparation hors pas", _set(["pas"], 20), "epreuves.E2.preparation", "multiple du pas"),
    ("suit inconnue", _set(["epreuves", "ENGAGEMENT", "suit"], "E7"), "epreuves.ENGAGEMENT.suit", "inconnue"),
    (
        "suit sans l'épreuve suivie",
        _set(["candidats", 1, "epreuves"], ["E5B", "ENGAGEMENT"]),
        "candidats[1].epreuves[1]",
        "ENGAGEMENT suit E6",
    ),
    (
        "commission qui n'a qu'une épreuve enchaînée",
        _set(["commissions", 3, "epreuves"], ["E6"]),
        "commissions[3].epreuves",
        "doit lister les deux",
    ),
    ("langue manquante", _del(["candidats", 0, "langues"]), "candidats[0].langues", "langue manquante pour"),
    (
        "langue d'une épreuve non passée",
        _set(["candidats", 1, "langues"], {"E2": "italien"}),
        "candidats[1].langues.E2",
        "ne passe pas E2",
    ),
    ("commission de langue sans langue", _del(["commissions", 1, "langue"]), "commissions[1].langue", "obligatoire"),
    ("membre inconnu", _set(["commissions", 0, "membres"], ["X1", "X99"]), "commissions[0].membres[1]", "X99"),
    (
        "plages qui se chevauchent",
        _set(["jours", 0, "plages"], [["08:00", "12:00"], ["11:00", "17:00"]]),
        "jours[0].plages",
        "se chevauchent",
    ),
    ("heure invalide", _set(["jours", 0, "plages", 0, 0], "8h"), "jours[0].plages[0][0]", "HH:MM"),
    ("plage à l'envers", _set(["jours", 0, "plages", 0], ["12:00", "08:00"]), "jours[0].plages[0]", "avant"),
    (
        "disponibilité hors du centre",
        _set(["commissions", 0, "disponible"], [{"date": "2022-06-01", "plages": [["08:00", "12:00"]]}]),
        "commissions[0].disponible[0].date",
        "pas un jour du centre",
    ),
    ("identifiant en double", _set(["candidats", 1, "id"], "C1"), "candidats[1].id", "en double"),
    ("préparation sans loge", _set(["loges"], []), "loges", "aucune loge"),
    ("poste sans poste", _set(["postes"], 0), "postes", "aucun"),
    ("sujet inconnu", _set(["sujets", 0, "support"], "joomla"), "sujets[0].support", "joomla"),
    ("entier négatif", _set(["regles"], {"battement": -5}), "regles.battement", "minimum"),
    ("booléen", _set(["candidats", 1, "majoration"], "oui"), "candidats[1].majoration", "true ou false"),
    ("date invalide", _set(["jours", 0, "date"], "2022-02-30"), "jours[0].date", "invalide"),
    ("fuseau inconnu", _set(["fuseau"], "Europe/Clermont"), "fuseau", "inconnu"),
    (
        "loge qui accueille une épreuve sans préparation",
        _set(["loges", 0, "epreuves"], ["E2", "E5B"]),
        "loges[0].epreuves[1]",
        "pas de préparation",
    ),
]


@pytest.mark.parametrize(
    ("corruption", "chemin", "extrait"),
    [pytest.param(c, ch, e, id=nom) for nom, c, ch, e in INSTANCES_REFUSEES],
)
def test_instance_refusee_avec_son_chemin(
    instance_dict: dict[str, Any], corruption: Corruption, chemin: str, extrait: str
) -> None:
    corruption(instance_dict)
    with pytest.raises(FormatInvalide) as erreur:
        lire_instance(instance_dict)
    assert erreur.value.chemin == chemin
    assert extrait in str(erreur.value)


def test_un_candidat_dont_la_langue_n_a_pas_de_commission_est_accepte(instance_dict: dict[str, Any]) -> None:
    # Le format prévoit ce cas dans `non_planifies` (« aucune commission d'italien ») : ce n'est pas
    # une incohérence du fichier mais une impossibilité que le planificateur et `bornes` signalent.
    instance_dict["candidats"][0]["langues"]["E2"] = "italien"
    assert lire_instance(instance_dict).candidats[0].langues["E2"] == "italien"


PLANNINGS_REFUSES: list[tuple[str, Corruption, str, str]] = [
    ("clé inconnue", _set(["passages", 0, "note"], 12), "passages[0].note", "clé inconnue"),
    ("loge sans préparation", _del(["passages", 0, "loge"]), "passages[0]", "vont ensemble"),
    ("fin avant début", _set(["passages", 2, "fin"], "10:00"), "passages[2].fin", "avant de commencer"),
    ("mauvais format", _set(["format"], "examens/planning@0"), "format", "au lieu de"),
    (
        "statut inconnu",
        _set(
            ["statistiques"],
            {
                "methode": "x",
                "statut": "PARFAIT",
                "duree_s": 1,
                "non_planifies": 0,
                "jours_candidats": 0,
                "attente_minutes": 0,
                "demi_journees_commissions": 0,
                "charge_max_minutes": {},
            },
        ),
        "statistiques.statut",
        "PARFAIT",
    ),
]


@pytest.mark.parametrize(
    ("corruption", "chemin", "extrait"),
    [pytest.param(c, ch, e, id=nom) for nom, c, ch, e in PLANNINGS_REFUSES],
)
def test_planning_refuse_avec_son_chemin(
    planning_dict: dict[str, Any], corruption: Corruption, chemin: str, extrait: str
) -> None:
    corruption(planning_dict)
    with pytest.raises(FormatInvalide) as erreur:
        lire_planning(planning_dict)
    assert erreur.value.chemin == chemin
    assert extrait in str(erreur.value)


def test_reference_lue_avec_son_chemin(instance_dict: dict[str, Any], planning_dict: dict[str, Any]) -> None:
    instance_dict["reference"] = planning_dict
    assert lire_instance(instance_dict).reference == lire_planning(planning_dict)
    planning_dict["passages"][1]["debut"] = "25:00"
    with pytest.raises(FormatInvalide) as erreur:
        lire_instance(instance_dict)
    assert erreur.value.chemin == "reference.passages[1].debut"


def test_fichier_illisible(tmp_path: Path) -> None:
    fichier = tmp_path / "x.json"
    fichier.write_text("{pas du json")
    with pytest.raises(FormatInvalide, match="n'est pas un JSON valide"):
        lire_instance_fichier(fichier)
    with pytest.raises(FormatInvalide, match="impossible de lire"):
        lire_instance_fichier(tmp_path / "absent.json")
