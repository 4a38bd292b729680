"""Calendrier des écrits et fuseaux : même instant partout, heure locale affichée (§8, [décision])."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from examens.core.calendrier import FuseauInconnu, debut_national, duree_majoree, fuseau, horaire_local
from examens.core.erreurs import ErreurExamens

# E1 le lundi 16 mai 2022 à 14 h à Paris (UTC+2 en mai), 4 h, temps de loge 1 h (données d'exemple).
DEBUT_E1 = debut_national(date(2022, 5, 16), time(14, 0))


def test_l_heure_nationale_est_l_heure_de_paris() -> None:
    assert datetime(2022, 5, 16, 12, 0, tzinfo=UTC) == DEBUT_E1


@pytest.mark.parametrize(
    ("fuseau_centre", "heure_locale", "decalage"),
    [
        pytest.param("Europe/Paris", time(14, 0), timedelta(0), id="métropole : 14 h"),
        pytest.param("Indian/Reunion", time(16, 0), timedelta(hours=2), id="La Réunion (UTC+4) : 16 h"),
        pytest.param("Indian/Mayotte", time(15, 0), timedelta(hours=1), id="Mayotte (UTC+3) : 15 h"),
    ],
)
def test_outre_mer_compose_au_meme_instant_en_heure_locale(
    fuseau_centre: str, heure_locale: time, decalage: timedelta
) -> None:
    h = horaire_local(DEBUT_E1, duree_minutes=240, temps_de_loge_minutes=60, fuseau_centre=fuseau_centre)
    assert h.debut == DEBUT_E1  # le même instant
    assert h.debut.timetz().replace(tzinfo=None) == heure_locale
    assert h.fin - h.debut == timedelta(hours=4)
    assert h.sortie_autorisee - h.debut == timedelta(hours=1)
    assert h.decalage_paris == decalage


def test_reglage_meme_heure_locale_partout() -> None:
    """Réglage `ecrits_meme_instant = false` : chaque centre compose à 14 h à son horloge."""
    h = horaire_local(
        DEBUT_E1, duree_minutes=240, temps_de_loge_minutes=60, fuseau_centre="Indian/Reunion", meme_instant=False
    )
    assert h.debut.timetz().replace(tzinfo=None) == time(14, 0)
    assert h.debut.astimezone(UTC) == datetime(2022, 5, 16, 10, 0, tzinfo=UTC)


def test_changement_d_heure_pendant_une_epreuve_compte_en_temps_reel() -> None:
    """Nuit du 27 mars 2022 à Paris : 4 h d'épreuve = 4 h réelles, même si l'horloge avance d'une heure."""
    debut = debut_national(date(2022, 3, 27), time(0, 30))
    h = horaire_local(debut, duree_minutes=240, temps_de_loge_minutes=0, fuseau_centre="Europe/Paris")
    assert h.fin.astimezone(UTC) - h.debut.astimezone(UTC) == timedelta(hours=4)
    assert h.fin.timetz().replace(tzinfo=None) == time(5, 30)


def test_fuseau_inconnu_message_francais() -> None:
    with pytest.raises(FuseauInconnu, match="Indian/Reunion"):
        fuseau("Reunion/Saint-Denis")


def test_temps_de_loge_plus_long_que_l_epreuve_refuse() -> None:
    with pytest.raises(ErreurExamens, match="temps de loge"):
        horaire_local(DEBUT_E1, duree_minutes=60, temps_de_loge_minutes=90, fuseau_centre="Europe/Paris")


@pytest.mark.parametrize(("minutes", "majorees"), [(240, 320), (180, 240), (40, 54), (0, 0)])
def test_tiers_temps_arrondi_a_la_minute_superieure(minutes: int, majorees: int) -> None:
    assert duree_majoree(minutes) == majorees
