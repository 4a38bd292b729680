"""Dossiers E4 et E6, fiches d'activité et décisions de la commission de conformité (§6 ; Circ. 1.5)."""

from __future__ import annotations

from typing import ClassVar

from django.db import models


class Dossier(models.Model):
    candidat = models.ForeignKey("candidats.Candidat", on_delete=models.CASCADE, related_name="dossiers")
    epreuve = models.CharField("épreuve", max_length=10, help_text="E4 ou E6")
    depose_le = models.DateField("déposé le", null=True, blank=True)
    vise_et_signe = models.BooleanField("visé et signé par les personnes habilitées", default=True)
    etude_reflexive_pages = models.PositiveSmallIntegerField("étude réflexive (pages)", null=True, blank=True)
    dossier_professionnel_pages = models.PositiveSmallIntegerField(
        "dossier professionnel (pages)", null=True, blank=True, help_text="candidats au titre de l'expérience"
    )

    class Meta:
        verbose_name = "dossier"
        constraints: ClassVar = [models.UniqueConstraint(fields=["candidat", "epreuve"], name="dossier_unique")]

    def __str__(self) -> str:
        return f"Dossier {self.epreuve} de {self.candidat}"


class FicheActivite(models.Model):
    class Nature(models.TextChoices):
        NEGOCIATION_VENTE = "negociation_vente", "négociation-vente et accompagnement de la relation client"
        EVENEMENT_COMMERCIAL = "evenement_commercial", "organisation et animation d'un évènement commercial"

    class TypeReseau(models.TextChoices):
        DISTRIBUTEURS = "distributeurs", "réseau de distributeurs"
        PARTENAIRES = "partenaires", "réseau de partenaires"
        VENTE_DIRECTE = "vente_directe", "réseau de vente directe"

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="fiches")
    titre = models.CharField("titre", max_length=200)
    nature = models.CharField("nature (E4)", max_length=30, choices=Nature.choices, blank=True)
    type_reseau = models.CharField("type de réseau (E6)", max_length=30, choices=TypeReseau.choices, blank=True)
    reelle = models.BooleanField("expérience réellement vécue", default=True)
    pole = models.PositiveSmallIntegerField("pôle", null=True, blank=True)
    annexe_offre_pages = models.PositiveSmallIntegerField("annexe décrivant l'offre (pages)", null=True, blank=True)
    rubriques_completes = models.BooleanField("toutes les rubriques renseignées", default=True)

    class Meta:
        verbose_name = "fiche d'activité"
        verbose_name_plural = "fiches d'activité"

    def __str__(self) -> str:
        return self.titre


class DecisionConformite(models.Model):
    """La décision de la commission de conformité sur un dossier ; chaque décision est aussi tracée."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="decisions")
    conforme = models.BooleanField("conforme")
    causes = models.JSONField("causes de non-conformité", default=list, blank=True)
    motifs = models.TextField("motifs", blank=True)
    avertissements = models.JSONField("défauts de composition (avertissements)", default=list, blank=True)
    decidee_par = models.CharField("décidée par", max_length=150)
    decidee_le = models.DateTimeField("décidée le", auto_now_add=True)

    class Meta:
        verbose_name = "décision de conformité"
        verbose_name_plural = "décisions de conformité"
        ordering: ClassVar = ["-decidee_le"]
        get_latest_by = "decidee_le"

    def __str__(self) -> str:
        return f"{self.dossier} : {'conforme' if self.conforme else 'non conforme'}"
