"""Les documents des écrits dans l'édition de masse (`editions.donnees.SELECTIONS`, `examens editer`).

- `bordereau-lot` : un bordereau par lot de copies (numéros d'anonymat, et notes validées s'il y en a), pour
  la session, une épreuve (`epreuve`) et/ou un centre de correction (`centre`) ;
- `plan-salle` : un plan par salle et par épreuve d'un centre d'examen (`centre`, et `epreuve` pour une seule).

Les données figées viennent de `services.documents` (les mêmes que l'édition depuis les pages des écrits) ; une
réédition sans changement ne crée aucune version.
"""

from __future__ import annotations

from typing import Any

from examens.apps.ecrits.models import Lot
from examens.apps.ecrits.services.documents import bordereaux, plans_de_salle
from examens.apps.editions.donnees import Selection, centre_de, epreuve_ecrite_de
from examens.apps.organisation.models import ExamSession


def bordereaux_lots(session: ExamSession, parametres: dict[str, Any]) -> Selection:
    lots = Lot.objects.filter(epreuve__session=session)
    if parametres.get("epreuve"):
        lots = lots.filter(epreuve=epreuve_ecrite_de(session, parametres["epreuve"]))
    if parametres.get("centre"):
        lots = lots.filter(centre_correction=centre_de(session, parametres["centre"]))
    choisis = list(lots.order_by("epreuve__debut", "numero"))
    return Selection(len(choisis), bordereaux(choisis))


def plans_salle(session: ExamSession, parametres: dict[str, Any]) -> Selection:
    centre = centre_de(session, parametres["centre"])
    epreuve = epreuve_ecrite_de(session, parametres["epreuve"]) if parametres.get("epreuve") else None
    elements = list(plans_de_salle(session=session, centre=centre, epreuve=epreuve))
    return Selection(len(elements), elements)
