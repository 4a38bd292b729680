"""`examens deliberer FICHIER [--format json|csv|xlsx] [-o SORTIE]` : simuler une délibération sur un tableau.

Contrat : docs/formats/deliberation.md. Codes de sortie : 0 délibéré ; 1 données invalides (toutes les
erreurs listées, aucun fichier écrit) ; 2 erreur d'usage (fichier introuvable, format inconnu).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

FORMATS = ("json", "csv", "xlsx")


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "deliberer",
        help="Délibérer un tableau de notes (CSV, XLSX ou JSON)",
        description=(
            "Applique le règlement d'examen à chaque candidat d'un tableau de notes et rend les décisions "
            "(admis, ajourné, admissible au contrôle, incomplet). Contrat : docs/formats/deliberation.md."
        ),
    )
    p.add_argument("fichier", metavar="FICHIER", help="tableau de notes : .csv (séparateur ; ou ,), .xlsx ou .json")
    p.add_argument("--format", choices=FORMATS, help="format de sortie (par défaut : d'après -o, sinon json)")
    p.add_argument("-o", "--sortie", metavar="SORTIE", help="fichier de sortie (par défaut : la sortie standard)")
    p.add_argument(
        "--reglement",
        default="bts-ndrc-2022",
        help="code d'un règlement fourni ou chemin d'un fichier .toml (par défaut : bts-ndrc-2022)",
    )
    p.add_argument(
        "--processus",
        type=int,
        default=None,
        metavar="N",
        help="processus de calcul pour les gros tableaux (par défaut : un par cœur)",
    )
    p.add_argument("-q", "--silencieux", action="store_true", help="ne pas afficher le résumé")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from examens.core.reglement import ReglementInvalide, load_reglement
    from examens.tableaux.deliberation import deliberer_en_octets, deliberer_tableau, ecrire_xlsx
    from examens.tableaux.lecture import ContenuInvalide, FichierIllisible, lire_tableau

    sortie = Path(args.sortie) if args.sortie else None
    if sortie is not None and not (sortie.parent if str(sortie.parent) else Path(".")).is_dir():
        return _usage(
            f"le dossier de sortie « {sortie.parent} » n'existe pas : créez-le ou choisissez un autre chemin."
        )
    if sortie is not None and sortie.is_dir():
        return _usage(f"« {sortie} » est un dossier : indiquez un nom de fichier, par ex. {sortie / 'resultats.json'}.")
    fmt = args.format
    if fmt is None:
        suffixe = sortie.suffix.lower().lstrip(".") if sortie else ""
        fmt = suffixe if suffixe in FORMATS else "json"
    if fmt == "xlsx" and sortie is None:
        return _usage("le format xlsx demande un fichier de sortie : ajoutez -o resultats.xlsx.")
    try:
        reglement = load_reglement(args.reglement)
    except ReglementInvalide as exc:
        return _usage(str(exc))
    try:
        tableau = lire_tableau(Path(args.fichier))
    except FichierIllisible as exc:
        return _usage(exc.message)
    except ContenuInvalide as exc:
        print(f"Erreur : {exc.message}", file=sys.stderr)
        return 1

    jetable = getattr(args, "processus_jetable", False)
    contenu = None
    if fmt == "xlsx":
        rapport = deliberer_tableau(tableau, reglement)
    elif sortie is None:
        rapport, contenu = deliberer_en_octets(tableau, reglement, fmt, processus=args.processus, jetable=jetable)
    else:
        # Écrit au fil du calcul dans un fichier temporaire du dossier de sortie, renommé seulement sans erreur.
        rapport = _deliberer_vers(
            sortie,
            lambda f: deliberer_en_octets(
                tableau, reglement, fmt, processus=args.processus, jetable=jetable, destination=f
            ),
        )
    for avertissement in rapport.avertissements:
        print(f"Avertissement : {avertissement}", file=sys.stderr)
    if rapport.erreurs:
        n = len(rapport.erreurs)
        print(f"{n} erreur(s) dans « {args.fichier} » ; aucun résultat n'a été écrit :", file=sys.stderr)
        for erreur in rapport.erreurs:
            print(f"  {erreur}", file=sys.stderr)
        print("Corrigez le tableau puis relancez la commande.", file=sys.stderr)
        return 1

    if fmt == "xlsx":
        assert sortie is not None
        _ecrire_atomique(sortie, lambda chemin: ecrire_xlsx(rapport, chemin))
    elif sortie is None:
        assert contenu is not None
        sys.stdout.flush()
        contenu.ecrire(sys.stdout.buffer)
        sys.stdout.buffer.flush()
    if not args.silencieux:
        r = rapport.resume()
        print(
            f"{r['total']} candidat(s) délibéré(s) : {r['admis']} admis, {r['ajourne']} ajourné(s), "
            f"{r['controle']} admissible(s) au contrôle, {r['incomplet']} parcours incomplet(s)"
            + (f" → {sortie}" if sortie else ""),
            file=sys.stderr,
        )
    if getattr(args, "processus_jetable", False):
        # Lancée comme commande, le processus s'arrête ici : le fichier est écrit et renommé, les sorties
        # vidées ; libérer un à un les millions d'objets du tableau (à la sortie de cette fonction puis de
        # l'interpréteur) coûterait un dixième du temps total sans rien apporter.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)
    return 0


def _ecrire_atomique(chemin: Path, ecrire: Any) -> None:
    """Écrit dans un fichier temporaire puis le renomme : jamais de fichier de sortie à moitié écrit."""
    dossier = chemin.parent if str(chemin.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{chemin.name}.", dir=dossier)
    os.close(fd)
    try:
        ecrire(Path(tmp))
        Path(tmp).replace(chemin)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _deliberer_vers(chemin: Path, deliberer: Any) -> Any:
    """`deliberer(f)` écrit dans un fichier temporaire et rend (rapport, suite du document) ; la suite est
    écrite puis le fichier renommé en `chemin` s'il n'y a aucune erreur, sinon il est supprimé (un fichier
    existant reste intact)."""
    dossier = chemin.parent if str(chemin.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{chemin.name}.", dir=dossier)
    provisoire = Path(tmp)
    try:
        with os.fdopen(fd, "wb") as f:
            rapport, suite = deliberer(f)
            if suite is not None:
                suite.ecrire(f)
        if rapport.erreurs:
            provisoire.unlink()
        else:
            provisoire.replace(chemin)
    except BaseException:
        provisoire.unlink(missing_ok=True)
        raise
    return rapport


def _usage(message: str) -> int:
    print(f"examens deliberer : erreur : {message}", file=sys.stderr)
    return 2
