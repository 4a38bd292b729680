"""Résultats d'une épreuve : une note exacte ou un code (AB, ABJ, NV, DI) — §3 du règlement.

Les notes sont des entiers de centièmes de point (12,5 → 1250) : arithmétique exacte, jamais de float,
et compatible avec tout pas de notation multiple de 0,01.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal, InvalidOperation
from enum import StrEnum

from examens.core.erreurs import ErreurExamens


class Etat(StrEnum):
    """Code porté à la place d'une note (§3)."""

    ABSENT = "AB"
    ABSENT_JUSTIFIE = "ABJ"
    NON_VALIDE = "NV"
    DISPENSE = "DI"

    @property
    def label(self) -> str:
        return _LABELS_ETAT[self]


_LABELS_ETAT = {
    Etat.ABSENT: "absent",
    Etat.ABSENT_JUSTIFIE: "absent justifié",
    Etat.NON_VALIDE: "non valide",
    Etat.DISPENSE: "dispensé",
}


class Origine(StrEnum):
    """D'où vient une note (§5)."""

    SESSION = "session"
    BENEFICE = "benefice"  # note >= 10 conservée d'une session antérieure
    REPORT = "report"  # note < 10 reportée (forme progressive)

    @property
    def label(self) -> str:
        return {"session": "session en cours", "benefice": "bénéfice", "report": "report"}[self.value]


@dataclass(frozen=True, slots=True)
class Note:
    """Une note exacte, en centièmes de point. `suspendue` : note retenue en attente d'une vérification (§6)."""

    centiemes: int
    origine: Origine = Origine.SESSION
    annee: int | None = None
    suspendue: bool = False
    # Note de la session, non suspendue : le cas courant, que le moteur traite sans autre vérification.
    courante: bool = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "courante", self.origine is Origine.SESSION and not self.suspendue)

    @property
    def valeur(self) -> Decimal:
        return Decimal(self.centiemes).scaleb(-2).normalize() if self.centiemes else Decimal(0)

    def __str__(self) -> str:
        return format_centiemes(self.centiemes, virgule=True, minimal=True)


Resultat = Note | Etat


_ECRITURE_NOTE = re.compile(r"-?[0-9]+(\.[0-9]+)?|-?\.[0-9]+")


class NoteInvalide(ErreurExamens):
    code = "note_invalide"


def centiemes(valeur: Decimal) -> int:
    """Décimal → centièmes (exact ; refuse plus de deux décimales)."""
    c = valeur * 100
    if c != c.to_integral_value():
        raise NoteInvalide(f"« {valeur} » a plus de deux décimales.")
    return int(c)


def lire_note(texte: str, *, maximum: Decimal, pas: Decimal) -> Note:
    """Lit une note écrite « 12,5 » ou « 12.5 » et vérifie bornes et pas. Message français sinon."""
    brut = texte.strip().replace(",", ".")
    # Seule l'écriture décimale ordinaire est une note : ni « 1e1 », ni « 1_2 », ni « +12 », ni « Infinity ».
    if not _ECRITURE_NOTE.fullmatch(brut):
        raise NoteInvalide(f"« {texte} » n'est ni une note ni un code reconnu.")
    try:
        valeur = Decimal(brut)
    except InvalidOperation:  # pragma: no cover - exclu par l'expression régulière
        raise NoteInvalide(f"« {texte} » n'est ni une note ni un code reconnu.") from None
    if valeur < 0:
        raise NoteInvalide(f"la note « {texte} » est négative : une note va de 0 à {_fr(maximum)}.")
    if valeur > maximum:
        raise NoteInvalide(f"la note « {texte} » dépasse {_fr(maximum)}.")
    if valeur % pas != 0:
        raise NoteInvalide(
            f"la note « {texte} » n'est pas un multiple de {_fr(pas)} (ex. {_fr(_inferieur(valeur, pas))} "
            f"ou {_fr(_inferieur(valeur, pas) + pas)})."
        )
    return Note(centiemes(valeur))


def note_ccf(situations: Sequence[Decimal], *, pas: Decimal, poids: Sequence[int] | None = None) -> Note:
    """Note d'épreuve issue de plusieurs situations de CCF : moyenne (pondérée) arrondie au pas supérieur (§3)."""
    if not situations:
        raise NoteInvalide("aucune note de situation de CCF.")
    poids = poids or [1] * len(situations)
    if len(poids) != len(situations):
        raise NoteInvalide("il faut autant de poids que de situations.")
    moyenne = sum((Decimal(p) * s for p, s in zip(poids, situations, strict=True)), Decimal(0)) / sum(poids)
    arrondie = (moyenne / pas).to_integral_value(rounding=ROUND_CEILING) * pas
    return Note(centiemes(arrondie))


def _inferieur(valeur: Decimal, pas: Decimal) -> Decimal:
    return (valeur // pas) * pas


def _fr(d: Decimal) -> str:
    s = format(d.normalize(), "f")
    return s.replace(".", ",")


def format_centiemes(c: int, *, virgule: bool = False, minimal: bool = False) -> str:
    """Centièmes → texte à deux décimales (« 214.50 »), ou minimal (« 12,5 »)."""
    signe = "-" if c < 0 else ""
    entier, reste = divmod(abs(c), 100)
    texte = f"{signe}{entier}.{reste:02d}"
    if minimal:
        texte = texte.rstrip("0").rstrip(".")
    return texte.replace(".", ",") if virgule else texte
