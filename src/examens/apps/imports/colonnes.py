"""Lecture validée des cellules d'un tableau d'import : chaque erreur nomme la ligne, la colonne et la
correction attendue (« Ligne 14, colonne date_naissance (E) : date impossible « 31/02/2004 » ; écrivez
JJ/MM/AAAA. »). Les en-têtes se comparent sans casse, accents ni espaces (« Date naissance » = date_naissance).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from difflib import get_close_matches

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from examens.apps.imports.rapport import ErreurImport, RapportImport
from examens.tableaux.lecture import Tableau, iter_non_vides, lettre_colonne

VRAI = frozenset({"oui", "o", "1", "x", "vrai", "true", "yes"})
FAUX = frozenset({"non", "n", "0", "", "faux", "false", "no"})
_DATE_FR = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_DATE_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00(?::00)?)?")  # une date d'un classeur XLSX


def normaliser(texte: str) -> str:
    """« Date de naissance » → date_de_naissance ; « Prénoms » → prenoms."""
    sans_accents = unicodedata.normalize("NFKD", texte).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "_", sans_accents.lower()).strip("_")


@dataclass(frozen=True, slots=True)
class Colonne:
    """Une colonne d'un type d'import, telle que le modèle de fichier et la documentation la décrivent."""

    nom: str
    description: str
    valeurs: str = "texte"
    exemple: str = ""
    requise: bool = False  # la colonne doit figurer dans le fichier, et chaque cellule être remplie
    alias: tuple[str, ...] = ()


def choix(paires: Sequence[tuple[str, str]], **alias: str) -> dict[str, str]:
    """Valeurs permises d'une liste : la valeur, son libellé (« privé sous contrat ») et des alias sont acceptés."""
    table: dict[str, str] = {}
    for valeur, libelle in paires:
        table[normaliser(valeur)] = valeur
        table.setdefault(normaliser(libelle), valeur)
    for nom, valeur in alias.items():
        table.setdefault(normaliser(nom), valeur)
    return table


class Lignes:
    """Vérifie les en-têtes d'un tableau puis en donne les lignes non vides, chacune lue par `Ligne`."""

    def __init__(self, tableau: Tableau, colonnes: Sequence[Colonne], rapport: RapportImport) -> None:
        self.tableau = tableau
        self.rapport = rapport
        self.index: dict[str, int] = {}
        noms = {normaliser(c.nom): c.nom for c in colonnes}
        for c in colonnes:
            for alias in c.alias:
                noms[normaliser(alias)] = c.nom
        for i, entete in enumerate(tableau.entetes):
            if not entete.strip():
                continue
            nom = noms.get(normaliser(entete))
            if nom is None:
                proches = get_close_matches(normaliser(entete), [c.nom for c in colonnes], n=1)
                conseil = f"vouliez-vous écrire « {proches[0]} » ?" if proches else "supprimez-la ou renommez-la"
                self._erreur_entete(
                    i, f"colonne inconnue « {entete.strip()} » : {conseil} (colonnes permises : "
                    f"{', '.join(c.nom for c in colonnes)})."
                )  # fmt: skip
            elif nom in self.index:
                self._erreur_entete(
                    i, f"la colonne {nom} figure deux fois (déjà en {lettre_colonne(self.index[nom])}) ; gardez-en une."
                )
            else:
                self.index[nom] = i
        for c in colonnes:
            if c.requise and c.nom not in self.index:
                rapport.erreurs.append(
                    ErreurImport(
                        "Ligne 1",
                        f"colonne obligatoire « {c.nom} » absente ; ajoutez-la à l'en-tête ({c.description}).",
                        ligne=1,
                        colonne=c.nom,
                    )
                )
        self.colonnes = {c.nom: c for c in colonnes}

    def _erreur_entete(self, index: int, message: str) -> None:
        self.rapport.erreurs.append(
            ErreurImport(
                self.tableau.position(1, index),
                message,
                ligne=1,
                colonne=self.tableau.entetes[index],
                lettre=lettre_colonne(index),
                valeur=self.tableau.entetes[index],
            )
        )

    def present(self, nom: str) -> bool:
        return nom in self.index

    def __iter__(self) -> Iterator[Ligne]:
        for numero, cellules in iter_non_vides(self.tableau):
            self.rapport.lignes += 1
            yield Ligne(self, numero, cellules)


class Ligne:
    """Une ligne du tableau. Chaque lecteur rend la valeur, ou None s'il a noté une erreur (ou si la colonne
    est absente du fichier : le champ n'est alors pas modifié)."""

    __slots__ = ("cellules", "erreurs", "lignes", "numero")

    def __init__(self, lignes: Lignes, numero: int, cellules: list[str]) -> None:
        self.lignes = lignes
        self.numero = numero
        self.cellules = cellules
        self.erreurs = 0

    def present(self, nom: str) -> bool:
        return nom in self.lignes.index

    def cellule(self, nom: str) -> str | None:
        i = self.lignes.index.get(nom)
        if i is None:
            return None
        return self.cellules[i].strip() if i < len(self.cellules) else ""

    def erreur(self, nom: str, message: str) -> None:
        self.erreurs += 1
        i = self.lignes.index.get(nom)
        tableau = self.lignes.tableau
        self.lignes.rapport.erreurs.append(
            ErreurImport(
                tableau.position(self.numero, i) if i is not None else f"Ligne {self.numero}",
                message,
                ligne=self.numero,
                colonne=nom,
                lettre=lettre_colonne(i) if i is not None else "",
                valeur=(self.cellule(nom) or "") if i is not None else "",
            )
        )

    def _remplie(self, nom: str) -> str | None:
        """Le texte de la cellule ; None (et une erreur si la colonne est requise) si elle est vide."""
        texte = self.cellule(nom)
        if texte is None:
            return None
        if not texte:
            colonne = self.lignes.colonnes[nom]
            if colonne.requise:
                exemple = f", par ex. « {colonne.exemple} »" if colonne.exemple else ""
                self.erreur(nom, f"cellule vide ; indiquez {colonne.description}{exemple}.")
            return None
        return texte

    def texte(self, nom: str, *, longueur: int) -> str | None:
        texte = self.cellule(nom)
        if not texte:
            self._remplie(nom)  # cellule vide : erreur si la colonne est requise
            return texte
        if len(texte) > longueur:
            self.erreur(nom, f"{len(texte)} caractères, au plus {longueur} permis ; abrégez le texte.")
            return None
        return texte

    def courriel(self, nom: str) -> str | None:
        texte = self.texte(nom, longueur=254)
        if texte:
            try:
                validate_email(texte)
            except ValidationError:
                self.erreur(
                    nom, f"« {texte} » n'est pas une adresse électronique ; écrivez-la sous la forme nom@domaine.fr."
                )
                return None
        return texte

    def booleen(self, nom: str) -> bool | None:
        texte = self.cellule(nom)
        if texte is None:
            return None
        valeur = normaliser(texte)
        if valeur in VRAI:
            return True
        if valeur in FAUX:
            return False
        self.erreur(nom, f"« {texte} » n'est pas une réponse oui/non ; écrivez oui, non, 1, 0 ou x (vide = non).")
        return None

    def date(self, nom: str) -> date | None:
        texte = self._remplie(nom)
        if texte is None:
            return None
        if m := _DATE_FR.fullmatch(texte):
            jour, mois, annee = (int(g) for g in m.groups())
        elif m := _DATE_ISO.fullmatch(texte):
            annee, mois, jour = (int(g) for g in m.groups())
        else:
            self.erreur(nom, f"date illisible « {texte} » ; écrivez JJ/MM/AAAA, par ex. 14/03/2004.")
            return None
        try:
            valeur = date(annee, mois, jour)
        except ValueError:
            self.erreur(nom, f"date impossible « {texte} » ; écrivez JJ/MM/AAAA.")
            return None
        if annee < 1900 or valeur > date.today():  # noqa: DTZ011 — une date civile, sans fuseau
            self.erreur(nom, f"date invraisemblable « {texte} » ; vérifiez l'année (JJ/MM/AAAA).")
            return None
        return valeur

    def choix(self, nom: str, valeurs: Mapping[str, str], quoi: str) -> str | None:
        texte = self._remplie(nom)
        if texte is None:
            return None
        valeur = valeurs.get(normaliser(texte))
        if valeur is None:
            permises = ", ".join(dict.fromkeys(valeurs.values()))
            self.erreur(nom, f"« {texte} » n'est pas {quoi} ; écrivez l'une des valeurs : {permises}.")
        return valeur

    def reference[T](self, nom: str, table: Mapping[str, T], *, cle: str, quoi: str, correction: str) -> T | None:
        """Une référence à un objet en base (UAI, code de centre…), déjà normalisée en `cle`."""
        valeur = table.get(cle)
        if valeur is None:
            self.erreur(nom, f"{quoi} « {self.cellule(nom)} » inconnu ; {correction}")
        return valeur
