"""Tâches de fond de la planification (django.tasks, file « planification »).

Chaque tâche planifie un centre : lancez autant de `examens gerer db_worker --queue-name planification` que
de centres à planifier en parallèle, sur cette machine ou sur d'autres reliées à la même base PostgreSQL.
"""

from __future__ import annotations

from typing import Any

from django.tasks import task

from examens.apps.planification.services import executer_etape

FILE = "planification"


@task(queue_name=FILE)
def planifier_centre_en_tache(etape_id: int) -> dict[str, Any]:
    """Planifie le centre d'une étape de campagne (`services.planifier_session`)."""
    return executer_etape(etape_id)
