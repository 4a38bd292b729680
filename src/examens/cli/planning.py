"""Sous-commandes de planification : planifier, verifier-planning, bornes, generer-centre.

Adaptateurs minces : lire, appeler un service de `examens.planning`, afficher. OR-Tools n'est chargé
que par `planifier --methode cpsat`.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from examens.planning.formats import (
    FormatInvalide,
    Instance,
    Statistiques,
    ecrire_instance,
    ecrire_planning,
    lire_instance_fichier,
    lire_planning_fichier,
)


def _positif(type_: type[Any]) -> Any:
    def convertir(texte: str) -> Any:
        try:
            valeur = type_(texte.replace(",", ".") if type_ is float else texte)  # « 0,6 » comme « 0.6 »
        except ValueError:
            raise argparse.ArgumentTypeError(f"« {texte} » n'est pas un nombre") from None
        if valeur <= 0:
            raise argparse.ArgumentTypeError(f"« {texte} » doit être strictement positif")
        return valeur

    return convertir


def _entier_naturel(texte: str) -> int:
    try:
        valeur = int(texte)
    except ValueError:
        raise argparse.ArgumentTypeError(f"« {texte} » n'est pas un entier") from None
    if valeur < 0:
        raise argparse.ArgumentTypeError(f"« {texte} » doit être positif ou nul")
    return valeur


def option_plafond_attente(p: argparse.ArgumentParser) -> None:
    """`--plafond-attente R` (décision 0015), commun à `planifier` et aux planifications en base."""
    p.add_argument(
        "--plafond-attente",
        type=_positif(float),
        default=None,
        metavar="R",
        help=(
            "laisser l'attente totale monter jusqu'à R × celle du glouton (par exemple 0,6) pour ouvrir moins de "
            "demi-journées de commission (défaut : l'attente d'abord, ordre du format ; décision 0015)"
        ),
    )


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("planifier", help="Planifier les oraux d'un centre (CP-SAT ou glouton)")
    p.add_argument("instance", metavar="INSTANCE", help="fichier examens/planning-instance@1")
    p.add_argument("-o", "--sortie", required=True, metavar="PLANNING", help="fichier planning à écrire")
    p.add_argument("--methode", choices=["cpsat", "glouton"], default="cpsat", help="défaut : cpsat")
    p.add_argument("--temps-max", type=_positif(float), default=60.0, metavar="S", help="secondes (défaut 60)")
    p.add_argument("--graine", type=_entier_naturel, default=0, metavar="N", help="graine du solveur (défaut 0)")
    p.add_argument(
        "--workers", type=_entier_naturel, default=0, metavar="N", help="fils de recherche (défaut : les cœurs)"
    )
    option_plafond_attente(p)
    p.add_argument("-q", "--silencieux", action="store_true", help="sans progression sur la sortie d'erreur")
    p.set_defaults(handler=planifier)

    p = subparsers.add_parser("verifier-planning", help="Vérifier un planning contre son instance")
    p.add_argument("instance", metavar="INSTANCE")
    p.add_argument("planning", metavar="PLANNING")
    p.set_defaults(handler=verifier_planning)

    p = subparsers.add_parser("bornes", help="Bornes inférieures d'une instance de planification")
    p.add_argument("instance", metavar="INSTANCE")
    p.add_argument(
        "--planning",
        metavar="PLANNING",
        help="ajoute la borne des demi-journées recalculée jour par jour avec les jours de ce planning",
    )
    p.add_argument(
        "--temps", type=_entier_naturel, default=60, metavar="S",
        help="secondes de calcul (déterministes) des bornes qui partagent loges et postes entre les groupes "
        "de commissions, pas à pas : demi-journées et non planifiés (défaut 60 ; 0 : sans elles)",
    )  # fmt: skip
    p.set_defaults(handler=bornes)

    p = subparsers.add_parser("generer-centre", help="Générer une instance de centre réaliste")
    p.add_argument("--candidats", type=_positif(int), default=150, metavar="N", help="défaut 150")
    p.add_argument("--jours", type=_positif(int), default=3, metavar="J", help="défaut 3")
    p.add_argument("--graine", type=_entier_naturel, default=1, metavar="G", help="défaut 1")
    p.add_argument(
        "--marge", type=_positif(float), default=1.3, metavar="M",
        help="capacité ÷ demande (défaut 1,3 : faisable ; < 1 : centre trop petit)",
    )  # fmt: skip
    p.add_argument("--premier-jour", default="2022-05-30", metavar="AAAA-MM-JJ")
    p.add_argument("-o", "--sortie", required=True, metavar="INSTANCE")
    p.set_defaults(handler=generer_centre)


def _erreur(message: str) -> int:
    print(f"erreur : {message}", file=sys.stderr)
    return 1


def _lire_instance(chemin: str) -> Instance:
    return lire_instance_fichier(chemin)


def _resume(s: Statistiques) -> str:
    lignes = [
        f"méthode {s.methode}, statut {s.statut.value}, {s.duree_s:.1f} s",
        f"  non planifiés         : {s.non_planifies}",
        f"  jours-candidats       : {s.jours_candidats}",
        f"  attente (minutes)     : {s.attente_minutes}",
        f"  demi-journées (comm.) : {s.demi_journees_commissions}",
    ]
    if s.changements is not None:
        lignes.append(f"  changements           : {s.changements}")
    return "\n".join(lignes)


def planifier(args: argparse.Namespace) -> int:
    from examens.planning.service import Methode, erreur_plafond
    from examens.planning.service import planifier as service

    if message := erreur_plafond(args.methode, args.plafond_attente):
        print(f"erreur : {message}", file=sys.stderr)
        return 2  # erreur d'usage, comme celles d'argparse
    try:
        instance = _lire_instance(args.instance)
    except FormatInvalide as erreur:
        return _erreur(f"{args.instance} : {erreur}")
    debut = time.monotonic()

    def progression(message: str) -> None:
        if not args.silencieux:
            print(f"[{time.monotonic() - debut:6.1f} s] {message}", file=sys.stderr, flush=True)

    planning = service(
        instance,
        methode=Methode(args.methode),
        temps_max=args.temps_max,
        graine=args.graine,
        workers=args.workers,
        plafond_attente=args.plafond_attente,
        progression=progression,
    )
    try:
        ecrire_planning(planning, args.sortie)
    except OSError as erreur:
        return _erreur(f"impossible d'écrire « {args.sortie} » : {erreur.strerror}")
    assert planning.statistiques is not None
    print(f"Planning écrit dans {args.sortie} : {len(planning.passages)} passages.")
    print(_resume(planning.statistiques))
    for n in planning.non_planifies[:20]:
        print(f"  non planifié : {n.candidat} {n.epreuve} — {n.raison}")
    if len(planning.non_planifies) > 20:
        print(f"  … et {len(planning.non_planifies) - 20} autres (voir le fichier)")
    return 0


def verifier_planning(args: argparse.Namespace) -> int:
    from examens.planning.verificateur import verifier

    try:
        instance = _lire_instance(args.instance)
        planning = lire_planning_fichier(args.planning)
    except FormatInvalide as erreur:
        return _erreur(str(erreur))
    rapport = verifier(instance, planning)
    for violation in rapport.violations:
        print(violation)
    if rapport.valide:
        print("Planning valide (les 9 règles du format sont respectées).")
    else:
        print(f"Planning INVALIDE : {len(rapport.violations)} violation(s), règles {sorted(rapport.regles_violees())}.")
    print("Statistiques recalculées :")
    print(_resume(rapport.statistiques))
    annoncees = planning.statistiques
    if annoncees is not None:
        for nom in ("non_planifies", "jours_candidats", "attente_minutes", "demi_journees_commissions"):
            if getattr(annoncees, nom) != getattr(rapport.statistiques, nom):
                print(
                    f"  attention : {nom} annoncé {getattr(annoncees, nom)}, recalculé {getattr(rapport.statistiques, nom)}"
                )
    return 0 if rapport.valide else 1


def bornes(args: argparse.Namespace) -> int:
    from examens.planning.bornes import a_jours_fixes_avec_ressources, calculer_bornes, ecarts_par_groupe

    try:
        instance = _lire_instance(args.instance)
    except FormatInvalide as erreur:
        return _erreur(f"{args.instance} : {erreur}")
    try:
        planning = lire_planning_fichier(args.planning) if args.planning else None
    except FormatInvalide as erreur:
        return _erreur(str(erreur))
    if args.temps:
        print(
            f"Calcul des bornes avec les loges et les postes pas à pas (au plus {args.temps} s de calcul)…",
            file=sys.stderr,
            flush=True,
        )
    b = calculer_bornes(instance, temps_ressources=args.temps)
    print(f"Bornes inférieures — {instance.nom or args.instance}")
    print(f"  non planifiés         ≥ {b.non_planifies}")
    print(f"  jours-candidats       ≥ {b.jours_candidats}")
    print(f"  attente (minutes)     ≥ {b.attente_minutes}")
    print(f"  demi-journées (comm.) ≥ {b.demi_journees_commissions}", end="")
    ecart = b.demi_journees_commissions - b.demi_journees_par_groupe
    print(f" (groupe par groupe : {b.demi_journees_par_groupe} ; loges et postes partagés : +{ecart})" if ecart else "")
    if planning is not None:
        ecarts = ecarts_par_groupe(instance, planning)
        a_jours_fixes = a_jours_fixes_avec_ressources(instance, planning, ecarts, temps_max=args.temps)
        print(
            f"  demi-journées aux jours de {args.planning} ≥ {a_jours_fixes}"
            " (borne jour par jour : elle ne vaut que pour des plannings qui gardent ces jours)"
        )
        print("Demi-journées par groupe de commissions (borne → bornes de chaque jour → planning) :")
        for e in ecarts:
            jours = ", ".join(f"{j.date} : {j.minutes} min, {j.borne} → {j.planning}" for j in e.jours)
            print(f"  {e.groupe:<30} {e.borne:>3} → {e.borne_a_jours_fixes:>3} → {e.planning:>3}  ({jours})")
    print("Capacités (minutes, tous jours) :")
    for c in b.capacites:
        trop = f" — {c.passages_en_trop} passage(s) au moins non plaçable(s)" if c.passages_en_trop else ""
        print(f"  {c.ressource:<45} demande {c.demande:>7}  capacité {c.capacite:>7}{trop}")
    if b.avec_ressources is not None and b.avec_ressources.non_planifies:
        print(
            "  loges, postes et commissions pas à pas, tous les groupes ensemble — "
            f"{b.avec_ressources.non_planifies} passage(s) au moins non plaçable(s)"
        )
    for i in b.impossibles:
        print(f"  impossible : {i.candidat} {i.epreuve} — {i.raison}")
    print(
        "Centre faisable d'après les bornes."
        if b.faisable
        else f"Centre INFAISABLE : au moins {b.non_planifies} passage(s) non plaçable(s)."
    )
    return 0


def generer_centre(args: argparse.Namespace) -> int:
    import datetime as dt

    from examens.planning.generateur import Parametres
    from examens.planning.generateur import generer_centre as generer

    try:
        dt.date.fromisoformat(args.premier_jour)
    except ValueError:
        print(f"erreur : --premier-jour « {args.premier_jour} » n'est pas une date AAAA-MM-JJ", file=sys.stderr)
        return 2
    instance = generer(
        Parametres(
            candidats=args.candidats,
            jours=args.jours,
            graine=args.graine,
            marge=args.marge,
            premier_jour=args.premier_jour,
        )
    )
    try:
        ecrire_instance(instance, args.sortie)
    except OSError as erreur:
        return _erreur(f"impossible d'écrire « {args.sortie} » : {erreur.strerror}")
    print(
        f"Centre écrit dans {args.sortie} : {len(instance.candidats)} candidats, {len(instance.jours)} jours, "
        f"{len(instance.commissions)} commissions, {sum(loge.places for loge in instance.loges)} places de loge, "
        f"{instance.postes} postes."
    )
    return 0
