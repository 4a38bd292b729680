"""Une réclamation d'un candidat sur une note ou sur la décision du jury, déposée après la publication des
résultats et instruite par le gestionnaire de l'académie (la division des examens).

Le candidat y joint la pièce que le règlement lui communique : pour l'engagement étudiant, la fiche
d'évaluation (annexe VIII-2, jamais la grille : Circ. 1.14) ; pour une autre épreuve, le détail de sa note.
Chaque dépôt et chaque changement de statut sont tracés dans l'historique (sans le texte du motif, qui peut
contenir une identité).
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils import timezone


class Reclamation(models.Model):
    class Statut(models.TextChoices):
        DEPOSEE = "deposee", "déposée"
        EN_INSTRUCTION = "en_instruction", "en cours d'instruction"
        FONDEE = "fondee", "fondée : correction décidée"
        NON_FONDEE = "non_fondee", "non fondée"

    OUVERTES: ClassVar = (Statut.DEPOSEE, Statut.EN_INSTRUCTION)

    candidat = models.ForeignKey("candidats.Candidat", on_delete=models.CASCADE, related_name="reclamations")
    epreuve = models.CharField(
        "épreuve", max_length=20, blank=True, help_text="code de l'épreuve ; vide : la décision du jury"
    )
    motif = models.TextField("motif de la réclamation")
    statut = models.CharField("statut", max_length=20, choices=Statut.choices, default=Statut.DEPOSEE)
    deposee_par = models.CharField("déposée par", max_length=150)
    deposee_le = models.DateTimeField("déposée le", default=timezone.now)
    reponse = models.TextField("réponse de l'académie", blank=True)
    traitee_par = models.CharField("instruite par", max_length=150, blank=True)
    traitee_le = models.DateTimeField("dernière instruction le", null=True, blank=True)

    class Meta:
        verbose_name = "réclamation"
        ordering: ClassVar = ["-deposee_le", "-id"]
        constraints: ClassVar = [
            # Une seule réclamation ouverte par candidat et par objet : la suivante attend la réponse.
            models.UniqueConstraint(
                fields=["candidat", "epreuve"],
                condition=models.Q(statut__in=["deposee", "en_instruction"]),
                name="reclamation_une_ouverte_par_objet",
            ),
        ]

    def __str__(self) -> str:
        return f"Réclamation de {self.candidat.numero} — {self.objet} ({self.get_statut_display()})"

    @property
    def objet(self) -> str:
        """« l'épreuve E4 », « la décision du jury » : ce sur quoi porte la réclamation."""
        return f"l'épreuve {self.epreuve}" if self.epreuve else "la décision du jury"

    @property
    def ouverte(self) -> bool:
        return self.statut in self.OUVERTES
