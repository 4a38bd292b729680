"""Benchmark : temps de réponse des pages principales de l'application web sur une session de 25 000 candidats.

Construit la session de démonstration (`demo.services.construire_session_demo`), contrôle la conformité,
délibère la session, planifie (glouton) et publie les oraux du plus grand centre de l'académie pilote, puis
mesure chaque page avec le client de test de Django, connecté comme gestionnaire de l'académie pilote (toute la
session) : quelques requêtes d'échauffement, puis N requêtes chronométrées ; médiane (p50) et 95e centile (p95)
en millisecondes, et le nombre de requêtes SQL de la page. Objectif : p95 < 300 ms. Sous PostgreSQL, les
statistiques du planificateur sont mises à jour (ANALYZE, ce que fait l'autovacuum) avant de mesurer.

Une page qui n'existe pas encore dans cette version (conformité, planning) est signalée et sautée.

SQLite (base jetable dans un dossier temporaire) :
    .venv/bin/python bench/web.py
PostgreSQL (base jetable, à créer puis supprimer) :
    createdb -h 127.0.0.1 -U postgres examens_bench_web
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/examens_bench_web .venv/bin/python bench/web.py
    dropdb -h 127.0.0.1 -U postgres examens_bench_web
Chiffres : docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from typing import Any


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--candidats", type=int, default=25_000)
    parser.add_argument("--requetes", type=int, default=50, help="requêtes chronométrées par page")
    parser.add_argument("--objectif", type=float, default=300.0, help="p95 permis, en millisecondes")
    parser.add_argument(
        "--reutiliser", action="store_true", help="mesurer la session déjà construite dans la base (DATABASE_URL)"
    )
    args = parser.parse_args()

    if not (args.reutiliser and os.environ.get("EXAMENS_VAR")):
        os.environ["EXAMENS_VAR"] = tempfile.mkdtemp(prefix="examens-bench-web-")
    os.environ["EXAMENS_HTTPS"] = "0"
    os.environ["EXAMENS_DEBUG"] = "0"
    os.environ["EXAMENS_ALLOWED_HOSTS"] = "testserver"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "examens.config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    print(f"Base : {connection.vendor} ({connection.settings_dict['NAME']})")
    if args.reutiliser:
        session, jury, chronos = _reprendre()
    elif _deja_peuplee():
        print("La base contient déjà une session : donnez une base vide (elle est remplie puis mesurée).")
        return 2
    else:
        session, jury, chronos = _preparer(args.candidats)
    for etape, secondes in chronos.items():
        print(f"  {etape:58s} {secondes:6.1f} s")

    client, pages = _pages(session, jury)
    print(f"\n{args.requetes} requêtes par page (après 3 d'échauffement), gestionnaire de l'académie pilote :\n")
    print(f"  {'page':52s} {'p50 (ms)':>9s} {'p95 (ms)':>9s} {'max (ms)':>9s} {'SQL':>5s}")
    ok = True
    for nom, url in pages:
        if url is None:
            print(f"  {nom:52s} {'(page absente de cette version)':>34s}")
            continue
        p50, p95, pmax, sql = _mesurer(client, url, args.requetes)
        ok = ok and p95 < args.objectif
        alerte = "" if p95 < args.objectif else "  ← au-delà de l'objectif"
        print(f"  {nom:52s} {p50:9.1f} {p95:9.1f} {pmax:9.1f} {sql:5d}{alerte}")
    print(f"\nObjectif p95 < {args.objectif:.0f} ms : {'atteint' if ok else 'MANQUÉ'}")
    return 0 if ok else 1


def _deja_peuplee() -> bool:
    from examens.apps.organisation.models import ExamSession

    return ExamSession.objects.exists()


def _preparer(nombre: int) -> tuple[Any, Any, dict[str, float]]:
    from django.db.models import Count, Q

    from examens.apps.demo.services import ACTEUR, construire_session_demo, creer_comptes_demo
    from examens.apps.dossiers.services import controler_conformite_session
    from examens.apps.jury.services import deliberer_session
    from examens.apps.organisation.models import Centre, ExamSession
    from examens.apps.planification.services import planifier_centre

    chronos: dict[str, float] = {}
    t = time.perf_counter()
    resume = construire_session_demo(candidats=nombre)
    chronos[f"session de démonstration ({nombre} candidats)"] = time.perf_counter() - t
    session = ExamSession.objects.get(pk=resume.session_id)

    t = time.perf_counter()
    controler_conformite_session(
        session=session, date_limite=resume.date_limite_dossiers, acteur=ACTEUR, appliquer=True
    )
    chronos["contrôle de conformité (enregistré)"] = time.perf_counter() - t

    t = time.perf_counter()
    rapport = deliberer_session(session=session, acteur=ACTEUR, appliquer=True)
    chronos[f"délibération de la session ({len(rapport.decisions)} décisions)"] = time.perf_counter() - t

    centre = (
        Centre.objects.filter(academie=session.academie_pilote)
        .annotate(n=Count("candidats", filter=Q(candidats__session=session)))
        .order_by("-n", "code")
        .first()
    )
    t = time.perf_counter()
    planifier_centre(centre, par=ACTEUR, session=session, solveur="glouton", publier=True)
    chronos[f"planning du centre {centre.code} ({centre.n} candidats, glouton, publié)"] = time.perf_counter() - t

    t = time.perf_counter()
    creer_comptes_demo()
    chronos["comptes de démonstration"] = time.perf_counter() - t

    from django.db import connection

    if connection.vendor == "postgresql":  # ce que ferait l'autovacuum après ces insertions en masse
        t = time.perf_counter()
        with connection.cursor() as curseur:
            curseur.execute("ANALYZE")
        chronos["ANALYZE (statistiques du planificateur)"] = time.perf_counter() - t

    return session, _plus_grand_jury(session), chronos


def _plus_grand_jury(session: Any) -> Any:
    from django.db.models import Count, Q

    from examens.apps.jury.models import Jury

    return (
        Jury.objects.filter(session=session)
        .annotate(n=Count("centres__candidats", filter=Q(centres__candidats__session=session)))
        .order_by("-n", "nom")
        .first()
    )


def _reprendre() -> tuple[Any, Any, dict[str, float]]:
    from examens.apps.organisation.models import ExamSession

    session = ExamSession.objects.order_by("pk").first()
    if session is None:
        raise SystemExit("--reutiliser : la base ne contient aucune session.")
    return session, _plus_grand_jury(session), {}


def _url(nom: str, *args: Any) -> str | None:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(nom, args=args)
    except NoReverseMatch:
        return None


def _pages(session: Any, jury: Any) -> tuple[Any, list[tuple[str, str | None]]]:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from examens.apps.candidats.models import Candidat
    from examens.apps.notes.selectors import candidats_concernes
    from examens.apps.planification.models import VersionPlanning

    gestionnaire = get_user_model().objects.get(username="gestionnaire")
    client = Client()
    client.force_login(gestionnaire)
    candidat = Candidat.objects.filter(session=session, decisions_jury__en_vigueur=True).order_by("numero").first()
    du_jury = candidats_concernes(session=session, jury=jury).order_by("numero").first()
    version = VersionPlanning.objects.filter(statut=VersionPlanning.Statut.PUBLIE).order_by("pk").first()
    n_jury = candidats_concernes(session=session, jury=jury).count()
    pages: list[tuple[str, str | None]] = [
        ("tableau de bord", _url("web:tableau_de_bord")),
        ("recherche de candidats (première page)", _url("web:candidats")),
        ("recherche de candidats (« mar », admis)", _suffixe(_url("web:candidats"), "?texte=mar&decision=admis")),
        ("fiche candidat", _url("web:fiche_candidat", candidat.pk)),
        ("délibération : liste des jurys", _url("web:deliberation")),
        (f"délibération : page du jury ({n_jury} candidats)", _url("web:deliberation_jury", jury.pk)),
        ("délibération : jury filtré (ajournés, page 2)", _suffixe(_url("web:deliberation_jury", jury.pk), "?decision=ajourne&page=2")),
        ("délibération : candidat (calcul, points de jury)", _url("web:deliberation_candidat", jury.pk, du_jury.pk)),
        ("conformité : file des dossiers", _url("web:conformite")),
        ("planning : grille d'un centre", _url("web:planning_centre", version.centre_id) if version else None),
    ]  # fmt: skip
    return client, pages


def _suffixe(url: str | None, suite: str) -> str | None:
    return None if url is None else url + suite


def _mesurer(client: Any, url: str, nombre: int) -> tuple[float, float, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        _get(client, url)
    with CaptureQueriesContext(connection) as capture:
        _get(client, url)
    sql = len(capture)  # tout de suite : la requête suivante vide le journal des requêtes (reset_queries)
    durees = []
    for _ in range(nombre):
        t = time.perf_counter()
        _get(client, url)
        durees.append((time.perf_counter() - t) * 1000)
    centiles = statistics.quantiles(durees, n=100, method="inclusive")
    return statistics.median(durees), centiles[94], max(durees), sql


def _get(client: Any, url: str) -> None:
    reponse = client.get(url)
    if reponse.status_code != 200:
        raise SystemExit(f"{url} : HTTP {reponse.status_code}")


if __name__ == "__main__":
    sys.exit(main())
