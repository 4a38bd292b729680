"""Tâches de fond des éditions et envois (django.tasks, file en base traitée par `examens gerer db_worker`).

Une tâche reçoit l'identifiant d'un `Travail` : les paramètres et la progression sont en base, si bien
qu'un worker sur une autre machine pointant vers la même base peut l'exécuter, et qu'un travail interrompu
se relance (`examens travaux --reprendre N`) sans doublon.
"""

from __future__ import annotations

from django.tasks import task

from examens.apps.editions.models import Travail


@task(queue_name="documents")
def executer_travail(travail_id: int) -> dict[str, int]:
    from examens.apps.editions.travaux import executer

    travail = Travail.objects.get(pk=travail_id)
    executer(travail)
    travail.refresh_from_db()
    return {"total": travail.total, "fait": travail.fait, "nouveaux": travail.nouveaux}


def lancer_en_tache(travail: Travail) -> Travail:
    resultat = executer_travail.enqueue(travail.pk)
    Travail.objects.filter(pk=travail.pk).update(tache=str(resultat.id))
    travail.refresh_from_db()
    return travail
