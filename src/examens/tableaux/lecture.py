"""Lecture des tableaux que les gestionnaires reçoivent : CSV (Excel français), XLSX, JSON.

Tout tableau est rendu sous une même forme : des en-têtes et des lignes de cellules texte, chaque ligne
avec son numéro dans le tableur (en-tête = ligne 1), pour que chaque erreur dise où elle est.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import repeat
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
    """En-têtes et lignes (numéro, cellules). Pour un JSON, la « ligne » N est le N-ième candidat + 1.

    Un CSV garde son texte brut et n'est découpé en cellules qu'à la première lecture de `lignes` : un
    traitement parallèle peut ainsi faire découper chaque morceau par le processus qui le traite.
    """

    source: str
    genre: Genre
    entetes: list[str]
    _lignes: list[tuple[int, list[str]]] | None = None
    separateur: str | None = None
    encodage: str | None = None
    corps: str | None = None  # CSV : le texte après la ligne d'en-tête

    @property
    def lignes(self) -> list[tuple[int, list[str]]]:
        if self._lignes is None:
            self._lignes = decouper_csv(self.corps or "", self.separateur or ";", 2, self.source)
        return self._lignes

    @property
    def nombre_de_lignes(self) -> int:
        """Nombre de lignes de données (approché par le nombre de fins de ligne pour un CSV non découpé)."""
        if self._lignes is None and self.corps is not None:
            return self.corps.count("\n") + (0 if self.corps.endswith("\n") else 1)
        return len(self.lignes)

    def morceaux_bruts(self, n: int, *, poids_premier: float = 1.0) -> list[tuple[int, str]] | None:
        """Le corps d'un CSV coupé en `n` morceaux de lignes entières : (numéro de la 1re ligne, texte).

        `poids_premier` : la taille du premier morceau rapportée à celle des autres (le processus principal,
        qui n'a pas à recopier ses pages ni à écrire un fichier intermédiaire, en prend un peu plus).
        None si le fichier contient des guillemets : une cellule entre guillemets peut contenir une fin de
        ligne, et seul un découpage séquentiel est alors sûr.
        """
        if self.genre != "csv" or self._lignes is not None or self.corps is None or '"' in self.corps:
            return None
        corps, debut, numero = self.corps, 0, 2
        morceaux: list[tuple[int, str]] = []
        taille = int(len(corps) / (n - 1 + poids_premier)) + 1
        premier = int(taille * poids_premier)
        while debut < len(corps):
            fin = corps.find("\n", min(debut + (premier if not morceaux else taille), len(corps) - 1))
            fin = len(corps) if fin < 0 else fin + 1
            morceaux.append((numero, corps[debut:fin]))
            numero += corps.count("\n", debut, fin)
            debut = fin
        return morceaux

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


def decouper_csv(texte: str, separateur: str, premier_numero: int, source: str) -> list[tuple[int, list[str]]]:
    """Les lignes (numéro, cellules) d'un texte CSV.

    Sans guillemet, sans retour chariot isolé ni caractère nul, une ligne est exactement le texte entre deux
    fins de ligne et une cellule le texte entre deux séparateurs : `str.split` donne alors les mêmes cellules
    que le module `csv` (testé), plus vite. Dans tous les autres cas, le module `csv` découpe.
    """
    if '"' not in texte and "\0" not in texte:
        unix = texte.replace("\r\n", "\n") if "\r" in texte else texte
        if "\r" not in unix and "\n\n" not in unix and not unix.startswith("\n"):  # ni ligne vide
            lignes = unix.split("\n")
            if lignes[-1] == "":
                lignes.pop()  # la fin de ligne finale ne commence pas de ligne
            return list(enumerate(map(str.split, lignes, repeat(separateur)), start=premier_numero))
    lecteur = csv.reader(io.StringIO(texte, newline=""), delimiter=separateur)
    try:
        return list(enumerate(lecteur, start=premier_numero))
    except csv.Error as exc:
        raise ContenuInvalide(
            f"{Path(source).name}, ligne {premier_numero + lecteur.line_num - 1} : CSV mal formé ({exc})."
        ) from None


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
    if not premiere.strip():
        raise ContenuInvalide(f"{chemin.name} : le fichier est vide ; la ligne 1 doit porter les en-têtes.")
    if '"' in premiere:  # en-tête entre guillemets (peut-être sur plusieurs lignes) : découpage complet
        lignes = decouper_csv(texte, separateur, 1, str(chemin))
        _, entetes = lignes[0]
        return Tableau(str(chemin), "csv", entetes, lignes[1:], separateur, encodage)
    entetes = next(csv.reader([premiere.rstrip("\r")], delimiter=separateur))
    corps = "" if fin_entete < 0 else texte[fin_entete + 1 :]
    return Tableau(str(chemin), "csv", entetes, None, separateur, encodage, corps)


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
