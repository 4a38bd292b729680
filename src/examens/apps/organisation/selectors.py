"""Lectures de l'organisation : les heures d'écrit d'un centre, dans son fuseau."""

from __future__ import annotations

from examens.apps.organisation.models import Centre, EpreuveEcrite
from examens.core.calendrier import HoraireLocal, duree_majoree, horaire_local
from examens.core.reglement import reglement_fourni


def horaires_du_centre(*, centre: Centre, epreuve: EpreuveEcrite, temps_majore: bool = False) -> HoraireLocal:
    """Les heures locales d'une épreuve écrite dans un centre (même instant partout, selon le règlement).

    `temps_majore` : aménagement d'épreuve, un tiers de temps en plus (la fin est reculée, pas le début).
    """
    reglement = reglement_fourni(epreuve.session.reglement)
    return horaire_local(
        epreuve.debut,
        duree_minutes=duree_majoree(epreuve.duree_minutes) if temps_majore else epreuve.duree_minutes,
        temps_de_loge_minutes=epreuve.temps_de_loge_minutes,
        fuseau_centre=centre.fuseau,
        meme_instant=reglement.organisation.ecrits_meme_instant,
    )
