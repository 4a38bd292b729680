"""Un jour d'abord sous une attente relâchée, puis son attente ramenée au plus bas, demi-journées au plus
égales, puis la chaîne sous plafond au temps qui reste (`cpsat._libre_puis_reduit`, `Parametres.part_libre`).

Ce qu'il rend place toutes les tâches du jour, tient sous l'attente permise quand son départ y tenait,
n'ouvre pas plus de demi-journées que ce départ et passe le vérificateur."""

from __future__ import annotations

from typing import Any

import pytest

from examens.planning import agrege, cpsat, relache
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
    ("chaine_rendue", "tolerance", "attendu", "message"),
    [
        ("au-dessus", 0, "depart", "départ gardé"),  # la chaîne finit au-dessus du permis : le départ, qui y tenait
        ("au-dessus", 119, "depart", "départ gardé"),  # 120 min au-dessus, au-delà de la tolérance
        ("au-dessus", 120, "chaine", "attente non ramenée"),  # dans la tolérance (les jours suivants la rendront)
        ("incomplete", 500, "depart", "départ gardé"),  # la chaîne laisse une tâche : le départ, qui les plaçait toutes
        ("sous", 0, "chaine", "attente non ramenée"),  # la chaîne finit sous le permis : elle est gardée
    ],
)
def test_quand_l_attente_n_est_pas_ramenee_la_chaine_repart_et_le_plafond_tient(
    monkeypatch: pytest.MonkeyPatch, chaine_rendue: str, tolerance: int, attendu: str, message: str
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
        probleme, date, taches, depart, parametres, 60.0, messages.append, depart, attente_depart, tolerance
    )
    # D'abord sous 1,5 fois l'attente permise, puis la chaîne sous l'attente permise.
    assert appels == [int(attente_depart * 1.5), attente_depart]
    assert resultat is (depart if attendu == "depart" else chaine)
    assert qualite_jour(probleme, resultat)[1] <= attente_depart + tolerance
    assert any(message in m for m in messages)


def test_une_chaine_finie_au_dessus_du_permis_y_est_ramenee(monkeypatch: pytest.MonkeyPatch) -> None:
    """L'attente n'est pas revenue sous le permis : la chaîne n'a que 70 % du temps restant
    (`Parametres.part_ramener`) ; finie au-dessus, elle y est ramenée (`relache.ramener`) au lieu de
    rendre le départ."""
    probleme, date, taches, depart = jour(4)
    attente_depart = qualite_jour(probleme, depart)[1]
    libre = _plus_long(probleme, depart, 120)
    chaine = _plus_long(probleme, depart, 60)
    ramene = {**depart}
    temps_des_appels: list[float] = []

    def planifier_jour(*args: Any, **kwargs: Any) -> tuple[dict[int, Placement], bool]:
        temps_des_appels.append(args[5])
        return (libre if len(temps_des_appels) == 1 else chaine), False

    appels_ramener: list[tuple[dict[int, Placement], int]] = []

    def ramener(
        probleme: Probleme,
        date: str,
        taches: list[Tache],
        source: dict[int, Placement],
        limite: int,
        *args: Any,
        **kwargs: Any,
    ) -> dict[int, Placement]:
        appels_ramener.append((source, limite))
        return ramene

    monkeypatch.setattr(cpsat, "planifier_jour", planifier_jour)
    monkeypatch.setattr(agrege, "reduire", lambda *args, **kwargs: None)
    monkeypatch.setattr(relache, "ramener", ramener)
    messages: list[str] = []
    parametres = cpsat.Parametres(workers=2, plafond_attente=0.6, attente_libre=1.5, part_ramener=0.3)
    resultat, _ = cpsat._libre_puis_reduit(
        probleme, date, taches, depart, parametres, 60.0, messages.append, depart, attente_depart
    )
    assert temps_des_appels[0] == pytest.approx(24.0)  # le jour relâché : 40 %
    # La chaîne : 70 % du reste (les remplaçants rendent sur-le-champ : le reste est de 60 s).
    assert temps_des_appels[1] == pytest.approx(0.7 * 60.0, abs=0.5)
    assert appels_ramener == [(chaine, attente_depart)]
    assert resultat is ramene
    assert any("attente de la chaîne ramenée" in m for m in messages)


def test_au_dela_du_plafond_total_les_jours_au_dessus_reprennent_leur_depart() -> None:
    """Deux jours ; le premier a fini 120 min au-dessus de son départ (dans sa tolérance), le second 30 min.
    Le plafond total est rendu en reprenant le départ du jour qui a le plus grand écart, et lui seul."""
    instance = generer_centre(Generateur(candidats=16, jours=2, graine=4))
    probleme = construire(instance)
    placements = dict(glouton(probleme).placements)
    assert len(placements) == sum(1 for t in probleme.taches if t.raison is None)
    lundi, mardi = probleme.dates
    departs = {d: {i: p for i, p in placements.items() if p.date == d} for d in (lundi, mardi)}
    fini = {**_plus_long(probleme, departs[lundi], 120), **_plus_long(probleme, departs[mardi], 30)}
    total_depart = qualite_jour(probleme, placements)[1]
    assert qualite_jour(probleme, fini)[1] == total_depart + 150
    messages: list[str] = []

    sous_le_plafond = cpsat._rendre_le_plafond(probleme, fini, departs, total_depart + 150, messages.append)
    assert sous_le_plafond is fini
    assert not messages

    rendu = cpsat._rendre_le_plafond(probleme, fini, departs, total_depart + 100, messages.append)
    assert qualite_jour(probleme, rendu)[1] == total_depart + 30
    assert {i: p for i, p in rendu.items() if p.date == lundi} == departs[lundi]
    assert messages == [f"jour {lundi} : attente totale au-dessus du plafond, départ repris (120 min de moins)"]


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
