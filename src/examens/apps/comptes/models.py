"""Comptes : les habilitations (qui voit quoi) et le journal des connexions.

Un compte n'ouvre rien par lui-même : ce sont ses **habilitations** qui donnent accès à l'application web.
Une habilitation associe un utilisateur, un rôle et une session à un **périmètre**, l'objet que le rôle
désigne (une académie, un centre, un jury, un établissement, un examinateur ou un candidat). Le gestionnaire
de l'académie pilote de la session voit toute la session ; celui d'une académie rattachée, son académie.
Les requêtes filtrées par périmètre sont dans `permissions.py`, utilisées par toutes les vues.

Le journal des connexions garde le minimum : l'instant, l'identifiant saisi, le succès et l'adresse IP.
"""

from __future__ import annotations

from functools import reduce
from operator import or_
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models


class Role(models.TextChoices):
    GESTIONNAIRE = "gestionnaire", "gestionnaire d'académie"
    CHEF_DE_CENTRE = "chef_de_centre", "chef de centre"
    EXAMINATEUR = "examinateur", "examinateur"
    PRESIDENT_JURY = "president_jury", "président de jury"
    ETABLISSEMENT = "etablissement", "établissement de formation"
    CANDIDAT = "candidat", "candidat"


# Le champ de périmètre de chaque rôle : il est renseigné, tous les autres sont vides (contrainte en base).
PERIMETRE_DU_ROLE: dict[str, str] = {
    Role.GESTIONNAIRE: "academie",
    Role.CHEF_DE_CENTRE: "centre",
    Role.EXAMINATEUR: "examinateur",
    Role.PRESIDENT_JURY: "jury",
    Role.ETABLISSEMENT: "etablissement",
    Role.CANDIDAT: "candidat",
}
CHAMPS_PERIMETRE = ("academie", "centre", "jury", "etablissement", "examinateur", "candidat")


def _perimetre_coherent() -> models.Q:
    return reduce(
        or_,
        (
            models.Q(role=role, **{f"{c}__isnull": c != champ for c in CHAMPS_PERIMETRE})
            for role, champ in PERIMETRE_DU_ROLE.items()
        ),
    )


class Habilitation(models.Model):
    utilisateur = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="utilisateur", on_delete=models.CASCADE, related_name="habilitations"
    )
    role = models.CharField("rôle", max_length=20, choices=Role.choices)
    session = models.ForeignKey(
        "organisation.ExamSession", verbose_name="session", on_delete=models.CASCADE, related_name="habilitations"
    )
    academie = models.ForeignKey(
        "organisation.Academie",
        verbose_name="académie",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="habilitations",
        help_text="gestionnaire : l'académie pilote de la session donne accès à toute la session",
    )
    centre = models.ForeignKey(
        "organisation.Centre",
        verbose_name="centre d'examen",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="habilitations",
    )
    jury = models.ForeignKey(
        "jury.Jury", verbose_name="jury", on_delete=models.CASCADE, null=True, blank=True, related_name="habilitations"
    )
    etablissement = models.ForeignKey(
        "candidats.Etablissement",
        verbose_name="établissement",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="habilitations",
    )
    examinateur = models.ForeignKey(
        "examinateurs.Examinateur",
        verbose_name="examinateur",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="habilitations",
    )
    candidat = models.ForeignKey(
        "candidats.Candidat",
        verbose_name="candidat",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="habilitations",
    )
    accordee_par = models.CharField("accordée par", max_length=150)
    accordee_le = models.DateTimeField("accordée le", auto_now_add=True)

    class Meta:
        verbose_name = "habilitation"
        ordering: ClassVar = ["session", "role", "id"]
        constraints: ClassVar = [
            models.CheckConstraint(condition=_perimetre_coherent(), name="habilitation_perimetre_du_role"),
            *(
                models.UniqueConstraint(
                    fields=["utilisateur", "session", champ],
                    condition=models.Q(role=role),
                    name=f"habilitation_unique_{role}",
                )
                for role, champ in PERIMETRE_DU_ROLE.items()
            ),
            # Un candidat ou un examinateur n'a qu'un compte.
            models.UniqueConstraint(
                fields=["candidat"], condition=models.Q(role=Role.CANDIDAT), name="habilitation_un_compte_par_candidat"
            ),
            models.UniqueConstraint(
                fields=["examinateur"],
                condition=models.Q(role=Role.EXAMINATEUR),
                name="habilitation_un_compte_par_examinateur",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} — {self.perimetre_libelle}"

    @property
    def perimetre(self) -> models.Model | None:
        return getattr(self, PERIMETRE_DU_ROLE[self.role])

    @property
    def perimetre_libelle(self) -> str:
        """« Clermont-Ferrand (académie pilote : toute la session) », « Lycée … (0630001A) »…"""
        objet = self.perimetre
        if self.role == Role.GESTIONNAIRE and self.national:
            return f"{objet} (académie pilote : toute la session)"
        if self.role == Role.CANDIDAT and objet is not None:
            return f"candidat {objet.numero}"  # type: ignore[attr-defined]
        return str(objet)

    @property
    def national(self) -> bool:
        """Le gestionnaire de l'académie pilote de la session voit toute la session."""
        return self.role == Role.GESTIONNAIRE and self.academie_id == self.session.academie_pilote_id

    def clean(self) -> None:
        champ = PERIMETRE_DU_ROLE.get(self.role)
        if champ is None:
            return
        erreurs = {}
        if getattr(self, f"{champ}_id") is None:
            erreurs[champ] = f"Un rôle « {self.get_role_display()} » désigne son périmètre : renseignez ce champ."
        for autre in CHAMPS_PERIMETRE:
            if autre != champ and getattr(self, f"{autre}_id") is not None:
                erreurs[autre] = f"Le rôle « {self.get_role_display()} » ne porte pas sur ce champ : videz-le."
        objet = getattr(self, champ) if getattr(self, f"{champ}_id") is not None else None
        if objet is not None and hasattr(objet, "session_id") and objet.session_id != self.session_id:
            erreurs[champ] = "Ce périmètre appartient à une autre session."
        if erreurs:
            raise ValidationError(erreurs)


class Connexion(models.Model):
    """Une tentative de connexion, réussie ou non. Le minimum : ni mot de passe, ni navigateur."""

    quand = models.DateTimeField("quand", auto_now_add=True, db_index=True)
    identifiant = models.CharField("identifiant saisi", max_length=150)
    succes = models.BooleanField("réussie")
    ip = models.GenericIPAddressField("adresse IP", null=True, blank=True)

    class Meta:
        verbose_name = "connexion"
        verbose_name_plural = "journal des connexions"
        ordering: ClassVar = ["-quand", "-id"]

    def __str__(self) -> str:
        return f"{self.quand:%d/%m/%Y %H:%M} — {self.identifiant} — {'réussie' if self.succes else 'échec'}"
