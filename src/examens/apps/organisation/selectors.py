"""Lectures de l'organisation : les heures d'écrit d'un centre, dans son fuseau."""

from __future__ import annotations

from examens.apps.organisation.models import Centre, EpreuveEcrite
from examens.core.calendrier import HoraireLocal, horaire_local
from examens.core.reglement import reglement_fourni


def horaires_du_centre(*, centre: Centre, epreuve: EpreuveEcrite) -> HoraireLocal:
    """Les heures locales d'une épreuve écrite dans un centre (même instant partout, selon le règlement)."""
    reglement = reglement_fourni(epreuve.session.reglement)
    return horaire_local(
        epreuve.debut,
        duree_minutes=epreuve.duree_minutes,
        temps_de_loge_minutes=epreuve.temps_de_loge_minutes,
        fuseau_centre=centre.fuseau,
        meme_instant=reglement.organisation.ecrits_meme_instant,
    )
