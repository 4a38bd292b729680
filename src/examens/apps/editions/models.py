"""Documents émis (édition tracée), leurs fichiers, leurs envois et les travaux de fond qui les produisent.

- `Document` : un document logique, par ex. « convocation du candidat 02212345678 » ; il a des versions.
- `Version` : une édition figée — les données qui l'ont produite, le fichier (par son empreinte SHA-256),
  qui l'a émise et quand. Une réédition ajoute une version, n'en remplace jamais une.
- `Fichier` : le contenu, rangé en base par empreinte (un worker sur une autre machine pointant vers la
  même base produit des fichiers que le site sert ; deux versions identiques partagent le même contenu).
- `Envoi` : qui a reçu quelle version, par quel canal, quand ; l'accusé de réception et les relances.
- `Travail` : un traitement de masse (édition, envoi) exécuté en tâche de fond, avec sa progression.
"""

from __future__ import annotations

import secrets
from typing import ClassVar

from django.db import models
from django.utils import timezone


class Fichier(models.Model):
    empreinte = models.CharField("empreinte SHA-256", max_length=64, primary_key=True)
    contenu = models.BinaryField("contenu")
    taille = models.PositiveIntegerField("taille (octets)")
    type_mime = models.CharField("type", max_length=100, default="application/pdf")

    class Meta:
        verbose_name = "fichier"

    def __str__(self) -> str:
        return f"{self.empreinte[:12]}… ({self.taille} octets)"


class Document(models.Model):
    session = models.ForeignKey("organisation.ExamSession", on_delete=models.PROTECT, related_name="documents")
    modele = models.CharField("modèle", max_length=40, help_text="code du modèle, par ex. convocation-candidat")
    cle = models.CharField("clé", max_length=120, help_text="ce que le document concerne, par ex. candidat:0221…")
    format = models.CharField("format", max_length=10, default="pdf", help_text="pdf, xlsx ou ics")
    intitule = models.CharField("intitulé", max_length=255)
    candidat = models.ForeignKey(
        "candidats.Candidat", on_delete=models.PROTECT, null=True, blank=True, related_name="documents"
    )
    examinateur = models.ForeignKey(
        "examinateurs.Examinateur", on_delete=models.PROTECT, null=True, blank=True, related_name="documents"
    )
    centre = models.ForeignKey(
        "organisation.Centre", on_delete=models.PROTECT, null=True, blank=True, related_name="documents"
    )
    jury = models.ForeignKey("jury.Jury", on_delete=models.PROTECT, null=True, blank=True, related_name="documents")
    derniere_version = models.PositiveIntegerField("dernière version", default=0)

    class Meta:
        verbose_name = "document"
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["session", "modele", "cle", "format"], name="document_unique")
        ]
        indexes: ClassVar = [models.Index(fields=["modele", "centre"])]

    def __str__(self) -> str:
        return f"{self.intitule} (v{self.derniere_version})"


class Version(models.Model):
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="versions")
    numero = models.PositiveIntegerField("version")
    donnees = models.JSONField("données figées")
    fichier = models.ForeignKey(Fichier, on_delete=models.PROTECT, related_name="versions")
    emise_le = models.DateTimeField("émise le", default=timezone.now)
    emise_par = models.CharField("émise par", max_length=150)
    motif = models.CharField("motif de la réédition", max_length=255, blank=True)
    travail = models.ForeignKey("Travail", on_delete=models.SET_NULL, null=True, blank=True, related_name="versions")

    class Meta:
        verbose_name = "version"
        ordering: ClassVar = ["document", "numero"]
        constraints: ClassVar = [models.UniqueConstraint(fields=["document", "numero"], name="version_unique")]

    def __str__(self) -> str:
        return f"{self.document.intitule} — version {self.numero}"

    @property
    def nom_fichier(self) -> str:
        cle = self.document.cle.replace(":", "-").replace("/", "-")
        return f"{self.document.modele}-{cle}-v{self.numero}.{self.document.format}"


def _jeton() -> str:
    return secrets.token_urlsafe(24)


class Envoi(models.Model):
    class Canal(models.TextChoices):
        COURRIEL = "courriel", "courriel"
        TELECHARGEMENT = "telechargement", "téléchargement"
        PAPIER = "papier", "remise en main propre"

    class Statut(models.TextChoices):
        ENVOYE = "envoye", "envoyé"
        ECHEC = "echec", "échec"

    version = models.ForeignKey(
        Version,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="envois",
        help_text="document joint ; vide pour une simple notification",
    )
    canal = models.CharField("canal", max_length=20, choices=Canal.choices, default=Canal.COURRIEL)
    destinataire = models.CharField("destinataire", max_length=254, help_text="adresse ou identifiant")
    objet = models.CharField("objet", max_length=255, blank=True)
    envoye_le = models.DateTimeField("envoyé le", default=timezone.now)
    envoye_par = models.CharField("envoyé par", max_length=150)
    statut = models.CharField("statut", max_length=10, choices=Statut.choices, default=Statut.ENVOYE)
    erreur = models.TextField("erreur", blank=True)
    jeton = models.CharField("jeton d'accusé de réception", max_length=64, unique=True, default=_jeton)
    accuse_le = models.DateTimeField("accusé de réception le", null=True, blank=True)
    relances = models.PositiveSmallIntegerField("relances", default=0)
    derniere_relance = models.DateTimeField("dernière relance", null=True, blank=True)
    travail = models.ForeignKey("Travail", on_delete=models.SET_NULL, null=True, blank=True, related_name="envois")

    class Meta:
        verbose_name = "envoi"
        ordering: ClassVar = ["-envoye_le"]
        indexes: ClassVar = [models.Index(fields=["accuse_le", "statut"])]

    def __str__(self) -> str:
        return f"{self.version} → {self.destinataire}"


class Travail(models.Model):
    """Un traitement de masse en tâche de fond. `fait`/`total` donnent la progression (interface et CLI)."""

    class Statut(models.TextChoices):
        EN_ATTENTE = "en_attente", "en attente"
        EN_COURS = "en_cours", "en cours"
        TERMINE = "termine", "terminé"
        ECHEC = "echec", "échec"

    session = models.ForeignKey("organisation.ExamSession", on_delete=models.PROTECT, related_name="travaux")
    nature = models.CharField("nature", max_length=40, help_text="par ex. editer:convocation-candidat")
    parametres = models.JSONField("paramètres", default=dict)
    statut = models.CharField("statut", max_length=12, choices=Statut.choices, default=Statut.EN_ATTENTE)
    total = models.PositiveIntegerField("total", default=0)
    fait = models.PositiveIntegerField("fait", default=0)
    nouveaux = models.PositiveIntegerField("nouvelles versions ou envois", default=0)
    inchanges = models.PositiveIntegerField("inchangés (déjà à jour)", default=0)
    erreurs = models.JSONField("erreurs", default=list, blank=True)
    demande_par = models.CharField("demandé par", max_length=150)
    cree_le = models.DateTimeField("créé le", default=timezone.now)
    debut = models.DateTimeField("début", null=True, blank=True)
    fin = models.DateTimeField("fin", null=True, blank=True)
    tache = models.CharField("identifiant de la tâche", max_length=64, blank=True)

    class Meta:
        verbose_name = "travail de fond"
        verbose_name_plural = "travaux de fond"
        ordering: ClassVar = ["-cree_le"]

    def __str__(self) -> str:
        return f"{self.nature} — {self.fait}/{self.total} ({self.get_statut_display()})"

    @property
    def pourcentage(self) -> int:
        if not self.total:
            return 100 if self.statut == self.Statut.TERMINE else 0
        return min(100, self.fait * 100 // self.total)
