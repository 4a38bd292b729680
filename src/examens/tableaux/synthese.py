"""Tableaux de notes synthétiques et réalistes, pour la démonstration et les benchmarks.

Un générateur à graine fixe : mêmes paramètres, même tableau. Les proportions imitent une session réelle
(≈ 75 % d'admis, quelques absents, des non-valides, des dispensés, des notes de contrôle, des parcours
progressifs incomplets) et chaque cas du règlement apparaît au moins une fois dans un tableau de
quelques milliers de lignes.
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Iterator
from decimal import Decimal

from examens.core.deliberation import Decision, deliberer_resultats
from examens.core.reglement import Reglement, reglement_fourni
from examens.core.resultats import Etat, Note, Resultat, centiemes

ENTETES_DELIBERATION = [
    "candidat",
    "parcours",
    "E1",
    "E2",
    "E3",
    "E4",
    "E5A",
    "E5B",
    "E6",
    "LV2",
    "ENGAGEMENT",
    "CONTROLE_E1",
    "CONTROLE_E2",
    "CONTROLE_E3",
]


def _note(rng: random.Random, moyenne: float, ecart: float = 3.0) -> str:  # tirage aléatoire, pas un calcul de note
    """Une note au demi-point, écrite à la française (« 12,5 »)."""
    demi_points = round(rng.gauss(moyenne, ecart) * 2)
    demi_points = min(40, max(0, demi_points))
    entier, demi = divmod(demi_points, 2)
    return f"{entier},5" if demi else str(entier)


def lignes_deliberation(n: int, *, graine: int = 2022, controle: bool = True) -> Iterator[list[str]]:
    """`n` lignes de candidats (sans l'en-tête), dans l'ordre du contrat de `examens deliberer`."""
    rng = random.Random(graine)
    reglement = reglement_fourni("bts-ndrc-2022")
    for i in range(n):
        niveau = rng.gauss(11.8, 2.3)  # niveau propre au candidat : les notes d'un candidat sont corrélées
        notes = [_note(rng, niveau + rng.uniform(-1.0, 1.0)) for _ in range(7)]
        parcours = ""
        tirage = rng.random()
        if tirage < 0.015:
            notes[rng.randrange(7)] = "AB"
        elif tirage < 0.025:
            notes[rng.choice((3, 6))] = "NV"
        elif tirage < 0.045:
            notes[rng.randrange(7)] = "ABJ"
        elif tirage < 0.07:
            notes[rng.choice((0, 2))] = "DI"
        elif tirage < 0.085:
            parcours = "progressive"
            for j in rng.sample(range(7), rng.randint(1, 4)):
                notes[j] = ""
        elif tirage < 0.09:
            parcours = "progressive"
        lv2 = _note(rng, 11.5) if rng.random() < 0.25 else ""
        if lv2 and rng.random() < 0.05:
            lv2 = "AB"
        engagement = _note(rng, 13.0) if rng.random() < 0.08 else ""
        ligne = [f"22-{i + 1:06d}", parcours, *notes, lv2, engagement, "", "", ""]
        if (
            controle
            and not parcours
            and _candidat_au_controle(reglement, notes, lv2, engagement)
            and rng.random() < 0.8
        ):
            generales = [j for j in (0, 1, 2) if notes[j] != "DI"]
            for j in rng.sample(generales, min(2, len(generales))):
                ligne[11 + j] = "AB" if rng.random() < 0.04 else _note(rng, niveau + 1.0)
        yield ligne


def _resultat(texte: str) -> Resultat | None:
    if not texte:
        return None
    if texte in {"AB", "ABJ", "NV", "DI"}:
        return Etat(texte)
    return Note(centiemes(Decimal(texte.replace(",", "."))))


def _candidat_au_controle(reglement: Reglement, notes: list[str], lv2: str, engagement: str) -> bool:
    """Le moteur lui-même dit si ce candidat est admissible au contrôle (§4.4)."""
    resultats = {
        code: r
        for code, texte in zip(
            ("E1", "E2", "E3", "E4", "E5A", "E5B", "E6", "LV2", "ENGAGEMENT"), [*notes, lv2, engagement], strict=True
        )
        if (r := _resultat(texte)) is not None
    }
    return deliberer_resultats(reglement, "", resultats).decision is Decision.CONTROLE


def csv_deliberation(n: int, *, graine: int = 2022, controle: bool = True) -> str:
    """Le tableau complet au format CSV d'Excel français (séparateur « ; »)."""
    sortie = io.StringIO(newline="")
    w = csv.writer(sortie, delimiter=";", lineterminator="\r\n")
    w.writerow(ENTETES_DELIBERATION)
    w.writerows(lignes_deliberation(n, graine=graine, controle=controle))
    return sortie.getvalue()
