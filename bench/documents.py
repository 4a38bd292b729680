"""Benchmark du rendu des convocations des candidats (examens.documents), sans base ni stockage.

    .venv/bin/python bench/documents.py [--nombre 25000] [--graine 2022] [--json]

Rend en flux `--nombre` convocations variées (trois fuseaux, catégories A et C, aménagements, noms
accentués ; `examens.documents.exemples.convocations_variees`) et mesure séparément : la construction des
données, leur sérialisation JSON (`en_json`, ce que le service d'édition enregistre), le rendu PDF.
Cible (issue « Documents ») : ≤ 3 ms par convocation pour le rendu, afin que 25 000 convocations, base et
stockage compris, tiennent en 3 minutes. Un échantillon est relu (pypdf) : une page par convocation.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import platform
import sys
import time

import reportlab

from examens.documents.convocations import rendre_convocation_candidat
from examens.documents.exemples import convocations_variees


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nombre", type=int, default=25_000)
    parser.add_argument("--graine", type=int, default=2022)
    parser.add_argument("--json", action="store_true", help="résultat en JSON sur la sortie standard")
    args = parser.parse_args()

    # Échauffement : imports, polices, caches de coupure des textes fixes.
    for c in convocations_variees(20, graine=args.graine + 1):
        rendre_convocation_candidat(c)

    t_donnees = t_json = t_rendu = 0.0
    octets = pages = 0
    empreinte = hashlib.sha256()
    echantillon: list[bytes] = []
    flux = convocations_variees(args.nombre, graine=args.graine)
    debut_total = time.perf_counter()
    while True:
        t0 = time.perf_counter()
        convocation = next(flux, None)
        t1 = time.perf_counter()
        if convocation is None:
            break
        convocation.en_json()
        t2 = time.perf_counter()
        pdf = rendre_convocation_candidat(convocation)
        t3 = time.perf_counter()
        t_donnees += t1 - t0
        t_json += t2 - t1
        t_rendu += t3 - t2
        octets += len(pdf)
        pages += 1
        empreinte.update(pdf)
        if len(echantillon) < 50 and pages % max(1, args.nombre // 50) == 0:
            echantillon.append(pdf)
    total = time.perf_counter() - debut_total

    import pypdf

    pages_echantillon = [len(pypdf.PdfReader(io.BytesIO(pdf)).pages) for pdf in echantillon]
    resultat = {
        "convocations": pages,
        "rendu_ms_par_convocation": round(1000 * t_rendu / max(1, pages), 3),
        "en_json_ms_par_convocation": round(1000 * t_json / max(1, pages), 3),
        "donnees_ms_par_convocation": round(1000 * t_donnees / max(1, pages), 3),
        "pages_par_seconde_rendu": round(pages / t_rendu) if t_rendu else None,
        "total_s": round(total, 2),
        "octets_moyens": round(octets / max(1, pages)),
        "une_page": all(n == 1 for n in pages_echantillon),
        "empreinte_flux": empreinte.hexdigest()[:16],
        "python": platform.python_version(),
        "reportlab": reportlab.Version,
    }
    if args.json:
        json.dump(resultat, sys.stdout, indent=2)
        print()
    else:
        print(f"{pages} convocations rendues en {total:.1f} s (données, JSON et PDF)")
        print(
            f"  rendu PDF : {resultat['rendu_ms_par_convocation']} ms par convocation, "
            f"{resultat['pages_par_seconde_rendu']} pages/s"
        )
        print(
            f"  en_json   : {resultat['en_json_ms_par_convocation']} ms ; données : {resultat['donnees_ms_par_convocation']} ms"
        )
        print(
            f"  taille moyenne : {resultat['octets_moyens']} octets ; une page (échantillon de {len(echantillon)}) : {resultat['une_page']}"
        )
        print(f"  empreinte du flux : {resultat['empreinte_flux']} (identique d'une exécution à l'autre)")
    return 0 if resultat["une_page"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
