"""`examens conformite --session CODE --date-limite AAAA-MM-JJ [--appliquer]` : contrôle de conformité des
dossiers E4/E6 d'une session (§6). Simulation par défaut ; `--appliquer` enregistre décisions et NV.

Codes de sortie : 0 contrôlé ; 2 erreur d'usage (session inconnue, date invalide).
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import Any

from examens.cli.django_config import configurer_django

LIGNES_MAX = 50


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "conformite",
        help="Contrôler la conformité des dossiers E4/E6 d'une session",
        description=(
            "Contrôle chaque dossier E4/E6 (dépôt, date limite, durée de stage, attestations, visas). "
            "Sans --appliquer, affiche ce qui serait décidé sans rien enregistrer."
        ),
    )
    p.add_argument("--session", required=True, metavar="CODE", help="code de la session, par ex. bts-ndrc-2022")
    p.add_argument("--date-limite", required=True, metavar="AAAA-MM-JJ", help="date limite de dépôt des dossiers")
    p.add_argument("--appliquer", action="store_true", help="enregistrer les décisions et les NV (tracés)")
    p.add_argument("--acteur", default="système", help="qui décide (par défaut : système)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    try:
        date_limite = date.fromisoformat(args.date_limite)
    except ValueError:
        print(f"examens conformite : erreur : date « {args.date_limite} » invalide (AAAA-MM-JJ).", file=sys.stderr)
        return 2
    configurer_django()
    from examens.apps.dossiers.services import controler_conformite_session
    from examens.apps.organisation.models import ExamSession

    session = ExamSession.objects.filter(code=args.session).first()
    if session is None:
        print(f"examens conformite : erreur : session « {args.session} » inconnue.", file=sys.stderr)
        return 2
    rapport = controler_conformite_session(
        session=session, date_limite=date_limite, acteur=args.acteur, appliquer=args.appliquer
    )
    print(rapport.resume())
    non_conformes = rapport.non_conformes
    for c in non_conformes[:LIGNES_MAX]:
        nv = f" → NV : {', '.join(c.nv_a_poser)}" if c.nv_a_poser else ""
        print(f"  {c.numero} {c.epreuve} : {c.motifs.replace(chr(10), ' ')}{nv}")
    if len(non_conformes) > LIGNES_MAX:
        print(f"  … et {len(non_conformes) - LIGNES_MAX} autre(s) dossier(s) non conforme(s).")
    for avertissement in rapport.avertissements:
        print(f"Avertissement : {avertissement}", file=sys.stderr)
    return 0
