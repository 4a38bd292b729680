"""`examens importer TYPE FICHIER [--session CODE] [--appliquer] [--erreurs ERREURS.xlsx]` et
`examens modele-import TYPE -o MODELE.xlsx`. Contrat : docs/formats/imports.md.

Sans `--appliquer`, l'import ne fait que vérifier et dire ce qu'il créerait ou modifierait. Codes de sortie :
0 import valide (appliqué ou simulé) ; 1 données invalides (toutes les erreurs listées, rien d'écrit) ;
2 erreur d'usage (fichier introuvable, format inconnu, session inconnue).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from examens.cli.django_config import configurer_django

TYPES = ("candidats", "etablissements", "examinateurs", "notes")
DETAILS_MAX = 30  # changements montrés un par un ; au-delà, le compte seulement


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "importer",
        help="Importer candidats, établissements, examinateurs ou notes (XLSX, ODS, CSV)",
        description=(
            "Vérifie un tableau et dit ce qu'il créerait ou modifierait ; avec --appliquer, l'enregistre "
            "en une seule transaction (tout ou rien). Colonnes : docs/formats/imports.md, ou examens modele-import."
        ),
    )
    p.add_argument("type", choices=TYPES, metavar="TYPE", help=f"ce que contient le fichier : {', '.join(TYPES)}")
    p.add_argument("fichier", metavar="FICHIER", help="tableau .xlsx, .ods ou .csv (séparateur ; ou ,)")
    p.add_argument("--session", metavar="CODE", help="code de la session (par défaut : la seule session en base)")
    p.add_argument("--appliquer", action="store_true", help="enregistrer (sinon : simulation, rien n'est écrit)")
    p.add_argument("--erreurs", metavar="ERREURS.xlsx", help="écrire aussi les erreurs dans ce classeur")
    p.set_defaults(handler=importer)

    p = subparsers.add_parser(
        "modele-import",
        help="Écrire un modèle vierge de fichier d'import (XLSX ou CSV)",
        description="Écrit un classeur vierge : les en-têtes attendus, et une feuille « Aide » qui décrit chaque colonne.",
    )
    p.add_argument("type", choices=TYPES, metavar="TYPE", help=f"{', '.join(TYPES)}")
    p.add_argument("-o", "--sortie", required=True, metavar="FICHIER.xlsx", help="fichier à écrire (.xlsx ou .csv)")
    p.set_defaults(handler=modele)


def _usage(message: str) -> int:
    print(f"examens : erreur : {message}", file=sys.stderr)
    return 2


def importer(args: argparse.Namespace) -> int:
    configurer_django()
    from examens.apps.imports.fichiers import ecrire_erreurs, lire_fichier
    from examens.apps.imports.services import IMPORTS, SessionIntrouvable, choisir_session
    from examens.tableaux.lecture import ContenuInvalide, FichierIllisible

    erreurs = Path(args.erreurs) if args.erreurs else None
    if erreurs is not None and erreurs.suffix.lower() != ".xlsx":
        return _usage(f"le fichier d'erreurs « {erreurs.name} » doit finir par .xlsx.")
    service, _colonnes, avec_session = IMPORTS[args.type]
    chemin = Path(args.fichier)
    try:
        tableau = lire_fichier(chemin)
    except FichierIllisible as exc:
        return _usage(exc.message)
    except ContenuInvalide as exc:
        print(f"Erreur : {exc.message}", file=sys.stderr)
        return 1
    try:
        session = choisir_session(args.session) if avec_session or args.session else None
    except SessionIntrouvable as exc:
        return _usage(exc.message)
    rapport = service(session=session, tableau=tableau, appliquer=args.appliquer, acteur=f"import:{chemin.name}")

    if not rapport.valide:
        for erreur in rapport.erreurs:
            print(erreur, file=sys.stderr)
        print(
            f"{len(rapport.erreurs)} erreur(s) dans {chemin.name} : rien n'a été enregistré. "
            "Corrigez le fichier puis relancez la commande.",
            file=sys.stderr,
        )
        if erreurs is not None:
            ecrire_erreurs(rapport, erreurs)
            print(f"Erreurs écrites dans {erreurs}.", file=sys.stderr)
        return 1
    for changement in rapport.changements[:DETAILS_MAX]:
        print(f"  {changement}")
    if len(rapport.changements) > DETAILS_MAX:
        print(f"  … et {len(rapport.changements) - DETAILS_MAX} autre(s) changement(s).")
    print(rapport.resume())
    if rapport.applique:
        traces = f" ; {rapport.traces} trace(s) dans l'historique" if rapport.traces else ""
        print(f"Import enregistré{traces}.")
    else:
        print("Simulation : rien n'a été enregistré. Relancez avec --appliquer pour enregistrer.")
    return 0


def modele(args: argparse.Namespace) -> int:
    configurer_django()
    from examens.apps.imports.fichiers import ecrire_modele
    from examens.apps.imports.services import IMPORTS

    sortie = Path(args.sortie)
    if sortie.suffix.lower() not in (".xlsx", ".csv"):
        return _usage(f"« {sortie.name} » : le modèle s'écrit en .xlsx ou en .csv.")
    if not (sortie.parent if str(sortie.parent) else Path(".")).is_dir():
        return _usage(f"le dossier « {sortie.parent} » n'existe pas : créez-le ou choisissez un autre chemin.")
    ecrire_modele(args.type, IMPORTS[args.type][1], sortie)
    print(f"Modèle {args.type} écrit dans {sortie} (colonnes décrites dans la feuille « Aide »).")
    return 0
