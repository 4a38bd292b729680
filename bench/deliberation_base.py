"""Benchmark : délibération de N candidats depuis la base (objectif : 25 000 en ≤ 10 s, SQLite et PostgreSQL).

Crée une session synthétique (bulk_create) puis mesure :
  1. la lecture des entrées du moteur (`notes.selectors.candidats_a_deliberer`) ;
  2. la simulation complète (`jury.services.deliberer_session`, sans écrire) ;
  3. l'application (décisions + une trace par décision, en une transaction) ;
  4. une seconde application (rien ne change : aucune écriture) ;
  5. une application après changement des notes d'E2 : chaque décision changée remplace l'ancienne.

SQLite (base jetable dans un dossier temporaire) :
    .venv/bin/python bench/deliberation_base.py
PostgreSQL (base jetable, à créer puis supprimer) :
    createdb -h 127.0.0.1 -U postgres examens_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/examens_bench .venv/bin/python bench/deliberation_base.py
    dropdb -h 127.0.0.1 -U postgres examens_bench
Chiffres : docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal

OBLIGATOIRES = ("E1", "E2", "E3", "E4", "E5A", "E5B", "E6")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--candidats", type=int, default=25_000)
    parser.add_argument("--graine", type=int, default=1)
    parser.add_argument("--objectif", type=float, default=10.0, help="secondes permises pour chaque mesure")
    args = parser.parse_args()

    if not os.environ.get("DATABASE_URL"):
        os.environ["EXAMENS_VAR"] = tempfile.mkdtemp(prefix="examens-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "examens.config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    moteur = connection.vendor
    print(f"Base : {moteur} ({connection.settings_dict['NAME']})")

    t = time.perf_counter()
    session = _peupler(args.candidats, random.Random(args.graine))
    print(f"Données créées (bulk_create) : {args.candidats} candidats en {time.perf_counter() - t:.1f} s")

    from examens.apps.jury.services import deliberer_session
    from examens.apps.notes.selectors import candidats_a_deliberer

    mesures: dict[str, float] = {}
    t = time.perf_counter()
    entrees = candidats_a_deliberer(session=session)
    mesures["lecture des entrées (sélecteur)"] = time.perf_counter() - t
    assert len(entrees) == args.candidats

    t = time.perf_counter()
    rapport = deliberer_session(session=session, acteur="bench")
    mesures["simulation (lecture + moteur)"] = time.perf_counter() - t
    if rapport.erreurs:
        print("\n".join(rapport.erreurs[:10]), file=sys.stderr)
        return 1

    t = time.perf_counter()
    applique = deliberer_session(session=session, acteur="bench", appliquer=True)
    mesures["application (décisions + traces)"] = time.perf_counter() - t
    assert applique.enregistrees == args.candidats

    t = time.perf_counter()
    encore = deliberer_session(session=session, acteur="bench", appliquer=True)
    mesures["seconde application (rien ne change)"] = time.perf_counter() - t
    assert encore.enregistrees == 0

    from examens.apps.notes.models import Resultat

    # Toutes les moyennes changent : chaque décision en vigueur est remplacée (relais en deux UPDATE).
    Resultat.objects.filter(candidat__session=session, epreuve="E2", etat="note", note_jury__isnull=True).update(
        note_examinateur=Decimal(20)
    )
    t = time.perf_counter()
    remplace = deliberer_session(session=session, acteur="bench", appliquer=True)
    mesures["application qui remplace les décisions"] = time.perf_counter() - t
    print(f"Décisions remplacées : {remplace.enregistrees}")

    print(f"Décisions : {rapport.decompte}")
    for nom, secondes in mesures.items():
        print(f"  {nom:42s} {secondes:6.2f} s  ({args.candidats / secondes:,.0f} candidats/s)".replace(",", " "))
    ok = all(secondes <= args.objectif for secondes in mesures.values())
    print(f"Objectif ≤ {args.objectif:.0f} s : {'atteint' if ok else 'MANQUÉ'}")
    return 0 if ok else 1


def _note(rng: random.Random) -> Decimal:
    return Decimal(max(0, min(40, round(rng.gauss(23, 6))))) / 2


def _peupler(nombre: int, rng: random.Random):  # type: ignore[no-untyped-def]
    from django.db import transaction

    from examens.apps.candidats.models import Candidat, Dispense, NoteConservee
    from examens.apps.jury.models import ExamenLivret
    from examens.apps.notes.models import Etat, NoteControle, Resultat
    from examens.apps.organisation.models import Academie, Centre, ExamSession

    suffixe = f"{time.time_ns()}"
    with transaction.atomic():
        academie = Academie.objects.create(code=f"bench-{suffixe}", nom="Clermont-Ferrand (bench)")
        session = ExamSession.objects.create(
            code=f"bench-{suffixe}", intitule="Bench", reglement="bts-ndrc-2022", academie_pilote=academie
        )
        centre = Centre.objects.create(academie=academie, code=f"C{suffixe[-12:]}", nom="Centre bench")
        candidats = Candidat.objects.bulk_create(
            [
                Candidat(
                    session=session,
                    numero=f"B{i:07d}",
                    nom="BENCH",
                    prenoms="Candidat",
                    date_naissance=date(2002, 1, 1),
                    mode_preparation="scolaire",
                    centre=centre,
                    langue_e2="anglais",
                    langue_lv2="espagnol" if i % 20 == 0 else "",
                    livret_scolaire=i % 10 < 6,
                )
                for i in range(nombre)
            ],
            batch_size=2000,
        )
        resultats, dispenses, conservees, livrets, controles = [], [], [], [], []
        for i, c in enumerate(candidats):
            dispense_u1 = i % 10 == 0
            benefice_e3 = i % 10 == 1
            if dispense_u1:
                dispenses.append(Dispense(candidat=c, unite="U1", titre="BTS MCO"))
            if benefice_e3:
                conservees.append(
                    NoteConservee(candidat=c, epreuve="E3", note=Decimal(12), annee=2020, origine="benefice")
                )
            if c.livret_scolaire and i % 7:
                livrets.append(ExamenLivret(candidat=c, examine_par="bench"))
            for code in OBLIGATOIRES:
                if (code == "E1" and dispense_u1) or (code == "E3" and benefice_e3):
                    continue
                tirage = rng.random()
                if tirage < 0.01:
                    resultats.append(Resultat(candidat=c, epreuve=code, etat=Etat.ABSENT))
                elif tirage < 0.015:
                    resultats.append(Resultat(candidat=c, epreuve=code, etat=Etat.ABSENT_JUSTIFIE))
                else:
                    note = _note(rng)
                    jury = min(Decimal(20), note + Decimal("0.5")) if tirage > 0.99 else None
                    resultats.append(
                        Resultat(candidat=c, epreuve=code, etat=Etat.NOTE, note_examinateur=note, note_jury=jury)
                    )
            if i % 20 == 0:
                resultats.append(Resultat(candidat=c, epreuve="LV2", etat=Etat.NOTE, note_examinateur=_note(rng)))
        Resultat.objects.bulk_create(resultats, batch_size=5000)
        Dispense.objects.bulk_create(dispenses, batch_size=5000)
        NoteConservee.objects.bulk_create(conservees, batch_size=5000)
        ExamenLivret.objects.bulk_create(livrets, batch_size=5000)
        NoteControle.objects.bulk_create(controles, batch_size=5000)
    return session


if __name__ == "__main__":
    sys.exit(main())
