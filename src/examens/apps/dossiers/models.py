"""Dossiers E4 et E6, fiches d'activité et décisions de la commission de conformité (§6 ; Circ. 1.5)."""

from __future__ import annotations

from typing import ClassVar

from django.db import models

from examens.apps.jury.models import MentionPix


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


class Piece(models.Model):
    """Une pièce déposée en ligne par l'établissement de formation (ou le gestionnaire) : le dossier E4 ou E6 en
    PDF, une attestation de stage ou un certificat de travail, le livret scolaire. Le contenu est gardé en base
    (comme les documents émis et les sujets) ; un nouveau dépôt ajoute une version, n'en efface aucune."""

    class Nature(models.TextChoices):
        DOSSIER_E4 = "dossier_e4", "dossier E4"
        DOSSIER_E6 = "dossier_e6", "dossier E6"
        ATTESTATION_STAGE = "attestation_stage", "attestation de stage ou certificat de travail"
        LIVRET_SCOLAIRE = "livret_scolaire", "livret scolaire"

    candidat = models.ForeignKey("candidats.Candidat", on_delete=models.CASCADE, related_name="pieces")
    nature = models.CharField("nature", max_length=20, choices=Nature.choices)
    periode = models.ForeignKey(
        "candidats.PeriodeStage",
        verbose_name="période de stage attestée",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pieces",
    )
    version = models.PositiveIntegerField("version", default=1)
    nom_fichier = models.CharField("nom du fichier", max_length=120)
    contenu = models.BinaryField("contenu (PDF)")
    taille = models.PositiveIntegerField("taille (octets)")
    pages = models.PositiveSmallIntegerField("pages")
    empreinte = models.CharField("empreinte SHA-256", max_length=64)
    mention_pix = models.CharField(
        "mention PIX déclarée",
        max_length=20,
        choices=MentionPix.choices,
        blank=True,
        help_text="livret scolaire : la mention PIX que l'établissement y a portée ; le jury la relève à l'examen",
    )
    deposee_par = models.CharField("déposée par", max_length=150)
    deposee_le = models.DateTimeField("déposée le", auto_now_add=True)

    class Meta:
        verbose_name = "pièce déposée"
        verbose_name_plural = "pièces déposées"
        ordering: ClassVar = ["candidat", "nature", "-version"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["candidat", "nature", "version"],
                condition=models.Q(periode__isnull=True),
                name="piece_version_unique",
            ),
            models.UniqueConstraint(
                fields=["periode", "version"],
                condition=models.Q(periode__isnull=False),
                name="piece_periode_version_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(nature="attestation_stage") | models.Q(periode__isnull=True),
                name="piece_periode_seulement_pour_attestation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_nature_display()} de {self.candidat.numero} (v{self.version})"
