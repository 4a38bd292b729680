"""Planification en base : `planifier-centre`, `replanifier`, `planifier-session`, `planifier-controle`.

Adaptateurs minces : lire les options, trouver les objets, appeler un service de
`examens.apps.planification.services`, afficher un résumé. OR-Tools n'est chargé que par le solveur CP-SAT.

Codes de sortie : 0 planifié ; 1 planification impossible (message du domaine) ; 2 erreur d'usage
(session, centre, examinateur ou jury inconnu, option invalide).
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from typing import Any

from examens.cli.django_config import configurer_django
from examens.cli.planning import _entier_naturel, _positif, option_plafond_attente

NON_PLANIFIES_MAX = 20


class ErreurUsage(Exception):
    """Une option désigne un objet inconnu : code de sortie 2."""


def _options_solveur(p: argparse.ArgumentParser) -> None:
    p.add_argument("--glouton", action="store_true", help="solveur glouton (rapide) au lieu de CP-SAT")
    p.add_argument(
        "--duree-max", type=_positif(float), default=60.0, metavar="S", help="secondes de calcul par centre (défaut 60)"
    )
    p.add_argument("--graine", type=_entier_naturel, default=0, metavar="N", help="graine du solveur (défaut 0)")
    p.add_argument(
        "--workers", type=_entier_naturel, default=0, metavar="N", help="fils de recherche CP-SAT (défaut : les cœurs)"
    )
    option_plafond_attente(p)
    p.add_argument("--publier", action="store_true", help="publier la version calculée (les convocations la lisent)")
    p.add_argument("--acteur", default="système", help="qui planifie (par défaut : système)")


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "planifier-centre",
        help="Planifier les oraux d'un centre depuis la base",
        description=(
            "Construit l'instance du centre depuis la base (candidats, commissions, disponibilités, loges), la "
            "planifie, la fait relire par le vérificateur et enregistre une nouvelle version du planning."
        ),
    )
    p.add_argument("--session", required=True, metavar="CODE", help="code de la session, par ex. bts-ndrc-2022")
    p.add_argument("--centre", required=True, metavar="CODE", help="code (UAI) du centre")
    _options_solveur(p)
    p.set_defaults(handler=planifier_centre)

    p = subparsers.add_parser(
        "replanifier",
        help="Replanifier un centre en bougeant le moins possible (désistement, candidat ajouté)",
        description=(
            "Replanifie le centre à partir de sa version en vigueur, en gardant le plus de passages possible. "
            "Avec --examinateur, enregistre d'abord le désistement de l'examinateur (il sort de ses commissions, "
            "remplacé si un examinateur libre de même profil existe)."
        ),
    )
    p.add_argument("--centre", required=True, metavar="CODE", help="code (UAI) du centre")
    p.add_argument("--session", metavar="CODE", help="code de la session (par défaut : celle des candidats du centre)")
    p.add_argument("--examinateur", metavar="CODE", help="examinateur qui se désiste, par ex. X0042")
    p.add_argument(
        "--indisponible",
        action="append",
        default=[],
        metavar="AAAA-MM-JJ",
        help="avec --examinateur : il n'est plus disponible ce jour-là mais reste dans ses commissions (répétable)",
    )
    p.add_argument("--motif", default="", help="motif (désistement, candidat ajouté…)")
    _options_solveur(p)
    p.set_defaults(handler=replanifier)

    p = subparsers.add_parser(
        "planifier-session",
        help="Planifier tous les centres d'une session (tâches parallèles)",
        description=(
            "Compose les commissions de chaque centre puis planifie les centres : ici, l'un après l'autre, ou "
            "avec --en-tache en tâches de fond (file « planification ») que traitent un ou plusieurs "
            "« examens gerer db_worker --queue-name planification »."
        ),
    )
    p.add_argument("--session", required=True, metavar="CODE", help="code de la session")
    p.add_argument(
        "--en-tache", action="store_true", help="mettre une tâche par centre en file au lieu de calculer ici"
    )
    p.add_argument("--attendre", action="store_true", help="avec --en-tache : afficher l'avancement jusqu'à la fin")
    _options_solveur(p)
    p.set_defaults(handler=planifier_session)

    p = subparsers.add_parser(
        "planifier-controle",
        help="Planifier les épreuves de contrôle (20 min de préparation + 20 min)",
        description=(
            "Planifie au centre les épreuves de contrôle des candidats admissibles au contrôle : 20 minutes de "
            "préparation en loge puis 20 minutes d'oral (durées du règlement)."
        ),
    )
    p.add_argument("--session", required=True, metavar="CODE", help="code de la session")
    p.add_argument("--centre", required=True, metavar="CODE", help="code (UAI) du centre où elles ont lieu")
    p.add_argument("--date", action="append", required=True, metavar="AAAA-MM-JJ", help="jour des épreuves (répétable)")
    p.add_argument("--jury", metavar="NOM", help="les candidats de ce jury (par défaut : ceux du centre)")
    p.add_argument(
        "--examinateurs",
        action="append",
        default=[],
        metavar="E1=X0001,X0002",
        help="examinateurs d'une épreuve de contrôle (répétable ; E2 : par défaut, les enseignants de la langue)",
    )
    p.add_argument(
        "--choix",
        action="append",
        default=[],
        metavar="NUMERO=E1,E3",
        help="épreuves choisies par un candidat (répétable)",
    )
    _options_solveur(p)
    p.set_defaults(handler=planifier_controle)


def _erreur(commande: str, message: str, code: int) -> int:
    print(f"examens {commande} : erreur : {message}", file=sys.stderr)
    return code


def _executer(commande: str, action: Any) -> int:
    """Appelle `action()` ; traduit les erreurs d'usage (2) et du domaine (1) en messages français."""
    from examens.core.erreurs import ErreurExamens

    try:
        return int(action())
    except ErreurUsage as erreur:
        return _erreur(commande, str(erreur), 2)
    except ErreurExamens as erreur:
        return _erreur(commande, str(erreur), 1)


def _session(code: str) -> Any:
    from examens.apps.organisation.models import ExamSession

    session = ExamSession.objects.filter(code=code).first()
    if session is None:
        raise ErreurUsage(f"session « {code} » inconnue.")
    return session


def _centre(code: str) -> Any:
    from examens.apps.organisation.models import Centre

    centre = Centre.objects.filter(code=code).first()
    if centre is None:
        raise ErreurUsage(f"centre « {code} » inconnu.")
    return centre


def _parametres(args: argparse.Namespace) -> dict[str, Any]:
    """Les options du solveur ; un plafond d'attente refusé est une erreur d'usage (code 2)."""
    from examens.planning.service import erreur_plafond

    solveur = "glouton" if args.glouton else "cpsat"
    if message := erreur_plafond(solveur, args.plafond_attente):
        raise ErreurUsage(message)
    return {
        "solveur": solveur,
        "duree_max": args.duree_max,
        "graine": args.graine,
        "workers": args.workers,
        "publier": args.publier,
        "plafond_attente": args.plafond_attente,
    }


def _progression() -> Any:
    debut = time.monotonic()

    def afficher(message: str) -> None:
        print(f"[{time.monotonic() - debut:6.1f} s] {message}", file=sys.stderr, flush=True)

    return afficher


def _afficher(resultat: Any) -> None:
    print(resultat.resume())
    for alerte in resultat.alertes:
        print(f"  alerte : {alerte}")
    for numero, raison in resultat.ecartes:
        print(f"  écarté : {numero} — {raison}")
    for candidat, epreuve, raison in resultat.non_planifies[:NON_PLANIFIES_MAX]:
        print(f"  non planifié : {candidat} {epreuve} — {raison}")
    if len(resultat.non_planifies) > NON_PLANIFIES_MAX:
        print(f"  … et {len(resultat.non_planifies) - NON_PLANIFIES_MAX} autre(s) (voir l'administration)")


def planifier_centre(args: argparse.Namespace) -> int:
    configurer_django()

    def action() -> int:
        from examens.apps.planification.services import planifier_centre as service

        session, centre = _session(args.session), _centre(args.centre)
        resultat = service(centre, session=session, par=args.acteur, progression=_progression(), **_parametres(args))
        _afficher(resultat)
        return 0

    return _executer("planifier-centre", action)


def replanifier(args: argparse.Namespace) -> int:
    configurer_django()

    def action() -> int:
        from examens.apps.examinateurs.models import Examinateur
        from examens.apps.planification.selectors import session_du_centre
        from examens.apps.planification.services import (
            desister_examinateur,
            replanifier_centre,
            retirer_disponibilites,
        )

        if args.indisponible and not args.examinateur:
            raise ErreurUsage("--indisponible va avec --examinateur.")
        parametres = _parametres(args)  # avant le désistement : une option refusée n'enregistre rien
        centre = _centre(args.centre)
        session = _session(args.session) if args.session else session_du_centre(centre)
        motif = args.motif
        if args.examinateur:
            examinateur = Examinateur.objects.filter(session=session, code=args.examinateur).first()
            if examinateur is None:
                raise ErreurUsage(f"examinateur « {args.examinateur} » inconnu dans la session {session.code}.")
            if args.indisponible:
                jours = _dates(args.indisponible)
                retirer_disponibilites(examinateur, dates=jours, par=args.acteur, motif=motif)
                print(
                    f"Examinateur {examinateur.code} indisponible le(s) {', '.join(d.strftime('%d/%m/%Y') for d in jours)}."
                )
                motif = motif or f"examinateur {examinateur.code} indisponible"
            else:
                rapport = desister_examinateur(examinateur, par=args.acteur, motif=motif)
                print(rapport.resume())
                motif = motif or f"désistement de l'examinateur {examinateur.code}"
        resultat = replanifier_centre(
            centre,
            session=session,
            par=args.acteur,
            motif=motif or "replanification",
            progression=_progression(),
            **parametres,
        )
        _afficher(resultat)
        return 0

    return _executer("replanifier", action)


def planifier_session(args: argparse.Namespace) -> int:
    if args.attendre and not args.en_tache:
        return _erreur("planifier-session", "--attendre ne va qu'avec --en-tache.", 2)
    configurer_django()

    def action() -> int:
        from examens.apps.planification.selectors import progression_campagne
        from examens.apps.planification.services import planifier_session as service

        session = _session(args.session)

        def ligne(progression: Any, etape: Any) -> None:
            print(f"[{progression.terminees + progression.echecs}/{progression.total}] {etape.message}", flush=True)

        campagne = service(
            session=session, par=args.acteur, en_tache=args.en_tache, progression=ligne, **_parametres(args)
        )
        avancement = progression_campagne(campagne)
        if args.en_tache and not args.attendre:
            print(
                f"Campagne n° {campagne.pk} : {avancement.total} centre(s) en file « planification ». Lancez un ou "
                "plusieurs « examens gerer db_worker --queue-name planification » (même base) ; l'avancement se lit "
                "dans l'administration (campagnes de planification)."
            )
            return 0
        while args.en_tache and not avancement.finie:
            print(f"\r{avancement.ligne()}", end="", flush=True)
            time.sleep(2)
            avancement = progression_campagne(campagne)
        print(f"Campagne n° {campagne.pk} : {avancement.ligne()}.")
        return 0 if avancement.echecs == 0 else 1

    return _executer("planifier-session", action)


def _dates(textes: list[str]) -> list[date]:
    try:
        return sorted({date.fromisoformat(d) for d in textes})
    except ValueError:
        raise ErreurUsage(f"date invalide parmi {', '.join(textes)} (AAAA-MM-JJ).") from None


def _affectations(valeurs: list[str], option: str) -> dict[str, list[str]]:
    resultat: dict[str, list[str]] = {}
    for valeur in valeurs:
        cle, egal, liste = valeur.partition("=")
        codes = [c.strip() for c in liste.split(",") if c.strip()]
        if not egal or not cle.strip() or not codes:
            raise ErreurUsage(f"{option} « {valeur} » : écrivez CLE=A,B (par ex. {option} E1=X0001,X0002).")
        resultat[cle.strip()] = codes
    return resultat


def planifier_controle(args: argparse.Namespace) -> int:
    configurer_django()

    def action() -> int:
        from examens.apps.examinateurs.models import Examinateur
        from examens.apps.jury.models import Jury
        from examens.apps.planification.services import planifier_controle as service

        session, centre = _session(args.session), _centre(args.centre)
        dates = _dates(args.date)
        jury = None
        if args.jury:
            jury = Jury.objects.filter(session=session, nom=args.jury).first()
            if jury is None:
                raise ErreurUsage(f"jury « {args.jury} » inconnu dans la session {session.code}.")
        designes: dict[str, list[Any]] = {}
        for epreuve, codes in _affectations(args.examinateurs, "--examinateurs").items():
            trouves = {x.code: x for x in Examinateur.objects.filter(session=session, code__in=codes)}
            inconnus = [c for c in codes if c not in trouves]
            if inconnus:
                raise ErreurUsage(f"examinateur(s) inconnu(s) : {', '.join(inconnus)}.")
            designes[epreuve] = [trouves[c] for c in codes]
        resultat = service(
            session=session,
            centre=centre,
            dates=dates,
            par=args.acteur,
            jury=jury,
            examinateurs=designes or None,
            choix=_affectations(args.choix, "--choix") or None,
            **_parametres(args),
        )
        _afficher(resultat)
        return 0

    return _executer("planifier-controle", action)
