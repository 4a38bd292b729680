"""Sujets et pièces d'épreuve en ligne de commande (adaptateurs minces de `examens.apps.sujets.services`).

    examens deposer-sujet --session S --code WP-01 --support wordpress --sujet F.pdf [--grille G.pdf] [--titre T]
    examens diffuser-sujets --session S
    examens attribuer-sujets --session S [--centre C] [--appliquer]
    examens journal-sujets --session S [--centre C] [--candidat N] [--usage]
    examens fiches-sujets-manquantes --session S --centre C --jour AAAA-MM-JJ
    examens engagements-sans-fiche --session S [--appliquer]
    examens postes-e5b --session S [--toutes]

`attribuer-sujets` et `engagements-sans-fiche` simulent par défaut (`--appliquer` pour écrire ou avertir).
Codes de sortie : 0 fait ; 1 refus du domaine (message français) ; 2 erreur d'usage (session, centre inconnu…).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from examens.cli.django_config import configurer_django


class ErreurUsage(Exception):
    """Une option désigne un objet inconnu : code de sortie 2."""


def _jour(texte: str) -> date:
    try:
        return date.fromisoformat(texte)
    except ValueError:
        raise argparse.ArgumentTypeError(f"« {texte} » n'est pas une date AAAA-MM-JJ.") from None


def register(subparsers: Any) -> None:
    def commande(nom: str, aide: str, handler: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
        p = subparsers.add_parser(nom, help=aide, description=aide)
        p.add_argument("--session", required=True, metavar="CODE", help="code de la session, par ex. bts-ndrc-2022")
        p.set_defaults(handler=handler)
        return p

    p = commande("deposer-sujet", "Déposer un sujet E5B (PDF) et sa grille dans la banque nationale", deposer_sujet)
    p.add_argument("--code", required=True, help="code du sujet : WP-… (WordPress) ou PS-… (PrestaShop)")
    p.add_argument("--support", required=True, choices=["wordpress", "prestashop"])
    p.add_argument("--sujet", required=True, type=Path, metavar="FICHIER.pdf", help="le sujet (PDF, 10 Mo au plus)")
    p.add_argument("--grille", type=Path, metavar="FICHIER.pdf", help="la grille d'aide à l'évaluation (PDF)")
    p.add_argument("--titre", default="")
    p.add_argument("--motif", default="", help="obligatoire pour changer un sujet déjà diffusé (erratum)")
    p.add_argument("--acteur", default="système", help="qui dépose (par défaut : système)")

    p = commande(
        "diffuser-sujets", "Diffuser la banque E5B aux académies (autant de WordPress que de PrestaShop)", diffuser
    )
    p.add_argument("--acteur", default="système", help="qui agit (par défaut : système)")

    p = commande("attribuer-sujets", "Attribuer les sujets E5B aux passages des plannings publiés (règle 9)", attribuer)
    p.add_argument("--centre", metavar="CODE", help="code (UAI) d'un centre (par défaut : tous)")
    p.add_argument("--appliquer", action="store_true", help="écrire l'attribution (par défaut : simulation)")
    p.add_argument("--acteur", default="système", help="qui agit (par défaut : système)")

    p = commande("journal-sujets", "Journal d'attribution des sujets E5B (réclamations, session suivante)", journal)
    p.add_argument("--centre", metavar="CODE")
    p.add_argument("--candidat", metavar="NUMERO")
    p.add_argument("--usage", action="store_true", help="où chaque sujet a servi, au lieu du journal")

    p = commande(
        "fiches-sujets-manquantes", "Candidats convoqués à l'E4 un jour sans fiche-sujet prête", fiches_manquantes
    )
    p.add_argument("--centre", required=True, metavar="CODE")
    p.add_argument(
        "--jour", required=True, type=_jour, metavar="AAAA-MM-JJ", help="jour des épreuves (heure du centre)"
    )

    p = commande(
        "engagements-sans-fiche",
        "Candidats inscrits à l'engagement étudiant sans fiche ; avertir eux et leur établissement",
        engagements,
    )
    p.add_argument("--appliquer", action="store_true", help="envoyer les avertissements (par défaut : liste)")
    p.add_argument("--acteur", default="système", help="qui agit (par défaut : système)")

    p = commande("postes-e5b", "Préparation des postes E5B des centres (alertes)", postes)
    p.add_argument("--toutes", action="store_true", help="tous les centres, pas seulement ceux en alerte")


def _executer(commande: str, args: argparse.Namespace, action: Callable[[], int]) -> int:
    from examens.core.erreurs import ErreurExamens

    configurer_django()
    try:
        return action()
    except ErreurUsage as erreur:
        print(f"examens {commande} : erreur : {erreur}", file=sys.stderr)
        return 2
    except ErreurExamens as erreur:
        print(f"examens {commande} : {erreur}", file=sys.stderr)
        return 1


def _session(code: str) -> Any:
    from examens.apps.organisation.models import ExamSession

    session = ExamSession.objects.filter(code=code).first()
    if session is None:
        raise ErreurUsage(f"session « {code} » inconnue.")
    return session


def _centre(code: str | None) -> Any:
    from examens.apps.organisation.models import Centre

    if code is None:
        return None
    centre = Centre.objects.filter(code=code).first()
    if centre is None:
        raise ErreurUsage(f"centre « {code} » inconnu.")
    return centre


def _lire(chemin: Path | None) -> bytes | None:
    if chemin is None:
        return None
    try:
        return chemin.read_bytes()
    except OSError as exc:
        raise ErreurUsage(f"fichier « {chemin} » illisible ({exc.strerror}).") from None


def deposer_sujet(args: argparse.Namespace) -> int:
    def action() -> int:
        from examens.apps.sujets.services import deposer_sujet as service

        sujet = service(
            session=_session(args.session),
            code=args.code,
            support=args.support,
            contenu=_lire(args.sujet) or b"",
            grille=_lire(args.grille),
            titre=args.titre,
            motif=args.motif,
            par=args.acteur,
        )
        grille = "avec sa grille" if sujet.grille_taille else "sans grille (à déposer avant la diffusion)"
        print(f"Sujet {sujet.code} déposé (version {sujet.version}, {sujet.taille} octets), {grille}.")
        return 0

    return _executer("deposer-sujet", args, action)


def diffuser(args: argparse.Namespace) -> int:
    def action() -> int:
        from examens.apps.sujets.services import diffuser_banque

        d = diffuser_banque(session=_session(args.session), par=args.acteur)
        academies = ", ".join(a.nom for a in d.academies.order_by("nom"))
        print(f"Banque diffusée (diffusion n° {d.numero}, {len(d.sujets)} sujets) aux académies : {academies}.")
        return 0

    return _executer("diffuser-sujets", args, action)


def attribuer(args: argparse.Namespace) -> int:
    def action() -> int:
        from examens.apps.sujets.services import attribuer_sujets

        rapport = attribuer_sujets(
            session=_session(args.session), centre=_centre(args.centre), par=args.acteur, appliquer=args.appliquer
        )
        print(rapport.resume())
        for erreur in rapport.erreurs:
            print(f"  ✗ {erreur}")
        return 0

    return _executer("attribuer-sujets", args, action)


def journal(args: argparse.Namespace) -> int:
    def action() -> int:
        from examens.apps.candidats.models import Candidat
        from examens.apps.sujets.selectors import journal_attributions, sujets_utilises

        session = _session(args.session)
        if args.usage:
            for u in sujets_utilises(session=session):
                centres = ", ".join(u.centres) or "—"
                print(f"{u.code:<10} {u.support:<11} {u.passages:>5} passage(s)  centres : {centres}")
            return 0
        candidat = None
        if args.candidat:
            candidat = Candidat.objects.filter(session=session, numero=args.candidat).first()
            if candidat is None:
                raise ErreurUsage(f"candidat « {args.candidat} » inconnu dans la session {session.code}.")
        lignes = journal_attributions(session=session, centre=_centre(args.centre), candidat=candidat)
        for x in lignes:
            etat = f"remplacée le {x.remplacee_le:%d/%m/%Y %H:%M} UTC" if x.remplacee_le else "en vigueur"
            print(
                f"{x.candidat_numero}  {x.sujet:<8} (v{x.sujet_version})  {x.centre} {x.commission:<6} "
                f"{x.debut_local:%d/%m/%Y %H:%M}  attribué le {x.attribue_le:%d/%m/%Y %H:%M} UTC par {x.attribue_par}"
                f"  — {etat}"
            )
        print(f"{len(lignes)} attribution(s).")
        return 0

    return _executer("journal-sujets", args, action)


def fiches_manquantes(args: argparse.Namespace) -> int:
    def action() -> int:
        from examens.apps.sujets.selectors import fiches_manquantes as selecteur

        manquantes = selecteur(_centre(args.centre), args.jour, session=_session(args.session))
        for f in manquantes:
            print(f"{f.candidat_numero}  {f.candidat_nom}  {f.commission}  {f.debut_local:%H:%M} — {f.raison}")
        print(f"{len(manquantes)} candidat(s) convoqué(s) le {args.jour:%d/%m/%Y} sans fiche-sujet prête.")
        return 0

    return _executer("fiches-sujets-manquantes", args, action)


def engagements(args: argparse.Namespace) -> int:
    def action() -> int:
        from examens.apps.sujets.services import avertir_engagements_sans_fiche

        liste = avertir_engagements_sans_fiche(
            session=_session(args.session), par=args.acteur, appliquer=args.appliquer
        )
        for a in liste:
            etat = "déjà averti" if a.deja_averti else ("averti" if args.appliquer else "à avertir")
            print(f"{a.candidat_numero}  {etat}  ({', '.join(a.destinataires) or 'aucune adresse'})")
        suite = "" if args.appliquer else " Simulation : --appliquer pour envoyer les avertissements."
        print(f"{len(liste)} candidat(s) inscrit(s) à l'engagement étudiant sans fiche.{suite}")
        return 0

    return _executer("engagements-sans-fiche", args, action)


def postes(args: argparse.Namespace) -> int:
    def action() -> int:
        from examens.apps.sujets.selectors import alertes_postes

        etats = alertes_postes(session=_session(args.session), toutes=args.toutes)
        for e in etats:
            print(f"{e.centre_code}  {e.prets}/{e.declares} poste(s) prêt(s)  {e.alerte or 'prêt et signé'}")
        print(f"{sum(1 for e in etats if e.en_alerte)} centre(s) en alerte.")
        return 0

    return _executer("postes-e5b", args, action)
