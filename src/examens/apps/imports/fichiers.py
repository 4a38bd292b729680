"""Les fichiers d'un import : lecture (CSV, XLSX, ODS), modèles vierges, fichier d'erreurs XLSX."""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from pathlib import Path
from xml.etree import ElementTree

from examens.apps.imports.colonnes import Colonne
from examens.apps.imports.rapport import RapportImport
from examens.tableaux.lecture import ContenuInvalide, FichierIllisible, Tableau, lire_tableau

FORMATS_IMPORT = (".csv", ".xlsx", ".ods")


def lire_fichier(chemin: Path) -> Tableau:
    """Le tableau d'un fichier d'import (CSV `;` ou `,` en UTF-8, UTF-8 avec BOM ou Windows-1252 ; XLSX ; ODS).

    Lève `FichierIllisible` (format, chemin) ou `ContenuInvalide` (fichier vide, CSV mal formé)."""
    suffixe = chemin.suffix.lower()
    if suffixe not in FORMATS_IMPORT:
        raise FichierIllisible(
            f"Format non pris en charge pour un import : « {chemin.name} ». "
            "Fournissez un fichier .xlsx, .ods ou .csv (séparateur ; ou ,)."
        )
    if suffixe == ".ods":
        return _lire_ods(chemin)
    return lire_tableau(chemin)


# --- ODS (LibreOffice) : lu directement dans le XML du classeur, sans dépendance ---------------------

_NS = {
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
}
_T, _O = "{%s}" % _NS["table"], "{%s}" % _NS["office"]  # noqa: UP031


def _texte_ods(cellule: ElementTree.Element) -> str:
    genre = cellule.get(f"{_O}value-type")
    if genre in {"float", "percentage", "currency"}:
        return (cellule.get(f"{_O}value") or "").removesuffix(".0")
    if genre == "date":
        return (cellule.get(f"{_O}date-value") or "")[:10]
    if genre == "boolean":
        return cellule.get(f"{_O}boolean-value") or ""
    paragraphes = cellule.findall("text:p", _NS)
    return "\n".join("".join(p.itertext()) for p in paragraphes)


def _lire_ods(chemin: Path) -> Tableau:
    if not chemin.is_file():
        raise FichierIllisible(f"Fichier introuvable : « {chemin} ». Vérifiez le chemin.")
    try:
        with zipfile.ZipFile(chemin) as archive:
            racine = ElementTree.fromstring(archive.read("content.xml"))
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError):
        raise FichierIllisible(
            f"« {chemin.name} » n'est pas un classeur ODS lisible. Enregistrez-le au format .ods ou .xlsx."
        ) from None
    feuille = racine.find(".//table:table", _NS)
    if feuille is None:
        raise ContenuInvalide(f"{chemin.name} : le classeur ne contient aucune feuille.")
    lignes: list[tuple[int, list[str]]] = []
    numero = 1
    for ligne in feuille.iter(f"{_T}table-row"):
        cellules: list[str] = []
        for cellule in ligne:
            if cellule.tag not in (f"{_T}table-cell", f"{_T}covered-table-cell"):
                continue
            repetee = int(cellule.get(f"{_T}number-columns-repeated", "1"))
            texte = _texte_ods(cellule)
            cellules.extend([texte] * (repetee if texte else min(repetee, 1024)))
        while cellules and not cellules[-1]:
            cellules.pop()
        repetitions = int(ligne.get(f"{_T}number-rows-repeated", "1"))
        if cellules:  # une ligne vide répétée (souvent jusqu'à la fin de la feuille) n'est pas recopiée
            lignes.extend((numero + k, list(cellules)) for k in range(repetitions))
        numero += repetitions
    if not lignes or lignes[0][0] != 1:
        raise ContenuInvalide(f"{chemin.name} : la ligne 1 de la première feuille doit porter les en-têtes.")
    return Tableau(str(chemin), "xlsx", lignes[0][1], lignes[1:])  # positions « Ligne, colonne » d'un tableur


# --- Modèles vierges -----------------------------------------------------------------------------------


def ecrire_modele(type_import: str, colonnes: Sequence[Colonne], chemin: Path) -> None:
    """Un modèle vierge : la feuille « type » porte les en-têtes (avec un commentaire chacun) ; la feuille
    « Aide » décrit chaque colonne. En CSV : la seule ligne d'en-tête, séparée par « ; », en UTF-8 avec BOM."""
    if chemin.suffix.lower() == ".csv":
        chemin.write_text(";".join(c.nom for c in colonnes) + "\r\n", encoding="utf-8-sig")
        return
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill

    classeur = Workbook()
    donnees = classeur.active
    assert donnees is not None
    donnees.title = type_import
    gras, fond = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for i, c in enumerate(colonnes, start=1):
        cellule = donnees.cell(row=1, column=i, value=c.nom)
        cellule.font = gras
        cellule.fill = fond
        obligatoire = "obligatoire" if c.requise else "facultative"
        cellule.comment = Comment(
            f"{c.description} ({obligatoire}).\nValeurs : {c.valeurs}.\nExemple : {c.exemple}", "examens"
        )
        donnees.column_dimensions[cellule.column_letter].width = max(12, len(c.nom) + 4)
    donnees.freeze_panes = "A2"
    aide = classeur.create_sheet("Aide")
    aide.append(["colonne", "obligatoire", "description", "valeurs permises", "exemple"])
    for cellule in aide[1]:
        cellule.font = gras
    for c in colonnes:
        aide.append([c.nom, "oui" if c.requise else "non", c.description, c.valeurs, c.exemple])
    aide.append([])
    aide.append(["Remplissez la première feuille à partir de la ligne 2 ; ne renommez pas les en-têtes."])
    aide.append(["Vérifiez d'abord : examens importer TYPE FICHIER ; puis enregistrez avec --appliquer."])
    for lettre, largeur in zip("ABCDE", (18, 12, 60, 60, 24), strict=True):
        aide.column_dimensions[lettre].width = largeur
    classeur.save(chemin)


# --- Fichier d'erreurs ----------------------------------------------------------------------------------


def ecrire_erreurs(rapport: RapportImport, chemin: Path) -> None:
    """Les erreurs d'un import, une par ligne : ligne, colonne, lettre, valeur lue, message et correction."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    classeur = Workbook()
    feuille = classeur.active
    assert feuille is not None
    feuille.title = "Erreurs"
    feuille.append(["ligne", "colonne", "lettre", "valeur lue", "erreur et correction attendue"])
    for cellule in feuille[1]:
        cellule.font = Font(bold=True)
    for e in rapport.erreurs:
        feuille.append([e.ligne, e.colonne, e.lettre, e.valeur, str(e)])
    for lettre, largeur in zip("ABCDE", (8, 18, 8, 24, 110), strict=True):
        feuille.column_dimensions[lettre].width = largeur
    feuille.freeze_panes = "A2"
    classeur.save(chemin)
