"""L'historique est inaltérable : ni par l'ORM, ni en SQL direct (déclencheurs SQLite et PostgreSQL)."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from examens.apps.historique.models import Trace, TraceInalterable
from examens.apps.historique.services import tracer, tracer_en_masse

pytestmark = pytest.mark.django_db


def _une_trace() -> Trace:
    with transaction.atomic():
        return tracer(
            acteur="gestionnaire.clermont",
            action=Trace.Action.MODIFICATION,
            objet_type="notes.note",
            objet_id=42,
            objet_libelle="22-000042 — E4",
            avant={"note": "8"},
            apres={"note": "13"},
            motif="erreur de report corrigée d'après la fiche signée",
        )


def test_une_trace_dit_qui_quand_avant_apres_pourquoi() -> None:
    t = _une_trace()
    relue = Trace.objects.pour("notes.note", 42).get()
    assert relue.pk == t.pk
    assert (relue.acteur, relue.avant, relue.apres) == ("gestionnaire.clermont", {"note": "8"}, {"note": "13"})
    assert relue.motif.startswith("erreur de report")
    assert relue.quand is not None


def test_tracer_hors_transaction_refuse(monkeypatch: pytest.MonkeyPatch) -> None:
    """La trace s'écrit avec le changement, dans sa transaction ; hors transaction, tracer() refuse."""
    # pytest-django enveloppe chaque test dans une transaction : on simule une connexion hors transaction.
    monkeypatch.setattr(transaction.get_connection(), "in_atomic_block", False)
    with pytest.raises(RuntimeError, match=r"transaction\.atomic"):
        tracer(acteur="x", action=Trace.Action.CREATION, objet_type="t", objet_id=1)
    monkeypatch.undo()
    assert not Trace.objects.exists()


@pytest.mark.parametrize(
    "tentative",
    [
        pytest.param(lambda t: t.save(), id="save d'une trace existante"),
        pytest.param(lambda t: t.delete(), id="delete d'une trace"),
        pytest.param(lambda t: Trace.objects.filter(pk=t.pk).update(motif="réécrit"), id="update de masse"),
        pytest.param(lambda t: Trace.objects.filter(pk=t.pk).delete(), id="delete de masse"),
    ],
)
def test_l_orm_refuse_de_modifier_ou_effacer(tentative) -> None:  # type: ignore[no-untyped-def]
    t = _une_trace()
    t.motif = "réécrit"
    with pytest.raises(TraceInalterable):
        tentative(t)
    assert Trace.objects.get(pk=t.pk).motif.startswith("erreur de report")


@pytest.mark.parametrize(
    "sql",
    [
        pytest.param("UPDATE historique_trace SET motif = 'réécrit' WHERE id = %s", id="UPDATE"),
        pytest.param("DELETE FROM historique_trace WHERE id = %s", id="DELETE"),
    ],
)
def test_la_base_refuse_le_sql_direct(sql: str) -> None:
    t = _une_trace()
    with pytest.raises(DatabaseError, match="inalterable"), transaction.atomic(), connection.cursor() as c:
        c.execute(sql, [t.pk])
    assert Trace.objects.get(pk=t.pk).motif.startswith("erreur de report")


def test_la_trace_survit_a_l_objet_trace() -> None:
    """Pas de clé étrangère : supprimer l'objet tracé ne touche pas son historique."""
    _une_trace()
    assert not Trace._meta.get_field("objet_id").is_relation
    assert Trace.objects.pour("notes.note", "42").count() == 1


def test_tracer_en_masse_dans_la_transaction_avec_acteur(monkeypatch: pytest.MonkeyPatch) -> None:
    def trace(acteur: str) -> Trace:
        return Trace(acteur=acteur, action=Trace.Action.CREATION, objet_type="notes.resultat", objet_id="1")

    with transaction.atomic():
        assert tracer_en_masse([trace("import:notes.csv"), trace("import:notes.csv")]) == 2
    with pytest.raises(ValueError, match="acteur"), transaction.atomic():
        tracer_en_masse([trace("")])
    monkeypatch.setattr(transaction.get_connection(), "in_atomic_block", False)
    with pytest.raises(RuntimeError, match=r"transaction\.atomic"):
        tracer_en_masse([trace("x")])
    monkeypatch.undo()
    assert Trace.objects.count() == 2
