"""Un jour d'abord sous une attente relâchée, puis son attente ramenée au plus bas, demi-journées au plus
égales, puis la chaîne sous plafond au temps qui reste (`cpsat._libre_puis_reduit`, `Parametres.part_libre`).

Ce qu'il rend place toutes les tâches du jour, tient sous l'attente permise quand son départ y tenait,
n'ouvre pas plus de demi-journées que ce départ et passe le vérificateur."""

from __future__ import annotations

from typing import Any

import pytest

from examens.planning import agrege, cpsat
from examens.planning.formats import Statut
from examens.planning.generateur import Parametres as Generateur
from examens.planning.generateur import generer_centre
from examens.planning.glouton import Placement, glouton, qualite_jour, vers_planning
from examens.planning.probleme import Probleme, Tache, construire
from examens.planning.verificateur import verifier
from planning.jour_genere import jour


def _valide(probleme: Probleme, placements: dict[int, Placement]) -> None:
    planning = vers_planning(probleme, placements, methode="cpsat", statut=Statut.FEASIBLE, duree_s=0.0)
    rapport = verifier(probleme.instance, planning)
    assert rapport.valide, rapport.violations


@pytest.mark.parametrize("graine", [4, 7])
def test_le_jour_ferme_des_demi_journees_du_glouton_sous_l_attente_permise(graine: int) -> None:
    probleme, date, taches, depart = jour(graine)
    _, attente_depart, demis_depart = qualite_jour(probleme, depart)
    messages: list[str] = []
    # Un worker, temps déterministe : reproductible.
    parametres = cpsat.Parametres(workers=1, plafond_attente=0.6, horloge=cpsat.Horloge(deterministe=True))
    resultat, optimum = cpsat._libre_puis_reduit(
        probleme, date, taches, depart, parametres, 6.0, messages.append, depart, attente_depart
    )
    assert not optimum
    assert set(resultat) == set(depart)  # toutes les tâches, toutes ce jour-là
    _, attente, demis = qualite_jour(probleme, resultat)
    assert attente <= attente_depart  # l'attente permise : celle du départ
    assert demis < demis_depart  # le glouton ouvre des demi-journées de trop
    # Le jour relâché passe au-dessus du permis (9 et 13 demi-journées), puis son attente y est ramenée.
    assert any("attente permise relâchée" in m for m in messages)
    assert any("attente ramenée" in m for m in messages)
    _valide(probleme, resultat)


def _plus_long(probleme: Probleme, placements: dict[int, Placement], minutes: int) -> dict[int, Placement]:
    """`placements`, la dernière tâche d'un candidat qui en a deux repoussée de `minutes` : `minutes` d'attente
    de plus (qualite_jour ne vérifie rien d'autre)."""
    par_candidat: dict[str, list[Placement]] = {}
    for p in placements.values():
        par_candidat.setdefault(probleme.taches[p.tache].candidat, []).append(p)
    siennes = next(liste for liste in par_candidat.values() if len(liste) > 1)
    dernier = max(siennes, key=lambda p: p.debut)
    return {
        **placements,
        dernier.tache: Placement(dernier.tache, dernier.commission, dernier.date, dernier.debut + minutes, None),
    }


@pytest.mark.parametrize(
    ("chaine_rendue", "attendu", "message"),
    [
        ("au-dessus", "depart", "départ gardé"),  # la chaîne finit au-dessus du permis : le départ, qui y tenait
        ("incomplete", "depart", "départ gardé"),  # la chaîne laisse une tâche : le départ, qui les plaçait toutes
        ("sous", "chaine", "attente non ramenée"),  # la chaîne finit sous le permis : elle est gardée
    ],
)
def test_quand_l_attente_n_est_pas_ramenee_la_chaine_repart_et_le_plafond_tient(
    monkeypatch: pytest.MonkeyPatch, chaine_rendue: str, attendu: str, message: str
) -> None:
    probleme, date, taches, depart = jour(4)
    attente_depart = qualite_jour(probleme, depart)[1]
    libre = _plus_long(probleme, depart, 120)  # au-dessus de l'attente permise
    chaine = {
        "au-dessus": libre,
        "incomplete": dict(list(depart.items())[1:]),
        "sous": {**depart},
    }[chaine_rendue]
    appels: list[int | None] = []

    def planifier_jour(*args: Any, **kwargs: Any) -> tuple[dict[int, Placement], bool]:
        appels.append(kwargs["attente_permise"])
        return (libre if len(appels) == 1 else chaine), False

    monkeypatch.setattr(cpsat, "planifier_jour", planifier_jour)
    monkeypatch.setattr(agrege, "reduire", lambda *args, **kwargs: None)  # la réduction échoue
    messages: list[str] = []
    parametres = cpsat.Parametres(workers=2, plafond_attente=0.6, attente_libre=1.5)
    resultat, _ = cpsat._libre_puis_reduit(
        probleme, date, taches, depart, parametres, 60.0, messages.append, depart, attente_depart
    )
    # D'abord sous 1,5 fois l'attente permise, puis la chaîne sous l'attente permise.
    assert appels == [int(attente_depart * 1.5), attente_depart]
    assert resultat is (depart if attendu == "depart" else chaine)
    assert qualite_jour(probleme, resultat)[1] <= attente_depart
    assert any(message in m for m in messages)


def test_un_jour_relache_incomplet_la_chaine_repart_du_depart(monkeypatch: pytest.MonkeyPatch) -> None:
    """Le jour relâché laisse une tâche (échéance trop courte) : ni réduction, ni départ de la chaîne ; elle
    repart du départ, qui les plaçait toutes."""
    probleme, date, taches, depart = jour(4)
    attente_depart = qualite_jour(probleme, depart)[1]
    incomplet = dict(list(depart.items())[1:])
    partis: list[dict[int, Placement]] = []

    def planifier_jour(
        probleme: Probleme, date: str, taches: list[Tache], indice: dict[int, Placement], *args: Any, **kwargs: Any
    ) -> tuple[dict[int, Placement], bool]:
        partis.append(indice)
        return (incomplet if len(partis) == 1 else indice), False

    def reduire(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("un jour incomplet n'est pas réduit")

    monkeypatch.setattr(cpsat, "planifier_jour", planifier_jour)
    monkeypatch.setattr(agrege, "reduire", reduire)
    parametres = cpsat.Parametres(workers=2, plafond_attente=0.6, attente_libre=1.5)
    resultat, _ = cpsat._libre_puis_reduit(
        probleme, date, taches, depart, parametres, 60.0, lambda _: None, depart, attente_depart
    )
    assert partis == [depart, depart]
    assert resultat == depart


@pytest.mark.parametrize(
    ("temps_min", "par_tache_max", "employe"),
    [
        (0.0, 0.35, True),  # chaque jour dans les limites (environ 4 s, 0,1 s par tâche)
        (1_000.0, 0.35, False),  # pas assez de temps pour le jour : la chaîne seule
        (0.0, 0.01, False),  # trop de temps par tâche : la chaîne seule, qui fait alors mieux (mesuré)
    ],
)
def test_planifier_cpsat_l_emploie_aux_jours_qui_ont_le_temps_qu_il_faut(
    monkeypatch: pytest.MonkeyPatch, temps_min: float, par_tache_max: float, employe: bool
) -> None:
    monkeypatch.setattr(cpsat, "TEMPS_MIN_LIBRE", temps_min)
    monkeypatch.setattr(cpsat, "TEMPS_MAX_LIBRE_PAR_TACHE", par_tache_max)
    probleme = construire(generer_centre(Generateur(candidats=24, jours=2, graine=3)))
    messages: list[str] = []
    parametres = cpsat.Parametres(temps_max=10, workers=2, plafond_attente=0.6)
    resultat = cpsat.planifier_cpsat(probleme, parametres, messages.append)
    a_placer = [t for t in probleme.taches if t.raison is None]
    assert len(resultat.placements) == len(a_placer) == len(glouton(probleme).placements)
    _valide(probleme, resultat.placements)
    jours = {m.split(" ")[1] for m in messages if "attente permise relâchée" in m}
    assert jours == (set(probleme.dates) if employe else set())
