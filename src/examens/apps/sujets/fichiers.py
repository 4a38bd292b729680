"""Les fichiers déposés (sujets, grilles, fiches d'engagement) : de vrais PDF, de taille bornée.

Un PDF commence par « %PDF- » (octets magiques) et finit par « %%EOF » (éventuellement suivi de fins de
ligne) : on ne se fie ni au nom ni au type annoncé par le navigateur. Taille maximale : le réglage Django
`EXAMENS_SUJETS_TAILLE_MAX` (octets), 10 Mo par défaut.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings

from examens.apps.sujets.erreurs import PieceRefusee

TAILLE_MAX_PAR_DEFAUT = 10 * 1024 * 1024
MAGIQUE = b"%PDF-"
FIN = b"%%EOF"


def taille_max() -> int:
    valeur = getattr(settings, "EXAMENS_SUJETS_TAILLE_MAX", TAILLE_MAX_PAR_DEFAUT)
    if not isinstance(valeur, int) or valeur <= 0:
        raise ValueError(f"EXAMENS_SUJETS_TAILLE_MAX doit être un nombre d'octets positif, pas « {valeur!r} ».")
    return valeur


def _mo(octets: int) -> str:
    return f"{octets / (1024 * 1024):.1f}".replace(".", ",").replace(",0", "") + " Mo"


@dataclass(frozen=True, slots=True)
class PdfVerifie:
    contenu: bytes
    taille: int
    empreinte: str


def verifier_pdf(contenu: bytes | None, *, quoi: str) -> PdfVerifie:
    """Le contenu s'il est un PDF de taille permise ; sinon `PieceRefusee` (« Le sujet n'est pas un PDF… »)."""
    if not contenu:
        raise PieceRefusee(f"{quoi} : le fichier est vide ; déposez le PDF.")
    maximum = taille_max()
    if len(contenu) > maximum:
        raise PieceRefusee(f"{quoi} : le fichier pèse {_mo(len(contenu))}, au-delà de {_mo(maximum)} ; allégez le PDF.")
    if not contenu.startswith(MAGIQUE) or FIN not in contenu[-1024:]:
        raise PieceRefusee(f"{quoi} : ce fichier n'est pas un PDF (enregistrez-le au format PDF, puis déposez-le).")
    return PdfVerifie(contenu=bytes(contenu), taille=len(contenu), empreinte=hashlib.sha256(contenu).hexdigest())
