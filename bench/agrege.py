"""Ce que le modèle agrégé (`planning.agrege`) change aux demi-journées : la même chaîne CP-SAT avec et sans
lui, sur les mêmes centres générés, en alternant les deux pour que la charge de la machine les touche autant.

    .venv/bin/python bench/agrege.py [--tailles 60:2,150:3,300:4,450:5] [--repetitions 2] [--workers 2]
                                     [--temps-max 54] [--plafond-attente 0.6 | --sans-plafond] [--graine 1]

`--temps-max` est passé tel quel à `cpsat.planifier_cpsat` (54 s : ce que `examens planifier --temps-max 60`
lui laisse). Avec 2 workers, les résultats varient d'une exécution à l'autre : d'où les répétitions.
Chaque planning est relu par le vérificateur. Sortie : un tableau Markdown.
"""

from __future__ import annotations

import argparse
import time

from examens.planning.cpsat import Parametres as ParametresCpsat
from examens.planning.cpsat import planifier_cpsat
from examens.planning.formats import Statut
from examens.planning.generateur import Parametres, generer_centre
from examens.planning.glouton import glouton, qualite_jour, vers_planning
from examens.planning.probleme import construire
from examens.planning.verificateur import verifier


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tailles", default="60:2,150:3,300:4,450:5")
    parser.add_argument("--repetitions", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--temps-max", type=float, default=54.0)
    parser.add_argument("--plafond-attente", type=float, default=0.6)
    parser.add_argument("--sans-plafond", action="store_true")
    parser.add_argument("--graine", type=int, default=1)
    args = parser.parse_args()
    plafond = None if args.sans_plafond else args.plafond_attente
    print(f"workers {args.workers} ; temps max {args.temps_max:g} s ; plafond d'attente {plafond or 'aucun'}")
    print()
    print("| candidats | modèle agrégé | demi-journées | attente / glouton | valide | durée s |")
    print("|---|---|---|---|---|---|")
    for taille in args.tailles.split(","):
        n, j = (int(x) for x in taille.split(":"))
        instance = generer_centre(Parametres(candidats=n, jours=j, graine=args.graine))
        probleme = construire(instance)
        attente_glouton = qualite_jour(probleme, glouton(probleme).placements)[1]
        for _ in range(args.repetitions):
            for part in (0.7, 0.0):
                debut = time.monotonic()
                resultat = planifier_cpsat(
                    probleme,
                    ParametresCpsat(
                        temps_max=args.temps_max,
                        graine=1,
                        workers=args.workers,
                        plafond_attente=plafond,
                        part_agrege=part,
                    ),
                )
                duree = time.monotonic() - debut
                planning = vers_planning(
                    probleme, resultat.placements, methode="cpsat", statut=Statut.FEASIBLE, duree_s=duree
                )
                rapport = verifier(instance, planning)
                s = rapport.statistiques
                print(
                    f"| {n} | {'oui' if part else 'non'} | {s.demi_journees_commissions} "
                    f"| {s.attente_minutes / attente_glouton:.2f} | {'oui' if rapport.valide else 'NON'} "
                    f"| {duree:.0f} |",
                    flush=True,
                )


if __name__ == "__main__":
    main()
