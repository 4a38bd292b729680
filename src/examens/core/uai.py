"""Le numéro UAI (ex-RNE) d'un établissement : 7 chiffres et une lettre de contrôle.

La lettre est le reste de la division des 7 chiffres par 23, lu dans l'alphabet sans I, O ni Q
(« 0750655E » : 750655 mod 23 = 4 → E).
"""

from __future__ import annotations

import re

ALPHABET_UAI = "ABCDEFGHJKLMNPRSTUVWXYZ"
_FORME = re.compile(r"^\d{7}[A-Z]$")


def lettre_de_controle(chiffres: str) -> str:
    """La lettre de contrôle des 7 chiffres."""
    return ALPHABET_UAI[int(chiffres) % 23]


def verifier_uai(uai: str) -> str | None:
    """None si l'UAI est valide, sinon un message français qui dit quoi corriger."""
    texte = uai.strip().upper()
    if not _FORME.match(texte):
        return f"« {uai} » n'est pas un UAI : 7 caractères (chiffres) suivis d'une lettre, par ex. 0630001A."
    attendue = lettre_de_controle(texte[:7])
    if texte[7] != attendue:
        return f"UAI « {uai} » : la lettre de contrôle devrait être {attendue} ({texte[:7]}{attendue}) ; vérifiez le numéro."
    return None
