"""Erreurs des sujets et pièces d'épreuve : un code stable et un message français qui dit quoi faire."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from examens.core.erreurs import ErreurExamens


class PieceRefusee(ErreurExamens):
    """Un fichier déposé n'est pas un PDF, est vide ou trop lourd."""

    code = "piece_refusee"


class BanqueRefusee(ErreurExamens):
    """Dépôt ou diffusion refusé (banque déséquilibrée, grille manquante, code déjà pris…)."""

    code = "banque_refusee"


class AttributionImpossible(ErreurExamens):
    code = "attribution_impossible"


class FicheSujetRefusee(ErreurExamens):
    code = "fiche_sujet_refusee"


class EngagementRefuse(ErreurExamens):
    code = "engagement_refuse"


class PostesRefuses(ErreurExamens):
    code = "postes_refuses"


class AccesRefuse(ErreurExamens, PermissionDenied):
    """Lecture d'une pièce confidentielle hors des droits (une vue la rend en 403)."""

    code = "acces_refuse"
