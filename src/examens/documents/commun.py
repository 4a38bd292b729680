"""Données communes à plusieurs documents : l'édition, le centre d'examen, l'identité d'un candidat."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from examens.documents.donnees import Donnees
from examens.documents.textes import academie_de, date_courte

DIVISION = "Division des examens et concours"
SPECIALITE = "BTS Négociation et Digitalisation de la Relation Client"


@dataclass(frozen=True, slots=True, kw_only=True)
class Edition(Donnees):
    """Ce qui identifie une édition d'un document, imprimé dans l'en-tête et le pied de chaque page.

    `emis_le` (UTC) est aussi la date de création du PDF : un document réédité avec les mêmes données et
    la même date est identique octet pour octet. `fuseau` : fuseau IANA d'affichage de cette date (celui
    de l'académie ou du centre émetteur).
    """

    reference: str
    emis_le: datetime
    academie: str  # « Mayotte », « Clermont-Ferrand » : l'en-tête écrit « Académie de Mayotte »
    version: int = 1
    fuseau: str = "Europe/Paris"
    session: int = 2022
    specialite: str = SPECIALITE

    @property
    def ligne_academie(self) -> str:
        return f"{academie_de(self.academie)} — {DIVISION}"

    @property
    def ligne_session(self) -> str:
        return f"{self.specialite} — session {self.session}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Centre(Donnees):
    """Un centre d'examen ; ses heures se montrent dans son fuseau IANA (« Indian/Mayotte »)."""

    code: str  # UAI
    nom: str
    adresse: tuple[str, ...] = ()  # lignes d'adresse, code postal et ville compris
    fuseau: str = "Europe/Paris"

    @property
    def adresse_sur_une_ligne(self) -> str:
        return ", ".join(self.adresse)


@dataclass(frozen=True, slots=True, kw_only=True)
class IdentiteCandidat(Donnees):
    numero: str
    nom: str
    prenoms: str
    date_naissance: date

    @property
    def nom_complet(self) -> str:
        """« N'GUESSAN-MÜLLER Œdipe » : nom d'usage en capitales puis prénoms."""
        return f"{self.nom.upper()} {self.prenoms}"

    @property
    def naissance(self) -> str:
        return date_courte(self.date_naissance)


def libelle_epreuve(code: str, intitule: str) -> str:
    """« E4 — Relation client et négociation-vente » ; un code long (ENGAGEMENT) n'est pas répété."""
    return intitule if len(code) > 4 or not code else f"{code} — {intitule}"
