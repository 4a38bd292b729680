"""`examens purger-donnees [--session CODE] [--appliquer]` : purge RGPD des données personnelles échues."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from examens.cli.django_config import configurer_django


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "purger-donnees",
        help="Purger les données personnelles dont la durée de conservation est échue (RGPD)",
        description="Efface l'identité des candidats des sessions dont la conservation est échue. "
        "Sans --appliquer, n'affiche que ce qui serait purgé.",
    )
    p.add_argument("--session", metavar="CODE", help="une seule session (par défaut : toutes)")
    p.add_argument("--appliquer", action="store_true", help="effectuer la purge (sinon : simulation)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    configurer_django()
    from django.utils import timezone

    from examens.apps.candidats.services import purger_donnees_personnelles
    from examens.apps.organisation.models import ExamSession

    sessions = ExamSession.objects.all()
    if args.session:
        sessions = sessions.filter(code=args.session)
        if not sessions.exists():
            print(f"examens purger-donnees : erreur : session « {args.session} » inconnue.", file=sys.stderr)
            return 2
    for session in sessions:
        rapport = purger_donnees_personnelles(
            session=session,
            aujourd_hui=timezone.localdate(),
            acteur="commande:purger-donnees",
            appliquer=args.appliquer,
        )
        print(rapport)
    if not args.appliquer:
        print("Simulation : rien n'a été modifié. Ajoutez --appliquer pour purger.")
    return 0
