"""L'historique inaltérable : chaque acte qui compte (note, état, décision de conformité ou de jury) laisse
une trace — qui, quand, avant, après, pourquoi — écrite dans la même transaction que le changement.

Une trace ne se modifie ni ne s'efface : ni par l'ORM (save, delete, update, delete de masse lèvent
`TraceInalterable`), ni en SQL (déclencheurs SQLite et PostgreSQL posés par la migration 0002).
L'objet tracé est désigné par son type et son identifiant en texte, sans clé étrangère : supprimer un
candidat ne supprime pas son historique.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.utils import timezone


class TraceInalterable(Exception):
    """Tentative de modifier ou d'effacer une trace de l'historique."""

    def __init__(self) -> None:
        super().__init__("L'historique est inaltérable : une trace ne peut être ni modifiée ni effacée.")


class TraceQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise TraceInalterable

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TraceInalterable

    def pour(self, objet_type: str, objet_id: object) -> TraceQuerySet:
        return self.filter(objet_type=objet_type, objet_id=str(objet_id)).order_by("quand", "id")


class Trace(models.Model):
    class Action(models.TextChoices):
        CREATION = "creation", "création"
        MODIFICATION = "modification", "modification"
        SUPPRESSION = "suppression", "suppression"
        DECISION = "decision", "décision"
        CONSULTATION = "consultation", "consultation"  # lecture d'une donnée sensible (correspondance, pièces)

    quand = models.DateTimeField("quand", default=timezone.now, db_index=True)
    acteur = models.CharField("acteur", max_length=150, help_text="identifiant de la personne, ou « système »")
    action = models.CharField("action", max_length=20, choices=Action.choices)
    objet_type = models.CharField("type d'objet", max_length=100)
    objet_id = models.CharField("identifiant de l'objet", max_length=100)
    objet_libelle = models.CharField("objet", max_length=255, blank=True)
    avant = models.JSONField("avant", null=True, blank=True)
    apres = models.JSONField("après", null=True, blank=True)
    motif = models.TextField("motif", blank=True)

    objects: ClassVar[TraceQuerySet] = TraceQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = "trace"
        verbose_name_plural = "historique"
        ordering: ClassVar = ["quand", "id"]
        indexes: ClassVar = [models.Index(fields=["objet_type", "objet_id"], name="trace_objet")]

    def __str__(self) -> str:
        return f"{self.quand:%d/%m/%Y %H:%M} — {self.acteur} — {self.get_action_display()} {self.objet_libelle}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise TraceInalterable
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TraceInalterable
