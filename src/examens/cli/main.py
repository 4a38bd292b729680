"""Point d'entrée de la commande `examens`.

Chaque sous-commande vit dans son module (`examens.cli.<nom>`) et expose `register(subparsers)`.
Les modules sont importés à la demande : `examens deliberer` ne charge ni OR-Tools ni Django.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

# sous-commande -> module qui la déclare (chargé seulement si elle est demandée)
COMMANDES: dict[str, tuple[str, str]] = {
    "deliberer": ("examens.cli.deliberer", "Délibérer un tableau de notes (CSV, XLSX ou JSON)"),
    "gerer": ("examens.cli.gerer", "Commandes d'administration Django (migrate, runserver…)"),
    "purger-donnees": ("examens.cli.purger", "Purger les données personnelles échues (RGPD)"),
    "demo": ("examens.cli.demo", "Construire une session de démonstration en base, la délibérer et la servir"),
    "demo-tableau": ("examens.cli.demo_tableau", "Délibérer un tableau de session de démonstration (sans base)"),
    "importer": ("examens.cli.importer", "Importer candidats, établissements, examinateurs ou notes"),
    "modele-import": ("examens.cli.importer", "Écrire un modèle vierge de fichier d'import"),
    "planifier": ("examens.cli.planning", "Planifier les oraux d'un centre (CP-SAT ou glouton)"),
    "verifier-planning": ("examens.cli.planning", "Vérifier un planning contre son instance"),
    "bornes": ("examens.cli.planning", "Bornes inférieures d'une instance de planification"),
    "generer-centre": ("examens.cli.planning", "Générer une instance de centre réaliste"),
    "planifier-centre": ("examens.cli.planification", "Planifier les oraux d'un centre depuis la base"),
    "replanifier": ("examens.cli.planification", "Replanifier un centre en bougeant le moins possible"),
    "planifier-session": ("examens.cli.planification", "Planifier tous les centres d'une session (tâches parallèles)"),
    "planifier-controle": ("examens.cli.planification", "Planifier les épreuves de contrôle (20 min + 20 min)"),
    "conformite": ("examens.cli.conformite", "Contrôler la conformité des dossiers E4/E6 d'une session"),
    "deliberation": ("examens.cli.deliberation", "Délibérer une session ou un jury depuis la base"),
    "editer": ("examens.cli.editions", "Éditer des documents (convocations, émargements, procès-verbaux…)"),
    "envoyer": ("examens.cli.editions", "Envoyer les documents par courriel (simulation par défaut)"),
    "relancer": ("examens.cli.editions", "Relancer ceux qui n'ont pas accusé réception"),
    "travaux": ("examens.cli.editions", "Suivre ou reprendre les travaux de fond"),
    "repartir-ecrits": ("examens.cli.ecrits", "Répartir les candidats d'un centre dans les salles des écrits"),
    "lots": ("examens.cli.ecrits", "Anonymiser les copies d'une épreuve écrite et constituer les lots"),
    "importer-notes-copies": ("examens.cli.ecrits", "Saisir les notes des copies anonymes depuis un fichier"),
    "deposer-sujet": ("examens.cli.sujets", "Déposer un sujet E5B et sa grille dans la banque nationale"),
    "diffuser-sujets": ("examens.cli.sujets", "Diffuser la banque E5B aux académies (équilibre vérifié)"),
    "attribuer-sujets": ("examens.cli.sujets", "Attribuer les sujets E5B aux passages (simulation par défaut)"),
    "journal-sujets": ("examens.cli.sujets", "Journal d'attribution des sujets E5B"),
    "fiches-sujets-manquantes": ("examens.cli.sujets", "Candidats convoqués à l'E4 sans fiche-sujet prête"),
    "engagements-sans-fiche": ("examens.cli.sujets", "Engagement étudiant sans fiche : lister, avertir"),
    "postes-e5b": ("examens.cli.sujets", "Préparation des postes E5B des centres (alertes)"),
}


class FrenchArgumentParser(argparse.ArgumentParser):
    """argparse dont les erreurs d'usage sont en français et sortent avec le code 2."""

    _TRADUCTIONS = (
        ("usage: ", "utilisation : "),
        ("positional arguments:", "arguments :"),
        ("options:", "options :"),
        ("show this help message and exit", "affiche cette aide et quitte"),
    )

    def format_usage(self) -> str:
        return self._traduire(super().format_usage())

    def format_help(self) -> str:
        return self._traduire(super().format_help())

    def _traduire(self, texte: str) -> str:
        for anglais, francais in self._TRADUCTIONS:
            texte = texte.replace(anglais, francais)
        return texte

    def error(self, message: str) -> None:  # type: ignore[override]
        traductions = {
            "the following arguments are required": "arguments obligatoires manquants",
            "unrecognized arguments": "arguments inconnus",
            "invalid choice": "choix invalide",
            "expected one argument": "une valeur est attendue",
            "argument ": "argument ",
            "required": "obligatoire",
        }
        for anglais, francais in traductions.items():
            message = message.replace(anglais, francais)
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog} : erreur : {message}\n")


def build_parser(commande: str | None) -> argparse.ArgumentParser:
    parser = FrenchArgumentParser(
        prog="examens",
        description="examens — session du BTS NDRC 2022 : délibération, planification, documents.",
    )
    sub = parser.add_subparsers(dest="commande", metavar="COMMANDE", parser_class=FrenchArgumentParser)
    if commande is not None:
        importlib.import_module(COMMANDES[commande][0]).register(sub)
    for nom, (_module, aide) in COMMANDES.items():
        if nom not in sub.choices:
            sub.add_parser(nom, help=aide, add_help=False)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    commande = next((a for a in args_list if not a.startswith("-")), None)
    if commande not in COMMANDES:
        commande = None
    parser = build_parser(commande)
    if not args_list:
        parser.print_help()
        return 2
    args = parser.parse_args(args_list)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    # Appelée par la commande `examens` (et non par un test qui lui passe ses arguments), une sous-commande
    # peut terminer elle-même le processus une fois son travail écrit (voir `examens deliberer`).
    args.processus_jetable = argv is None
    try:
        return int(handler(args))
    except KeyboardInterrupt:
        print("Interrompu.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
