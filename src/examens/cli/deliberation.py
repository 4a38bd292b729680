"""`examens deliberation --session CODE [--jury NOM] [--appliquer]` : délibérer une session (ou un jury)
depuis la base, avec le moteur de `examens deliberer`. Simulation par défaut ; `--appliquer` enregistre.

Codes de sortie : 0 délibéré ; 1 données incomplètes (toutes les erreurs listées, rien d'enregistré) ;
2 erreur d'usage (session ou jury inconnu).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from examens.cli.django_config import configurer_django

LIGNES_MAX = 50


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "deliberation",
        help="Délibérer une session ou un jury depuis la base",
        description=(
            "Applique le règlement (le moteur de « examens deliberer ») aux notes en base. "
            "Sans --appliquer, affiche les décisions et ce qui changerait sans rien enregistrer."
        ),
    )
    p.add_argument("--session", required=True, metavar="CODE", help="code de la session, par ex. bts-ndrc-2022")
    p.add_argument("--jury", metavar="NOM", help="ne délibérer que les candidats de ce jury")
    p.add_argument("--appliquer", action="store_true", help="enregistrer les décisions (tracées)")
    p.add_argument("--acteur", default="système", help="qui délibère (par défaut : système)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    configurer_django()
    from examens.apps.jury.models import Jury
    from examens.apps.jury.services import deliberer_session
    from examens.apps.organisation.models import ExamSession

    session = ExamSession.objects.filter(code=args.session).first()
    if session is None:
        print(f"examens deliberation : erreur : session « {args.session} » inconnue.", file=sys.stderr)
        return 2
    jury = None
    if args.jury:
        jury = Jury.objects.filter(session=session, nom=args.jury).first()
        if jury is None:
            noms = ", ".join(Jury.objects.filter(session=session).values_list("nom", flat=True)) or "aucun"
            print(
                f"examens deliberation : erreur : jury « {args.jury} » inconnu (jurys de la session : {noms}).",
                file=sys.stderr,
            )
            return 2
    rapport = deliberer_session(session=session, jury=jury, acteur=args.acteur, appliquer=args.appliquer)
    for avertissement in rapport.avertissements:
        print(f"Avertissement : {avertissement}", file=sys.stderr)
    if rapport.erreurs:
        print(f"{len(rapport.erreurs)} erreur(s) ; aucune décision n'a été enregistrée :", file=sys.stderr)
        for erreur in rapport.erreurs:
            print(f"  {erreur}", file=sys.stderr)
        print("Corrigez les notes puis relancez la commande.", file=sys.stderr)
        return 1
    print(rapport.resume())
    changements = rapport.changements
    if changements:
        print("Décisions nouvelles ou modifiées :" if rapport.appliquee else "Ce qui changerait :")
    for d in changements[:LIGNES_MAX]:
        avant = d.precedente[0] if d.precedente else "aucune décision"
        moyenne = f" (moyenne {d.signature[5]})" if d.signature[5] else ""
        print(f"  {d.numero} : {avant} → {d.deliberation.decision.label}{moyenne}")
    if len(changements) > LIGNES_MAX:
        print(f"  … et {len(changements) - LIGNES_MAX} autre(s).")
    return 0
