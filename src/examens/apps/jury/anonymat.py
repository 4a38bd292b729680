"""Numéro d'anonymat d'un candidat devant le jury (Circ. 1.3 : le jury délibère sur des numéros).

Le numéro est dérivé du numéro de candidat par HMAC-SHA-256 avec une clé propre à la session et à
l'installation : stable (le même sur l'écran de délibération et sur le procès-verbal anonyme), et
impossible à retrouver sans la clé. La table de correspondance ne se lit que par les gestionnaires.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable
from functools import lru_cache

from django.conf import settings

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # sans I, O, 0, 1 : pas de confusion à la lecture


def numero_anonyme(code_session: str, numero_candidat: str) -> str:
    """« AN-7K3Q-M2XD » : 8 caractères d'un alphabet sans ambiguïté (40 bits)."""
    return _anonyme(f"anonymat:{code_session}:{settings.SECRET_KEY}".encode(), numero_candidat)


def numeros_anonymes(code_session: str, numeros: Iterable[str]) -> dict[str, str]:
    """Les numéros d'anonymat de plusieurs candidats d'une session (ceux de `numero_anonyme`) : la liste d'un
    jury se trie par numéro d'anonymat, comme le procès-verbal anonyme."""
    cle = f"anonymat:{code_session}:{settings.SECRET_KEY}".encode()
    return {numero: _anonyme(cle, numero) for numero in numeros}


@lru_cache(maxsize=65536)  # la clé fait partie de l'entrée : un autre secret ne relit pas le cache
def _anonyme(cle: bytes, numero_candidat: str) -> str:
    valeur = int.from_bytes(hmac.digest(cle, numero_candidat.encode(), "sha256")[:5], "big")
    texte = "".join(ALPHABET[(valeur >> (5 * rang)) & 31] for rang in range(8))
    return f"AN-{texte[:4]}-{texte[4:]}"
