"""Écrire dans l'historique. À appeler dans la transaction du changement tracé (atomique : tout ou rien)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from examens.apps.historique.models import Trace
from examens.apps.insertion import inserer_en_masse


def tracer(
    *,
    acteur: str,
    action: Trace.Action,
    objet_type: str,
    objet_id: object,
    objet_libelle: str = "",
    avant: dict[str, Any] | None = None,
    apres: dict[str, Any] | None = None,
    motif: str = "",
) -> Trace:
    """Ajoute une trace. Refuse d'être appelé hors d'une transaction : la trace et le changement vont ensemble."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("tracer() doit être appelé dans transaction.atomic(), avec le changement qu'il trace.")
    if not acteur:
        raise ValueError("Une trace nomme toujours son acteur (une personne, ou « système »).")
    return Trace.objects.create(
        acteur=acteur,
        action=action,
        objet_type=objet_type,
        objet_id=str(objet_id),
        objet_libelle=objet_libelle,
        avant=avant,
        apres=apres,
        motif=motif,
    )


CHAMPS_TRACE = ("quand", "acteur", "action", "objet_type", "objet_id", "objet_libelle", "avant", "apres", "motif")


def tracer_en_masse(traces: list[Trace]) -> int:
    """Ajoute des traces préparées (imports, délibérations de masse) en un nombre constant de requêtes.

    Mêmes garanties que `tracer` : dans la transaction du changement, chaque trace nomme son acteur.
    L'écriture passe par `inserer_en_masse` (executemany, COPY sous PostgreSQL) : 25 000 traces en
    moins d'une seconde.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("tracer_en_masse() doit être appelé dans transaction.atomic(), avec les changements tracés.")
    for trace in traces:
        if not trace.acteur:
            raise ValueError("Une trace nomme toujours son acteur (une personne, ou « système »).")
        if trace.pk is not None:
            raise ValueError("tracer_en_masse() n'ajoute que des traces nouvelles.")
    inserer_en_masse(
        Trace,
        list(CHAMPS_TRACE),
        [
            (
                t.quand,
                t.acteur,
                str(t.action),
                t.objet_type,
                str(t.objet_id),
                t.objet_libelle,
                t.avant,
                t.apres,
                t.motif,
            )
            for t in traces
        ],
    )
    return len(traces)
