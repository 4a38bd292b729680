"""Benchmark : N convocations d'une page éditées pour un centre (objectif : 25 000 en ≤ 3 min, 2 cœurs,
mémoire bornée).

Crée une session synthétique (calendrier des écrits, un centre, N candidats) puis mesure `examens editer
convocations` tel que l'exécute le worker : sélection par lots, rendu PDF (un processus par cœur),
empreintes, fichiers et versions en base, progression du travail. Mesure ensuite une seconde édition
(rien n'a changé : aucune nouvelle version) et la mémoire maximale (processus principal et fils).

SQLite (base jetable) :
    .venv/bin/python bench/editions.py
PostgreSQL (base jetable, à créer puis supprimer) :
    createdb -h 127.0.0.1 -U postgres examens_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/examens_bench .venv/bin/python bench/editions.py
    dropdb -h 127.0.0.1 -U postgres examens_bench
Chiffres : docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
from datetime import date
from datetime import time as heure


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--candidats", type=int, default=25_000)
    parser.add_argument("--processus", type=int, default=None, help="processus de rendu (défaut : un par cœur)")
    parser.add_argument("--objectif", type=float, default=180.0, help="secondes permises")
    args = parser.parse_args()

    if not os.environ.get("DATABASE_URL"):
        os.environ["EXAMENS_VAR"] = tempfile.mkdtemp(prefix="examens-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "examens.config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    print(f"Base : {connection.vendor} ({connection.settings_dict['NAME']}), {os.cpu_count()} cœur(s)")
    t = time.perf_counter()
    session, centre = _peupler(args.candidats, random.Random(1))
    print(f"Données créées : {args.candidats} candidats en {time.perf_counter() - t:.1f} s")

    from examens.apps.editions.models import Fichier, Version
    from examens.apps.editions.services import creer_travail
    from examens.apps.editions.travaux import executer

    mesures = {}
    for passe in ("première édition", "seconde édition (inchangée)"):
        travail = creer_travail(
            session=session, nature="editer:convocation-candidat", parametres={"centre": centre.code}, par="bench"
        )
        t = time.perf_counter()
        bilan = executer(travail, processus=args.processus)
        mesures[passe] = time.perf_counter() - t
        print(f"{passe:<30} {mesures[passe]:7.1f} s  {bilan.resume()}")
    taille = sum(len(bytes(c)) for c in Fichier.objects.values_list("contenu", flat=True).iterator(chunk_size=1000))
    print(f"Versions : {Version.objects.count()}, fichiers : {Fichier.objects.count()} ({taille / 1e6:.0f} Mo)")
    par_page = mesures["première édition"] / args.candidats * 1000
    print(f"Soit {par_page:.2f} ms par convocation, {args.candidats / mesures['première édition']:.0f} par seconde")
    principal = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    fils = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"Mémoire maximale : processus principal {principal:.0f} Mo, plus gros fils {fils:.0f} Mo")
    ok = mesures["première édition"] <= args.objectif
    print(f"Objectif ≤ {args.objectif:.0f} s : {'atteint' if ok else 'NON atteint'}")
    return 0 if ok else 1


def _peupler(n: int, rng: random.Random):  # type: ignore[no-untyped-def]
    from django.db import transaction

    from examens.apps.candidats.models import Candidat
    from examens.apps.organisation.models import Academie, Centre, EpreuveEcrite, ExamSession
    from examens.core.calendrier import debut_national

    noms = ["MARTIN", "BERNARD", "N'GUESSAN-MÜLLER", "ATTOUMANI", "DUPONT", "LEFÈVRE", "ÇELIK", "NGUYỄN"]
    prenoms = ["Léa", "Hugo", "Zaïnaba", "Œdipe", "Chloé", "Mohamed", "Inès", "Noé"]
    with transaction.atomic():
        pilote = Academie.objects.create(code="clermont-ferrand", nom="Clermont-Ferrand")
        session = ExamSession.objects.create(
            code="bts-ndrc-2022", intitule="BTS NDRC 2022", reglement="bts-ndrc-2022", academie_pilote=pilote
        )
        for code, jour, h, duree in (("E1", 16, 14, 240), ("E3", 17, 9, 180), ("E5A", 18, 9, 180)):
            EpreuveEcrite.objects.create(
                session=session, epreuve=code, debut=debut_national(date(2022, 5, jour), heure(h, 0)),
                duree_minutes=duree, temps_de_loge_minutes=60,
            )  # fmt: skip
        centre = Centre.objects.create(academie=pilote, code="0630001A", nom="Lycée Blaise-Pascal", ville="Clermont")
        Candidat.objects.bulk_create(
            [
                Candidat(
                    session=session,
                    numero=f"22{i:09d}",
                    nom=rng.choice(noms),
                    prenoms=rng.choice(prenoms),
                    date_naissance=date(2000 + rng.randrange(5), 1 + rng.randrange(12), 1 + rng.randrange(28)),
                    mode_preparation="individuel",
                    centre=centre,
                    langue_e2="anglais",
                    temps_majore=rng.random() < 0.05,
                    salle_a_part=rng.random() < 0.02,
                )
                for i in range(n)
            ],
            batch_size=2000,
        )
    return session, centre


if __name__ == "__main__":
    sys.exit(main())
