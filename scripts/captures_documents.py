"""Captures PNG (première page) de chaque modèle de document, rendu sur ses données d'exemple.

    .venv/bin/python scripts/captures_documents.py [--dossier docs/captures/documents] [--dpi 100]

Sert à relire la mise en page sans ouvrir les PDF ; les images sont versionnées à côté de la doc.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pypdfium2 as pdfium

from examens.documents import MODELES
from examens.documents.exemples import EXEMPLES

RACINE = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossier", type=Path, default=RACINE / "docs" / "captures" / "documents")
    parser.add_argument("--dpi", type=int, default=100)
    parser.add_argument("--pdf", action="store_true", help="écrit aussi le PDF à côté de l'image")
    args = parser.parse_args()
    args.dossier.mkdir(parents=True, exist_ok=True)
    for code, modele in MODELES.items():
        pdf = modele.rendre_pdf(EXEMPLES[code]())
        document = pdfium.PdfDocument(pdf)
        try:
            image = document[0].render(scale=args.dpi / 72, grayscale=True).to_pil()
        finally:
            document.close()
        chemin = args.dossier / f"{code}.png"
        # 16 niveaux de gris suffisent au texte lissé et divisent la taille des images par deux environ.
        image.convert("L").quantize(colors=16).save(chemin, optimize=True)
        if args.pdf:
            (args.dossier / f"{code}.pdf").write_bytes(pdf)
        print(f"{chemin.relative_to(RACINE) if chemin.is_relative_to(RACINE) else chemin} ({len(pdf)} octets de PDF)")


if __name__ == "__main__":
    main()
