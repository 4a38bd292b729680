"""Cas d'usage des comptes : accorder ou retirer une habilitation (tracé), journaliser une connexion, purger
le journal des connexions au terme de sa durée de conservation."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction

from examens.apps.comptes.models import PERIMETRE_DU_ROLE, Connexion, Habilitation, Role
from examens.apps.comptes.permissions import oublier_habilitations
from examens.apps.historique.models import Trace
from examens.apps.historique.services import tracer
from examens.apps.organisation.models import ExamSession

# Durée de conservation du journal des connexions (recommandation de la CNIL : de 6 mois à 1 an).
CONSERVATION_CONNEXIONS = timedelta(days=365)


def _apres(h: Habilitation) -> dict[str, Any]:
    champ = PERIMETRE_DU_ROLE[h.role]
    return {
        "utilisateur_id": h.utilisateur_id,  # pas l'identifiant : l'historique ne porte aucune identité
        "role": h.role,
        "session": h.session.code,
        champ: getattr(h, f"{champ}_id"),
    }


@transaction.atomic
def habiliter(
    *, utilisateur: Any, role: Role | str, session: ExamSession, perimetre: models.Model, acteur: str
) -> Habilitation:
    """Accorde à `utilisateur` le rôle `role` sur `perimetre` (l'objet que le rôle désigne) dans `session`.

    Idempotent : une habilitation identique déjà accordée est rendue telle quelle, sans nouvelle trace.
    Lève `django.core.exceptions.ValidationError` (message français) si le périmètre ne convient pas au rôle.
    """
    role = Role(role)
    champ = PERIMETRE_DU_ROLE[role]
    attendu = Habilitation._meta.get_field(champ).related_model
    if not isinstance(perimetre, attendu):  # type: ignore[arg-type]
        raise ValidationError(
            {
                champ: f"Le rôle « {role.label} » porte sur un objet « {attendu._meta.verbose_name} », pas sur « {perimetre} »."
            }
        )
    existante = Habilitation.objects.filter(
        utilisateur=utilisateur, role=role, session=session, **{champ: perimetre}
    ).first()
    if existante is not None:
        return existante
    h = Habilitation(utilisateur=utilisateur, role=role, session=session, accordee_par=acteur, **{champ: perimetre})
    h.full_clean()
    h.save()
    tracer(
        acteur=acteur,
        action=Trace.Action.CREATION,
        objet_type="comptes.habilitation",
        objet_id=h.pk,
        objet_libelle=f"habilitation {h.get_role_display()}",
        apres=_apres(h),
    )
    oublier_habilitations(utilisateur)
    return h


@transaction.atomic
def retirer_habilitation(*, habilitation: Habilitation, acteur: str, motif: str = "") -> None:
    """Retire une habilitation (tracé : qui l'avait, sur quoi, qui la retire et pourquoi)."""
    avant = _apres(habilitation)
    pk = habilitation.pk
    libelle = f"habilitation {habilitation.get_role_display()}"
    utilisateur = habilitation.utilisateur
    habilitation.delete()
    tracer(
        acteur=acteur,
        action=Trace.Action.SUPPRESSION,
        objet_type="comptes.habilitation",
        objet_id=pk,
        objet_libelle=libelle,
        avant=avant,
        motif=motif,
    )
    oublier_habilitations(utilisateur)


def journaliser_connexion(*, identifiant: str, succes: bool, ip: str | None) -> Connexion:
    """Une ligne du journal des connexions : l'instant, l'identifiant saisi, le succès, l'adresse IP."""
    return Connexion.objects.create(identifiant=(identifiant or "")[:150], succes=succes, ip=ip or None)


def purger_journal_connexions(*, maintenant: datetime, conservation: timedelta = CONSERVATION_CONNEXIONS) -> int:
    """Efface les connexions plus anciennes que la durée de conservation ; rend le nombre de lignes effacées."""
    effacees, _ = Connexion.objects.filter(quand__lt=maintenant - conservation).delete()
    return effacees
