"""Numéro d'anonymat d'un candidat devant le jury (Circ. 1.3 : le jury délibère sur des numéros).

Le numéro est dérivé du numéro de candidat par HMAC-SHA-256 avec une clé propre à la session et à
l'installation : stable (le même sur l'écran de délibération et sur le procès-verbal anonyme), et
impossible à retrouver sans la clé. La table de correspondance ne se lit que par les gestionnaires.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # sans I, O, 0, 1 : pas de confusion à la lecture


def numero_anonyme(code_session: str, numero_candidat: str) -> str:
    """« AN-7K3Q-M2XD » : 8 caractères d'un alphabet sans ambiguïté (40 bits)."""
    cle = f"anonymat:{code_session}:{settings.SECRET_KEY}".encode()
    valeur = int.from_bytes(hmac.new(cle, numero_candidat.encode(), hashlib.sha256).digest()[:5], "big")
    caracteres = []
    for _ in range(8):
        valeur, reste = divmod(valeur, 32)
        caracteres.append(ALPHABET[reste])
    texte = "".join(caracteres)
    return f"AN-{texte[:4]}-{texte[4:]}"
