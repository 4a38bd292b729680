"""Benchmark des imports : 25 000 candidats depuis un classeur XLSX (cible : ≤ 30 s, issue « Données de session »).

    .venv/bin/python bench/imports.py [--candidats 25000]                       # SQLite dans un dossier temporaire
    createdb -h 127.0.0.1 -U postgres examens_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/examens_bench .venv/bin/python bench/imports.py
    dropdb -h 127.0.0.1 -U postgres examens_bench

Le script crée le schéma (migrate), une académie, une session, 400 établissements et 60 centres, écrit le
classeur (18 colonnes, toutes remplies), puis mesure : la lecture seule ; la simulation (validation complète,
rien d'écrit) ; l'import appliqué dans une base vide ; le réimport du même fichier (tout inchangé) ; un réimport
où chaque candidat change de centre (25 000 modifications et 25 000 traces) ; enfin `examens importer …
--appliquer` de bout en bout dans un processus neuf (démarrage de Python et de Django compris), sur une
seconde session.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
EXAMENS = RACINE / ".venv" / "bin" / "examens"
LANGUES = ("anglais", "espagnol", "allemand", "italien")
MODES = ("scolaire",) * 6 + ("apprenti",) * 3 + ("formation_continue", "individuel", "a_distance")


def classeur(chemin: Path, n: int, uais: list[str], centres: list[str], graine: int = 7) -> None:
    from openpyxl import Workbook

    from examens.apps.imports.services import COLONNES_CANDIDATS

    alea = random.Random(graine)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("candidats")
    ws.append([c.nom for c in COLONNES_CANDIDATS])
    for i in range(n):
        mode = alea.choice(MODES)
        e2 = alea.choice(LANGUES)
        lv2 = alea.choice([x for x in LANGUES if x != e2] + [""] * 6)
        ws.append([
            f"22-{i:06d}", f"NOM{i}", "Prénom Second", date(2000, 1, 1) + timedelta(days=alea.randrange(2500)),
            f"candidat{i}@exemple.fr", "" if mode == "individuel" else alea.choice(uais), mode,
            alea.choice(("globale",) * 9 + ("progressive",)), alea.choice(centres), e2, lv2,
            *(alea.choice(("non",) * 9 + ("oui",)) for _ in range(7)),
        ])  # fmt: skip
    wb.save(chemin)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--candidats", type=int, default=25_000)
    args = parser.parse_args()
    dossier = Path(tempfile.mkdtemp(prefix="bench-imports-"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{dossier / 'bench.sqlite3'}")
    os.environ.setdefault("EXAMENS_VAR", str(dossier))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "examens.config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from examens.apps.candidats.models import Candidat, Etablissement
    from examens.apps.historique.models import Trace
    from examens.apps.imports.fichiers import lire_fichier
    from examens.apps.imports.services import importer_candidats
    from examens.apps.organisation.models import Academie, Centre, ExamSession
    from examens.core.uai import lettre_de_controle

    call_command("migrate", verbosity=0)
    if Candidat.objects.exists():
        print("La base n'est pas vide : utilisez une base jetable (createdb … examens_bench).", file=sys.stderr)
        return 2
    academie = Academie.objects.create(code="clermont-ferrand", nom="Clermont-Ferrand")
    sessions = [
        ExamSession.objects.create(code=code, intitule=code, reglement="bts-ndrc-2022", academie_pilote=academie)
        for code in ("bench-1", "bench-2")
    ]
    uais = [f"063{i:04d}" + lettre_de_controle(f"063{i:04d}") for i in range(400)]
    Etablissement.objects.bulk_create(
        Etablissement(uai=u, nom=f"Établissement {u}", academie=academie, statut="public" if i % 3 else "cfa", habilite_ccf=True)
        for i, u in enumerate(uais)
    )  # fmt: skip
    centres = [f"C{i:03d}" for i in range(60)]
    Centre.objects.bulk_create(Centre(academie=academie, code=c, nom=f"Centre {c}") for c in centres)

    fichier = dossier / "candidats.xlsx"
    debut = time.perf_counter()
    classeur(fichier, args.candidats, uais, centres)
    print(f"classeur écrit : {args.candidats} candidats, {fichier.stat().st_size / 1e6:.1f} Mo "
          f"en {time.perf_counter() - debut:.1f} s")  # fmt: skip
    mesures: list[tuple[str, float, str]] = []

    def mesurer(nom: str, fn):  # type: ignore[no-untyped-def]
        debut = time.perf_counter()
        resultat = fn()
        duree = time.perf_counter() - debut
        detail = resultat.resume() if hasattr(resultat, "resume") else ""
        if hasattr(resultat, "erreurs") and resultat.erreurs:
            raise SystemExit("\n".join(map(str, resultat.erreurs[:10])))
        mesures.append((nom, duree, detail))
        print(f"{nom:<48} {duree:6.2f} s  {detail}")
        return resultat

    mesurer("lecture seule du XLSX (openpyxl)", lambda: lire_fichier(fichier))

    def importer(appliquer: bool, chemin: Path = fichier):  # type: ignore[no-untyped-def]
        return importer_candidats(
            session=sessions[0], tableau=lire_fichier(chemin), appliquer=appliquer, acteur="import:bench"
        )

    mesurer("simulation (lecture + validation)", lambda: importer(False))
    mesurer("import appliqué, base vide", lambda: importer(True))
    assert Candidat.objects.filter(session=sessions[0]).count() == args.candidats
    mesurer("réimport du même fichier (inchangé)", lambda: importer(True))
    autre = dossier / "candidats-centres-changes.xlsx"
    classeur(autre, args.candidats, uais, list(reversed(centres)))
    mesurer("réimport, chaque candidat change de centre", lambda: importer(True, autre))
    assert Candidat.objects.count() == args.candidats
    print(f"traces écrites : {Trace.objects.count()}")
    connection.close()

    debut = time.perf_counter()
    sortie = subprocess.run(
        [str(EXAMENS), "importer", "candidats", str(fichier), "--session", "bench-2", "--appliquer"],
        capture_output=True, text=True, check=False, env=os.environ.copy(),
    )  # fmt: skip
    duree = time.perf_counter() - debut
    if sortie.returncode != 0:
        print(sortie.stdout[-2000:], sortie.stderr[-2000:], file=sys.stderr)
        return 1
    print(f"{'examens importer … --appliquer (processus neuf)':<48} {duree:6.2f} s  {sortie.stdout.splitlines()[-2]}")
    print(f"base : {connection.vendor} ; Python {platform.python_version()} ; {os.cpu_count()} cœurs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
