"""Écrire dans l'historique. À appeler dans la transaction du changement tracé (atomique : tout ou rien)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from examens.apps.historique.models import Trace


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
