"""Résultats par candidat et par épreuve (§3) : note d'examinateur et note après jury séparées, état,
situations de CCF, note conservée, notes de contrôle. Une note s'écrit par les services, qui la tracent.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models


class Etat(models.TextChoices):
    NOTE = "note", "note"
    ABSENT = "AB", "absent"
    ABSENT_JUSTIFIE = "ABJ", "absent justifié"
    NON_VALIDE = "NV", "non valide"
    DISPENSE = "DI", "dispensé"


class Origine(models.TextChoices):
    SESSION = "session", "session en cours"
    BENEFICE = "benefice", "bénéfice"
    REPORT = "report", "report"


class Resultat(models.Model):
    candidat = models.ForeignKey("candidats.Candidat", on_delete=models.CASCADE, related_name="resultats")
    epreuve = models.CharField("épreuve", max_length=20)
    etat = models.CharField("état", max_length=10, choices=Etat.choices, default=Etat.NOTE)
    note_examinateur = models.DecimalField(
        "note de l'examinateur", max_digits=4, decimal_places=2, null=True, blank=True
    )
    note_jury = models.DecimalField(
        "note après jury",
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="points de jury : la note relevée par le jury, qui sert à la décision",
    )
    motif_jury = models.TextField("motif des points de jury", blank=True)
    suspendue = models.BooleanField("note suspendue (doute sur le dossier)", default=False)
    origine = models.CharField("origine", max_length=20, choices=Origine.choices, default=Origine.SESSION)
    annee = models.PositiveIntegerField("année de la note conservée", null=True, blank=True)

    class Meta:
        verbose_name = "résultat"
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["candidat", "epreuve"], name="resultat_unique"),
            models.CheckConstraint(
                condition=models.Q(note_examinateur__isnull=True)
                | models.Q(note_examinateur__gte=0, note_examinateur__lte=20),
                name="resultat_note_0_20",
            ),
            models.CheckConstraint(
                condition=models.Q(note_jury__isnull=True) | models.Q(note_jury__gte=models.F("note_examinateur")),
                name="resultat_jury_ne_baisse_pas",
            ),
            models.CheckConstraint(
                condition=~models.Q(etat="note") | models.Q(note_examinateur__isnull=False),
                name="resultat_note_presente",
            ),
        ]

    def __str__(self) -> str:
        valeur = self.note_jury or self.note_examinateur if self.etat == Etat.NOTE else self.etat
        return f"{self.candidat.numero} {self.epreuve} : {valeur}"


class SituationCCF(models.Model):
    resultat = models.ForeignKey(Resultat, on_delete=models.CASCADE, related_name="situations")
    numero = models.PositiveSmallIntegerField("situation n°")
    note = models.DecimalField("note", max_digits=4, decimal_places=2)

    class Meta:
        verbose_name = "situation de CCF"
        verbose_name_plural = "situations de CCF"
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["resultat", "numero"], name="situation_unique"),
            models.CheckConstraint(condition=models.Q(note__gte=0, note__lte=20), name="situation_note_0_20"),
        ]


class NoteControle(models.Model):
    """Note d'une épreuve de contrôle (second groupe, D.2022-850)."""

    candidat = models.ForeignKey("candidats.Candidat", on_delete=models.CASCADE, related_name="notes_controle")
    epreuve = models.CharField("épreuve", max_length=20)
    etat = models.CharField("état", max_length=10, choices=Etat.choices, default=Etat.NOTE)
    note = models.DecimalField("note", max_digits=4, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = "note de contrôle"
        verbose_name_plural = "notes de contrôle"
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["candidat", "epreuve"], name="note_controle_unique"),
            models.CheckConstraint(
                condition=models.Q(note__isnull=True) | models.Q(note__gte=0, note__lte=20), name="controle_note_0_20"
            ),
        ]
