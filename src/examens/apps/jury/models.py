"""Jurys de délibération et leurs décisions (§4 du règlement ; CE D643-22, D643-31).

Un jury est nommé par le recteur, présidé par un universitaire ou un inspecteur, et compte des enseignants
et des professionnels (employeurs et salariés) **en nombre égal** (CE D643-31). Il délibère les candidats
de ses centres, et ceux qui lui sont confiés nommément.

Une décision de jury n'est jamais réécrite : une nouvelle délibération crée une nouvelle `DecisionJury` qui
remplace la précédente (`precedente` la désigne ; l'ancienne passe `en_vigueur=False`). Une seule décision
est en vigueur par candidat (contrainte en base). Chaque décision est aussi tracée dans l'historique.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils import timezone


class Qualite(models.TextChoices):
    ENSEIGNANT = "enseignant", "enseignant"
    PROFESSIONNEL = "professionnel", "professionnel (employeur ou salarié)"


class Jury(models.Model):
    session = models.ForeignKey("organisation.ExamSession", on_delete=models.PROTECT, related_name="jurys")
    nom = models.CharField("nom", max_length=100, help_text="par ex. « Jury 1 — Clermont-Ferrand »")
    president = models.CharField(
        "président", max_length=200, help_text="un universitaire ou un inspecteur (CE D643-31)"
    )
    centres = models.ManyToManyField(
        "organisation.Centre",
        verbose_name="centres délibérés",
        related_name="jurys",
        blank=True,
        help_text="le jury délibère tous les candidats de ces centres",
    )
    candidats = models.ManyToManyField(
        "candidats.Candidat",
        verbose_name="candidats confiés nommément",
        related_name="jurys",
        blank=True,
        help_text="en plus des candidats des centres (candidat isolé, changement de centre…)",
    )

    class Meta:
        verbose_name = "jury"
        ordering: ClassVar = ["nom"]
        constraints: ClassVar = [models.UniqueConstraint(fields=["session", "nom"], name="jury_nom_unique")]

    def __str__(self) -> str:
        return self.nom

    def avertissements_composition(self) -> list[str]:
        """CE D643-31 : autant d'enseignants que de professionnels. Un avertissement, pas un refus : la
        composition se saisit membre par membre et n'est équilibrée qu'une fois complète."""
        enseignants = professionnels = 0
        for membre in self.membres.all():
            if membre.qualite == Qualite.ENSEIGNANT:
                enseignants += 1
            else:
                professionnels += 1
        avertissements = []
        if enseignants + professionnels == 0:
            avertissements.append(f"{self.nom} : aucun membre (enseignants et professionnels en nombre égal).")
        elif enseignants != professionnels:
            avertissements.append(
                f"{self.nom} : {enseignants} enseignant(s) pour {professionnels} professionnel(s) ; "
                "le Code de l'éducation (D643-31) demande des nombres égaux."
            )
        return avertissements


class MembreJury(models.Model):
    jury = models.ForeignKey(Jury, on_delete=models.CASCADE, related_name="membres")
    nom = models.CharField("nom et prénom", max_length=200)
    qualite = models.CharField("qualité", max_length=20, choices=Qualite.choices)
    examinateur = models.ForeignKey(
        "examinateurs.Examinateur",
        verbose_name="examinateur",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="jurys",
        help_text="si le membre est aussi examinateur de la session",
    )

    class Meta:
        verbose_name = "membre du jury"
        verbose_name_plural = "membres du jury"
        ordering: ClassVar = ["qualite", "nom"]

    def __str__(self) -> str:
        return f"{self.nom} ({self.get_qualite_display()})"


class MentionPix(models.TextChoices):
    """La mention de la certification PIX portée au livret scolaire depuis la session 2022 (Circ. 1.3)."""

    CERTIFIE = "certifie", "certification PIX obtenue"
    NON_CERTIFIE = "non_certifie", "pas de certification PIX"
    NON_RENSEIGNEE = "non_renseignee", "non renseignée au livret"


class ExamenLivret(models.Model):
    """Le jury a examiné le livret scolaire fourni par le candidat (§4.8 : pas d'ajournement avant)."""

    candidat = models.OneToOneField("candidats.Candidat", on_delete=models.CASCADE, related_name="examen_livret")
    jury = models.ForeignKey(Jury, on_delete=models.PROTECT, related_name="livrets_examines", null=True, blank=True)
    examine_par = models.CharField("examiné par", max_length=150)
    examine_le = models.DateTimeField("examiné le", default=timezone.now)
    observations = models.TextField("observations", blank=True)
    mention_pix = models.CharField(
        "mention PIX",
        max_length=20,
        choices=MentionPix.choices,
        blank=True,
        help_text="la certification des compétences numériques portée au livret, relevée par le jury (Circ. 1.3)",
    )

    class Meta:
        verbose_name = "examen du livret scolaire"
        verbose_name_plural = "examens des livrets scolaires"

    def __str__(self) -> str:
        return f"Livret examiné le {self.examine_le:%d/%m/%Y} par {self.examine_par}"


class Decision(models.TextChoices):
    """Les décisions du moteur (`examens.core.deliberation.Decision`), avec leurs libellés."""

    ADMIS = "admis", "admis"
    AJOURNE = "ajourne", "ajourné"
    CONTROLE = "controle", "admissible aux épreuves de contrôle"
    INCOMPLET = "incomplet", "parcours incomplet"
    EN_ATTENTE = "en_attente", "en attente"


class Motif(models.TextChoices):
    ABSENCE = "absence", "absence non justifiée à une épreuve obligatoire"
    NON_VALIDE = "non_valide", "épreuve déclarée non valide (dossier non conforme)"
    MOYENNE = "moyenne", "moyenne insuffisante"
    NOTE_SUSPENDUE = "note_suspendue", "note suspendue dans l'attente d'une vérification de conformité"
    LIVRET_NON_EXAMINE = "livret_non_examine", "livret scolaire pas encore examiné par le jury"


class DecisionJuryQuerySet(models.QuerySet["DecisionJury"]):
    def en_vigueur(self) -> DecisionJuryQuerySet:
        return self.filter(en_vigueur=True)


class DecisionJury(models.Model):
    """Une décision de délibération. Les points et le diviseur sont exacts (moyenne = points ÷ diviseur) ;
    les moyennes sont aussi gardées arrondies pour l'affichage (au plus proche, demi vers le haut, §4.2)."""

    candidat = models.ForeignKey("candidats.Candidat", on_delete=models.CASCADE, related_name="decisions_jury")
    jury = models.ForeignKey(Jury, on_delete=models.PROTECT, related_name="decisions", null=True, blank=True)
    decision = models.CharField("décision", max_length=20, choices=Decision.choices)
    motif = models.CharField("motif", max_length=30, choices=Motif.choices, blank=True)
    apres_controle = models.BooleanField("après les épreuves de contrôle", default=False)
    points = models.DecimalField("points", max_digits=8, decimal_places=2, null=True, blank=True)
    diviseur = models.PositiveSmallIntegerField("diviseur", null=True, blank=True)
    moyenne = models.CharField("moyenne (affichée)", max_length=8, blank=True)
    moyenne_premier_groupe = models.CharField("moyenne du premier groupe (affichée)", max_length=8, blank=True)
    moyenne_professionnelle = models.CharField("moyenne professionnelle (affichée)", max_length=8, blank=True)
    unites_obtenues = models.JSONField("unités obtenues", default=list, blank=True)
    epreuves_controle_possibles = models.JSONField("épreuves de contrôle possibles", default=list, blank=True)
    nombre_epreuves_controle = models.PositiveSmallIntegerField("nombre d'épreuves de contrôle", default=0)
    decidee_par = models.CharField("décidée par", max_length=150)
    decidee_le = models.DateTimeField("décidée le", default=timezone.now)
    en_vigueur = models.BooleanField("en vigueur", default=True)
    precedente = models.OneToOneField(
        "self",
        verbose_name="décision remplacée",
        # SET_NULL et non PROTECT : supprimer un candidat supprime toute sa chaîne de décisions (leur
        # historique reste) ; les décisions ne se suppriment pas une à une (administration en lecture).
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="remplacee_par",
    )

    objects: ClassVar[DecisionJuryQuerySet] = DecisionJuryQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = "décision de jury"
        verbose_name_plural = "décisions de jury"
        ordering: ClassVar = ["candidat", "-decidee_le", "-id"]
        get_latest_by = "decidee_le"
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["candidat"], condition=models.Q(en_vigueur=True), name="decision_jury_une_en_vigueur"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} le {self.decidee_le:%d/%m/%Y}"


class EtatDeliberation(models.Model):
    """Où en est la délibération d'un jury : ouverte, verrouillée, publiée.

    Verrouillée, plus rien ne change pour les candidats du jury — notes de jury, notes de contrôle, choix
    des épreuves de contrôle, examen des livrets, décisions — tant qu'elle n'est pas **rouverte**, avec un
    motif, par un acte tracé. La publication suit le verrouillage : elle rend les notes et décisions des
    candidats du jury consultables par eux et leur établissement (`comptes.permissions.resultats_publies`,
    avec la date de publication de la session). Rouvrir ne retire pas une publication : les résultats déjà
    publiés restent consultables ; le jury verrouille et publie de nouveau après ses corrections.
    """

    jury = models.OneToOneField(Jury, on_delete=models.CASCADE, related_name="etat_deliberation")
    verrouillee_le = models.DateTimeField("verrouillée le", null=True, blank=True)
    verrouillee_par = models.CharField("verrouillée par", max_length=150, blank=True)
    publiee_le = models.DateTimeField("publiée le", null=True, blank=True)
    publiee_par = models.CharField("publiée par", max_length=150, blank=True)
    rouverte_le = models.DateTimeField("dernière réouverture le", null=True, blank=True)
    rouverte_par = models.CharField("rouverte par", max_length=150, blank=True)
    motif_reouverture = models.TextField("motif de la dernière réouverture", blank=True)
    reouvertures = models.PositiveSmallIntegerField("nombre de réouvertures", default=0)

    class Meta:
        verbose_name = "état de la délibération"
        verbose_name_plural = "états des délibérations"
        constraints: ClassVar = [
            # On ne publie qu'une délibération verrouillée au moins une fois.
            models.CheckConstraint(
                condition=models.Q(publiee_le__isnull=True)
                | models.Q(verrouillee_le__isnull=False)
                | models.Q(reouvertures__gt=0),
                name="etat_deliberation_publiee_apres_verrouillage",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.jury} : {self.libelle}"

    @property
    def verrouillee(self) -> bool:
        return self.verrouillee_le is not None

    @property
    def publiee(self) -> bool:
        return self.publiee_le is not None

    @property
    def libelle(self) -> str:
        if self.verrouillee and self.publiee:
            return "verrouillée et publiée"
        if self.verrouillee:
            return "verrouillée"
        if self.publiee:
            return "rouverte après publication"
        return "rouverte" if self.reouvertures else "ouverte"
