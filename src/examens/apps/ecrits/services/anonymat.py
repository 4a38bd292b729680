"""Lecture tracée de la table de correspondance d'anonymat (numéro d'anonymat → candidat).

La table ne se lit que par `selectors.correspondance`, qui vérifie le rôle (gestionnaire de la session, limité à
son périmètre). Toute lecture faite par une personne — la page de la table, le suivi des copies avec les noms —
passe par `consulter_correspondance`, qui la trace dans l'historique : qui, quand, quelle épreuve, depuis quelle
page, combien de lignes. La trace ne porte jamais la correspondance elle-même (ni numéro d'anonymat, ni numéro de
candidat) : l'historique reste pseudonyme. Une lecture refusée (`PermissionDenied`) n'écrit rien.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from examens.apps.ecrits import selectors
from examens.apps.ecrits.selectors import LigneCorrespondance
from examens.apps.historique.models import Trace
from examens.apps.historique.services import tracer
from examens.apps.organisation.models import EpreuveEcrite

OBJET_CONSULTATION = "ecrits.correspondance"  # objet_id : l'épreuve écrite

# D'où la table a été lue (gardé dans la trace, en clair).
CONTEXTES = {
    "table": "table de correspondance",
    "suivi": "suivi des copies",
    "copie": "suivi d'une copie",
}


@transaction.atomic
def consulter_correspondance(
    *,
    utilisateur: Any,
    epreuve: EpreuveEcrite,
    contexte: str = "table",
    numeros: Iterable[str] | None = None,
) -> list[LigneCorrespondance]:
    """Les lignes de la table de correspondance de l'épreuve (toutes, ou celles des `numeros` d'anonymat), pour
    un gestionnaire ; la lecture est tracée. `PermissionDenied` pour tout autre utilisateur (rien n'est tracé)."""
    if contexte not in CONTEXTES:
        raise ValueError(f"Contexte de lecture inconnu : « {contexte} » ({', '.join(CONTEXTES)}).")
    lignes = selectors.correspondance(utilisateur=utilisateur, epreuve=epreuve, numeros=numeros)
    tracer(
        acteur=utilisateur.get_username(),
        action=Trace.Action.CONSULTATION,
        objet_type=OBJET_CONSULTATION,
        objet_id=epreuve.pk,
        objet_libelle=f"lecture de la table de correspondance — {epreuve.epreuve}",
        apres={"page": CONTEXTES[contexte], "lignes": len(lignes)},
    )
    return lignes
