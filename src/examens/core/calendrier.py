"""Calendrier des épreuves écrites et fuseaux horaires (§8 du règlement ; Circ. 1.1).

Le calendrier national fixe l'heure de début à Paris. [décision] `organisation.ecrits_meme_instant` :
La Réunion (UTC+4) et Mayotte (UTC+3) composent au même instant que la métropole, et leurs convocations
montrent l'heure locale ; sinon (réglage à false) chaque centre compose à la même heure d'horloge locale.
Le temps de loge (durée minimale de présence en salle) s'applique partout.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from examens.core.erreurs import ErreurExamens

FUSEAU_NATIONAL = "Europe/Paris"
# Aménagement « temps majoré » : un tiers de temps en plus (comme `majoration` du format de planning).
MAJORATION_TEMPS = Fraction(4, 3)


def duree_majoree(minutes: int) -> int:
    """Durée avec le tiers temps, arrondie à la minute supérieure (240 min → 320 min)."""
    return math.ceil(minutes * MAJORATION_TEMPS)


class FuseauInconnu(ErreurExamens):
    code = "fuseau_inconnu"


def fuseau(nom: str) -> ZoneInfo:
    """Le fuseau IANA nommé (« Indian/Reunion »), ou une erreur française qui dit quoi écrire."""
    try:
        return ZoneInfo(nom)
    except (ZoneInfoNotFoundError, ValueError):
        raise FuseauInconnu(
            f"Fuseau horaire inconnu : « {nom} ». Écrivez un nom IANA, par ex. Europe/Paris, Indian/Reunion "
            "ou Indian/Mayotte."
        ) from None


@dataclass(frozen=True, slots=True)
class HoraireLocal:
    """Les heures d'une épreuve écrite dans un centre, en heure locale du centre (avec leur instant UTC)."""

    fuseau: str
    debut: datetime
    fin: datetime
    sortie_autorisee: datetime  # fin du temps de loge : aucun candidat ne sort avant

    @property
    def decalage_paris(self) -> timedelta:
        """Écart entre l'heure locale et l'heure de Paris au même instant (La Réunion en mai : + 2 h)."""
        paris = self.debut.astimezone(ZoneInfo(FUSEAU_NATIONAL))
        local_naif = self.debut.replace(tzinfo=None)
        return local_naif - paris.replace(tzinfo=None)


def debut_national(jour: date, heure_paris: time) -> datetime:
    """L'instant (UTC) de l'heure de Paris donnée par le calendrier national."""
    return datetime.combine(jour, heure_paris, tzinfo=ZoneInfo(FUSEAU_NATIONAL)).astimezone(UTC)


def horaire_local(
    debut_utc: datetime,
    *,
    duree_minutes: int,
    temps_de_loge_minutes: int,
    fuseau_centre: str,
    meme_instant: bool = True,
) -> HoraireLocal:
    """Heures locales d'une épreuve écrite dans un centre.

    `meme_instant` (réglage du règlement) : l'épreuve commence au même instant partout ; sinon à la même
    heure d'horloge qu'à Paris, dans le fuseau du centre.
    """
    if debut_utc.tzinfo is None:
        raise ValueError("L'heure de début doit porter son fuseau (UTC).")
    if not 0 <= temps_de_loge_minutes <= duree_minutes:
        raise ErreurExamens(
            f"Le temps de loge ({temps_de_loge_minutes} min) doit être compris entre 0 et la durée de "
            f"l'épreuve ({duree_minutes} min)."
        )
    zone = fuseau(fuseau_centre)
    if meme_instant:
        debut = debut_utc.astimezone(zone)
    else:
        heure_paris = debut_utc.astimezone(ZoneInfo(FUSEAU_NATIONAL)).replace(tzinfo=None)
        debut = heure_paris.replace(tzinfo=zone)
    instant = debut.astimezone(UTC)  # durées ajoutées en temps réel, pas en heure d'horloge (changement d'heure)
    return HoraireLocal(
        fuseau=fuseau_centre,
        debut=debut,
        fin=(instant + timedelta(minutes=duree_minutes)).astimezone(zone),
        sortie_autorisee=(instant + timedelta(minutes=temps_de_loge_minutes)).astimezone(zone),
    )
