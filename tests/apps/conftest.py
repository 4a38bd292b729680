"""Données de base des tests des applications : une session NDRC 2022 et son académie pilote."""

from __future__ import annotations

import signal
from collections.abc import Iterator

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


@pytest.fixture
def worker_dans_le_test(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Le vrai `db_worker`, dans la transaction du test : il ne doit pas fermer la connexion (ce qui
    annulerait la transaction du test) ; ses gestionnaires de signaux sont rendus ensuite."""
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    avant = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    yield
    for s, gestionnaire in avant.items():
        signal.signal(s, gestionnaire)
