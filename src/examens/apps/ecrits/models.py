"""Épreuves écrites (E1, E3, E5A) : le jour J en centre, l'anonymat, les lots de copies, la correction et
l'harmonisation (§3 et §8 du règlement ; Circ. 1.1 et 1.6). Flux décrit dans docs/ecrits.md.

Le jour J : `Place` (salle et table d'un candidat pour une épreuve, puis sa présence), `Surveillance`,
`Incident` (procès-verbal, suspicion de fraude), `Absence` et ses `Justificatif` (AB, puis ABJ si la division
des examens reconnaît la force majeure).

La correction : `Copie` (numéro d'anonymat, note validée, note harmonisée) ne désigne pas le candidat ; le
lien est dans `Correspondance`, qui ne se lit que par `selectors.correspondance` (gestionnaire). `Lot`,
`Saisie` (double saisie), `CommissionHarmonisation`, `Ajustement`, `Acheminement` (centre de correction).

Toute écriture passe par les services, qui la tracent dans l'historique.
"""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.db import models
from django.utils import timezone

NOTE_0_20 = models.Q(note__gte=0, note__lte=20)


class Place(models.Model):
    """La place d'un candidat pour une épreuve écrite : sa salle, sa table ; puis sa présence, saisie le jour J."""

    class Presence(models.TextChoices):
        A_SAISIR = "a_saisir", "à saisir"
        PRESENT = "present", "présent"
        ABSENT = "absent", "absent"

    epreuve = models.ForeignKey(
        "organisation.EpreuveEcrite", verbose_name="épreuve", on_delete=models.PROTECT, related_name="places"
    )
    candidat = models.ForeignKey("candidats.Candidat", on_delete=models.PROTECT, related_name="places_ecrits")
    salle = models.ForeignKey("organisation.Salle", on_delete=models.PROTECT, related_name="places_ecrits")
    numero = models.PositiveIntegerField("table")
    presence = models.CharField("présence", max_length=10, choices=Presence.choices, default=Presence.A_SAISIR)
    presence_saisie_par = models.CharField("présence saisie par", max_length=150, blank=True)
    presence_saisie_le = models.DateTimeField("présence saisie le", null=True, blank=True)

    class Meta:
        verbose_name = "place aux écrits"
        verbose_name_plural = "places aux écrits"
        ordering: ClassVar = ["epreuve", "salle", "numero"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["epreuve", "candidat"], name="place_une_par_candidat"),
            models.UniqueConstraint(fields=["epreuve", "salle", "numero"], name="place_table_unique"),
            models.CheckConstraint(condition=models.Q(numero__gt=0), name="place_table_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.epreuve.epreuve} — {self.salle.nom}, table {self.numero}"


class Surveillance(models.Model):
    """Un surveillant d'une salle pour une épreuve : un examinateur de la session ou une personne nommée."""

    epreuve = models.ForeignKey(
        "organisation.EpreuveEcrite", verbose_name="épreuve", on_delete=models.PROTECT, related_name="surveillances"
    )
    salle = models.ForeignKey("organisation.Salle", on_delete=models.PROTECT, related_name="surveillances")
    examinateur = models.ForeignKey(
        "examinateurs.Examinateur", on_delete=models.PROTECT, null=True, blank=True, related_name="surveillances"
    )
    nom = models.CharField("nom (hors examinateurs)", max_length=150, blank=True)

    class Meta:
        verbose_name = "surveillance"
        ordering: ClassVar = ["epreuve", "salle", "id"]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(examinateur__isnull=False) | ~models.Q(nom=""), name="surveillance_nommee"
            ),
            # Une personne ne surveille qu'une salle à la fois.
            models.UniqueConstraint(
                fields=["epreuve", "examinateur"],
                condition=models.Q(examinateur__isnull=False),
                name="surveillance_une_salle_par_examinateur",
            ),
        ]

    def __str__(self) -> str:
        return self.nom or str(self.examinateur)

    @property
    def libelle(self) -> str:
        if self.examinateur_id is not None:
            e = self.examinateur
            return f"{e.prenom} {e.nom.upper()}"  # type: ignore[union-attr]
        return self.nom


class Incident(models.Model):
    """Procès-verbal d'incident d'une épreuve écrite ; une suspicion de fraude désigne toujours un candidat."""

    class Nature(models.TextChoices):
        INCIDENT = "incident", "incident"
        SUSPICION_FRAUDE = "suspicion_fraude", "suspicion de fraude"

    epreuve = models.ForeignKey(
        "organisation.EpreuveEcrite", verbose_name="épreuve", on_delete=models.PROTECT, related_name="incidents"
    )
    salle = models.ForeignKey(
        "organisation.Salle", on_delete=models.PROTECT, null=True, blank=True, related_name="incidents"
    )
    candidat = models.ForeignKey(
        "candidats.Candidat", on_delete=models.PROTECT, null=True, blank=True, related_name="incidents_ecrits"
    )
    nature = models.CharField("nature", max_length=20, choices=Nature.choices)
    survenu_le = models.DateTimeField("survenu le")
    description = models.TextField("faits constatés")
    mesures = models.TextField("mesures prises", blank=True)
    redige_par = models.CharField("rédigé par", max_length=150)
    redige_le = models.DateTimeField("rédigé le", default=timezone.now)

    class Meta:
        verbose_name = "procès-verbal d'incident"
        verbose_name_plural = "procès-verbaux d'incident"
        ordering: ClassVar = ["survenu_le", "id"]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=~models.Q(nature="suspicion_fraude") | models.Q(candidat__isnull=False),
                name="incident_fraude_designe_un_candidat",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_nature_display()} — {self.epreuve.epreuve} ({self.survenu_le:%d/%m/%Y %H:%M} UTC)"


class Absence(models.Model):
    """Un candidat absent à une épreuve écrite : AB, jusqu'à ce que la division des examens reconnaisse, sur
    pièces, une force majeure (ABJ) — Circ. 1.6 : toute absence non justifiée interdit le diplôme."""

    class Decision(models.TextChoices):
        EN_ATTENTE = "en_attente", "non statuée (AB)"
        FORCE_MAJEURE = "force_majeure", "force majeure reconnue (ABJ)"
        REFUSEE = "refusee", "justification refusée (AB)"

    place = models.OneToOneField(Place, on_delete=models.PROTECT, related_name="absence")
    constatee_par = models.CharField("constatée par", max_length=150)
    constatee_le = models.DateTimeField("constatée le", default=timezone.now)
    decision = models.CharField("décision", max_length=20, choices=Decision.choices, default=Decision.EN_ATTENTE)
    motif_decision = models.TextField("motif de la décision", blank=True)
    decidee_par = models.CharField("décidée par", max_length=150, blank=True)
    decidee_le = models.DateTimeField("décidée le", null=True, blank=True)

    class Meta:
        verbose_name = "absence à un écrit"
        verbose_name_plural = "absences aux écrits"
        ordering: ClassVar = ["constatee_le", "id"]

    def __str__(self) -> str:
        return f"Absence — {self.place.epreuve.epreuve} — {self.get_decision_display()}"


class Justificatif(models.Model):
    """Une pièce justificative d'absence (PDF, JPEG ou PNG reconnus à leur contenu, 5 Mo au plus), gardée en
    base comme les documents émis : la même base sert le site et les travailleurs."""

    absence = models.ForeignKey(Absence, on_delete=models.PROTECT, related_name="justificatifs")
    nom_fichier = models.CharField("nom du fichier", max_length=255)
    type_mime = models.CharField("type", max_length=50)
    taille = models.PositiveIntegerField("taille (octets)")
    empreinte = models.CharField("empreinte SHA-256", max_length=64)
    contenu = models.BinaryField("contenu")
    depose_par = models.CharField("déposé par", max_length=150)
    depose_le = models.DateTimeField("déposé le", default=timezone.now)

    class Meta:
        verbose_name = "justificatif d'absence"
        verbose_name_plural = "justificatifs d'absence"
        ordering: ClassVar = ["depose_le", "id"]

    def __str__(self) -> str:
        return f"{self.nom_fichier} ({self.taille} octets)"


class Acheminement(models.Model):
    """Le centre de correction où partent les copies d'un centre d'examen (à défaut : le centre lui-même)."""

    session = models.ForeignKey("organisation.ExamSession", on_delete=models.CASCADE, related_name="acheminements")
    centre = models.ForeignKey(
        "organisation.Centre", verbose_name="centre d'examen", on_delete=models.CASCADE, related_name="acheminements"
    )
    centre_correction = models.ForeignKey(
        "organisation.Centre",
        verbose_name="centre de correction",
        on_delete=models.PROTECT,
        related_name="acheminements_recus",
    )

    class Meta:
        verbose_name = "acheminement des copies"
        verbose_name_plural = "acheminements des copies"
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["session", "centre"], name="acheminement_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.centre} → {self.centre_correction}"


class Lot(models.Model):
    """Un lot de copies anonymes d'une épreuve, corrigé dans un centre de correction par un correcteur."""

    class Statut(models.TextChoices):
        CONSTITUE = "constitue", "constitué"
        REMIS = "remis", "remis au correcteur"
        CORRIGE = "corrige", "corrigé (notes validées)"
        RENDU = "rendu", "rendu (copies retournées)"

    epreuve = models.ForeignKey(
        "organisation.EpreuveEcrite", verbose_name="épreuve", on_delete=models.PROTECT, related_name="lots"
    )
    centre_correction = models.ForeignKey(
        "organisation.Centre", verbose_name="centre de correction", on_delete=models.PROTECT, related_name="lots"
    )
    numero = models.PositiveIntegerField("numéro du lot")
    correcteur = models.ForeignKey(
        "examinateurs.Examinateur", on_delete=models.PROTECT, null=True, blank=True, related_name="lots"
    )
    statut = models.CharField("statut", max_length=20, choices=Statut.choices, default=Statut.CONSTITUE)
    constitue_le = models.DateTimeField("constitué le", default=timezone.now)
    remis_le = models.DateTimeField("remis le", null=True, blank=True)
    corrige_le = models.DateTimeField("corrigé le", null=True, blank=True)
    rendu_le = models.DateTimeField("rendu le", null=True, blank=True)

    class Meta:
        verbose_name = "lot de copies"
        verbose_name_plural = "lots de copies"
        ordering: ClassVar = ["epreuve", "numero"]
        constraints: ClassVar = [models.UniqueConstraint(fields=["epreuve", "numero"], name="lot_numero_unique")]

    def __str__(self) -> str:
        return f"Lot {self.code}"

    @property
    def code(self) -> str:
        return f"{self.epreuve.epreuve}-L{self.numero:03d}"


class Copie(models.Model):
    """Une copie anonyme : son numéro d'anonymat, son lot, sa note validée (double saisie concordante) et,
    après harmonisation, sa note harmonisée. La note initiale n'est jamais écrasée."""

    epreuve = models.ForeignKey(
        "organisation.EpreuveEcrite", verbose_name="épreuve", on_delete=models.PROTECT, related_name="copies"
    )
    numero = models.CharField("numéro d'anonymat", max_length=12)
    centre = models.ForeignKey(
        "organisation.Centre", verbose_name="centre d'examen", on_delete=models.PROTECT, related_name="copies"
    )
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, null=True, blank=True, related_name="copies")
    note_initiale = models.DecimalField(
        "note validée (double saisie)", max_digits=4, decimal_places=2, null=True, blank=True
    )
    ecart = models.BooleanField("les deux saisies diffèrent", default=False)
    note_harmonisee = models.DecimalField(
        "note après harmonisation", max_digits=4, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = "copie"
        ordering: ClassVar = ["epreuve", "numero"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["epreuve", "numero"], name="copie_numero_unique"),
            models.CheckConstraint(
                condition=models.Q(note_initiale__isnull=True) | models.Q(note_initiale__gte=0, note_initiale__lte=20),
                name="copie_note_initiale_0_20",
            ),
            models.CheckConstraint(
                condition=models.Q(note_harmonisee__isnull=True)
                | models.Q(note_harmonisee__gte=0, note_harmonisee__lte=20),
                name="copie_note_harmonisee_0_20",
            ),
            models.CheckConstraint(
                condition=models.Q(note_harmonisee__isnull=True) | models.Q(note_initiale__isnull=False),
                name="copie_harmonisee_apres_validation",
            ),
        ]

    def __str__(self) -> str:
        return f"Copie {self.epreuve.epreuve} n° {self.numero}"

    @property
    def note_finale(self) -> Decimal | None:
        return self.note_harmonisee if self.note_harmonisee is not None else self.note_initiale


class Correspondance(models.Model):
    """La table de correspondance numéro d'anonymat → candidat. Ne se lit que par
    `selectors.correspondance`, qui exige le rôle de gestionnaire ; les services s'en servent pour les
    conflits d'établissement et la levée d'anonymat, sans jamais l'exposer."""

    copie = models.OneToOneField(Copie, on_delete=models.PROTECT, related_name="correspondance")
    epreuve = models.ForeignKey(
        "organisation.EpreuveEcrite", verbose_name="épreuve", on_delete=models.PROTECT, related_name="correspondances"
    )
    candidat = models.ForeignKey("candidats.Candidat", on_delete=models.PROTECT, related_name="copies_ecrits")

    class Meta:
        verbose_name = "correspondance d'anonymat"
        verbose_name_plural = "table de correspondance"
        # Sans l'application `comptes`, c'est cette permission qui ouvre la table (selectors.correspondance).
        permissions: ClassVar = [("voir_correspondance", "Consulter la table de correspondance d'anonymat")]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["epreuve", "candidat"], name="correspondance_une_copie_par_candidat"),
        ]

    def __str__(self) -> str:
        return f"Correspondance {self.pk}"


class Saisie(models.Model):
    """Une des deux saisies indépendantes de la note d'une copie. Les deux concordent : la note est validée."""

    copie = models.ForeignKey(Copie, on_delete=models.PROTECT, related_name="saisies")
    rang = models.PositiveSmallIntegerField("saisie n°", choices=[(1, "première saisie"), (2, "seconde saisie")])
    note = models.DecimalField("note saisie", max_digits=4, decimal_places=2)
    saisie_par = models.CharField("saisie par", max_length=150)
    saisie_le = models.DateTimeField("saisie le", default=timezone.now)

    class Meta:
        verbose_name = "saisie de note"
        verbose_name_plural = "saisies de notes"
        ordering: ClassVar = ["copie", "rang"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["copie", "rang"], name="saisie_unique"),
            models.CheckConstraint(condition=models.Q(rang__in=[1, 2]), name="saisie_rang_1_ou_2"),
            models.CheckConstraint(condition=NOTE_0_20, name="saisie_note_0_20"),
        ]

    def __str__(self) -> str:
        return f"Saisie {self.rang} — {self.note}"


class CommissionHarmonisation(models.Model):
    """La commission d'harmonisation d'une épreuve écrite. Verrouillée, plus aucune note ne bouge (sauf
    réouverture motivée et tracée) ; l'anonymat ne se lève qu'après le verrouillage."""

    class Statut(models.TextChoices):
        OUVERTE = "ouverte", "ouverte"
        VERROUILLEE = "verrouillee", "verrouillée"

    epreuve = models.OneToOneField(
        "organisation.EpreuveEcrite", verbose_name="épreuve", on_delete=models.PROTECT, related_name="harmonisation"
    )
    president = models.CharField("président(e)", max_length=200, blank=True)
    membres = models.TextField("membres", blank=True)
    statut = models.CharField("statut", max_length=20, choices=Statut.choices, default=Statut.OUVERTE)
    verrouillee_le = models.DateTimeField("verrouillée le", null=True, blank=True)
    verrouillee_par = models.CharField("verrouillée par", max_length=150, blank=True)
    anonymat_leve_le = models.DateTimeField("anonymat levé le", null=True, blank=True)
    anonymat_leve_par = models.CharField("anonymat levé par", max_length=150, blank=True)

    class Meta:
        verbose_name = "commission d'harmonisation"
        verbose_name_plural = "commissions d'harmonisation"

    def __str__(self) -> str:
        return f"Harmonisation {self.epreuve.epreuve} ({self.get_statut_display()})"

    @property
    def verrouillee(self) -> bool:
        return self.statut == self.Statut.VERROUILLEE


class Ajustement(models.Model):
    """Un ajustement motivé des notes d'un lot par la commission d'harmonisation ; `details` garde, par numéro
    d'anonymat, la note avant et après (les notes initiales restent sur les copies)."""

    class Nature(models.TextChoices):
        DECALAGE = "decalage", "décalage de toutes les copies du lot"
        NOTE_A_NOTE = "note_a_note", "note à note"

    commission = models.ForeignKey(CommissionHarmonisation, on_delete=models.PROTECT, related_name="ajustements")
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="ajustements")
    nature = models.CharField("nature", max_length=20, choices=Nature.choices)
    points = models.DecimalField("points ajoutés (ou retirés)", max_digits=4, decimal_places=2, null=True, blank=True)
    motif = models.TextField("motif")
    details = models.JSONField("notes avant et après", default=dict)
    decide_par = models.CharField("décidé par", max_length=150)
    decide_le = models.DateTimeField("décidé le", default=timezone.now)

    class Meta:
        verbose_name = "ajustement d'harmonisation"
        verbose_name_plural = "ajustements d'harmonisation"
        ordering: ClassVar = ["decide_le", "id"]
        constraints: ClassVar = [models.CheckConstraint(condition=~models.Q(motif=""), name="ajustement_motive")]

    def __str__(self) -> str:
        return f"{self.get_nature_display()} — lot {self.lot_id}"
