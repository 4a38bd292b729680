"""Balises des espaces établissement et candidat."""

from __future__ import annotations

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def note(valeur: Decimal | None) -> str:
    """Une note exacte à la française, sans zéro inutile : 14.50 → « 14,5 » ; 15.00 → « 15 » ; None → « — »."""
    if valeur is None:
        return "—"
    texte = f"{Decimal(valeur):f}"
    if "." in texte:
        texte = texte.rstrip("0").rstrip(".")
    return texte.replace(".", ",")
