"""Plannings des oraux et pratiques enregistrés : commissions d'interrogation, versions de planning d'un
centre, passages ; campagnes de planification d'une session (une tâche par centre) ; désistements
d'examinateurs et choix des épreuves de contrôle (*Règlement* §2, §4.4, §8).

Un planning se calcule hors de la base (`examens.planning` : instance `examens/planning-instance@1` →
planning `examens/planning@1`, relu par le vérificateur indépendant) puis s'enregistre comme une **version**
du centre : l'instance et le résultat JSON y sont gardés tels quels, avec les bornes et les indicateurs de
qualité. Une version n'est jamais réécrite : replanifier crée la version suivante (sa `reference` désigne
celle dont elle bouge le moins possible) ; publier une version remplace la précédente publiée.

Les instants des passages sont stockés en UTC ; ils se montrent dans le fuseau du centre.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.db import models
from django.utils import timezone


class Nature(models.TextChoices):
    ORAUX = "oraux", "oraux et pratiques (premier groupe)"
    CONTROLE = "controle", "épreuves de contrôle (second groupe)"


class EpreuvePlanifiee(models.TextChoices):
    """Les codes d'épreuve du format de planification (`docs/formats/planning.md`)."""

    E2 = "E2", "E2 — langue vivante étrangère 1"
    LV2 = "LV2", "EF1 — langue vivante étrangère 2 (facultative)"
    E4 = "E4", "E4 — relation client et négociation-vente"
    E5B = "E5B", "E5B — épreuve pratique sur poste informatique"
    E6 = "E6", "E6 — relation client et animation de réseaux"
    ENGAGEMENT = "ENGAGEMENT", "EF2 — engagement étudiant (facultative)"
    CTRL_E1 = "CTRL_E1", "contrôle — E1 culture générale et expression"
    CTRL_E2 = "CTRL_E2", "contrôle — E2 langue vivante étrangère 1"
    CTRL_E3 = "CTRL_E3", "contrôle — E3 culture économique, juridique et managériale"


class Commission(models.Model):
    """Une commission d'interrogation d'un centre : ses membres, les épreuves qu'elle fait passer, sa langue.

    La composition est l'état courant (un examinateur désisté en sort, un remplaçant y entre) ; chaque version
    de planning garde dans son instance JSON la composition avec laquelle elle a été calculée. Une commission
    n'est jamais supprimée (des passages la désignent) : elle est **dissoute** (`active=False`).
    """

    session = models.ForeignKey("organisation.ExamSession", on_delete=models.PROTECT, related_name="commissions")
    centre = models.ForeignKey("organisation.Centre", on_delete=models.PROTECT, related_name="commissions")
    nature = models.CharField("nature", max_length=20, choices=Nature.choices, default=Nature.ORAUX)
    code = models.CharField("code", max_length=40, help_text="identifiant dans le planning, par ex. K03")
    epreuves = models.JSONField("épreuves", default=list, help_text="codes du format de planification")
    langue = models.CharField("langue", max_length=40, blank=True, help_text="épreuves de langue seulement")
    membres = models.ManyToManyField(
        "examinateurs.Examinateur", verbose_name="membres", related_name="commissions", blank=True
    )
    salle = models.ForeignKey(
        "organisation.Salle",
        verbose_name="salle",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="commissions",
    )
    active = models.BooleanField("active", default=True, help_text="faux : commission dissoute")
    alerte = models.CharField("alerte", max_length=200, blank=True)
    creee_le = models.DateTimeField("créée le", default=timezone.now)

    class Meta:
        verbose_name = "commission d'interrogation"
        verbose_name_plural = "commissions d'interrogation"
        ordering: ClassVar = ["centre", "nature", "code"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["session", "centre", "code"], name="commission_code_unique"),
        ]

    def __str__(self) -> str:
        langue = f" ({self.langue})" if self.langue else ""
        return f"{self.code} — {'+'.join(self.epreuves)}{langue}"


class VersionPlanning(models.Model):
    """Une version du planning d'un centre (oraux, ou épreuves de contrôle), telle que calculée et vérifiée."""

    class Statut(models.TextChoices):
        BROUILLON = "brouillon", "brouillon"
        PUBLIE = "publie", "publié"
        REMPLACE = "remplace", "remplacé (une version plus récente est publiée)"

    session = models.ForeignKey("organisation.ExamSession", on_delete=models.PROTECT, related_name="plannings")
    centre = models.ForeignKey("organisation.Centre", on_delete=models.PROTECT, related_name="plannings")
    nature = models.CharField("nature", max_length=20, choices=Nature.choices, default=Nature.ORAUX)
    numero = models.PositiveIntegerField("version n°")
    statut = models.CharField("statut", max_length=20, choices=Statut.choices, default=Statut.BROUILLON)
    creee_le = models.DateTimeField("créée le", default=timezone.now)
    creee_par = models.CharField("créée par", max_length=150)
    motif = models.TextField("motif", blank=True)
    jury = models.ForeignKey(
        "jury.Jury", on_delete=models.PROTECT, null=True, blank=True, related_name="plannings_controle"
    )
    reference = models.ForeignKey(
        "self",
        verbose_name="version de référence",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replanifications",
        help_text="replanification : la version dont on a bougé le moins de passages possible",
    )
    solveur = models.CharField("solveur", max_length=20)
    statut_solveur = models.CharField("statut du solveur", max_length=20)
    duree_s = models.FloatField("durée de calcul (s)")
    # L'instance (sans sa `reference`, qui est le résultat de la version de référence) et le planning.
    instance = models.JSONField("instance (examens/planning-instance@1)")
    resultat = models.JSONField("planning (examens/planning@1)")
    passages_planifies = models.PositiveIntegerField("passages planifiés")
    non_planifies = models.PositiveIntegerField("passages non planifiés")
    jours_candidats = models.PositiveIntegerField("jours-candidats")
    attente_minutes = models.PositiveIntegerField("attente (minutes)")
    demi_journees_commissions = models.PositiveIntegerField("demi-journées de commission")
    changements = models.PositiveIntegerField(
        "passages déplacés", null=True, blank=True, help_text="par rapport à la version de référence"
    )
    bornes = models.JSONField("bornes inférieures", default=dict)

    class Meta:
        verbose_name = "version de planning"
        verbose_name_plural = "versions de planning"
        ordering: ClassVar = ["centre", "nature", "-numero"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["session", "centre", "nature", "numero"], name="planning_version_unique"),
            models.UniqueConstraint(
                fields=["session", "centre", "nature"],
                condition=models.Q(statut="publie"),
                name="planning_un_seul_publie",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.centre.code} — {self.get_nature_display()} v{self.numero} ({self.get_statut_display()})"


class Passage(models.Model):
    """Le créneau d'un candidat pour une épreuve : commission, salle, loge, préparation et épreuve (UTC)."""

    version = models.ForeignKey(VersionPlanning, on_delete=models.CASCADE, related_name="passages")
    candidat = models.ForeignKey("candidats.Candidat", on_delete=models.CASCADE, related_name="passages")
    epreuve = models.CharField("épreuve", max_length=20, choices=EpreuvePlanifiee.choices)
    commission = models.ForeignKey(Commission, on_delete=models.PROTECT, related_name="passages")
    salle = models.ForeignKey(
        "organisation.Salle", on_delete=models.SET_NULL, null=True, blank=True, related_name="passages"
    )
    loge = models.ForeignKey(
        "organisation.Salle",
        verbose_name="loge de préparation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="preparations",
    )
    debut_preparation = models.DateTimeField("début de la préparation", null=True, blank=True)
    debut = models.DateTimeField("début de l'épreuve")
    fin = models.DateTimeField("fin de l'épreuve")
    sujet = models.CharField("sujet (E5B)", max_length=40, blank=True)

    class Meta:
        verbose_name = "passage"
        ordering: ClassVar = ["debut", "commission"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["version", "candidat", "epreuve"], name="passage_unique"),
            models.CheckConstraint(condition=models.Q(fin__gt=models.F("debut")), name="passage_fin_apres_debut"),
            models.CheckConstraint(
                condition=models.Q(debut_preparation__isnull=True) | models.Q(debut_preparation__lt=models.F("debut")),
                name="passage_preparation_avant",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.epreuve} — {self.debut:%d/%m/%Y %H:%M} UTC"

    @property
    def fin_preparation(self) -> dt.datetime | None:
        """La préparation finit quand l'épreuve commence (format de planification)."""
        return self.debut if self.debut_preparation is not None else None


class Campagne(models.Model):
    """La planification de tous les centres d'une session : une étape (une tâche de fond) par centre."""

    session = models.ForeignKey("organisation.ExamSession", on_delete=models.PROTECT, related_name="campagnes")
    lancee_le = models.DateTimeField("lancée le", default=timezone.now)
    lancee_par = models.CharField("lancée par", max_length=150)
    solveur = models.CharField("solveur", max_length=20)
    parametres = models.JSONField("paramètres", default=dict)

    class Meta:
        verbose_name = "campagne de planification"
        verbose_name_plural = "campagnes de planification"
        ordering: ClassVar = ["-lancee_le"]

    def __str__(self) -> str:
        return f"Planification de {self.session} lancée le {self.lancee_le:%d/%m/%Y %H:%M}"


class EtapeCampagne(models.Model):
    class Statut(models.TextChoices):
        EN_ATTENTE = "en_attente", "en attente"
        EN_COURS = "en_cours", "en cours"
        TERMINEE = "terminee", "terminée"
        ECHEC = "echec", "échec"

    campagne = models.ForeignKey(Campagne, on_delete=models.CASCADE, related_name="etapes")
    centre = models.ForeignKey("organisation.Centre", on_delete=models.PROTECT, related_name="+")
    statut = models.CharField("statut", max_length=20, choices=Statut.choices, default=Statut.EN_ATTENTE)
    tache = models.CharField("tâche de fond", max_length=64, blank=True, help_text="identifiant du résultat")
    version = models.ForeignKey(VersionPlanning, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    message = models.TextField("message", blank=True)
    debut = models.DateTimeField("début", null=True, blank=True)
    fin = models.DateTimeField("fin", null=True, blank=True)

    class Meta:
        verbose_name = "étape de campagne"
        verbose_name_plural = "étapes de campagne"
        ordering: ClassVar = ["campagne", "centre"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["campagne", "centre"], name="etape_campagne_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.centre} : {self.get_statut_display()}"


class DesistementExaminateur(models.Model):
    """Un examinateur qui ne siège plus : il sort de ses commissions et n'est plus choisi (§2)."""

    examinateur = models.OneToOneField("examinateurs.Examinateur", on_delete=models.CASCADE, related_name="desistement")
    le = models.DateField("désisté le")
    motif = models.TextField("motif", blank=True)
    enregistre_par = models.CharField("enregistré par", max_length=150)
    enregistre_le = models.DateTimeField("enregistré le", default=timezone.now)

    class Meta:
        verbose_name = "désistement d'examinateur"
        verbose_name_plural = "désistements d'examinateurs"

    def __str__(self) -> str:
        return f"{self.examinateur} — désisté le {self.le:%d/%m/%Y}"


class ChoixControle(models.Model):
    """Les épreuves de contrôle choisies par un candidat admissible au contrôle (§4.4, D.2022-850)."""

    candidat = models.OneToOneField("candidats.Candidat", on_delete=models.CASCADE, related_name="choix_controle")
    epreuves = models.JSONField("épreuves choisies", default=list, help_text="codes du règlement, par ex. E1, E3")
    saisi_par = models.CharField("saisi par", max_length=150)
    saisi_le = models.DateTimeField("saisi le", default=timezone.now)

    class Meta:
        verbose_name = "choix des épreuves de contrôle"
        verbose_name_plural = "choix des épreuves de contrôle"

    def __str__(self) -> str:
        return f"{self.candidat.numero} : {', '.join(self.epreuves)}"
