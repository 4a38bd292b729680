"""Fabriques des tests de conformité, de délibération et de jury : un candidat et ses notes en une ligne.

`noter(candidat, E1="12", E2="AB", …)` crée les résultats de la session ; les traits (`dispense`,
`conservee`, `controle`, `jury`, `suspendue`) couvrent les cas du règlement (§3 à §5).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from itertools import count

from examens.apps.candidats.models import Candidat, Dispense, NoteConservee
from examens.apps.notes.models import Etat, NoteControle, Resultat
from examens.apps.organisation.models import ExamSession

OBLIGATOIRES = ("E1", "E2", "E3", "E4", "E5A", "E5B", "E6")
_numeros = count(1)


def candidat(session: ExamSession, **autres: object) -> Candidat:
    valeurs: dict[str, object] = {
        "session": session,
        "numero": f"22-{next(_numeros):06d}",
        "nom": "MARTIN",
        "prenoms": "Léa",
        "date_naissance": date(2002, 3, 14),
        "mode_preparation": Candidat.ModePreparation.SCOLAIRE,
        "langue_e2": "anglais",
    }
    valeurs.update(autres)
    return Candidat.objects.create(**valeurs)


def noter(c: Candidat, **notes: str) -> Candidat:
    """Résultats de la session : « 12.5 » (note), « AB », « ABJ », « NV », « DI »."""
    for epreuve, valeur in notes.items():
        if valeur in ("AB", "ABJ", "NV", "DI"):
            Resultat.objects.create(candidat=c, epreuve=epreuve, etat=valeur)
        else:
            Resultat.objects.create(candidat=c, epreuve=epreuve, etat=Etat.NOTE, note_examinateur=Decimal(valeur))
    return c


def partout(valeur: str, **autres: str) -> dict[str, str]:
    """Toutes les épreuves obligatoires à `valeur`, sauf celles données."""
    notes = dict.fromkeys(OBLIGATOIRES, valeur)
    notes.update(autres)
    return notes


def dispense(c: Candidat, unite: str) -> None:
    Dispense.objects.create(candidat=c, unite=unite, titre="BTS MCO")


def conservee(c: Candidat, epreuve: str, note: str, annee: int = 2020, origine: str = "benefice") -> None:
    NoteConservee.objects.create(candidat=c, epreuve=epreuve, note=Decimal(note), annee=annee, origine=origine)


def controle(c: Candidat, **notes: str) -> None:
    for epreuve, valeur in notes.items():
        if valeur in ("AB", "ABJ"):
            NoteControle.objects.create(candidat=c, epreuve=epreuve, etat=valeur)
        else:
            NoteControle.objects.create(candidat=c, epreuve=epreuve, etat=Etat.NOTE, note=Decimal(valeur))


def points_jury(c: Candidat, epreuve: str, note: str) -> None:
    Resultat.objects.filter(candidat=c, epreuve=epreuve).update(note_jury=Decimal(note), motif_jury="assiduité")


def suspendre(c: Candidat, epreuve: str) -> None:
    Resultat.objects.filter(candidat=c, epreuve=epreuve).update(suspendue=True)
