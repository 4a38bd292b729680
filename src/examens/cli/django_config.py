"""Configuration de Django pour les sous-commandes qui utilisent la base (chargée à la demande)."""

from __future__ import annotations

import os


def configurer_django() -> None:
    """Règle `DJANGO_SETTINGS_MODULE` (sauf s'il l'est déjà) et initialise Django."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "examens.config.settings")
    import django

    django.setup()
