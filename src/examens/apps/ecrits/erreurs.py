"""Les erreurs des épreuves écrites : un code stable et un message français qui dit quoi faire."""

from __future__ import annotations

from examens.core.ecrits import RepartitionImpossible
from examens.core.erreurs import ErreurExamens

__all__ = [
    "AffectationImpossible",
    "AnonymatImpossible",
    "HarmonisationImpossible",
    "IncidentInvalide",
    "JustificatifRefuse",
    "PresenceImpossible",
    "RepartitionImpossible",
    "SaisieImpossible",
    "SurveillanceImpossible",
]


class PresenceImpossible(ErreurExamens):
    code = "presence_impossible"


class SurveillanceImpossible(ErreurExamens):
    code = "surveillance_impossible"


class IncidentInvalide(ErreurExamens):
    code = "incident_invalide"


class JustificatifRefuse(ErreurExamens):
    code = "justificatif_refuse"


class AnonymatImpossible(ErreurExamens):
    code = "anonymat_impossible"


class AffectationImpossible(ErreurExamens):
    code = "affectation_impossible"


class SaisieImpossible(ErreurExamens):
    code = "saisie_impossible"


class HarmonisationImpossible(ErreurExamens):
    code = "harmonisation_impossible"
