"""Textes des documents : normalisation Windows-1252, dates et heures à la française, nombres."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from examens.documents.textes import (
    academie_de,
    cle_alphabetique,
    date_courte,
    date_heure_locale,
    date_longue,
    duree,
    heure_locale,
    nom_fuseau,
    nombre,
    pour_pdf,
    pourcentage,
)


@pytest.mark.parametrize(
    ("texte", "attendu"),
    [
        pytest.param("Martin", "Martin", id="ASCII inchangé"),
        pytest.param("Œdipe N'Guessan-Müller", "Œdipe N'Guessan-Müller", id="Œ et ü sont dans Windows-1252"),
        pytest.param("« Zoé » – l’été…", "« Zoé » – l’été…", id="guillemets, tiret, apostrophe courbe"),
        pytest.param("11\u202fh\u202f00", "11 h 00", id="espace fine insécable"),
        pytest.param("12\u2009%\u00a0!", "12 % !", id="espace fine et insécable"),
        pytest.param("Nguyễn Thị Ánh", "Nguyên Thi Ánh", id="vietnamien : signes gardés si possible"),
        pytest.param("Łukasiewicz Đorđević", "Lukasiewicz Dordevic", id="lettres sans décomposition"),
        pytest.param("Дмитрий", "Dmitrii", id="cyrillique translittéré"),
        pytest.param("Ǆemal", "DŽemal", id="ligature de compatibilité"),
        pytest.param("ﬁlle", "fille", id="ligature typographique"),
        pytest.param("a\u200bb\u00adc", "abc", id="caractères invisibles"),
        pytest.param("Jean\tPaul\nMarie", "Jean Paul Marie", id="tabulation et retour à la ligne"),
        pytest.param("王芳 🎓", "?? ?", id="idéogrammes et emoji : point d'interrogation"),
        pytest.param("Se\u0301verine", "Séverine", id="forme décomposée recomposée"),
    ],
)
def test_pour_pdf(texte: str, attendu: str) -> None:
    assert pour_pdf(texte) == attendu


@given(st.text())
def test_pour_pdf_ne_plante_jamais_et_reste_en_windows_1252(texte: str) -> None:
    resultat = pour_pdf(texte)
    resultat.encode("cp1252")
    assert resultat.isprintable()


@pytest.mark.parametrize(
    ("jour", "attendu"),
    [
        (date(2022, 5, 17), "mardi 17 mai 2022"),
        (date(2022, 6, 1), "mercredi 1er juin 2022"),
        (date(2022, 8, 15), "lundi 15 août 2022"),
        (date(2022, 12, 25), "dimanche 25 décembre 2022"),
        (date(2023, 2, 4), "samedi 4 février 2023"),
    ],
)
def test_date_longue_sans_locale(jour: date, attendu: str) -> None:
    assert date_longue(jour) == attendu


ORAL = datetime(2022, 5, 17, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("fuseau", "heure_attendue", "nom"),
    [
        pytest.param("Indian/Mayotte", "11 h 00", "heure de Mayotte", id="Mayotte UTC+3"),
        pytest.param("Indian/Reunion", "12 h 00", "heure de La Réunion", id="La Réunion UTC+4"),
        pytest.param("Europe/Paris", "10 h 00", "heure de Paris", id="Paris UTC+2 en mai"),
        pytest.param("America/Cayenne", "5 h 00", "heure de la Guyane", id="Guyane UTC-3"),
        pytest.param("Asia/Kolkata", "13 h 30", "heure locale, UTC+05:30", id="fuseau hors table"),
    ],
)
def test_heure_locale_du_centre(fuseau: str, heure_attendue: str, nom: str) -> None:
    assert heure_locale(ORAL, fuseau) == heure_attendue
    assert nom_fuseau(fuseau, ORAL) == nom


def test_date_heure_locale_change_de_jour() -> None:
    """23 h 30 UTC le 16 mai : déjà le 17 à Mayotte."""
    assert (
        date_heure_locale(datetime(2022, 5, 16, 23, 30, tzinfo=UTC), "Indian/Mayotte") == "mardi 17 mai 2022 à 2 h 30"
    )


def test_un_instant_sans_fuseau_est_refuse() -> None:
    with pytest.raises(ValueError, match="fuseau"):
        heure_locale(datetime(2022, 5, 17, 8, 0), "Europe/Paris")  # noqa: DTZ001


@pytest.mark.parametrize(("minutes", "texte"), [(240, "4 h"), (40, "40 min"), (320, "5 h 20"), (65, "1 h 05")])
def test_duree(minutes: int, texte: str) -> None:
    assert duree(minutes) == texte


@pytest.mark.parametrize(
    ("valeur", "texte"),
    [
        (Decimal("12.5"), "12,50"),
        (Decimal("9.995"), "10,00"),
        (Decimal("9.994"), "9,99"),
        (Decimal("0"), "0,00"),
        (Decimal(20), "20,00"),
    ],
)
def test_nombre_arrondi_demi_vers_le_haut(valeur: Decimal, texte: str) -> None:
    assert nombre(valeur) == texte


def test_pourcentage_exact() -> None:
    assert pourcentage(2, 3) == "66,67 %"
    assert pourcentage(0, 0) == "—"


@pytest.mark.parametrize(
    ("nom", "attendu"),
    [
        ("Mayotte", "Académie de Mayotte"),
        ("La Réunion", "Académie de La Réunion"),
        ("Aix-Marseille", "Académie d'Aix-Marseille"),
        ("Orléans-Tours", "Académie d'Orléans-Tours"),
        ("Île-de-France", "Académie d'Île-de-France"),
    ],
)
def test_academie_elision(nom: str, attendu: str) -> None:
    assert academie_de(nom) == attendu


def test_cle_alphabetique_ignore_accents_et_casse() -> None:
    noms = ["Dubois", "Çelik", "Ødegaard", "bernard", "Łukasiewicz", "Martin"]
    assert sorted(noms, key=cle_alphabetique) == ["bernard", "Çelik", "Dubois", "Łukasiewicz", "Martin", "Ødegaard"]


def test_date_courte() -> None:
    assert date_courte(date(2001, 3, 4)) == "04/03/2001"
