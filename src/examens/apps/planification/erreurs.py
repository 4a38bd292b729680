"""Erreurs de la planification en base : un code stable et un message français qui dit quoi faire."""

from __future__ import annotations

from examens.core.erreurs import ErreurExamens


class PlanificationImpossible(ErreurExamens):
    """Le centre ne peut pas être planifié tel qu'il est en base (pas de loge, pas de disponibilité…)."""

    code = "planification_impossible"


class PlanningInvalide(ErreurExamens):
    """Le vérificateur indépendant refuse le planning calculé : rien n'est enregistré."""

    code = "planning_invalide"


class DeplacementRefuse(ErreurExamens):
    """Un déplacement manuel de passage que le vérificateur indépendant refuse : `regles` nomme les règles du
    format enfreintes (« règle 4 : commission et examinateur jamais à deux endroits ») ; rien n'est écrit."""

    code = "deplacement_refuse"

    def __init__(self, message: str, *, regles: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.regles = regles
