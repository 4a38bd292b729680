"""Organisation d'une session : session, académies, regroupements, centres (avec fuseau), salles, calendrier
des épreuves écrites (§8 du règlement ; Circ. 1.1–1.2). Les instants sont stockés en UTC ; chaque centre
les montre dans son fuseau (voir `selectors.horaires_du_centre`).
"""

from __future__ import annotations

from typing import ClassVar

from django.core.exceptions import ValidationError
from django.db import models

from examens.core.calendrier import FuseauInconnu, fuseau
from examens.core.reglement import ReglementInvalide, TypeForme, reglement_fourni


def valider_fuseau(valeur: str) -> None:
    try:
        fuseau(valeur)
    except FuseauInconnu as exc:
        raise ValidationError(exc.message) from None


def valider_reglement(valeur: str) -> None:
    try:
        reglement_fourni(valeur)
    except ReglementInvalide as exc:
        raise ValidationError(str(exc)) from None


class ExamSession(models.Model):
    """Une session annuelle d'une spécialité, liée à son fichier de règlement."""

    code = models.SlugField("code", unique=True, help_text="par ex. bts-ndrc-2022")
    intitule = models.CharField("intitulé", max_length=200)
    reglement = models.CharField(
        "règlement", max_length=100, validators=[valider_reglement], help_text="code du fichier de règlement"
    )
    academie_pilote = models.ForeignKey(
        "Academie", verbose_name="académie pilote", on_delete=models.PROTECT, related_name="sessions_pilotees"
    )
    date_resultats = models.DateField("publication des résultats", null=True, blank=True)
    # Les dates limites que l'académie fixe (§6 ; Circ. 1.3, 1.5) : les établissements les voient dans leur espace.
    date_limite_dossiers = models.DateField(
        "date limite de dépôt des dossiers E4 et E6",
        null=True,
        blank=True,
        help_text="dossiers et attestations de stage ; un dépôt plus tardif rend le dossier non conforme (§6)",
    )
    date_limite_ccf = models.DateField(
        "date limite de transmission des notes de CCF et des livrets scolaires",
        null=True,
        blank=True,
        help_text="après cette date, l'établissement ne transmet plus de note de CCF : le gestionnaire le fait",
    )
    conservation_donnees_mois = models.PositiveSmallIntegerField(
        "conservation des données personnelles (mois)",
        default=60,
        help_text="après la publication des résultats ; 60 mois couvrent les 5 ans de bénéfice des notes (§5)",
    )

    class Meta:
        verbose_name = "session d'examen"
        verbose_name_plural = "sessions d'examen"

    def __str__(self) -> str:
        return self.intitule


class Academie(models.Model):
    code = models.SlugField("code", unique=True)
    nom = models.CharField("nom", max_length=100)
    fuseau = models.CharField("fuseau horaire", max_length=64, default="Europe/Paris", validators=[valider_fuseau])

    class Meta:
        verbose_name = "académie"
        ordering: ClassVar = ["nom"]

    def __str__(self) -> str:
        return self.nom


class Regroupement(models.Model):
    """Regroupement interacadémique (annexe II de la circulaire : saisi par l'académie pilote)."""

    session = models.ForeignKey(ExamSession, on_delete=models.CASCADE, related_name="regroupements")
    nom = models.CharField("nom", max_length=100)
    academies = models.ManyToManyField(Academie, verbose_name="académies", related_name="regroupements")

    class Meta:
        verbose_name = "regroupement interacadémique"
        verbose_name_plural = "regroupements interacadémiques"
        constraints: ClassVar = [models.UniqueConstraint(fields=["session", "nom"], name="regroupement_unique")]

    def __str__(self) -> str:
        return self.nom


class Centre(models.Model):
    academie = models.ForeignKey(Academie, verbose_name="académie", on_delete=models.PROTECT, related_name="centres")
    code = models.CharField("code (UAI)", max_length=20, unique=True)
    nom = models.CharField("nom", max_length=200)
    ville = models.CharField("ville", max_length=100, blank=True)
    fuseau = models.CharField(
        "fuseau horaire",
        max_length=64,
        default="Europe/Paris",
        validators=[valider_fuseau],
        help_text="nom IANA : Europe/Paris, Indian/Reunion, Indian/Mayotte…",
    )

    class Meta:
        verbose_name = "centre d'examen"
        verbose_name_plural = "centres d'examen"
        ordering: ClassVar = ["code"]

    def __str__(self) -> str:
        return f"{self.nom} ({self.code})"


class Salle(models.Model):
    class Type(models.TextChoices):
        ECRIT = "ecrit", "salle d'écrit"
        ORAL = "oral", "salle d'oral"
        LOGE = "loge", "loge de préparation"
        INFORMATIQUE = "informatique", "salle informatique"

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="salles")
    nom = models.CharField("nom", max_length=100)
    type = models.CharField("type", max_length=20, choices=Type.choices)
    capacite = models.PositiveIntegerField("capacité (places)")

    class Meta:
        verbose_name = "salle"
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["centre", "nom"], name="salle_unique"),
            models.CheckConstraint(condition=models.Q(capacite__gt=0), name="salle_capacite_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.nom} — {self.get_type_display()} ({self.capacite} places)"


class EpreuveEcrite(models.Model):
    """Une ligne du calendrier national des écrits (annexe I : saisie par l'académie pilote)."""

    session = models.ForeignKey(ExamSession, on_delete=models.CASCADE, related_name="calendrier")
    epreuve = models.CharField("épreuve", max_length=20, help_text="code du règlement : E1, E3, E5A")
    debut = models.DateTimeField("début (instant national, stocké en UTC)")
    duree_minutes = models.PositiveIntegerField("durée (minutes)")
    temps_de_loge_minutes = models.PositiveIntegerField(
        "temps de loge (minutes)", help_text="durée minimale de présence en salle, partout, outre-mer compris"
    )

    class Meta:
        verbose_name = "épreuve écrite du calendrier"
        verbose_name_plural = "calendrier des épreuves écrites"
        ordering: ClassVar = ["debut"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["session", "epreuve"], name="calendrier_epreuve_unique"),
            models.CheckConstraint(
                condition=models.Q(temps_de_loge_minutes__lte=models.F("duree_minutes")),
                name="calendrier_loge_dans_la_duree",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.epreuve} — {self.session}"

    def clean(self) -> None:
        try:
            reglement = reglement_fourni(self.session.reglement)
            ep = reglement.epreuve(self.epreuve)
        except KeyError:
            raise ValidationError({"epreuve": f"« {self.epreuve} » n'est pas une épreuve du règlement."}) from None
        if not any(f.type is TypeForme.ECRITE for f in ep.formes.values()):
            raise ValidationError({"epreuve": f"{self.epreuve} n'est pas une épreuve écrite."})
