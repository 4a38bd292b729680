"""Sujets et pièces d'épreuve (*Circ.* 1.11, 1.12, 1.14 ; *Règlement* §8).

- **Banque nationale E5B** (`Sujet`, `DiffusionBanque`) : l'académie pilote dépose les sujets (PDF) et leurs
  grilles d'aide à l'évaluation, WordPress ou PrestaShop ; la banque n'est diffusée aux académies que si elle
  compte autant de sujets de chaque support.
- **Attribution** (`AttributionSujet`) : le journal de qui a reçu quel sujet, devant quelle commission,
  quand, attribué par qui. Une attribution n'est jamais effacée : une nouvelle la remplace (`remplacee_le`).
- **Consultations** (`Consultation`) : chaque lecture d'une pièce confidentielle (sujet, grille, fiche
  d'engagement, fiche-sujet E4 lue hors de sa commission), par qui, avec quel rôle, pour quel passage. Journal
  inaltérable par l'ORM.
- **Fiche-sujet E4** (`FicheSujet`) : écrite par la commission pour chaque candidat en forme ponctuelle.
- **Engagement étudiant** (`FicheEngagement`, `EvaluationEngagement`, `AvertissementEngagement`).
- **Postes E5B** (`ContexteNumerique`, `PosteE5B`, `SignaturePostes`) : le contexte numérique national installé
  et vérifié poste par poste, la liste signée par le chef de centre.
- **Réglages** de la session (`ReglagesSujets`) : délais choisis par l'académie pilote **[décision]**.

Les fichiers (PDF) sont gardés en base, avec leur taille et leur empreinte SHA-256.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone


class JournalInalterable(Exception):
    def __init__(self) -> None:
        super().__init__("Ce journal est inaltérable : une ligne ne peut être ni modifiée ni effacée.")


class JournalQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise JournalInalterable

    def delete(self) -> tuple[int, dict[str, int]]:
        raise JournalInalterable


class Support(models.TextChoices):
    WORDPRESS = "wordpress", "WordPress (site web)"
    PRESTASHOP = "prestashop", "PrestaShop (site de e-commerce)"


# --------------------------------------------------------------------------- réglages


class ReglagesSujets(models.Model):
    """Les délais de la session **[décision]** : sans ligne, les valeurs par défaut s'appliquent."""

    session = models.OneToOneField("organisation.ExamSession", on_delete=models.CASCADE, related_name="reglages_sujets")
    consultation_avant_minutes = models.PositiveSmallIntegerField(
        "consultation du sujet E5B avant le passage (minutes)",
        default=0,
        help_text="la commission lit le sujet à partir du début du passage moins ce délai, jusqu'à sa fin",
    )
    fiche_sujet_jours_avant = models.PositiveSmallIntegerField(
        "fiche-sujet E4 prête (jours avant l'épreuve)", default=1, help_text="1 : au plus tard la veille"
    )
    limite_fiches_engagement = models.DateField(
        "date limite de dépôt des fiches d'engagement étudiant",
        null=True,
        blank=True,
        help_text="passée cette date, un candidat sans fiche ne passe pas l'épreuve facultative (Circ. 1.14)",
    )

    class Meta:
        verbose_name = "réglages des sujets et pièces"
        verbose_name_plural = "réglages des sujets et pièces"

    def __str__(self) -> str:
        return f"Réglages des sujets — {self.session}"


# --------------------------------------------------------------------------- banque E5B


class Sujet(models.Model):
    """Un sujet de la banque nationale E5B et sa grille d'aide à l'évaluation (Circ. 1.12)."""

    session = models.ForeignKey("organisation.ExamSession", on_delete=models.PROTECT, related_name="sujets_e5b")
    code = models.CharField("code", max_length=40, help_text="identifiant dans les plannings, par ex. WP-01")
    support = models.CharField("support", max_length=20, choices=Support.choices)
    titre = models.CharField("titre", max_length=200, blank=True)
    version = models.PositiveIntegerField("version", default=1)
    contenu = models.BinaryField("sujet (PDF)")
    taille = models.PositiveIntegerField("taille du sujet (octets)")
    empreinte = models.CharField("empreinte SHA-256 du sujet", max_length=64)
    grille = models.BinaryField("grille d'aide à l'évaluation (PDF)", null=True, blank=True)
    grille_taille = models.PositiveIntegerField("taille de la grille (octets)", null=True, blank=True)
    grille_empreinte = models.CharField("empreinte SHA-256 de la grille", max_length=64, blank=True)
    depose_le = models.DateTimeField("déposé le", default=timezone.now)
    depose_par = models.CharField("déposé par", max_length=150)

    class Meta:
        verbose_name = "sujet E5B"
        verbose_name_plural = "banque de sujets E5B"
        ordering: ClassVar = ["session", "support", "code"]
        constraints: ClassVar = [models.UniqueConstraint(fields=["session", "code"], name="sujet_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} — {self.get_support_display()} (v{self.version})"


class DiffusionBanque(models.Model):
    """Une diffusion de la banque aux académies : ce qui a été diffusé (codes, versions, empreintes), à qui."""

    session = models.ForeignKey("organisation.ExamSession", on_delete=models.PROTECT, related_name="diffusions_sujets")
    numero = models.PositiveIntegerField("diffusion n°")
    diffusee_le = models.DateTimeField("diffusée le", default=timezone.now)
    diffusee_par = models.CharField("diffusée par", max_length=150)
    academies = models.ManyToManyField(
        "organisation.Academie", verbose_name="académies destinataires", related_name="+"
    )
    sujets = models.JSONField("sujets diffusés", default=list, help_text="code, support, version, empreinte")

    class Meta:
        verbose_name = "diffusion de la banque E5B"
        verbose_name_plural = "diffusions de la banque E5B"
        ordering: ClassVar = ["session", "-numero"]
        constraints: ClassVar = [models.UniqueConstraint(fields=["session", "numero"], name="diffusion_banque_unique")]

    def __str__(self) -> str:
        return f"Diffusion n° {self.numero} de la banque E5B ({len(self.sujets)} sujets)"


class AttributionSujet(models.Model):
    """Le journal d'attribution : un candidat, son sujet, la commission, l'instant du passage, qui a attribué.

    Une ligne active par candidat (`remplacee_le` vide) ; une réattribution ferme l'ancienne ligne. Les numéros
    et codes sont recopiés : le journal reste lisible si un passage est replanifié (réclamations, session
    suivante : quels sujets ont servi où).
    """

    session = models.ForeignKey("organisation.ExamSession", on_delete=models.PROTECT, related_name="+")
    centre = models.ForeignKey("organisation.Centre", on_delete=models.PROTECT, related_name="+")
    candidat = models.ForeignKey(
        "candidats.Candidat", on_delete=models.SET_NULL, null=True, related_name="attributions_sujet"
    )
    candidat_numero = models.CharField("numéro du candidat", max_length=20)
    sujet = models.ForeignKey(Sujet, on_delete=models.PROTECT, related_name="attributions")
    sujet_version = models.PositiveIntegerField("version du sujet")
    passage = models.ForeignKey(
        "planification.Passage", on_delete=models.SET_NULL, null=True, blank=True, related_name="attributions_sujet"
    )
    commission = models.CharField("commission", max_length=40)
    debut = models.DateTimeField("début du passage")
    attribue_le = models.DateTimeField("attribué le", default=timezone.now)
    attribue_par = models.CharField("attribué par", max_length=150)
    remplacee_le = models.DateTimeField("remplacée le", null=True, blank=True)

    class Meta:
        verbose_name = "attribution de sujet E5B"
        verbose_name_plural = "journal d'attribution des sujets E5B"
        ordering: ClassVar = ["debut", "commission", "candidat_numero"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["session", "candidat_numero"],
                condition=models.Q(remplacee_le__isnull=True),
                name="attribution_une_active_par_candidat",
            )
        ]
        indexes: ClassVar = [models.Index(fields=["session", "sujet"], name="attribution_sujet_session")]

    def __str__(self) -> str:
        return f"{self.candidat_numero} : {self.sujet.code} ({self.commission}, {self.debut:%d/%m/%Y %H:%M} UTC)"


class Consultation(models.Model):
    """Une lecture d'une pièce confidentielle : qui, quand, avec quel rôle, pour quel passage."""

    class Piece(models.TextChoices):
        SUJET_E5B = "sujet_e5b", "sujet E5B"
        GRILLE_E5B = "grille_e5b", "grille d'aide à l'évaluation E5B"
        FICHE_ENGAGEMENT = "fiche_engagement", "fiche d'engagement étudiant"
        FICHE_SUJET_E4 = "fiche_sujet_e4", "fiche-sujet E4"

    quand = models.DateTimeField("quand", default=timezone.now, db_index=True)
    utilisateur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    acteur = models.CharField("qui", max_length=150)
    role = models.CharField("rôle", max_length=40)
    piece = models.CharField("pièce", max_length=30, choices=Piece.choices)
    sujet = models.ForeignKey(Sujet, on_delete=models.PROTECT, null=True, blank=True, related_name="consultations")
    sujet_version = models.PositiveIntegerField("version du sujet", null=True, blank=True)
    passage = models.ForeignKey(
        "planification.Passage", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    candidat = models.ForeignKey("candidats.Candidat", on_delete=models.SET_NULL, null=True, related_name="+")
    candidat_numero = models.CharField("numéro du candidat", max_length=20)
    commission = models.CharField("commission", max_length=40, blank=True)

    objects: ClassVar[JournalQuerySet] = JournalQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = "consultation d'une pièce"
        verbose_name_plural = "journal des consultations"
        ordering: ClassVar = ["quand", "id"]

    def __str__(self) -> str:
        return f"{self.quand:%d/%m/%Y %H:%M} — {self.acteur} ({self.role}) — {self.get_piece_display()}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise JournalInalterable
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise JournalInalterable


# --------------------------------------------------------------------------- fiche-sujet E4


class FicheSujet(models.Model):
    """La fiche-sujet E4 d'un candidat en forme ponctuelle (Circ. 1.11) : brouillon → prête → remise en loge."""

    class Statut(models.TextChoices):
        BROUILLON = "brouillon", "brouillon"
        PRETE = "prete", "prête"
        REMISE = "remise", "remise au candidat en loge"

    candidat = models.OneToOneField("candidats.Candidat", on_delete=models.CASCADE, related_name="fiche_sujet")
    commission = models.ForeignKey("planification.Commission", on_delete=models.PROTECT, related_name="fiches_sujets")
    activite = models.ForeignKey(
        "dossiers.FicheActivite",
        verbose_name="activité choisie",
        on_delete=models.PROTECT,
        related_name="fiches_sujets",
    )
    contexte = models.TextField("situation de départ", blank=True)
    parametres_modifies = models.JSONField("paramètres modifiés", default=list)
    role_commission = models.TextField("rôle tenu par la commission")
    statut = models.CharField("statut", max_length=20, choices=Statut.choices, default=Statut.BROUILLON)
    redigee_par = models.CharField("rédigée par", max_length=150)
    creee_le = models.DateTimeField("créée le", default=timezone.now)
    modifiee_le = models.DateTimeField("modifiée le", default=timezone.now)
    prete_le = models.DateTimeField("prête le", null=True, blank=True)
    prete_par = models.CharField("validée par", max_length=150, blank=True)
    remise_le = models.DateTimeField("remise le", null=True, blank=True)
    remise_par = models.CharField("remise par", max_length=150, blank=True)

    class Meta:
        verbose_name = "fiche-sujet E4"
        verbose_name_plural = "fiches-sujets E4"
        ordering: ClassVar = ["candidat"]

    def __str__(self) -> str:
        return f"Fiche-sujet E4 de {self.candidat.numero} ({self.get_statut_display()})"


# --------------------------------------------------------------------------- engagement étudiant


class FicheEngagement(models.Model):
    """Une fiche d'engagement étudiant déposée (annexe VIII-1) ; la plus récente fait foi."""

    class Deposant(models.TextChoices):
        CANDIDAT = "candidat", "le candidat"
        ETABLISSEMENT = "etablissement", "l'établissement de formation"
        GESTIONNAIRE = "gestionnaire", "le gestionnaire de l'académie"

    candidat = models.ForeignKey("candidats.Candidat", on_delete=models.CASCADE, related_name="fiches_engagement")
    version = models.PositiveIntegerField("version", default=1)
    contenu = models.BinaryField("fiche (PDF)")
    taille = models.PositiveIntegerField("taille (octets)")
    empreinte = models.CharField("empreinte SHA-256", max_length=64)
    deposant = models.CharField("déposée par (qualité)", max_length=20, choices=Deposant.choices)
    deposee_par = models.CharField("déposée par", max_length=150)
    deposee_le = models.DateTimeField("déposée le", default=timezone.now)

    class Meta:
        verbose_name = "fiche d'engagement étudiant"
        verbose_name_plural = "fiches d'engagement étudiant"
        ordering: ClassVar = ["candidat", "-version"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["candidat", "version"], name="fiche_engagement_version_unique")
        ]

    def __str__(self) -> str:
        return f"Fiche d'engagement de {self.candidat.numero} (v{self.version})"


class EvaluationEngagement(models.Model):
    """L'évaluation de l'engagement étudiant par la commission (Circ. 1.14).

    `fiche_evaluation` (annexe VIII-2) est le seul document d'évaluation communicable au candidat en cas de
    réclamation ; `grille` (annexe VIII-3) aide la commission et ne se communique pas.
    """

    candidat = models.OneToOneField(
        "candidats.Candidat", on_delete=models.CASCADE, related_name="evaluation_engagement"
    )
    commission = models.CharField("commission", max_length=40)
    fiche_evaluation = models.JSONField("fiche d'évaluation", default=dict, help_text="critère → appréciation")
    appreciation = models.TextField("appréciation générale", blank=True)
    grille = models.JSONField("grille d'aide à l'évaluation", default=dict)
    note = models.DecimalField("note sur 20", max_digits=4, decimal_places=2)
    evaluee_par = models.CharField("évaluée par", max_length=150)
    evaluee_le = models.DateTimeField("évaluée le", default=timezone.now)

    class Meta:
        verbose_name = "évaluation de l'engagement étudiant"
        verbose_name_plural = "évaluations de l'engagement étudiant"
        constraints: ClassVar = [
            models.CheckConstraint(condition=models.Q(note__gte=0, note__lte=20), name="evaluation_engagement_0_20")
        ]

    def __str__(self) -> str:
        return f"Engagement étudiant de {self.candidat.numero} : {self.note}/20"


class AvertissementEngagement(models.Model):
    """Le candidat inscrit à l'engagement étudiant sans fiche, et son établissement, ont été avertis."""

    candidat = models.OneToOneField(
        "candidats.Candidat", on_delete=models.CASCADE, related_name="avertissement_engagement"
    )
    averti_le = models.DateTimeField("averti le", default=timezone.now)
    averti_par = models.CharField("averti par", max_length=150)
    destinataires = models.JSONField("destinataires", default=list)

    class Meta:
        verbose_name = "avertissement (engagement sans fiche)"
        verbose_name_plural = "avertissements (engagement sans fiche)"

    def __str__(self) -> str:
        return f"{self.candidat.numero} averti le {self.averti_le:%d/%m/%Y}"


# --------------------------------------------------------------------------- postes E5B


class ContexteNumerique(models.Model):
    """Le contexte numérique national de l'E5B (site WordPress, boutique PrestaShop) : une version par diffusion."""

    session = models.ForeignKey("organisation.ExamSession", on_delete=models.PROTECT, related_name="contextes_e5b")
    version = models.CharField("version", max_length=40, help_text="par ex. 2022.1")
    wordpress = models.CharField("site WordPress", max_length=255, help_text="archive ou adresse d'installation")
    prestashop = models.CharField("boutique PrestaShop", max_length=255, help_text="archive ou adresse d'installation")
    publie_le = models.DateTimeField("publié le", default=timezone.now)
    publie_par = models.CharField("publié par", max_length=150)

    class Meta:
        verbose_name = "contexte numérique E5B"
        verbose_name_plural = "contextes numériques E5B"
        ordering: ClassVar = ["session", "-publie_le", "-id"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["session", "version"], name="contexte_numerique_version_unique")
        ]

    def __str__(self) -> str:
        return f"Contexte numérique E5B {self.version}"


class PosteE5B(models.Model):
    """Un poste informatique d'un centre pour l'E5B : le contexte installé, vérifié (ou non)."""

    class Etat(models.TextChoices):
        A_INSTALLER = "a_installer", "à installer"
        PRET = "pret", "prêt (contexte installé et vérifié)"
        EN_PANNE = "en_panne", "en panne ou incomplet"

    session = models.ForeignKey("organisation.ExamSession", on_delete=models.PROTECT, related_name="+")
    centre = models.ForeignKey("organisation.Centre", on_delete=models.PROTECT, related_name="postes_e5b")
    salle = models.ForeignKey(
        "organisation.Salle", on_delete=models.SET_NULL, null=True, blank=True, related_name="postes_e5b"
    )
    nom = models.CharField("poste", max_length=40, help_text="par ex. Info1-P03")
    etat = models.CharField("état", max_length=20, choices=Etat.choices, default=Etat.A_INSTALLER)
    wordpress_ok = models.BooleanField("site WordPress installé et fonctionnel", default=False)
    prestashop_ok = models.BooleanField("boutique PrestaShop installée et fonctionnelle", default=False)
    contexte_version = models.CharField("version du contexte vérifiée", max_length=40, blank=True)
    verifie_le = models.DateTimeField("vérifié le", null=True, blank=True)
    verifie_par = models.CharField("vérifié par", max_length=150, blank=True)
    observations = models.TextField("observations", blank=True)

    class Meta:
        verbose_name = "poste E5B"
        verbose_name_plural = "postes E5B"
        ordering: ClassVar = ["centre", "nom"]
        constraints: ClassVar = [models.UniqueConstraint(fields=["session", "centre", "nom"], name="poste_e5b_unique")]

    def __str__(self) -> str:
        return f"{self.nom} — {self.get_etat_display()}"


class SignaturePostes(models.Model):
    """La liste de préparation des postes signée par le chef de centre : l'état des postes à cet instant."""

    session = models.ForeignKey("organisation.ExamSession", on_delete=models.PROTECT, related_name="+")
    centre = models.ForeignKey("organisation.Centre", on_delete=models.PROTECT, related_name="signatures_postes")
    signee_le = models.DateTimeField("signée le", default=timezone.now)
    signee_par = models.CharField("signée par", max_length=150)
    contexte_version = models.CharField("version du contexte", max_length=40, blank=True)
    postes_prets = models.PositiveIntegerField("postes prêts")
    postes_declares = models.PositiveIntegerField("postes déclarés")
    detail = models.JSONField("état de chaque poste", default=list)

    class Meta:
        verbose_name = "signature de la préparation des postes"
        verbose_name_plural = "signatures de la préparation des postes"
        ordering: ClassVar = ["centre", "-signee_le", "-id"]

    def __str__(self) -> str:
        return (
            f"{self.centre.code} : {self.postes_prets}/{self.postes_declares} postes prêts, signé par {self.signee_par}"
        )
