"""Benchmark de la délibération : le moteur seul, puis `examens deliberer` de bout en bout sur CSV.

    .venv/bin/python bench/deliberation.py [--candidats 200000] [--repetitions 3]

Cibles (issue « Fondations ») : moteur ≥ 100 000 candidats/s ; bout en bout (lecture, validation,
délibération, sortie JSON) ≤ 3 × le temps d'un simple parcours du même fichier par `csv.DictReader`.
Chaque mesure est le meilleur de N répétitions (le minimum est la mesure la moins bruitée).
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from examens.core.deliberation import CandidatADeliberer, Decision, deliberer, deliberer_resultats
from examens.core.reglement import reglement_fourni
from examens.tableaux.deliberation import deliberer_tableau
from examens.tableaux.lecture import lire_tableau
from examens.tableaux.synthese import csv_deliberation

RACINE = Path(__file__).resolve().parent.parent
EXAMENS = RACINE / ".venv" / "bin" / "examens"


def meilleur(fn, repetitions: int) -> float:
    temps = []
    for _ in range(repetitions):
        debut = time.perf_counter()
        fn()
        temps.append(time.perf_counter() - debut)
    return min(temps)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--candidats", type=int, default=200_000)
    parser.add_argument("--repetitions", type=int, default=3)
    args = parser.parse_args()
    n, rep = args.candidats, args.repetitions
    # Comme après `make install` : le bytecode du projet à jour (sinon, sous PYTHONDONTWRITEBYTECODE, chaque
    # lancement de la commande recompilerait les modules modifiés depuis).
    import compileall

    compileall.compile_dir(str(Path(__file__).resolve().parents[1] / "src"), quiet=1)
    reglement = reglement_fourni()

    with tempfile.TemporaryDirectory() as tmp:
        fichier = Path(tmp) / "session.csv"
        debut = time.perf_counter()
        fichier.write_text(csv_deliberation(n, graine=7), encoding="utf-8")
        print(
            f"Tableau de {n} candidats généré en {time.perf_counter() - debut:.1f} s ({fichier.stat().st_size / 1e6:.1f} Mo)"
        )

        # Entrées du moteur, lues une fois (la lecture n'est pas mesurée ici).
        rapport = deliberer_tableau(lire_tableau(fichier), reglement)
        assert not rapport.erreurs, rapport.erreurs[:3]
        # Les candidats sans contrôle ni parcours incomplet (ceux-là demandent d'autres arguments).
        entrees = [
            (d.candidat, d.notes_retenues)
            for d in rapport.deliberations
            if not d.apres_controle and d.decision is not Decision.INCOMPLET
        ]
        candidats = [CandidatADeliberer(c, r) for c, r in entrees]

        def moteur() -> None:
            for c, r in entrees:
                deliberer_resultats(reglement, c, r)

        def moteur_objets() -> None:
            for c in candidats:
                deliberer(reglement, c)

        t_moteur = meilleur(moteur, rep)
        t_objets = meilleur(moteur_objets, rep)
        debit = len(entrees) / t_moteur
        debit_objets = len(candidats) / t_objets

        def dictreader() -> None:
            with fichier.open(newline="", encoding="utf-8") as f:
                for _ in csv.DictReader(f, delimiter=";"):
                    pass

        t_dict = meilleur(dictreader, rep)
        sortie = Path(tmp) / "resultats.json"

        def bout_en_bout() -> None:
            subprocess.run([str(EXAMENS), "deliberer", str(fichier), "-o", str(sortie), "-q"], check=True)

        t_e2e = meilleur(bout_en_bout, rep)

        def bout_en_bout_1() -> None:
            subprocess.run(
                [str(EXAMENS), "deliberer", str(fichier), "-o", str(sortie), "-q", "--processus", "1"], check=True
            )

        t_e2e_1 = meilleur(bout_en_bout_1, rep)

    ratio = t_e2e / t_dict
    print()
    print(f"Machine : {platform.machine()}, {os.cpu_count()} cœurs, Python {platform.python_version()}")
    print(f"Moteur seul (deliberer_resultats)      : {debit:>10,.0f} candidats/s  (cible ≥ 100 000)".replace(",", " "))
    print(f"Moteur seul (deliberer + objets)       : {debit_objets:>10,.0f} candidats/s".replace(",", " "))
    print(f"csv.DictReader, simple parcours        : {t_dict:6.2f} s")
    print(f"examens deliberer bout en bout         : {t_e2e:6.2f} s  = {ratio:.2f} × DictReader  (cible ≤ 3)")
    print(f"examens deliberer --processus 1        : {t_e2e_1:6.2f} s  = {t_e2e_1 / t_dict:.2f} × DictReader")
    ok = debit >= 100_000 and ratio <= 3
    print("\nCibles atteintes." if ok else "\nCIBLE MANQUÉE.")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
