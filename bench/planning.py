"""Benchmark de la planification : centres générés de 60, 150, 300 et 450 candidats, session nationale.

    .venv/bin/python bench/planning.py [--temps-max 60] [--graine 1] [--workers 0] [--tailles 60:2,150:3,300:4,450:5]
                                       [--plafond-attente 0.6] [--sans-defaut] [--journal] [--temps-bornes 60]
    .venv/bin/python bench/planning.py --national [--centres 70] [--candidats 20000] [--budget-centre 45]
                                       [--processus 2] [--graine 1] [--plafond-attente 0.6]

Pour chaque centre : bornes, glouton, CP-SAT (et CP-SAT avec chaque `--plafond-attente`) ; chaque planning est relu par le vérificateur
indépendant. La borne des demi-journées est celle qui partage les loges et les postes entre les groupes
(`bornes.avec_ressources`, `--temps-bornes` secondes déterministes au plus, 0 pour s'en passer),
à côté de la somme des bornes groupe par groupe. « borne à jours fixés » : la borne des demi-journées
recalculée jour par jour avec les jours de ce planning (`bornes.a_jours_fixes_avec_ressources`) ; l'écart
entre elle et la borne vient de la répartition par jour, l'écart entre le planning et elle, de l'intérieur
des jours. La session nationale garde les bornes groupe par groupe. Sortie : un tableau Markdown (à recopier dans docs/benchmarks.md).

`--national` : ~70 centres générés (tailles tirées autour de candidats ÷ centres, graine du générateur
dérivée de `--graine`), planifiés en parallèle dans `--processus` processus, chacun avec `--budget-centre`
secondes et un worker CP-SAT (graine 0) ; la durée totale est celle de la session entière.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from examens.planning.bornes import a_jours_fixes_avec_ressources, calculer_bornes, ecarts_par_groupe
from examens.planning.generateur import Parametres, generer_centre
from examens.planning.service import Methode, planifier
from examens.planning.verificateur import verifier


def centres(args: argparse.Namespace) -> None:
    print(
        f"machine : {platform.processor() or platform.machine()}, {os.cpu_count()} cœurs ; "
        f"temps max {args.temps_max:.0f} s ; graine du générateur {args.graine} ; workers {args.workers or 'cœurs'} ; "
        f"borne avec loges et postes en {args.temps_bornes:g} s déterministes au plus"
    )
    print()
    print(
        "| candidats | jours | méthode | valide | non planifiés | jours-cand. (borne) | attente min (borne) "
        "| attente / glouton | demi-journées (borne) | demi-j. / borne | borne groupe par groupe "
        "| borne à jours fixés | durée s |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for taille in args.tailles.split(","):
        n, j = (int(x) for x in taille.split(":"))
        instance = generer_centre(Parametres(candidats=n, jours=j, graine=args.graine))
        bornes = calculer_bornes(instance, temps_ressources=args.temps_bornes)
        reference = None
        essais = [(Methode.GLOUTON, None)] + ([] if args.sans_defaut else [(Methode.CPSAT, None)])
        essais += [(Methode.CPSAT, float(r)) for r in args.plafond_attente.split(",") if r]
        for methode, plafond in essais:
            debut = time.monotonic()
            # Sans `bornes=` : `planifier` les recalcule, comme `examens planifier`, et sa durée les compte.
            planning = planifier(
                instance,
                methode=methode,
                temps_max=args.temps_max,
                graine=0,
                workers=args.workers,
                plafond_attente=plafond,
                progression=_journal(n) if args.journal and methode is Methode.CPSAT else None,
            )
            duree = time.monotonic() - debut
            rapport = verifier(instance, planning)
            s = rapport.statistiques
            if reference is None:
                reference = s.attente_minutes
            print(
                f"| {n} | {j} | {methode.value}{'' if plafond is None else f', plafond {plafond:g}'} | {'oui' if rapport.valide else 'NON'} | {s.non_planifies} "
                f"| {s.jours_candidats} ({bornes.jours_candidats}) | {s.attente_minutes} ({bornes.attente_minutes}) "
                f"| {s.attente_minutes / max(1, reference):.2f} | {s.demi_journees_commissions} "
                f"({bornes.demi_journees_commissions}) | {s.demi_journees_commissions / max(1, bornes.demi_journees_commissions):.2f} "
                f"| {bornes.demi_journees_par_groupe} "
                f"| {a_jours_fixes_avec_ressources(instance, planning, ecarts_par_groupe(instance, planning), temps_max=args.temps_bornes)} "
                f"| {duree:.1f} |",
                flush=True,
            )


# Les étapes de chaque jour que `--journal` écrit : son temps, ses fermetures, son bilan.
_ETAPES = (" tâches, ", "modèle agrégé", "saut à la borne", "créneaux permutés", " tâches placées")


def _journal(candidats: int) -> Callable[[str], None]:
    """La progression de CP-SAT, réduite aux étapes de chaque jour, sur la sortie d'erreur."""
    debut = time.monotonic()

    def dire(message: str) -> None:
        if any(etape in message for etape in _ETAPES):
            print(f"[{candidats} candidats, {time.monotonic() - debut:6.1f} s] {message}", file=sys.stderr, flush=True)

    return dire


@dataclass(frozen=True)
class Centre:
    numero: int
    candidats: int
    jours: int
    graine: int
    valide: bool
    non_planifies: int
    non_planifies_borne: int
    jours_candidats: int
    jours_candidats_glouton: int
    jours_candidats_borne: int
    attente: int
    attente_glouton: int
    attente_borne: int
    demi_journees: int
    demi_journees_borne: int
    glouton_valide: bool
    duree: float


def _centre(numero: int, candidats: int, jours: int, graine: int, budget: float, plafond: float | None) -> Centre:
    instance = generer_centre(Parametres(candidats=candidats, jours=jours, graine=graine))
    bornes = calculer_bornes(instance)
    gl = planifier(instance, methode=Methode.GLOUTON)
    debut = time.monotonic()
    planning = planifier(
        instance, methode=Methode.CPSAT, temps_max=budget, graine=0, workers=1, plafond_attente=plafond
    )
    duree = time.monotonic() - debut
    rapport, rapport_gl = verifier(instance, planning), verifier(instance, gl)
    s, g = rapport.statistiques, rapport_gl.statistiques
    return Centre(
        numero, candidats, jours, graine, rapport.valide, s.non_planifies, bornes.non_planifies,
        s.jours_candidats, g.jours_candidats, bornes.jours_candidats, s.attente_minutes, g.attente_minutes,
        bornes.attente_minutes, s.demi_journees_commissions, bornes.demi_journees_commissions, rapport_gl.valide,
        duree,
    )  # fmt: skip


def national(args: argparse.Namespace) -> None:
    alea = random.Random(args.graine)
    moyenne = args.candidats / args.centres
    tailles = [max(40, round(alea.uniform(0.4, 1.6) * moyenne)) for _ in range(args.centres)]
    tailles = [max(40, round(t * args.candidats / sum(tailles))) for t in tailles]
    jobs = [(k + 1, n, max(2, min(5, round(n / 100) + 1)), args.graine * 1000 + k + 1) for k, n in enumerate(tailles)]
    print(
        f"machine : {platform.processor() or platform.machine()}, {os.cpu_count()} cœurs ; session nationale : "
        f"{len(jobs)} centres, {sum(tailles)} candidats ({min(tailles)} à {max(tailles)} par centre) ; "
        f"{args.processus} processus, budget {args.budget_centre:.0f} s par centre, 1 worker, graine {args.graine}",
        flush=True,
    )
    plafond = float(args.plafond_attente) if args.plafond_attente else None
    if plafond is not None:
        print(f"plafond d'attente : {plafond:g} × le glouton", flush=True)
    debut = time.monotonic()
    resultats: list[Centre] = []
    with ProcessPoolExecutor(max_workers=args.processus) as pool:
        futurs = [pool.submit(_centre, *job, args.budget_centre, plafond) for job in sorted(jobs, key=lambda j: -j[1])]
        for futur in futurs:
            c = futur.result()
            resultats.append(c)
            print(
                f"centre {c.numero:2d} : {c.candidats} candidats, {c.jours} j, valide {c.valide}, non planifiés "
                f"{c.non_planifies}, jours-cand. {c.jours_candidats}/{c.jours_candidats_glouton} (glouton), attente / "
                f"glouton {c.attente / max(1, c.attente_glouton):.2f}, demi-j. / borne "
                f"{c.demi_journees / max(1, c.demi_journees_borne):.2f}, {c.duree:.1f} s",
                flush=True,
            )
    total = time.monotonic() - debut
    r = resultats
    ratios = sorted(c.attente / max(1, c.attente_glouton) for c in r)
    demis = sorted(c.demi_journees / max(1, c.demi_journees_borne) for c in r)
    print()
    print("| mesure | valeur |")
    print("|---|---|")
    print(f"| centres / candidats | {len(r)} / {sum(c.candidats for c in r)} |")
    print(f"| plannings valides (CP-SAT / glouton) | {sum(c.valide for c in r)} / {sum(c.glouton_valide for c in r)} |")
    print(f"| non planifiés (borne) | {sum(c.non_planifies for c in r)} ({sum(c.non_planifies_borne for c in r)}) |")
    print(
        f"| jours-candidats : CP-SAT / glouton / borne | {sum(c.jours_candidats for c in r)} / "
        f"{sum(c.jours_candidats_glouton for c in r)} / {sum(c.jours_candidats_borne for c in r)} |"
    )
    print(f"| centres à jours-candidats ≤ glouton | {sum(c.jours_candidats <= c.jours_candidats_glouton for c in r)} |")
    print(
        f"| attente totale : CP-SAT / glouton / borne (min) | {sum(c.attente for c in r)} / "
        f"{sum(c.attente_glouton for c in r)} / {sum(c.attente_borne for c in r)} |"
    )
    print(
        f"| attente / glouton : total, médiane, pire centre | "
        f"{sum(c.attente for c in r) / max(1, sum(c.attente_glouton for c in r)):.2f}, "
        f"{ratios[len(ratios) // 2]:.2f}, {ratios[-1]:.2f} |"
    )
    print(
        f"| demi-journées : total (borne), médiane, pire centre | {sum(c.demi_journees for c in r)} "
        f"({sum(c.demi_journees_borne for c in r)}), {demis[len(demis) // 2]:.2f}, {demis[-1]:.2f} |"
    )
    print(
        f"| durée par centre : médiane, max (s) | {sorted(c.duree for c in r)[len(r) // 2]:.1f}, {max(c.duree for c in r):.1f} |"
    )
    print(f"| durée totale de la session (s) | {total:.0f} |")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--temps-max", type=float, default=60.0)
    parser.add_argument("--graine", type=int, default=1)
    parser.add_argument("--workers", type=int, default=0)
    parser.add_argument("--tailles", default="60:2,150:3,300:4,450:5")
    parser.add_argument(
        "--temps-bornes",
        type=float,
        default=60.0,
        help="secondes déterministes de la borne des demi-journées avec loges et postes partagés (0 : sans elle)",
    )
    parser.add_argument(
        "--plafond-attente",
        default="",
        metavar="R[,R…]",
        help=(
            "CP-SAT aussi avec ces plafonds d'attente (rapport au glouton), une ligne par plafond ; "
            "avec --national, un seul plafond, à la place du réglage par défaut"
        ),
    )
    parser.add_argument(
        "--sans-defaut", action="store_true", help="sans la ligne CP-SAT par défaut (seulement glouton et plafonds)"
    )
    parser.add_argument(
        "--journal",
        action="store_true",
        help="écrire sur la sortie d'erreur les étapes de chaque jour (fermetures, saut à la borne, bilan)",
    )
    parser.add_argument("--national", action="store_true", help="session nationale (~70 centres, ~20 000 candidats)")
    parser.add_argument("--centres", type=int, default=70)
    parser.add_argument("--candidats", type=int, default=20_000)
    parser.add_argument("--budget-centre", type=float, default=45.0)
    parser.add_argument("--processus", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    if args.national:
        national(args)
    else:
        centres(args)


if __name__ == "__main__":
    main()
