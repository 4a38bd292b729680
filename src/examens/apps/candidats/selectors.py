"""Lectures des candidats : leur convocation aux écrits, en heure locale de leur centre."""

from __future__ import annotations

from examens.apps.candidats.models import Candidat
from examens.apps.organisation.selectors import horaires_du_centre
from examens.core.calendrier import HoraireLocal
from examens.core.reglement import reglement_fourni


def horaires_du_candidat(*, candidat: Candidat) -> list[tuple[str, HoraireLocal]]:
    """Les épreuves écrites du calendrier que le candidat compose, avec leurs heures dans le fuseau de son
    centre (même instant qu'à Paris, §8). Une épreuve d'une unité dispensée n'y figure pas ; un candidat
    sans centre n'a pas encore d'horaires ; un candidat au temps majoré finit un tiers de temps plus tard."""
    if candidat.centre is None:
        return []
    reglement = reglement_fourni(candidat.session.reglement)
    dispensees = set(candidat.dispenses.values_list("unite", flat=True))
    return [
        (e.epreuve, horaires_du_centre(centre=candidat.centre, epreuve=e, temps_majore=candidat.temps_majore))
        for e in candidat.session.calendrier.order_by("debut")
        if reglement.epreuve(e.epreuve).unite not in dispensees
    ]
