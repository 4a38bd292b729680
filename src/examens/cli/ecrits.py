"""Épreuves écrites en ligne de commande (docs/ecrits.md).

    examens repartir-ecrits --session S --centre CODE [--appliquer]
    examens lots --session S --epreuve E1 [--taille 50] [--correcteurs X0001,X0002] [--appliquer]
    examens importer-notes-copies FICHIER [--session S] [--epreuve E1] [--saisie 1|2] [--appliquer]

Simulation par défaut : sans `--appliquer`, rien n'est écrit, la commande dit ce qu'elle ferait.
Codes de sortie : 0 fait (ou simulé) ; 1 données invalides ou opération refusée (rien d'écrit) ;
2 erreur d'usage (session, centre, épreuve ou fichier introuvable).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from examens.cli.django_config import configurer_django

LIGNES_MAX = 40
FORMATS = (".csv", ".xlsx")


class Usage(Exception):
    """Erreur d'usage : message français, code de sortie 2."""


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "repartir-ecrits",
        help="Répartir les candidats d'un centre dans les salles des épreuves écrites",
        description=(
            "Place chaque candidat du centre dans une salle, à une table, pour chaque épreuve écrite "
            "(capacités, aménagements : tiers temps, salle à part, secrétaire, ordinateur, sujet agrandi ; "
            "dispensés exclus). Sans --appliquer, affiche la répartition sans rien enregistrer."
        ),
    )
    p.add_argument("--session", required=True, metavar="CODE", help="code de la session, par ex. bts-ndrc-2022")
    p.add_argument("--centre", required=True, metavar="CODE", help="code (UAI) du centre d'examen")
    p.add_argument("--appliquer", action="store_true", help="enregistrer la répartition (tracée)")
    p.add_argument("--acteur", default="système", help="qui agit (tracé ; par défaut : système)")
    p.set_defaults(handler=run_repartir)

    p = subparsers.add_parser(
        "lots",
        help="Anonymiser les copies d'une épreuve écrite et les ranger en lots de correction",
        description=(
            "Donne un numéro d'anonymat à chaque copie des présents, puis range les copies sans lot en lots "
            "par centre de correction. Avec --correcteurs, confie aussi les nouveaux lots (jamais un lot qui "
            "contient un candidat de l'établissement du correcteur). Sans --appliquer : simulation."
        ),
    )
    p.add_argument("--session", required=True, metavar="CODE", help="code de la session")
    p.add_argument("--epreuve", required=True, metavar="CODE", help="épreuve écrite : E1, E3 ou E5A")
    p.add_argument("--taille", type=int, default=None, metavar="N", help="copies par lot (défaut : 50)")
    p.add_argument("--correcteurs", metavar="CODES", help="codes des correcteurs, séparés par des virgules")
    p.add_argument("--appliquer", action="store_true", help="enregistrer l'anonymat et les lots (tracés)")
    p.add_argument("--acteur", default="système", help="qui agit (tracé ; par défaut : système)")
    p.set_defaults(handler=run_lots)

    p = subparsers.add_parser(
        "importer-notes-copies",
        help="Saisir les notes des copies anonymes depuis un fichier (double saisie)",
        description=(
            "Lit un tableau CSV ou XLSX (colonnes : epreuve, numero_anonymat, note) et enregistre une des deux "
            "saisies de chaque note. Deux saisies concordantes valident la note ; deux saisies différentes "
            "sont signalées. Toutes les erreurs sont listées avec leur ligne et leur colonne ; rien n'est "
            "enregistré tant qu'il en reste une. Sans --appliquer : simulation."
        ),
    )
    p.add_argument("fichier", metavar="FICHIER", help="tableau .csv (séparateur ; ou ,) ou .xlsx")
    p.add_argument("--session", metavar="CODE", help="code de la session (par défaut : la seule session en base)")
    p.add_argument("--epreuve", metavar="CODE", help="épreuve de toutes les lignes (sinon : colonne epreuve)")
    p.add_argument("--saisie", type=int, choices=(1, 2), default=1, help="première (1) ou seconde (2) saisie")
    p.add_argument("--appliquer", action="store_true", help="enregistrer les saisies (tracées)")
    p.add_argument("--acteur", default=None, help="qui saisit (tracé ; par défaut : import:<fichier>)")
    p.set_defaults(handler=run_importer)


def _usage(commande: str, message: str) -> int:
    print(f"examens {commande} : erreur : {message}", file=sys.stderr)
    return 2


def _refus(message: str) -> int:
    print(f"Refusé : {message}", file=sys.stderr)
    print("Rien n'a été enregistré.", file=sys.stderr)
    return 1


def _session(code: str | None) -> Any:
    from examens.apps.imports.services import SessionIntrouvable, choisir_session

    try:
        return choisir_session(code)
    except SessionIntrouvable as exc:
        raise Usage(exc.message) from None


def _epreuve(session: Any, code: str) -> Any:
    epreuve = session.calendrier.filter(epreuve__iexact=code.strip()).first()
    if epreuve is None:
        connues = ", ".join(session.calendrier.values_list("epreuve", flat=True)) or "aucune"
        raise Usage(f"épreuve écrite « {code} » absente du calendrier de {session.code} (épreuves : {connues}).")
    return epreuve


def _simulation(appliquee: bool) -> None:
    if not appliquee:
        print("Simulation : rien n'a été enregistré. Relancez avec --appliquer pour enregistrer.")


def run_repartir(args: argparse.Namespace) -> int:
    configurer_django()
    from examens.apps.ecrits.services import repartir_centre
    from examens.apps.organisation.models import Centre
    from examens.core.erreurs import ErreurExamens

    try:
        session = _session(args.session)
        centre = Centre.objects.filter(code=args.centre.strip().upper()).first()
        if centre is None:
            raise Usage(f"centre « {args.centre} » inconnu (donnez son code UAI, par ex. 0630001A).")
    except Usage as exc:
        return _usage("repartir-ecrits", str(exc))
    try:
        rapport = repartir_centre(session=session, centre=centre, acteur=args.acteur, appliquer=args.appliquer)
    except ErreurExamens as exc:
        return _refus(exc.message)
    epreuve = None
    for ligne in rapport.lignes:
        if ligne.epreuve != epreuve:
            epreuve = ligne.epreuve
            print(f"{epreuve} :")
        destination = ligne.destination.libelle if ligne.destination else "gardée (présences saisies)"
        print(f"  {ligne.salle:<24} {ligne.effectif:>4}/{ligne.capacite:<4} {destination}")
    for avertissement in rapport.avertissements:
        print(f"Avertissement : {avertissement}", file=sys.stderr)
    print(rapport.resume())
    _simulation(args.appliquer)
    return 0


def run_lots(args: argparse.Namespace) -> int:
    configurer_django()
    from examens.apps.ecrits.services import constituer_lots
    from examens.apps.examinateurs.models import Examinateur
    from examens.core.ecrits import REGLES_ECRITS
    from examens.core.erreurs import ErreurExamens

    taille = REGLES_ECRITS.taille_lot if args.taille is None else args.taille
    if taille < 1:
        return _usage("lots", "--taille : un lot contient au moins une copie.")
    try:
        session = _session(args.session)
        epreuve = _epreuve(session, args.epreuve)
        correcteurs: list[Any] = []
        if args.correcteurs:
            codes = [c.strip() for c in args.correcteurs.split(",") if c.strip()]
            trouves = {e.code: e for e in Examinateur.objects.filter(session=session, code__in=codes)}
            inconnus = [c for c in codes if c not in trouves]
            if inconnus:
                raise Usage(f"correcteur(s) inconnu(s) dans {session.code} : {', '.join(inconnus)}.")
            correcteurs = [trouves[c] for c in codes]
    except Usage as exc:
        return _usage("lots", str(exc))
    try:
        rapport = constituer_lots(
            epreuve=epreuve, acteur=args.acteur, taille=taille, appliquer=args.appliquer, correcteurs=correcteurs
        )
    except ErreurExamens as exc:
        return _refus(exc.message)
    for ligne in rapport.lignes:
        print(f"  centre de correction {ligne.centre_correction} : {ligne.copies} copie(s) en {ligne.lots} lot(s)")
    for lot, correcteur in rapport.affectations[:LIGNES_MAX]:
        print(f"  lot {lot} → correcteur {correcteur}")
    if correcteurs and not args.appliquer:
        print("  (les lots seront confiés aux correcteurs à l'enregistrement)")
    for avertissement in rapport.avertissements:
        print(f"Avertissement : {avertissement}", file=sys.stderr)
    print(rapport.resume())
    _simulation(args.appliquer)
    return 0


def run_importer(args: argparse.Namespace) -> int:
    chemin = Path(args.fichier)
    if chemin.suffix.lower() not in FORMATS:
        return _usage("importer-notes-copies", f"« {chemin.name} » : fournissez un fichier .csv ou .xlsx.")
    configurer_django()
    from examens.apps.ecrits.services import importer_notes_copies
    from examens.core.erreurs import ErreurExamens
    from examens.tableaux.lecture import ContenuInvalide, FichierIllisible, lire_tableau

    try:
        session = _session(args.session)
        epreuve = _epreuve(session, args.epreuve) if args.epreuve else None
    except Usage as exc:
        return _usage("importer-notes-copies", str(exc))
    try:
        tableau = lire_tableau(chemin)
    except FichierIllisible as exc:
        return _usage("importer-notes-copies", exc.message)
    except ContenuInvalide as exc:
        print(f"Erreur : {exc.message}", file=sys.stderr)
        return 1
    try:
        rapport = importer_notes_copies(
            session=session,
            tableau=tableau,
            rang=args.saisie,
            acteur=args.acteur or f"import:{chemin.name}",
            appliquer=args.appliquer,
            epreuve=epreuve,
        )
    except ErreurExamens as exc:
        return _refus(exc.message)
    if not rapport.valide:
        for erreur in rapport.erreurs:
            print(erreur, file=sys.stderr)
        print(
            f"{len(rapport.erreurs)} erreur(s) dans {chemin.name} : rien n'a été enregistré. "
            "Corrigez le fichier puis relancez la commande.",
            file=sys.stderr,
        )
        return 1
    print(f"Saisie {args.saisie} — {rapport.resume()}")
    _simulation(rapport.applique)
    return 0
