"""Qui a quel rôle pour les pièces d'épreuve : un adaptateur sur les habilitations de `comptes`.

Les sujets ne lisent les rôles que par ces fonctions : si l'API des permissions (`comptes.permissions`)
change, seul ce module change. Un utilisateur sans habilitation (ou non connecté) n'a aucun rôle ; un
superutilisateur de l'administration n'a pas plus de droits sur les sujets que ses habilitations.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from examens.apps.candidats.models import Candidat
from examens.apps.comptes.models import Role
from examens.apps.comptes.permissions import habilitations_de
from examens.apps.jury.models import Jury
from examens.apps.organisation.models import Centre, ExamSession

ROLES_PIECES = frozenset({Role.GESTIONNAIRE, Role.CHEF_DE_CENTRE, Role.PRESIDENT_JURY})


@dataclass(frozen=True, slots=True)
class Qualite:
    """Le rôle retenu pour un acte, tel qu'il s'écrit dans le journal des consultations."""

    role: str  # valeur de comptes.models.Role
    acteur: str  # identifiant de l'utilisateur


def identifiant(utilisateur: Any) -> str:
    nom = utilisateur.get_username() if utilisateur is not None else ""
    return str(nom or "inconnu")


def gestionnaire_pilote(utilisateur: Any, session: ExamSession) -> bool:
    """Gestionnaire de l'académie pilote de la session : il tient la banque nationale."""
    return any(h.role == Role.GESTIONNAIRE and h.national for h in _dans(utilisateur, session))


def gestionnaire_du_centre(utilisateur: Any, session: ExamSession, centre: Centre) -> bool:
    """Gestionnaire de l'académie pilote, ou de l'académie du centre."""
    return any(
        h.role == Role.GESTIONNAIRE and (h.national or h.academie_id == centre.academie_id)
        for h in _dans(utilisateur, session)
    )


def chef_du_centre(utilisateur: Any, session: ExamSession, centre: Centre) -> bool:
    return any(h.role == Role.CHEF_DE_CENTRE and h.centre_id == centre.pk for h in _dans(utilisateur, session))


def president_du_jury_de(utilisateur: Any, candidat: Candidat) -> bool:
    """Président d'un jury qui délibère le candidat (jury de son centre, ou qui lui est confié nommément).
    Aucune requête si l'utilisateur ne préside aucun jury de la session."""
    jurys = {h.jury_id for h in _dans(utilisateur, candidat.session) if h.role == Role.PRESIDENT_JURY and h.jury_id}
    if not jurys:
        return False
    du_centre = Q(centres=candidat.centre_id) if candidat.centre_id is not None else Q(pk__in=[])
    return Jury.objects.filter(Q(pk__in=jurys) & (du_centre | Q(candidats=candidat))).exists()


def examinateurs_de(utilisateur: Any, session: ExamSession) -> set[int]:
    """Les examinateurs (identifiants) que l'utilisateur représente dans la session."""
    return {h.examinateur_id for h in _dans(utilisateur, session) if h.role == Role.EXAMINATEUR and h.examinateur_id}


def candidat_de(utilisateur: Any, session: ExamSession) -> int | None:
    return next((h.candidat_id for h in _dans(utilisateur, session) if h.role == Role.CANDIDAT and h.candidat_id), None)


def etablissements_de(utilisateur: Any, session: ExamSession) -> set[int]:
    return {
        h.etablissement_id for h in _dans(utilisateur, session) if h.role == Role.ETABLISSEMENT and h.etablissement_id
    }


def roles_pieces(utilisateur: Any, session: ExamSession) -> set[str]:
    """Les rôles de pilotage qui peuvent ouvrir la page « pièces du candidat » (dans leur périmètre)."""
    return {h.role for h in _dans(utilisateur, session) if h.role in ROLES_PIECES}


def centres_suivis(utilisateur: Any, session: ExamSession) -> QuerySet[Centre] | None:
    """Les centres que l'utilisateur prépare pour la session : tous (gestionnaire de l'académie pilote), ceux de
    son académie (gestionnaire), le sien (chef de centre). None s'il n'en prépare aucun (aucune requête)."""
    return _centres(utilisateur, session, chefs=True)


def centres_gestionnaire(utilisateur: Any, session: ExamSession) -> QuerySet[Centre] | None:
    """Comme `centres_suivis`, pour les gestionnaires seulement (journal d'attribution : réclamations)."""
    return _centres(utilisateur, session, chefs=False)


def _centres(utilisateur: Any, session: ExamSession, *, chefs: bool) -> QuerySet[Centre] | None:
    filtres = []
    for h in _dans(utilisateur, session):
        if h.role == Role.GESTIONNAIRE:
            filtres.append(Q(pk__isnull=False) if h.national else Q(academie_id=h.academie_id))
        elif chefs and h.role == Role.CHEF_DE_CENTRE and h.centre_id:
            filtres.append(Q(pk=h.centre_id))
    if not filtres:
        return None
    q = filtres[0]
    for f in filtres[1:]:
        q |= f
    return Centre.objects.filter(q)


def qualite_depot_engagement(utilisateur: Any, candidat: Candidat) -> str | None:
    """En quelle qualité l'utilisateur dépose la fiche d'engagement du candidat (valeur de
    `FicheEngagement.Deposant`) : le candidat lui-même, son établissement de formation, ou un gestionnaire
    (académie pilote, académie du centre ou, sans centre, de l'établissement). None : il ne la dépose pas."""
    session = candidat.session
    habilitations = _dans(utilisateur, session)
    if any(h.role == Role.CANDIDAT and h.candidat_id == candidat.pk for h in habilitations):
        return "candidat"
    if candidat.etablissement_id is not None and any(
        h.role == Role.ETABLISSEMENT and h.etablissement_id == candidat.etablissement_id for h in habilitations
    ):
        return "etablissement"
    academie = candidat.centre.academie_id if candidat.centre_id else None  # type: ignore[union-attr]
    if academie is None and candidat.etablissement_id is not None:
        academie = candidat.etablissement.academie_id  # type: ignore[union-attr]
    if any(h.role == Role.GESTIONNAIRE and (h.national or h.academie_id == academie) for h in habilitations):
        return "gestionnaire"
    return None


def _dans(utilisateur: Any, session: ExamSession) -> list[Any]:
    return [h for h in habilitations_de(utilisateur) if h.session_id == session.pk]
