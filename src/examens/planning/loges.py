"""Les loges d'un centre vues comme des réserves de places.

Deux loges qui acceptent les mêmes épreuves sont interchangeables : un planning où, à chaque instant, les
candidats qui préparent ces épreuves sont au plus leurs places réunies se répartit toujours entre elles
(des intervalles qui se chevauchent au plus k à la fois se colorient en k couleurs, chaque couleur étant une
place). Les modèles cherchent donc sur une réserve par ensemble d'épreuves, sans choisir la loge ; la loge
de chaque passage est fixée ensuite (`repartir_dans_les_loges`). Moins de variables, et aucune de ces
symétries où la recherche se perd (12 places + 1 place : deux choix pour chaque préparation). Mesuré à 450
candidats (12 + 1 places) : deux à trois demi-journées de moins en 300 s (docs/benchmarks.md, « Dix-huitième
session »).
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import replace

from ortools.sat.python import cp_model

from examens.planning.formats import Instance, Loge
from examens.planning.glouton import Placement
from examens.planning.probleme import Probleme, Tache


def reserves_de_loges(instance: Instance) -> tuple[dict[str, tuple[Loge, ...]], dict[str, str]]:
    """Les réserves (identifiant : celui de leur première loge dans l'instance) et la réserve de chaque loge."""
    par_epreuves: dict[frozenset[str], list[Loge]] = defaultdict(list)
    for loge in instance.loges:
        par_epreuves[frozenset(loge.epreuves)].append(loge)
    reserves = {loges[0].id: tuple(loges) for loges in par_epreuves.values()}
    reserve_de = {loge.id: ident for ident, loges in reserves.items() for loge in loges}
    return reserves, reserve_de


def repartir_dans_les_loges(
    probleme: Probleme, reserves: Mapping[str, tuple[Loge, ...]], placements: dict[int, Placement]
) -> dict[int, Placement]:
    """Chaque passage à préparation de `placements` (une seule date), dont `loge` nomme sa réserve, reçoit une
    loge de cette réserve : les préparations dans l'ordre de leur début, chacune à une place libre.

    Lève ValueError si une réserve déborde (ses préparations dépassent ses places à un instant) : c'est le
    modèle qui a failli, jamais l'utilisateur."""
    resultat = dict(placements)
    par_reserve: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    for i, p in placements.items():
        t = probleme.taches[i]
        if t.preparation and p.loge is not None:
            par_reserve[p.loge].append((p.debut - t.preparation, p.debut, i))
    for reserve, preparations in par_reserve.items():
        libres = [(n, loge.id) for n, loge in enumerate(reserves[reserve]) for _ in range(loge.places)]
        heapq.heapify(libres)  # les premières loges d'abord : la plus grande, d'habitude, est la première
        occupees: list[tuple[int, int, str]] = []  # (fin, rang, loge)
        for debut, fin, i in sorted(preparations):
            while occupees and occupees[0][0] <= debut:
                _, rang, loge = heapq.heappop(occupees)
                heapq.heappush(libres, (rang, loge))
            if not libres:
                raise ValueError(f"réserve de loges {reserve} débordée à {debut} min")
            rang, loge = heapq.heappop(libres)
            heapq.heappush(occupees, (fin, rang, loge))
            resultat[i] = replace(placements[i], loge=loge)
    return resultat


class Reserves:
    """Les réserves de loges dans un modèle CP-SAT : `preparer` pour chaque tâche à préparation, `contraindre`
    une fois toutes posées, `repartir` sur la solution lue (dont la `loge` de chaque passage nomme sa réserve)."""

    def __init__(self, probleme: Probleme) -> None:
        self.probleme = probleme
        self.reserves, self.reserve_de = reserves_de_loges(probleme.instance)
        self.intervalles: dict[str, list[cp_model.IntervalVar]] = defaultdict(list)

    def preparer(
        self,
        modele: cp_model.CpModel,
        tache: Tache,
        debut: cp_model.LinearExprT,
        present: cp_model.IntVar | None,
        indice: str | None,
    ) -> list[tuple[str, cp_model.IntVar]]:
        """La préparation de `tache` (épreuve à `debut`, en pas) dans l'une de ses réserves, si `present` (None :
        toujours) ; `indice` : la loge de la solution de départ. Rend (réserve, variable de choix)."""
        pas = self.probleme.instance.pas
        possibles = sorted({self.reserve_de[loge] for loge in tache.loges})
        choix = []
        for reserve in possibles:
            if len(possibles) == 1 and present is not None:
                y = present
            else:
                y = modele.new_bool_var("")
                modele.add_hint(y, indice is not None and self.reserve_de[indice] == reserve)
            preparation = tache.preparation // pas
            self.intervalles[reserve].append(
                modele.new_optional_fixed_size_interval_var(debut - preparation, preparation, y, "")
            )
            choix.append((reserve, y))
        if present is None:
            modele.add_exactly_one(y for _, y in choix)
        elif len(choix) > 1:
            modele.add(sum(y for _, y in choix) == present)
        return choix

    def contraindre(self, modele: cp_model.CpModel) -> None:
        for reserve, intervalles in self.intervalles.items():
            places = sum(loge.places for loge in self.reserves[reserve])
            modele.add_cumulative(intervalles, [1] * len(intervalles), places)

    def repartir(self, placements: dict[int, Placement]) -> dict[int, Placement]:
        return repartir_dans_les_loges(self.probleme, self.reserves, placements)
