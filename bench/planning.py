"""Benchmark de la planification : centres générés de 60, 150, 300 et 450 candidats.

    .venv/bin/python bench/planning.py [--temps-max 60] [--graine 1] [--workers 0] [--tailles 60:2,150:3,300:4,450:5]

Pour chaque centre : bornes, glouton, CP-SAT ; chaque planning est relu par le vérificateur
indépendant. Sortie : un tableau Markdown (à recopier dans docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import os
import platform
import time

from examens.planning.bornes import calculer_bornes
from examens.planning.generateur import Parametres, generer_centre
from examens.planning.service import Methode, planifier
from examens.planning.verificateur import verifier


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--temps-max", type=float, default=60.0)
    parser.add_argument("--graine", type=int, default=1)
    parser.add_argument("--workers", type=int, default=0)
    parser.add_argument("--tailles", default="60:2,150:3,300:4,450:5")
    args = parser.parse_args()
    print(
        f"machine : {platform.processor() or platform.machine()}, {os.cpu_count()} cœurs ; "
        f"temps max {args.temps_max:.0f} s ; graine du générateur {args.graine} ; workers {args.workers or 'cœurs'}"
    )
    print()
    print(
        "| candidats | jours | méthode | valide | non planifiés | jours-cand. (borne) | attente min (borne) "
        "| attente / glouton | demi-journées (borne) | demi-j. / borne | durée s |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for taille in args.tailles.split(","):
        n, j = (int(x) for x in taille.split(":"))
        instance = generer_centre(Parametres(candidats=n, jours=j, graine=args.graine))
        bornes = calculer_bornes(instance)
        reference = None
        for methode in (Methode.GLOUTON, Methode.CPSAT):
            debut = time.monotonic()
            planning = planifier(instance, methode=methode, temps_max=args.temps_max, graine=0, workers=args.workers)
            duree = time.monotonic() - debut
            rapport = verifier(instance, planning)
            s = rapport.statistiques
            if reference is None:
                reference = s.attente_minutes
            print(
                f"| {n} | {j} | {methode.value} | {'oui' if rapport.valide else 'NON'} | {s.non_planifies} "
                f"| {s.jours_candidats} ({bornes.jours_candidats}) | {s.attente_minutes} ({bornes.attente_minutes}) "
                f"| {s.attente_minutes / max(1, reference):.2f} | {s.demi_journees_commissions} "
                f"({bornes.demi_journees_commissions}) | {s.demi_journees_commissions / max(1, bornes.demi_journees_commissions):.2f} "
                f"| {duree:.1f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
