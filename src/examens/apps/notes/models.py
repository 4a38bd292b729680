"""Résultats par candidat et par épreuve (§3) : note d'examinateur et note après jury séparées, état,
situations de CCF, note conservée, notes de contrôle. Une note s'écrit par les services, qui la tracent.
"""

from __future__ import annotations

from decimal import Decimal
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
        # Le tableau de bord regroupe tous les résultats d'une session par ces colonnes (avancement des saisies,
        # répartition des notes) : rangés dans cet ordre, le regroupement se lit dans l'index, sans tri ni accès
        # à la table (voir web.selectors.tableau_de_bord et docs/benchmarks.md).
        indexes: ClassVar = [
            models.Index(
                fields=["epreuve", "etat", "origine", "suspendue", "note_jury", "note_examinateur", "candidat"],
                name="resultat_repartition",
            )
        ]
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


class Saisie(models.Model):
    """Une des deux saisies indépendantes du résultat d'un passage oral ou pratique (double saisie).

    Deux personnes saisissent chacune, de leur côté, le résultat porté sur la fiche d'évaluation signée : les deux
    membres de la commission ; pour une commission d'un seul membre, l'examinateur puis un agent du centre (le
    chef de centre, d'après la fiche signée). Les deux saisies concordent : le résultat est validé et part dans
    `Resultat` (ou `NoteControle` pour une épreuve de contrôle), tracé ; sinon l'écart est signalé et rien n'est
    validé. Une saisie n'est jamais écrasée en silence : chaque correction augmente `version`, et une écriture
    faite sur une version périmée est refusée (`notes.services.saisir_note_orale`).

    L'examinateur ne saisit qu'une note, « absent » (AB) ou une note avec un doute sur le dossier (note
    suspendue, E4 et E6) ; l'absence justifiée (ABJ) et le non-valide (NV) se décident ailleurs (§3).
    """

    class Qualite(models.TextChoices):
        EXAMINATEUR = "examinateur", "membre de la commission"
        CENTRE = "centre", "agent du centre d'examen (d'après la fiche signée)"

    candidat = models.ForeignKey("candidats.Candidat", on_delete=models.CASCADE, related_name="saisies_notes")
    epreuve = models.CharField("épreuve", max_length=20, help_text="code du passage : E4, E5B, CTRL_E1…")
    rang = models.PositiveSmallIntegerField("saisie n°", choices=[(1, "première saisie"), (2, "seconde saisie")])
    passage = models.ForeignKey(
        "planification.Passage", on_delete=models.SET_NULL, null=True, blank=True, related_name="saisies_notes"
    )
    commission = models.CharField("commission", max_length=40)
    etat = models.CharField("état", max_length=10, choices=Etat.choices, default=Etat.NOTE)
    note = models.DecimalField("note saisie", max_digits=4, decimal_places=2, null=True, blank=True)
    doute = models.BooleanField("doute sur le dossier (note suspendue)", default=False)
    saisie_par = models.CharField("saisie par", max_length=150)
    qualite = models.CharField("qualité", max_length=20, choices=Qualite.choices)
    saisie_le = models.DateTimeField("saisie (ou corrigée) le")
    version = models.PositiveIntegerField("version", default=1, help_text="augmente à chaque correction")
    validee_le = models.DateTimeField("validée le", null=True, blank=True, help_text="les deux saisies concordent")

    class Meta:
        verbose_name = "saisie de note d'oral"
        verbose_name_plural = "saisies de notes d'oral (double saisie)"
        ordering: ClassVar = ["candidat", "epreuve", "rang"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["candidat", "epreuve", "rang"], name="saisie_note_rang_unique"),
            # La même personne ne fait pas les deux saisies.
            models.UniqueConstraint(fields=["candidat", "epreuve", "saisie_par"], name="saisie_note_une_par_personne"),
            models.CheckConstraint(condition=models.Q(rang__in=[1, 2]), name="saisie_note_rang_1_ou_2"),
            models.CheckConstraint(condition=models.Q(etat__in=["note", "AB"]), name="saisie_note_note_ou_absent"),
            models.CheckConstraint(
                condition=(models.Q(etat="note") & models.Q(note__gte=0, note__lte=20))
                | (models.Q(etat="AB") & models.Q(note__isnull=True, doute=False)),
                name="saisie_note_coherente",
            ),
        ]

    def __str__(self) -> str:
        valeur = self.etat if self.etat != Etat.NOTE else self.note
        return f"{self.candidat_id} {self.epreuve} — saisie {self.rang} : {valeur}"

    def valeur(self) -> tuple[str, Decimal | None, bool]:
        """Ce qui doit concorder entre les deux saisies : l'état, la note et le doute."""
        return (self.etat, self.note, self.doute)
