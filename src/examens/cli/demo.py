"""`examens demo` : une session de démonstration réaliste en base, contrôlée, délibérée, puis servie.

Étapes : migrer la base, la vider (la base de démonstration est jetable : SQLite dans var/ ; une autre base
n'est touchée qu'avec --forcer), construire la session (`apps.demo.services.construire_session_demo`), mener
les épreuves écrites jusqu'à la correction en cours (`apps.demo.ecrits_sujets.construire_ecrits_demo`),
contrôler la conformité des dossiers et délibérer (services des applications `dossiers` et `jury`,
enregistrés et tracés), afficher un résumé, planifier les oraux, éditer les documents, créer les comptes de
démonstration, constituer la banque de sujets E5B et les pièces (`construire_sujets_demo`), puis servir
l'application web sur http://127.0.0.1:8000/ (et l'administration sur /admin/), sauf --sans-serveur.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from examens.cli.django_config import configurer_django

ADRESSE = "127.0.0.1:8000"


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "demo",
        help="Construire une session de démonstration en base, la délibérer et la servir",
        description=(
            "Vide la base de démonstration, construit une session NDRC 2022 réaliste (graine fixe), contrôle "
            "la conformité des dossiers, délibère, crée un compte de démonstration par rôle et sert l'application web."
        ),
    )
    p.add_argument("--candidats", type=int, default=3000, metavar="N", help="nombre de candidats (3000)")
    p.add_argument("--graine", type=int, default=2022, metavar="S", help="graine du générateur (2022)")
    p.add_argument("--sans-serveur", action="store_true", help="ne pas lancer le serveur à la fin")
    p.add_argument(
        "--forcer", action="store_true", help="accepter de vider une base qui n'est pas SQLite (DATABASE_URL)"
    )
    p.set_defaults(handler=run)


def _etape(texte: str) -> None:
    print(f"→ {texte}", flush=True)


class _Progression:
    """Une ligne qui se réécrit : « notes … 1 500/3 000 »."""

    def __init__(self) -> None:
        self.etape = ""

    def __call__(self, etape: str, fait: int, total: int) -> None:
        if etape != self.etape and self.etape:
            print(file=sys.stdout, flush=True)
        self.etape = etape
        if total > 1:
            print(f"\r    {etape:<30} {fait:>7}/{total}", end="", flush=True)
        else:
            print(f"\r    {etape:<30} {'terminé' if fait else 'en cours…'}", end="", flush=True)

    def fin(self) -> None:
        if self.etape:
            print(flush=True)


def run(args: argparse.Namespace) -> int:
    if args.candidats < 1:
        print("examens demo : erreur : --candidats doit être au moins 1.", file=sys.stderr)
        return 2
    # Le serveur de démonstration parle HTTP sur 127.0.0.1 : des cookies « Secure » n'y seraient pas renvoyés.
    os.environ.setdefault("EXAMENS_HTTPS", "0")
    configurer_django()
    from django.core.management import call_command
    from django.db import connection, connections

    if connection.vendor != "sqlite" and not args.forcer:
        print(
            f"examens demo : refusé : DATABASE_URL désigne une base {connection.vendor} "
            f"({connection.settings_dict.get('NAME')}). La démonstration VIDE la base avant de la remplir ; "
            "elle n'agit seule que sur une base SQLite. Retirez DATABASE_URL, ou ajoutez --forcer si cette "
            "base est vraiment jetable.",
            file=sys.stderr,
        )
        return 1

    debut = time.perf_counter()
    if connection.vendor == "sqlite":
        fichier = Path(str(connection.settings_dict["NAME"]))
        _etape(f"Base de démonstration neuve : {fichier}")
        connections.close_all()
        for chemin in (fichier, *(fichier.with_name(fichier.name + s) for s in ("-wal", "-shm", "-journal"))):
            chemin.unlink(missing_ok=True)
        call_command("migrate", verbosity=0)
    else:
        _etape(f"Migration puis vidage complet de la base {connection.vendor} (--forcer)")
        call_command("migrate", verbosity=0)
        call_command("flush", interactive=False, verbosity=0)

    from examens.apps.demo.services import construire_session_demo, creer_comptes_demo
    from examens.apps.organisation.models import ExamSession

    _etape(f"Construction de la session ({args.candidats} candidats, graine {args.graine})")
    progression = _Progression()
    resume = construire_session_demo(candidats=args.candidats, graine=args.graine, progression=progression)
    progression.fin()
    print(f"    construite en {resume.duree_secondes:.1f} s".replace(".", ","))
    session = ExamSession.objects.get(pk=resume.session_id)
    _construire_les_ecrits(session, args.graine)

    deliberations, erreurs, sources = _controler_et_deliberer(session, resume.date_limite_dossiers)

    from examens.apps.demo.selectors import bilan_deliberation

    bilan = bilan_deliberation(session=session, deliberations=deliberations, erreurs=erreurs)
    _afficher(resume, bilan, sources)
    _planifier_les_oraux(session)
    _editer_les_documents(session)

    _etape("Comptes de démonstration (un par rôle)")
    comptes = creer_comptes_demo()
    for c in comptes:
        print(f"    {c.identifiant:<16} mot de passe : {c.mot_de_passe:<23} {c.role}")
        if c.perimetre:
            print(f"    {'':<16} périmètre : {c.perimetre}")
    print("    (mots de passe de démonstration : à ne jamais utiliser ailleurs)")
    _construire_les_sujets(session, args.graine)
    print(f"\nPrêt en {time.perf_counter() - debut:.1f}".replace(".", ",") + " s.")
    if args.sans_serveur:
        print(f"Lancer le site : EXAMENS_HTTPS=0 .venv/bin/examens gerer runserver {ADRESSE} --insecure --noreload")
        return 0
    print(
        f"\nApplication web : http://{ADRESSE}/  (un compte ci-dessus par rôle)\n"
        f"Administration  : http://{ADRESSE}/admin/  (identifiant « gestionnaire »)\nCtrl-C pour arrêter.\n"
    )
    # Un worker en base traite les travaux lancés depuis le site (éditions, planifications) pendant la démonstration.
    worker = subprocess.Popen(
        [str(Path(sys.executable).with_name("examens")), "gerer", "db_worker", "--queue-name", "*", "--no-reload",
         "--verbosity", "0"],
    )  # fmt: skip
    try:
        # --insecure : les feuilles de style de l'administration sont servies même sans DEBUG ;
        # pas de rechargement automatique : il relancerait toute la démonstration.
        call_command("runserver", ADRESSE, insecure_serving=True, use_reloader=False)
    finally:
        worker.terminate()
        worker.wait(timeout=10)
    return 0


def _controler_et_deliberer(session: Any, date_limite: Any) -> tuple[list[Any], list[str], list[str]]:
    """Conformité puis délibération par les services des applications, enregistrées et tracées.

    Une erreur arrête la démonstration : elle ne se replie pas sur un calcul en mémoire qui cacherait une panne.
    """
    from examens.apps.demo.services import ACTEUR
    from examens.apps.dossiers.services import controler_conformite_session
    from examens.apps.jury.services import deliberer_session

    _etape("Contrôle de conformité des dossiers E4/E6 (commission)")
    conformite = controler_conformite_session(session=session, date_limite=date_limite, acteur=ACTEUR, appliquer=True)
    print("    " + conformite.resume().replace("\n", "\n    "))
    _etape("Délibération de la session (jury)")
    rapport = deliberer_session(session=session, acteur=ACTEUR, appliquer=True)
    if rapport.erreurs:
        print(f"    {len(rapport.erreurs)} erreur(s) : rien n'a été enregistré par le jury (premières ci-dessous).")
        for e in rapport.erreurs[:5]:
            print(f"      {e}")
    if rapport.appliquee:
        _verrouiller_et_publier(session)
    sources = [
        "conformité : examens.apps.dossiers.services.controler_conformite_session (enregistrée)",
        "délibération : examens.apps.jury.services.deliberer_session "
        + ("(décisions enregistrées)" if rapport.appliquee else "(erreurs : rien d'enregistré)"),
    ]
    return [(d.candidat_id, d.deliberation) for d in rapport.decisions], list(rapport.erreurs), sources


def _verrouiller_et_publier(session: Any) -> None:
    """Chaque jury verrouille puis publie sa délibération : candidats et établissements voient leurs résultats
    (la présidente peut la rouvrir, avec un motif, depuis l'écran « Délibération »)."""
    from examens.apps.demo.services import ACTEUR
    from examens.apps.jury.services import EtatDeliberationImpossible, publier_deliberation, verrouiller_deliberation

    publies = 0
    for jury in session.jurys.order_by("nom"):
        try:
            verrouiller_deliberation(jury=jury, acteur=ACTEUR)
        except EtatDeliberationImpossible as exc:
            print(f"    {exc.message}")
            continue
        publier_deliberation(jury=jury, acteur=ACTEUR)
        publies += 1
    print(f"    {publies} jury(s) : délibération verrouillée et résultats publiés")


_LIBELLES_DECISION = {
    "admis": "admis",
    "ajourne": "ajournés",
    "controle": "admissibles au contrôle (notes attendues)",
    "en_attente": "en attente (note suspendue, livret)",
    "incomplet": "parcours progressifs incomplets",
}
_LIBELLES_MOTIF = {
    "absence": "absence non justifiée",
    "non_valide": "épreuve non valide (dossier non conforme)",
    "moyenne": "moyenne insuffisante",
    "note_suspendue": "note suspendue",
    "livret_non_examine": "livret scolaire non examiné",
}
_LIBELLES_MODE = {
    "scolaire": "scolaires",
    "apprenti": "apprentis",
    "formation_continue": "formation continue",
    "a_distance": "enseignement à distance (CNED…)",
    "individuel": "candidats individuels",
    "experience_professionnelle": "au titre de l'expérience",
}


def _pct(n: int, total: int) -> str:
    return f"{100 * n / total:5.1f} %".replace(".", ",") if total else "  —"


def _afficher(resume: Any, bilan: Any, sources: list[str]) -> None:
    n = resume.candidats
    print(f"\nBTS NDRC — session 2022 (démonstration, graine {resume.graine})")
    print("=" * 78)
    print(
        f"{n} candidats, {sum(resume.etablissements_par_statut.values())} établissements, {resume.academies} académies, "
    )
    print(
        f"{resume.centres} centres ({sum(resume.salles_par_type.values())} salles), "
        f"{sum(resume.examinateurs_par_qualite.values())} examinateurs, {resume.dossiers} dossiers E4/E6."
    )
    print("\nCandidats par mode de préparation :")
    for mode, k in sorted(resume.par_mode.items(), key=lambda x: -x[1]):
        print(f"  {_LIBELLES_MODE.get(mode, mode):<40} {k:>7}  {_pct(k, n)}")
    print("Par catégorie : " + ", ".join(f"{c} {k} ({_pct(k, n).strip()})" for c, k in resume.par_categorie.items()))
    print("Par parcours : " + ", ".join(f"{p} {k}" for p, k in resume.par_parcours.items()))
    print(
        f"LV2 facultative {resume.lv2}, engagement étudiant {resume.engagement}, aménagements {resume.amenagements}, "
        f"dispenses {resume.dispenses}, notes conservées "
        + ", ".join(f"{k} {v}" for k, v in resume.notes_conservees.items())
        + f", désistements {resume.desistements}"
    )
    print("Dossiers : " + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in resume.anomalies_dossiers.items()))
    print(f"\nDécisions ({bilan.total} candidats délibérés, désistés exclus) :")
    for decision in ("admis", "ajourne", "controle", "en_attente", "incomplet"):
        k = bilan.par_decision[decision]
        print(f"  {_LIBELLES_DECISION[decision]:<44} {k:>7}  {_pct(k, bilan.total)}")
    for motif, k in sorted(bilan.par_motif.items()):
        print(f"    motif : {_LIBELLES_MOTIF.get(motif, motif):<36} {k:>7}")
    print(
        f"\nTaux d'admission (hors parcours incomplets) : {_pct(bilan.par_decision['admis'], bilan.avec_decision).strip()}"
    )
    print("\nPar académie (centre d'examen) :")
    print(f"  {'académie':<20} {'candidats':>9} {'admis':>7} {'ajournés':>9} {'contrôle':>9} {'taux':>8}")
    for nom, compte in sorted(bilan.par_academie.items()):
        total = sum(compte.values())
        avec = total - compte["incomplet"]
        print(
            f"  {nom:<20} {total:>9} {compte['admis']:>7} {compte['ajourne']:>9} {compte['controle']:>9} "
            f"{_pct(compte['admis'], avec):>8}"
        )
    print(
        "Par catégorie : "
        + ", ".join(
            f"{c} {_pct(k['admis'], sum(k.values()) - k['incomplet']).strip()} d'admis"
            for c, k in sorted(bilan.par_categorie.items())
        )
    )
    if bilan.erreurs:
        print(f"\n{len(bilan.erreurs)} candidat(s) non délibéré(s) par le moteur, par ex. : {bilan.erreurs[0]}")
    print("\nSources : " + " ; ".join(sources))


@contextlib.contextmanager
def _courriels_retenus() -> Iterator[list[int]]:
    """Les notifications envoyées pendant la construction (décision sur une absence, diffusion de la banque)
    partent comme en production et sont journalisées ; en console (réglage par défaut), leur texte n'encombre pas
    la progression : il est retenu, et seul leur nombre s'affiche (rendu dans la liste, à la sortie)."""
    from examens.apps.editions.models import Envoi

    avant = Envoi.objects.count()
    envoyes: list[int] = []
    with contextlib.redirect_stdout(io.StringIO()):
        yield envoyes
    envoyes.append(Envoi.objects.count() - avant)


def _construire_les_ecrits(session: Any, graine: int) -> None:
    """Les écrits avant la délibération, comme dans une vraie session : une absence reconnue de force majeure
    change le résultat de l'épreuve (ABJ), ce que la délibération verrouillée refuserait ensuite."""
    from examens.apps.demo.ecrits_sujets import construire_ecrits_demo

    _etape("Épreuves écrites : répartition en salles, jour J, absences, lots, correction et harmonisation en cours")
    _construire_et_resumer(construire_ecrits_demo, session, graine, "écrits")


def _construire_les_sujets(session: Any, graine: int) -> None:
    """Après la planification publiée (l'attribution dote ses passages E5B) et les comptes (le gestionnaire reçoit
    la diffusion de la banque)."""
    from examens.apps.demo.ecrits_sujets import construire_sujets_demo

    _etape("Sujets et pièces : banque E5B, attribution, postes E5B, fiches-sujets E4, fiches d'engagement")
    _construire_et_resumer(construire_sujets_demo, session, graine, "sujets")


def _construire_et_resumer(construire: Callable[..., Any], session: Any, graine: int, quoi: str) -> None:
    """Construit une partie de la démonstration, courriels retenus, et en affiche le résumé."""
    with _courriels_retenus() as courriels:
        resume = construire(session=session, graine=graine)
    for ligne in resume.lignes():
        print(f"    {ligne}")
    duree = f"{resume.duree_secondes:.1f}".replace(".", ",")
    print(f"    {courriels[0]} courriel(s) de notification journalisé(s) ; {quoi} construits en {duree} s")


def _editer_les_documents(session: Any) -> None:
    """Les convocations de chaque centre et les procès-verbaux de chaque jury, émis comme en production
    (versions tracées) : la démonstration montre des documents à télécharger."""
    from examens.apps.demo.services import ACTEUR
    from examens.apps.editions.services import creer_travail
    from examens.apps.editions.travaux import executer
    from examens.apps.jury.models import Jury
    from examens.apps.organisation.models import Centre

    _etape("Édition des convocations (une par candidat) et des procès-verbaux de jury")
    debut = time.perf_counter()
    documents = 0
    centres = Centre.objects.filter(candidats__session=session).distinct().order_by("code")
    for centre in centres:
        travail = creer_travail(
            session=session, nature="editer:convocation-candidat", parametres={"centre": centre.code}, par=ACTEUR
        )
        documents += executer(travail).nouvelles
        print(f"\r    convocations : {documents}", end="", flush=True)
    for jury in Jury.objects.filter(session=session):
        for variante in ("anonyme", "nominatif"):
            travail = creer_travail(
                session=session,
                nature="editer:pv-deliberation",
                parametres={"jury": jury.nom, "variante": variante},
                par=ACTEUR,
            )
            documents += executer(travail).nouvelles
    duree = f"{time.perf_counter() - debut:.1f}".replace(".", ",")
    print(f"\r    {documents} documents émis en {duree} s (menu « Éditions » du site)")


def _planifier_les_oraux(session: Any) -> None:
    """Les oraux de chaque centre planifiés par le glouton (quelques secondes) et publiés : la démonstration
    montre des passages et des convocations. Les passages non planifiés gardent leur raison (administration)."""
    from examens.apps.demo.services import ACTEUR
    from examens.apps.planification.selectors import bilan_campagne
    from examens.apps.planification.services import planifier_session

    _etape("Planification des oraux de chaque centre (glouton, versions publiées)")
    debut = time.perf_counter()
    campagne = planifier_session(session=session, par=ACTEUR, solveur="glouton", en_tache=False, publier=True)
    b = bilan_campagne(campagne)
    duree = f"{time.perf_counter() - debut:.1f}".replace(".", ",")
    print(
        f"    {b.centres} centres, {b.passages} passages planifiés, {b.non_planifies} non planifiés "
        f"(raisons : administration, versions de planning), en {duree} s"
    )
    for echec in b.echecs:
        print(f"    échec : {echec}")
