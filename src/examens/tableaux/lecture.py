"""Lecture des tableaux que les gestionnaires reçoivent : CSV (Excel français), XLSX, JSON.

Tout tableau est rendu sous une même forme : des en-têtes et des lignes de cellules texte, chaque ligne
avec son numéro dans le tableur (en-tête = ligne 1), pour que chaque erreur dise où elle est.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import orjson

from examens.core.erreurs import ErreurExamens

Genre = Literal["csv", "xlsx", "json"]
GENRES: dict[str, Genre] = {".csv": "csv", ".xlsx": "xlsx", ".json": "json"}


class FichierIllisible(ErreurExamens):
    """Le fichier n'existe pas, n'est pas d'un format pris en charge, ou ne peut être décodé (erreur d'usage)."""

    code = "fichier_illisible"


class ContenuInvalide(ErreurExamens):
    """Le fichier se lit mais son contenu est mal formé (erreur de données, code de sortie 1)."""

    code = "contenu_invalide"


@dataclass
class Tableau:
    """En-têtes et lignes (numéro, cellules). Pour un JSON, la « ligne » N est le N-ième candidat + 1."""

    source: str
    genre: Genre
    entetes: list[str]
    lignes: list[tuple[int, list[str]]]
    separateur: str | None = None
    encodage: str | None = None

    def position(self, ligne: int, colonne: int | None = None) -> str:
        """« Ligne 14, colonne E2 (C) » dans un tableur ; « candidats[12].E2 » dans un JSON."""
        if self.genre == "json":
            if ligne < 2:  # l'« en-tête » d'un JSON : les clés des objets
                return f"clé « {self.entetes[colonne]} »" if colonne is not None else "candidats"
            base = f"candidats[{ligne - 2}]"
            return f"{base}.{self.entetes[colonne]}" if colonne is not None else base
        if colonne is None:
            return f"Ligne {ligne}"
        nom = self.entetes[colonne].strip() if colonne < len(self.entetes) else ""
        return f"Ligne {ligne}, colonne {nom or '(sans nom)'} ({lettre_colonne(colonne)})"


def lettre_colonne(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA : la lettre que le tableur affiche."""
    lettres = ""
    index += 1
    while index:
        index, reste = divmod(index - 1, 26)
        lettres = chr(65 + reste) + lettres
    return lettres


def genre_du_fichier(chemin: Path) -> Genre:
    genre = GENRES.get(chemin.suffix.lower())
    if genre is None:
        raise FichierIllisible(
            f"Format de fichier non pris en charge : « {chemin.name} ». Fournissez un fichier .csv, .xlsx ou .json."
        )
    return genre


def lire_tableau(chemin: Path) -> Tableau:
    """Lit un CSV, un XLSX ou un JSON `{"candidats": [...]}`. Lève FichierIllisible ou ContenuInvalide."""
    genre = genre_du_fichier(chemin)
    if not chemin.is_file():
        raise FichierIllisible(f"Fichier introuvable : « {chemin} ». Vérifiez le chemin.")
    if genre == "csv":
        return _lire_csv(chemin)
    if genre == "xlsx":
        return _lire_xlsx(chemin)
    return _lire_json(chemin)


def decoder(donnees: bytes) -> tuple[str, str]:
    """UTF-8 (avec ou sans BOM), sinon Windows-1252 (CSV enregistré par un Excel français)."""
    if donnees.startswith(b"\xef\xbb\xbf"):
        return donnees[3:].decode("utf-8"), "utf-8-sig"
    try:
        return donnees.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return donnees.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError as exc:
        raise FichierIllisible(
            f"Encodage non reconnu (octet {exc.start + 1}) : enregistrez le fichier en CSV UTF-8 ou Windows-1252."
        ) from None


def _lire_csv(chemin: Path) -> Tableau:
    texte, encodage = decoder(chemin.read_bytes())
    fin_entete = texte.find("\n")
    premiere = texte if fin_entete < 0 else texte[:fin_entete]
    # Excel français écrit « ; » ; d'autres outils « , ». On choisit le plus présent dans l'en-tête.
    separateur = ";" if premiere.count(";") >= premiere.count(",") and ";" in premiere else ","
    lecteur = csv.reader(io.StringIO(texte, newline=""), delimiter=separateur)
    try:
        entetes = next(lecteur)
    except StopIteration:
        raise ContenuInvalide(f"{chemin.name} : le fichier est vide ; la ligne 1 doit porter les en-têtes.") from None
    try:
        lignes = list(enumerate(lecteur, start=2))
    except csv.Error as exc:
        raise ContenuInvalide(f"{chemin.name}, ligne {lecteur.line_num} : CSV mal formé ({exc}).") from None
    return Tableau(str(chemin), "csv", entetes, lignes, separateur, encodage)


def _texte_cellule(valeur: Any) -> str:
    if valeur is None:
        return ""
    if isinstance(valeur, str):
        return valeur
    if isinstance(valeur, bool):
        return str(valeur)
    if isinstance(valeur, float):
        return repr(valeur).removesuffix(".0")
    return str(valeur)


def _lire_xlsx(chemin: Path) -> Tableau:
    from openpyxl import load_workbook

    try:
        classeur = load_workbook(chemin, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl lève des erreurs variées pour un fichier corrompu
        raise FichierIllisible(
            f"« {chemin.name} » n'est pas un classeur XLSX lisible ({exc.__class__.__name__}). "
            "Enregistrez-le au format Excel (.xlsx)."
        ) from None
    try:
        feuille = classeur.worksheets[0]
        lignes_brutes = feuille.iter_rows(values_only=True)
        try:
            entetes = [_texte_cellule(v) for v in next(lignes_brutes)]
        except StopIteration:
            raise ContenuInvalide(f"{chemin.name} : la première feuille est vide.") from None
        lignes = [(n, [_texte_cellule(v) for v in row]) for n, row in enumerate(lignes_brutes, start=2)]
    finally:
        classeur.close()
    while entetes and not entetes[-1]:
        entetes.pop()
    return Tableau(str(chemin), "xlsx", entetes, lignes)


def _lire_json(chemin: Path) -> Tableau:
    try:
        data = orjson.loads(chemin.read_bytes())
    except orjson.JSONDecodeError as exc:
        raise ContenuInvalide(f"{chemin.name} : JSON invalide ({exc}).") from None
    if not isinstance(data, dict) or not isinstance(data.get("candidats"), list):
        raise ContenuInvalide(f'{chemin.name} : un objet {{"candidats": [ ... ]}} est attendu.')
    entetes: list[str] = []
    index: dict[str, int] = {}
    objets = data["candidats"]
    for i, obj in enumerate(objets):
        if not isinstance(obj, dict):
            raise ContenuInvalide(f"{chemin.name}, candidats[{i}] : un objet est attendu.")
        for cle in obj:
            if cle not in index:
                index[cle] = len(entetes)
                entetes.append(cle)
    lignes = []
    for n, obj in enumerate(objets, start=2):
        cellules = [""] * len(entetes)
        for cle, valeur in obj.items():
            cellules[index[cle]] = _texte_cellule(valeur)
        lignes.append((n, cellules))
    return Tableau(str(chemin), "json", entetes, lignes)


def iter_non_vides(tableau: Tableau) -> Iterator[tuple[int, list[str]]]:
    """Les lignes qui portent au moins une cellule non vide (les lignes blanches d'un tableur sont ignorées)."""
    for numero, cellules in tableau.lignes:
        if any(c.strip() for c in cellules):
            yield numero, cellules
