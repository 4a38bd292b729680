"""Éditions et envois en ligne de commande.

    examens editer convocations --session S --centre CODE [--sortie DOSSIER] [--en-tache]
    examens editer plans-salle --session S --centre CODE [--epreuve E1]
    examens editer bordereaux-lots --session S [--epreuve E1] [--centre CODE]
    examens envoyer convocations --session S --centre CODE [--appliquer]
    examens relancer convocations --session S [--centre CODE] [--delai-jours N] [--appliquer]
    examens travaux --session S [--suivre N | --reprendre N]

`editer` n'efface ni ne remplace rien : chaque document nouveau ou modifié reçoit une nouvelle version,
ce qui est déjà à jour est laissé tel quel. `envoyer` et `relancer` simulent par défaut (`--appliquer`).
Codes de sortie : 0 fait ; 1 travail en échec ; 2 erreur d'usage (session, centre ou jury inconnu…).
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from examens.cli.django_config import configurer_django

# nom en ligne de commande -> code du modèle de document (examens.documents.MODELES)
MODELES_CLI: dict[str, str] = {
    "convocations": "convocation-candidat",
    "convocations-examinateurs": "convocation-examinateur",
    "emargements": "emargement",
    "plannings-commissions": "planning-commission",
    "fiches-sujets-e4": "fiche-sujet-e4",
    "grilles-e5b": "grille-e5b",
    "evaluations-engagement": "evaluation-engagement",
    "pv": "pv-deliberation",
    "releves": "releve-notes",
    "attestations": "attestation-blocs",
    "resultats": "liste-resultats",
    "plans-salle": "plan-salle",
    "bordereaux-lots": "bordereau-lot",
}
# Les documents des écrits se choisissent aussi par épreuve (--epreuve).
PAR_EPREUVE = {"plan-salle", "bordereau-lot"}


class Erreur(Exception):
    """Erreur d'usage : message français, code de sortie 2."""


class BarreProgression:
    """Barre de progression sur une ligne (réécrite sur un terminal, une ligne par palier sinon)."""

    LARGEUR = 30

    def __init__(self, libelle: str, flux: Any = None) -> None:
        self.libelle = libelle
        self.flux = flux or sys.stderr
        self.debut = time.monotonic()
        self.terminal = bool(getattr(self.flux, "isatty", lambda: False)())
        self._dernier_palier = -1

    def __call__(self, fait: int, total: int) -> None:
        pct = 100 if total == 0 else fait * 100 // total
        ecoule = time.monotonic() - self.debut
        reste = ""
        if 0 < fait < total:
            reste = f", reste ≈ {_duree(ecoule * (total - fait) / fait)}"
        pleins = self.LARGEUR * pct // 100
        ligne = (
            f"{self.libelle} [{'#' * pleins}{'.' * (self.LARGEUR - pleins)}] "
            f"{fait:>6}/{total} ({pct:>3} %) {_duree(ecoule)}{reste}"
        )
        if self.terminal:
            print(f"\r{ligne}\033[K", end="", file=self.flux, flush=True)
        elif pct // 10 != self._dernier_palier:
            self._dernier_palier = pct // 10
            print(ligne, file=self.flux, flush=True)

    def fin(self) -> None:
        if self.terminal:
            print(file=self.flux, flush=True)


def _duree(secondes: float) -> str:
    s = int(secondes)
    return f"{s // 60} min {s % 60:02d} s" if s >= 60 else f"{secondes:.1f} s"


def _commun(p: argparse.ArgumentParser) -> None:
    p.add_argument("--session", required=True, metavar="CODE", help="code de la session, par ex. bts-ndrc-2022")
    p.add_argument("--centre", metavar="CODE", help="code (UAI) du centre d'examen")
    p.add_argument("--jury", metavar="NOM", help="nom ou numéro du jury (procès-verbaux, relevés, résultats)")
    p.add_argument("--par", default="système", help="qui agit (tracé ; par défaut : système)")


def register(subparsers: Any) -> None:
    choix = sorted(MODELES_CLI)
    p = subparsers.add_parser(
        "editer",
        help="Éditer des documents (convocations, émargements, procès-verbaux, relevés…)",
        description="Émet les documents demandés. Chaque document nouveau ou modifié reçoit une nouvelle "
        "version ; les versions antérieures sont conservées.",
    )
    p.add_argument("modele", choices=choix, metavar="MODELE", help=f"document à éditer : {', '.join(choix)}")
    _commun(p)
    p.add_argument("--variante", choices=["anonyme", "nominatif"], default="anonyme", help="procès-verbal")
    p.add_argument(
        "--epreuve",
        metavar="CODE",
        help="épreuve écrite (E1, E3, E5A) : plans de salle et bordereaux de lots de cette épreuve seulement ; "
        "avec bordereaux-lots, --centre désigne le centre de correction",
    )
    p.add_argument("--sortie", type=Path, metavar="DOSSIER", help="copier aussi les fichiers dans ce dossier")
    p.add_argument("--reediter", action="store_true", help="rééditer même les documents inchangés (avec --motif)")
    p.add_argument("--motif", default="", help="motif de la réédition (obligatoire avec --reediter)")
    p.add_argument("--en-tache", action="store_true", help="confier le travail au worker (examens gerer db_worker)")
    p.add_argument("--sans-attendre", action="store_true", help="avec --en-tache : rendre la main tout de suite")
    p.add_argument("--processus", type=int, default=None, help="processus de rendu (défaut : un par cœur)")
    p.set_defaults(handler=run_editer)

    p = subparsers.add_parser(
        "envoyer",
        help="Envoyer par courriel la dernière version des documents (simulation par défaut)",
        description="Envoie à chaque destinataire la dernière version de son document, avec un lien "
        "d'accusé de réception. Une version déjà reçue n'est pas renvoyée. Sans --appliquer : simulation.",
    )
    p.add_argument("modele", choices=["convocations", "convocations-examinateurs", "releves"], metavar="MODELE")
    _commun(p)
    p.add_argument("--appliquer", action="store_true", help="envoyer réellement")
    p.add_argument("--en-tache", action="store_true", help="confier l'envoi au worker")
    p.set_defaults(handler=run_envoyer)

    p = subparsers.add_parser(
        "relancer",
        help="Relancer ceux qui n'ont pas accusé réception (simulation par défaut)",
    )
    p.add_argument("modele", choices=["convocations", "convocations-examinateurs", "releves"], metavar="MODELE")
    _commun(p)
    p.add_argument("--delai-jours", type=int, default=3, help="relancer après N jours sans accusé (défaut 3)")
    p.add_argument("--appliquer", action="store_true", help="envoyer réellement les relances")
    p.set_defaults(handler=run_relancer)

    p = subparsers.add_parser("travaux", help="Suivre ou reprendre les travaux de fond (éditions, envois)")
    p.add_argument("--session", required=True, metavar="CODE")
    p.add_argument("--suivre", type=int, metavar="N", help="afficher la progression du travail N jusqu'à sa fin")
    p.add_argument("--reprendre", type=int, metavar="N", help="relancer le travail N (sans doublon)")
    p.add_argument("--en-tache", action="store_true", help="avec --reprendre : confier au worker")
    p.set_defaults(handler=run_travaux)


def _erreur(commande: str, message: str) -> int:
    print(f"examens {commande} : erreur : {message}", file=sys.stderr)
    return 2


def _session(code: str) -> Any:
    from examens.apps.organisation.models import ExamSession

    session = ExamSession.objects.filter(code=code).first()
    if session is None:
        codes = ", ".join(ExamSession.objects.values_list("code", flat=True)) or "aucune"
        raise Erreur(f"session « {code} » inconnue (sessions en base : {codes}).")
    return session


def _parametres(args: argparse.Namespace, session: Any, modele: str) -> dict[str, Any]:
    from examens.apps.editions import donnees

    parametres: dict[str, Any] = {}
    if args.centre:
        parametres["centre"] = args.centre
    if args.jury:
        parametres["jury"] = args.jury
    if getattr(args, "variante", None) and modele == "pv-deliberation":
        parametres["variante"] = args.variante
    if getattr(args, "epreuve", None):
        if modele not in PAR_EPREUVE:
            raise Erreur("--epreuve ne vaut que pour plans-salle et bordereaux-lots.")
        parametres["epreuve"] = args.epreuve.strip().upper()
    try:
        donnees.valider_parametres(session, modele, parametres)
    except ValueError as exc:
        raise Erreur(str(exc)) from None
    return parametres


def run_editer(args: argparse.Namespace) -> int:
    if args.reediter and not args.motif.strip():
        return _erreur("editer", "--reediter demande un --motif (par ex. --motif « changement de salle »).")
    configurer_django()
    from examens.apps.editions.services import creer_travail

    modele = MODELES_CLI[args.modele]
    try:
        session = _session(args.session)
        parametres = _parametres(args, session, modele)
    except Erreur as exc:
        return _erreur("editer", str(exc))
    if args.reediter:
        parametres.update(forcer=True, motif=args.motif)
    travail = creer_travail(session=session, nature=f"editer:{modele}", parametres=parametres, par=args.par)
    code = _executer(travail, args.en_tache, args.sans_attendre, f"Édition {args.modele}", args.processus)
    if code == 0 and args.sortie:
        _copier(session, modele, parametres, args.sortie)
    return code


def _executer(travail: Any, en_tache: bool, sans_attendre: bool, libelle: str, processus: int | None = None) -> int:
    from examens.apps.editions.taches import lancer_en_tache
    from examens.apps.editions.travaux import executer

    if en_tache:
        lancer_en_tache(travail)
        print(f"Travail n° {travail.pk} confié au worker (file « documents »).")
        if sans_attendre:
            print(f"Suivre : examens travaux --session {travail.session.code} --suivre {travail.pk}")
            return 0
        return _suivre(travail.pk, libelle)
    barre = BarreProgression(libelle)
    try:
        bilan = executer(travail, progression=barre, processus=processus)
    except Exception as exc:
        barre.fin()
        print(f"Travail n° {travail.pk} en échec : {exc}", file=sys.stderr)
        print(
            f"Le reprendre sans doublon : examens travaux --session {travail.session.code} --reprendre {travail.pk}",
            file=sys.stderr,
        )
        return 1
    barre.fin()
    print(f"Travail n° {travail.pk} terminé. {bilan.resume() if hasattr(bilan, 'resume') else bilan}")
    return 0


def _suivre(pk: int, libelle: str) -> int:
    from examens.apps.editions.models import Travail

    barre = BarreProgression(libelle)
    attente_signalee = False
    while True:
        travail = Travail.objects.get(pk=pk)
        if travail.statut == Travail.Statut.EN_ATTENTE and not attente_signalee:
            print(
                "En attente d'un worker : lancez « examens gerer db_worker » (ici ou sur une autre machine).",
                file=sys.stderr,
            )
            attente_signalee = True
        if travail.total:
            barre(travail.fait, travail.total)
        if travail.statut in (Travail.Statut.TERMINE, Travail.Statut.ECHEC):
            barre.fin()
            if travail.statut == Travail.Statut.ECHEC:
                print(f"Travail n° {pk} en échec : {'; '.join(travail.erreurs)}", file=sys.stderr)
                return 1
            print(f"Travail n° {pk} terminé : {travail.nouveaux} nouveau(x), {travail.inchanges} inchangé(s).")
            return 0
        time.sleep(0.5)


def _copier(session: Any, modele: str, parametres: dict[str, Any], dossier: Path) -> None:
    from examens.apps.editions import selectors

    dossier.mkdir(parents=True, exist_ok=True)
    n = 0
    for nom, contenu in selectors.fichiers_en_vigueur(session, modele, parametres):
        (dossier / nom).write_bytes(contenu)
        n += 1
    print(f"{n} fichier(s) copié(s) dans {dossier}/")


def run_envoyer(args: argparse.Namespace) -> int:
    configurer_django()
    from examens.apps.editions import donnees
    from examens.apps.editions.services import creer_travail, envoyer_versions

    modele = MODELES_CLI[args.modele]
    try:
        session = _session(args.session)
        parametres = _parametres(args, session, modele)
    except Erreur as exc:
        return _erreur("envoyer", str(exc))
    if not args.appliquer:
        a_envoyer = donnees.a_envoyer(session, modele, parametres)
        bilan = envoyer_versions(
            versions=a_envoyer.versions, objet=a_envoyer.objet, corps=a_envoyer.corps, par=args.par, appliquer=False
        )
        print(bilan.resume(appliquer=False))
        return 0
    travail = creer_travail(session=session, nature=f"envoyer:{modele}", parametres=parametres, par=args.par)
    return _executer(travail, args.en_tache, False, f"Envoi {args.modele}")


def run_relancer(args: argparse.Namespace) -> int:
    configurer_django()
    from examens.apps.editions import selectors
    from examens.apps.editions.services import relancer

    modele = MODELES_CLI[args.modele]
    try:
        session = _session(args.session)
        parametres = _parametres(args, session, modele)
    except Erreur as exc:
        return _erreur("relancer", str(exc))
    if args.delai_jours < 0:
        return _erreur("relancer", "--delai-jours doit être positif ou nul.")
    n = relancer(
        envois=selectors.envois_sans_accuse(session, modele, parametres),
        corps="Vous trouverez ci-joint votre document.",
        par=args.par,
        appliquer=args.appliquer,
        delai=timedelta(days=args.delai_jours),
    )
    if args.appliquer:
        print(f"{n} relance(s) envoyée(s).")
    else:
        print(f"{n} relance(s) à envoyer (simulation : rien n'est envoyé sans --appliquer).")
    return 0


def run_travaux(args: argparse.Namespace) -> int:
    configurer_django()
    from examens.apps.editions.models import Travail

    try:
        session = _session(args.session)
    except Erreur as exc:
        return _erreur("travaux", str(exc))
    numero = args.suivre or args.reprendre
    if numero:
        travail = Travail.objects.filter(session=session, pk=numero).first()
        if travail is None:
            return _erreur("travaux", f"aucun travail n° {numero} dans la session « {session.code} ».")
        if args.suivre:
            return _suivre(travail.pk, travail.nature)
        return _executer(travail, args.en_tache, False, f"Reprise {travail.nature}")
    travaux = list(Travail.objects.filter(session=session)[:30])
    if not travaux:
        print("Aucun travail de fond pour cette session.")
    for t in travaux:
        print(
            f"n° {t.pk:<5} {t.nature:<34} {t.get_statut_display():<11} {t.fait:>6}/{t.total:<6} "
            f"demandé par {t.demande_par} le {t.cree_le:%d/%m/%Y %H:%M}"
        )
    return 0
