"""Composition des commissions d'interrogation à partir des examinateurs.

*Règlement* §2 : E4 et E6 — deux membres, un enseignant du bloc (bloc 1 pour E4, bloc 3 pour E6) et un
professionnel ; à défaut de professionnel, un enseignant des matières professionnelles NDRC le remplace
(la commission est alors signalée). E5B — deux examinateurs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum


class Qualite(StrEnum):
    ENSEIGNANT = "enseignant"
    PROFESSIONNEL = "professionnel"


@dataclass(frozen=True, slots=True)
class Intervenant:
    """Un examinateur convocable ; `blocs` : blocs de compétences qu'un enseignant peut évaluer."""

    id: str
    qualite: Qualite
    etablissement: str | None = None
    blocs: frozenset[int] = field(default_factory=frozenset)


@dataclass(frozen=True, slots=True)
class Composition:
    membres: tuple[str, str]
    sans_professionnel: bool  # deux enseignants : à signaler au centre

    @property
    def alerte(self) -> str | None:
        if self.sans_professionnel:
            return "commission sans professionnel : un enseignant de NDRC le remplace (Règlement §2)"
        return None


def composer_commissions(
    intervenants: Sequence[Intervenant],
    *,
    bloc: int,
    nombre: int,
    affinite: Callable[[str, str], int] | None = None,
) -> list[Composition]:
    """Forme jusqu'à `nombre` commissions pour le bloc : enseignant du bloc + professionnel d'abord.

    Les binômes mixtes sont formés tant qu'il reste enseignants du bloc et professionnels ; à défaut de
    professionnel, le second membre est un autre enseignant (commission signalée). Un examinateur ne
    siège que dans une commission ; on évite d'associer deux membres du même établissement, pour
    laisser aux candidats de chaque établissement une commission sans conflit.

    `affinite(titulaire, second)` (facultative) : plus elle est grande, mieux les deux vont ensemble (par ex.
    le nombre de demi-journées où tous deux sont disponibles : une commission ne siège que quand ses deux
    membres sont là) ; le second membre est alors le professionnel (ou, à défaut, l'enseignant) de plus
    grande affinité, l'ordre des identifiants départageant.
    """
    enseignants = sorted(
        (x for x in intervenants if x.qualite is Qualite.ENSEIGNANT and bloc in x.blocs), key=lambda x: x.id
    )
    autres_enseignants = sorted(
        (x for x in intervenants if x.qualite is Qualite.ENSEIGNANT and bloc not in x.blocs), key=lambda x: x.id
    )
    professionnels = sorted((x for x in intervenants if x.qualite is Qualite.PROFESSIONNEL), key=lambda x: x.id)
    resultat: list[Composition] = []
    while len(resultat) < nombre and enseignants:
        titulaire = enseignants.pop(0)
        if professionnels:
            second = professionnels[0]
            if affinite is not None:
                score = affinite
                second = max(professionnels, key=lambda x: score(titulaire.id, x.id))  # premier des ex aequo
            professionnels.remove(second)
            resultat.append(Composition((titulaire.id, second.id), sans_professionnel=False))
            continue
        reserve = autres_enseignants + enseignants
        if not reserve:
            break
        sans_conflit = [x for x in reserve if x.etablissement is None or x.etablissement != titulaire.etablissement]
        if affinite is not None:
            score = affinite
            second = max(sans_conflit or reserve, key=lambda x: score(titulaire.id, x.id))
        else:
            second = (sans_conflit or reserve)[0]
        (autres_enseignants if second in autres_enseignants else enseignants).remove(second)
        resultat.append(Composition((titulaire.id, second.id), sans_professionnel=True))
    return resultat
