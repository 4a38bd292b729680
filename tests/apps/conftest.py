"""Données de base des tests des applications : une session NDRC 2022 et son académie pilote."""

from __future__ import annotations

import pytest

from examens.apps.organisation.models import Academie, ExamSession


@pytest.fixture
def clermont(db: None) -> Academie:
    return Academie.objects.create(code="clermont-ferrand", nom="Clermont-Ferrand")


@pytest.fixture
def session(clermont: Academie) -> ExamSession:
    return ExamSession.objects.create(
        code="bts-ndrc-2022", intitule="BTS NDRC 2022", reglement="bts-ndrc-2022", academie_pilote=clermont
    )
