"""Écrire un tableau XLSX ligne à ligne (openpyxl en écriture seule : la mémoire ne croît pas avec le
nombre de lignes), dans un fichier temporaire que la vue renvoie par morceaux."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Sequence
from datetime import date
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

EN_MEMOIRE_JUSQUA = 8 * 1024 * 1024  # au-delà, le fichier temporaire passe sur le disque


def _cellule(feuille: Worksheet, valeur: Any) -> Any:
    cellule = WriteOnlyCell(feuille, value=valeur)
    if isinstance(valeur, str) and valeur.startswith("="):
        cellule.data_type = "s"  # un nom qui commence par « = » reste un texte, jamais une formule
    elif isinstance(valeur, date):
        cellule.number_format = "DD/MM/YYYY"
    return cellule


def ecrire_xlsx(*, titre: str, entetes: Sequence[str], lignes: Iterable[Sequence[Any]]) -> IO[bytes]:
    """Le classeur (une feuille `titre`, en-têtes en gras, volets figés), positionné au début, prêt à lire."""
    classeur = Workbook(write_only=True)
    feuille = classeur.create_sheet(title=titre[:31])
    feuille.freeze_panes = "A2"
    gras = Font(bold=True)
    en_tete = []
    for texte in entetes:
        cellule = WriteOnlyCell(feuille, value=texte)
        cellule.font = gras
        en_tete.append(cellule)
    feuille.append(en_tete)
    for ligne in lignes:
        feuille.append([_cellule(feuille, v) for v in ligne])
    fichier = tempfile.SpooledTemporaryFile(max_size=EN_MEMOIRE_JUSQUA)  # noqa: SIM115 — rendu ouvert à la vue
    classeur.save(fichier)
    fichier.seek(0)
    return fichier
