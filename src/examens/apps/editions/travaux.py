"""Exécution d'un `Travail` : la nature dit quoi faire, les paramètres sur quoi.

Natures : `editer:<modèle>` (émettre les documents d'un centre, d'un jury ou de la session) et
`envoyer:<modèle>` (envoyer par courriel la dernière version de chaque document).
"""

from __future__ import annotations

from typing import Any

from examens.apps.editions import donnees
from examens.apps.editions.models import Travail
from examens.apps.editions.services import (
    Progression,
    demarrer_travail,
    emettre_en_masse,
    envoyer_versions,
    terminer_travail,
)


def executer(travail: Travail, *, progression: Progression | None = None, processus: int | None = None) -> Any:
    """Exécute (ou reprend) le travail ; rend son bilan. Une erreur passe le travail en échec et remonte."""
    action, _, modele = travail.nature.partition(":")
    p = travail.parametres
    try:
        if action == "editer":
            selection = donnees.selection(travail.session, modele, p)
            demarrer_travail(travail, selection.total)
            bilan: Any = emettre_en_masse(
                session=travail.session,
                modele=modele,
                elements=selection.elements,
                total=selection.total,
                format_=p.get("format", "pdf"),
                par=travail.demande_par,
                forcer=bool(p.get("forcer")),
                motif=p.get("motif", ""),
                travail=travail,
                progression=progression,
                processus=processus,
            )
        elif action == "envoyer":
            a_envoyer = donnees.a_envoyer(travail.session, modele, p)
            demarrer_travail(travail, a_envoyer.total)
            bilan = envoyer_versions(
                versions=a_envoyer.versions,
                objet=a_envoyer.objet,
                corps=a_envoyer.corps,
                par=travail.demande_par,
                appliquer=True,
                travail=travail,
                progression=progression,
                total=a_envoyer.total,
            )
        else:
            raise ValueError(f"Nature de travail inconnue : « {travail.nature} ».")
    except Exception as exc:
        terminer_travail(travail, erreur=f"{type(exc).__name__} : {exc}")
        raise
    terminer_travail(travail)
    return bilan
