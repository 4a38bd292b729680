"""Examinateurs : qualité, bloc ou langue, établissement d'exercice (conflit d'intérêts, §2), disponibilités."""

from __future__ import annotations

from typing import ClassVar

from django.db import models


class Examinateur(models.Model):
    class Qualite(models.TextChoices):
        ENSEIGNANT = "enseignant", "enseignant"
        PROFESSIONNEL = "professionnel", "professionnel"

    session = models.ForeignKey("organisation.ExamSession", on_delete=models.PROTECT, related_name="examinateurs")
    code = models.CharField("code", max_length=20, help_text="identifiant stable, par ex. X0042")
    nom = models.CharField("nom", max_length=100)
    prenom = models.CharField("prénom", max_length=100)
    courriel = models.EmailField("courriel", blank=True)
    qualite = models.CharField("qualité", max_length=20, choices=Qualite.choices)
    bloc = models.PositiveSmallIntegerField("bloc de compétences", null=True, blank=True)
    langue = models.CharField("langue interrogée", max_length=40, blank=True)
    etablissement = models.ForeignKey(
        "candidats.Etablissement",
        verbose_name="établissement d'exercice",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="examinateurs",
        help_text="un examinateur n'interroge jamais en ponctuel un candidat de son établissement",
    )
    academie = models.ForeignKey("organisation.Academie", on_delete=models.PROTECT, related_name="examinateurs")

    class Meta:
        verbose_name = "examinateur"
        ordering: ClassVar = ["nom", "prenom"]
        constraints: ClassVar = [models.UniqueConstraint(fields=["session", "code"], name="examinateur_code_unique")]

    def __str__(self) -> str:
        return f"{self.prenom} {self.nom} ({self.get_qualite_display()})"


class Disponibilite(models.Model):
    class DemiJournee(models.TextChoices):
        MATIN = "matin", "matin"
        APRES_MIDI = "apres_midi", "après-midi"

    examinateur = models.ForeignKey(Examinateur, on_delete=models.CASCADE, related_name="disponibilites")
    date = models.DateField("date")
    demi_journee = models.CharField("demi-journée", max_length=20, choices=DemiJournee.choices)

    class Meta:
        verbose_name = "disponibilité"
        ordering: ClassVar = ["date", "demi_journee"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["examinateur", "date", "demi_journee"], name="disponibilite_unique")
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.get_demi_journee_display()}"
