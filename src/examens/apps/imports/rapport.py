"""Le rapport d'un import : ce qui serait (ou a été) créé, modifié, laissé tel quel, et toutes les erreurs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal


@dataclass(frozen=True, slots=True)
class ErreurImport:
    """Une erreur située : `position` est « Ligne 14, colonne date_naissance (E) » ou « Ligne 1 »."""

    position: str
    message: str
    ligne: int | None = None
    colonne: str = ""
    lettre: str = ""
    valeur: str = ""

    def __str__(self) -> str:
        return f"{self.position} : {self.message}" if self.position else self.message


@dataclass(frozen=True, slots=True)
class Changement:
    """Une création ou une modification : `champs` donne, pour une modification, (avant, après) par champ."""

    action: Literal["creation", "modification"]
    ligne: int
    cle: str
    champs: dict[str, tuple[Any, Any]] = field(default_factory=dict)

    def __str__(self) -> str:
        if self.action == "creation":
            return f"ligne {self.ligne} : création de {self.cle}"
        detail = " ; ".join(f"{nom} : {_court(a)} → {_court(b)}" for nom, (a, b) in self.champs.items())
        return f"ligne {self.ligne} : modification de {self.cle} ({detail})"


def _court(valeur: Any) -> str:
    if valeur is None or valeur == "":
        return "(vide)"
    if isinstance(valeur, bool):
        return "oui" if valeur else "non"
    return str(valeur)


@dataclass
class RapportImport:
    type: str
    fichier: str
    lignes: int = 0
    crees: int = 0
    modifies: int = 0
    inchanges: int = 0
    traces: int = 0
    applique: bool = False
    changements: list[Changement] = field(default_factory=list)
    erreurs: list[ErreurImport] = field(default_factory=list)

    @property
    def valide(self) -> bool:
        return not self.erreurs

    def resume(self) -> str:
        if self.applique:
            bilan = f"créés : {self.crees}, modifiés : {self.modifies}, inchangés : {self.inchanges}"
        else:
            bilan = f"à créer : {self.crees}, à modifier : {self.modifies}, inchangés : {self.inchanges}"
        return f"{self.fichier} ({self.type}, {self.lignes} ligne(s)) — {bilan}."
