"""`examens demo-tableau` : un tableau de session réaliste délibéré par le moteur, sans base de données.

Le tableau (quelques milliers de candidats, tous les cas du règlement) est délibéré par le moteur, avec un
résumé lisible et les sorties JSON, CSV et XLSX dans `var/demo/`. La session complète en base, servie dans
le navigateur, est `examens demo`.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "demo-tableau",
        help="Délibérer un tableau de session de démonstration (sans base de données)",
        description="Génère un tableau de session réaliste (graine fixe), le délibère et résume les décisions.",
    )
    p.add_argument("--candidats", type=int, default=3000, metavar="N", help="nombre de candidats (3000)")
    p.add_argument("--graine", type=int, default=2022, metavar="G", help="graine du générateur (2022)")
    p.add_argument("--dossier", default="var/demo", metavar="DOSSIER", help="dossier des fichiers produits")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from examens.core.deliberation import Decision, Motif
    from examens.core.reglement import reglement_fourni
    from examens.tableaux.deliberation import deliberer_tableau, ecrire_csv, ecrire_json, ecrire_xlsx
    from examens.tableaux.lecture import lire_tableau
    from examens.tableaux.synthese import csv_deliberation

    if args.candidats < 1:
        print("examens demo-tableau : erreur : --candidats doit être au moins 1.", file=sys.stderr)
        return 2
    dossier = Path(args.dossier)
    dossier.mkdir(parents=True, exist_ok=True)
    reglement = reglement_fourni()
    debut = time.perf_counter()
    tableau_csv = dossier / "session-demo.csv"
    tableau_csv.write_text(csv_deliberation(args.candidats, graine=args.graine), encoding="utf-8")
    rapport = deliberer_tableau(lire_tableau(tableau_csv), reglement)
    if rapport.erreurs:  # le générateur ne doit jamais produire de tableau invalide
        print("\n".join(rapport.erreurs), file=sys.stderr)
        return 1
    (dossier / "deliberation.json").write_bytes(ecrire_json(rapport))
    (dossier / "deliberation.csv").write_bytes(ecrire_csv(rapport))
    ecrire_xlsx(rapport, dossier / "deliberation.xlsx")
    duree = time.perf_counter() - debut

    d = rapport.deliberations
    total = len(d)
    decisions = Counter(x.decision for x in d)
    motifs = Counter(x.motif for x in d if x.decision is Decision.AJOURNE)
    apres = sum(1 for x in d if x.apres_controle)
    admis_apres = sum(1 for x in d if x.apres_controle and x.decision is Decision.ADMIS)

    def pct(n: int) -> str:
        return f"{100 * n / total:5.1f} %".replace(".", ",")

    print(f"\n{reglement.specialite} — session {reglement.session} (démonstration, graine {args.graine})")
    print("=" * 78)
    print(f"{total} candidats délibérés en {duree:.2f} s\n".replace(".", ","))
    lignes = [
        ("Admis", decisions[Decision.ADMIS]),
        ("  dont après les épreuves de contrôle", admis_apres),
        ("Ajournés", decisions[Decision.AJOURNE]),
        ("  pour absence non justifiée", motifs[Motif.ABSENCE]),
        ("  pour épreuve non valide (dossier non conforme)", motifs[Motif.NON_VALIDE]),
        ("  pour moyenne insuffisante", motifs[Motif.MOYENNE]),
        ("    dont après les épreuves de contrôle", apres - admis_apres),
        ("Admissibles au contrôle, notes attendues", decisions[Decision.CONTROLE]),
        ("Parcours progressifs incomplets", decisions[Decision.INCOMPLET]),
    ]
    for libelle, n in lignes:
        print(f"  {libelle:<52} {n:>6}  {pct(n)}")
    print("\nUn exemple de chaque cas :")
    vus: set[tuple[object, ...]] = set()
    for x in d:
        cle = (x.decision, x.motif, x.apres_controle)
        if cle in vus:
            continue
        vus.add(cle)
        moyenne = x.moyennes_affichees()[0]
        texte = {
            Decision.ADMIS: "admis",
            Decision.AJOURNE: "ajourné",
            Decision.CONTROLE: "admissible au contrôle",
            Decision.INCOMPLET: "parcours incomplet",
            Decision.EN_ATTENTE: "en attente",
        }[x.decision]
        if x.apres_controle:
            texte += " après contrôle"
        if x.motif is not None:
            texte += f" ({x.motif.label})"
        moy = f"moyenne {moyenne.replace('.', ',')}" if moyenne else "pas de moyenne publiée"
        unites = " ".join(x.unites_obtenues) or "aucune"
        print(f"  {x.candidat}  {texte:<60} {moy:<22} unités : {unites}")
    print(f"\nFichiers : {tableau_csv} (entrée), {dossier}/deliberation.json, .csv et .xlsx")
    print(f"Rejouer : .venv/bin/examens deliberer {tableau_csv} --format csv\n")
    return 0
