"""Établissements de formation et candidats (§2 et §5 du règlement ; Circ. 1.8–1.14).

La catégorie d'un candidat (A : CCF possible ; C : ponctuel) n'est jamais saisie : elle se déduit du statut
de son établissement et de son mode de préparation, par la table `categories` du règlement.
"""

from __future__ import annotations

from typing import ClassVar

from django.core.exceptions import ValidationError
from django.db import models

from examens.core.reglement import Categorie, reglement_fourni
from examens.core.uai import verifier_uai


def valider_uai(valeur: str) -> None:
    message = verifier_uai(valeur)
    if message:
        raise ValidationError(message)


class Etablissement(models.Model):
    class Statut(models.TextChoices):
        PUBLIC = "public", "public"
        PRIVE_SOUS_CONTRAT = "prive_sous_contrat", "privé sous contrat"
        PRIVE_HORS_CONTRAT = "prive_hors_contrat", "privé hors contrat"
        CFA = "cfa", "centre de formation d'apprentis"
        FORMATION_CONTINUE_PUBLIQUE = "formation_continue_publique", "formation continue publique (GRETA…)"
        FORMATION_CONTINUE_PRIVEE = "formation_continue_privee", "organisme privé de formation continue"
        ENSEIGNEMENT_A_DISTANCE = "enseignement_a_distance", "enseignement à distance (CNED…)"

    uai = models.CharField("UAI", max_length=8, unique=True, validators=[valider_uai])
    nom = models.CharField("nom", max_length=200)
    ville = models.CharField("ville", max_length=100, blank=True)
    academie = models.ForeignKey(
        "organisation.Academie", verbose_name="académie", on_delete=models.PROTECT, related_name="etablissements"
    )
    statut = models.CharField("statut", max_length=40, choices=Statut.choices)
    habilite_ccf = models.BooleanField(
        "habilité au CCF", default=False, help_text="CFA ou formation continue habilités (arrêté du 24 juillet 2015)"
    )

    class Meta:
        verbose_name = "établissement de formation"
        verbose_name_plural = "établissements de formation"
        ordering: ClassVar = ["uai"]

    def __str__(self) -> str:
        return f"{self.nom} ({self.uai})"


class Candidat(models.Model):
    class ModePreparation(models.TextChoices):
        SCOLAIRE = "scolaire", "scolaire"
        APPRENTI = "apprenti", "apprenti"
        FORMATION_CONTINUE = "formation_continue", "formation professionnelle continue"
        A_DISTANCE = "a_distance", "enseignement à distance"
        EXPERIENCE_PROFESSIONNELLE = "experience_professionnelle", "au titre de l'expérience professionnelle"
        INDIVIDUEL = "individuel", "candidat individuel"

    class Parcours(models.TextChoices):
        GLOBALE = "globale", "forme globale"
        PROGRESSIVE = "progressive", "forme progressive"

    session = models.ForeignKey("organisation.ExamSession", on_delete=models.PROTECT, related_name="candidats")
    numero = models.CharField("numéro de candidat", max_length=20)
    nom = models.CharField("nom", max_length=100)
    prenoms = models.CharField("prénoms", max_length=150)
    date_naissance = models.DateField("date de naissance")
    courriel = models.EmailField("courriel", blank=True)
    etablissement = models.ForeignKey(
        Etablissement,
        verbose_name="établissement",
        on_delete=models.PROTECT,
        related_name="candidats",
        null=True,
        blank=True,
        help_text="vide pour un candidat individuel ou au titre de l'expérience professionnelle",
    )
    mode_preparation = models.CharField("mode de préparation", max_length=30, choices=ModePreparation.choices)
    parcours = models.CharField("parcours", max_length=20, choices=Parcours.choices, default=Parcours.GLOBALE)
    centre = models.ForeignKey(
        "organisation.Centre",
        verbose_name="centre d'examen",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="candidats",
    )
    langue_e2 = models.CharField("langue vivante 1 (E2)", max_length=40)
    langue_lv2 = models.CharField("langue vivante 2 facultative", max_length=40, blank=True)
    engagement_etudiant = models.BooleanField("épreuve facultative d'engagement étudiant", default=False)
    livret_scolaire = models.BooleanField("livret scolaire fourni", default=False)
    # Aménagements d'épreuves
    temps_majore = models.BooleanField("temps majoré (un tiers)", default=False)
    salle_a_part = models.BooleanField("salle à part", default=False)
    secretaire = models.BooleanField("secrétaire", default=False)
    ordinateur = models.BooleanField("ordinateur", default=False)
    sujet_agrandi = models.BooleanField("sujet agrandi", default=False)
    desiste_le = models.DateField("désisté le", null=True, blank=True)
    # Stage (§7) : durée réduite à 8 semaines, et validation par l'académie d'un stage court (session 2022).
    stage_reduit = models.CharField(
        "durée de stage réduite (8 semaines)",
        max_length=20,
        blank=True,
        choices=[
            ("force_majeure", "force majeure"),
            ("amenagement", "aménagement de formation"),
            ("positionnement", "décision de positionnement"),
        ],
    )
    stage_valide_par_academie = models.BooleanField(
        "stage court validé par l'académie",
        default=False,
        help_text="décret 2021-786, art. 4-5 : au moins 4 semaines, session 2022",
    )

    class Meta:
        verbose_name = "candidat"
        ordering: ClassVar = ["numero"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["session", "numero"], name="candidat_numero_unique"),
            # §1 : la langue de l'épreuve facultative diffère de celle d'E2.
            models.CheckConstraint(
                condition=~models.Q(langue_lv2=models.F("langue_e2")), name="candidat_lv2_differente_e2"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.numero} — {self.nom} {self.prenoms}"

    def clean(self) -> None:
        if self.langue_lv2 and self.langue_lv2.strip().lower() == self.langue_e2.strip().lower():
            raise ValidationError({"langue_lv2": "La langue vivante 2 doit être différente de celle de l'épreuve E2."})
        try:
            self.categorie  # noqa: B018 — vérifie que la situation est connue du règlement
        except KeyError as exc:
            raise ValidationError({"mode_preparation": str(exc.args[0])}) from None

    @property
    def situation(self) -> str:
        """La situation de préparation au sens du règlement (`categories.*.situations`)."""
        return situation_de_preparation(self.mode_preparation, self.etablissement)

    @property
    def categorie(self) -> Categorie:
        """Catégorie A ou C, déduite (CE D643-19) : jamais saisie."""
        return reglement_fourni(self.session.reglement).categorie_de(self.situation)


def situation_de_preparation(mode: str, etablissement: Etablissement | None) -> str:
    """Statut de l'établissement × mode de préparation → situation du règlement (§2)."""
    M, S = Candidat.ModePreparation, Etablissement.Statut
    if mode == M.EXPERIENCE_PROFESSIONNELLE:
        return "experience_professionnelle"
    if mode == M.INDIVIDUEL or etablissement is None:
        return "individuel"
    if mode == M.A_DISTANCE or etablissement.statut == S.ENSEIGNEMENT_A_DISTANCE:
        return "enseignement_a_distance"
    if mode == M.APPRENTI:
        return "apprenti_cfa_habilite" if etablissement.habilite_ccf else "apprenti_cfa_non_habilite"
    if mode == M.FORMATION_CONTINUE:
        public = etablissement.statut in (S.PUBLIC, S.FORMATION_CONTINUE_PUBLIQUE)
        return (
            "formation_continue_public_habilite"
            if public and etablissement.habilite_ccf
            else "formation_continue_privee"
        )
    return {
        S.PUBLIC: "scolaire_public",
        S.PRIVE_SOUS_CONTRAT: "scolaire_prive_sous_contrat",
    }.get(S(etablissement.statut), "scolaire_prive_hors_contrat")


class Dispense(models.Model):
    """Dispense d'une unité (§5 ; arrêté du 24 juin 2005) : l'épreuve sort des points et du diviseur."""

    candidat = models.ForeignKey(Candidat, on_delete=models.CASCADE, related_name="dispenses")
    unite = models.CharField("unité", max_length=10)
    titre = models.CharField("titre justifiant la dispense", max_length=200)

    class Meta:
        verbose_name = "dispense"
        constraints: ClassVar = [models.UniqueConstraint(fields=["candidat", "unite"], name="dispense_unique")]

    def __str__(self) -> str:
        return f"{self.unite} — {self.titre}"

    def clean(self) -> None:
        reglement = reglement_fourni(self.candidat.session.reglement)
        unite = reglement.unites.get(self.unite)
        if unite is None or not unite.dispensable:
            dispensables = ", ".join(u.code for u in reglement.unites.values() if u.dispensable)
            raise ValidationError(
                {"unite": f"L'unité « {self.unite} » n'est pas dispensable (dispensables : {dispensables})."}
            )


class NoteConservee(models.Model):
    """Note d'une session antérieure conservée (bénéfice ≥ 10, ou report en forme progressive) (§5)."""

    class Origine(models.TextChoices):
        BENEFICE = "benefice", "bénéfice"
        REPORT = "report", "report"

    candidat = models.ForeignKey(Candidat, on_delete=models.CASCADE, related_name="notes_conservees")
    epreuve = models.CharField("épreuve", max_length=20)
    note = models.DecimalField("note", max_digits=4, decimal_places=2)
    annee = models.PositiveIntegerField("année d'obtention")
    origine = models.CharField("origine", max_length=20, choices=Origine.choices)

    class Meta:
        verbose_name = "note conservée"
        verbose_name_plural = "notes conservées"
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["candidat", "epreuve"], name="note_conservee_unique"),
            models.CheckConstraint(condition=models.Q(note__gte=0, note__lte=20), name="note_conservee_0_20"),
        ]

    def __str__(self) -> str:
        return f"{self.epreuve} : {self.note} ({self.get_origine_display()} {self.annee})"


class PeriodeStage(models.Model):
    """Une période de stage ou d'emploi attestée (§7) : fonde les dossiers E4 et E6."""

    class Piece(models.TextChoices):
        ATTESTATION = "attestation", "attestation de stage"
        CERTIFICAT = "certificat", "certificat de travail"

    candidat = models.ForeignKey(Candidat, on_delete=models.CASCADE, related_name="periodes_stage")
    entreprise = models.CharField("entreprise", max_length=200)
    debut = models.DateField("du")
    fin = models.DateField("au (inclus)")
    piece = models.CharField("pièce", max_length=20, choices=Piece.choices, default=Piece.ATTESTATION)
    piece_fournie = models.BooleanField("pièce fournie", default=True)
    signee = models.BooleanField("signée", default=True)
    visee = models.BooleanField("visée", default=True)

    class Meta:
        verbose_name = "période de stage"
        verbose_name_plural = "périodes de stage"
        ordering: ClassVar = ["debut"]
        constraints: ClassVar = [
            models.CheckConstraint(condition=models.Q(fin__gte=models.F("debut")), name="periode_fin_apres_debut")
        ]

    def __str__(self) -> str:
        return f"{self.entreprise} : du {self.debut:%d/%m/%Y} au {self.fin:%d/%m/%Y}"
