"""Le journal des connexions, alimenté par les signaux d'authentification de Django."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from examens.apps.comptes.services import journaliser_connexion


def adresse_ip(request: Any) -> str | None:
    """L'adresse du client : celle que django-axes a déterminée (mandataires inverses compris), sinon REMOTE_ADDR."""
    if request is None:
        return None
    return getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR") or None


@receiver(user_logged_in, dispatch_uid="comptes_connexion_reussie")
def connexion_reussie(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    journaliser_connexion(identifiant=user.get_username(), succes=True, ip=adresse_ip(request))


@receiver(user_login_failed, dispatch_uid="comptes_connexion_echouee")
def connexion_echouee(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    journaliser_connexion(identifiant=str(credentials.get("username", "")), succes=False, ip=adresse_ip(request))
