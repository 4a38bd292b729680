"""Convocations du candidat et de l'examinateur, relues dans le PDF champ par champ."""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from examens.documents import (
    Centre,
    ConvocationCandidat,
    ConvocationEcrit,
    ConvocationOral,
    IdentiteCandidat,
)
from examens.documents.convocations import (
    PIECE_IDENTITE,
    pieces_a_apporter,
    rendre_convocation_candidat,
    rendre_convocation_examinateur,
)
from examens.documents.exemples import (
    CENTRE_CLERMONT,
    CENTRE_MAYOTTE,
    CENTRE_REUNION,
    convocation_candidat,
    convocation_examinateur,
    convocations_variees,
    edition,
)

LirePdf = Callable[[bytes], list[str]]

ORAL_8H_UTC = datetime(2022, 5, 17, 8, 0, tzinfo=UTC)


def _convocation(centre: Centre, oraux: tuple[ConvocationOral, ...] = (), **autres: object) -> ConvocationCandidat:
    return ConvocationCandidat(
        edition=edition("CC-TEST", centre),
        candidat=IdentiteCandidat(numero="02200000001", nom="Martin", prenoms="Léa", date_naissance=date(2002, 1, 31)),
        centre=centre,
        oraux=oraux,
        **autres,  # type: ignore[arg-type]
    )


E4_8H_UTC = ConvocationOral(
    epreuve="E4",
    intitule="Relation client et négociation-vente",
    debut=ORAL_8H_UTC,
    duree_minutes=60,
    preparation_minutes=40,
    loge="L2",
    salle="A201",
    commission="K01",
)


@pytest.mark.parametrize(
    ("centre", "accueil", "preparation", "debut", "fuseau"),
    [
        pytest.param(CENTRE_MAYOTTE, "10 h 05", "10 h 20", "11 h 00", "heure de Mayotte (UTC+03:00)", id="Mayotte"),
        pytest.param(
            CENTRE_REUNION, "11 h 05", "11 h 20", "12 h 00", "heure de La Réunion (UTC+04:00)", id="La Réunion"
        ),
        pytest.param(CENTRE_CLERMONT, "9 h 05", "9 h 20", "10 h 00", "heure de Paris (UTC+02:00)", id="Clermont"),
    ],
)
def test_oral_en_heure_locale_du_centre(
    centre: Centre, accueil: str, preparation: str, debut: str, fuseau: str, lire_pdf: LirePdf
) -> None:
    """Un oral à 8 h 00 UTC : 11 h 00 à Mayotte, 12 h 00 à La Réunion, 10 h 00 à Paris."""
    (texte,) = lire_pdf(rendre_convocation_candidat(_convocation(centre, (E4_8H_UTC,))))
    assert f"Toutes les heures sont indiquées en {fuseau}." in texte
    ligne = f"E4 — Relation client et négociation-vente mardi 17 mai 2022 {accueil} {preparation} (40 min) {debut} 1 h"
    assert ligne in texte
    assert "loge L2 salle A201 K01" in texte


def test_ecrits_au_meme_instant_en_heure_locale_avec_temps_de_loge(lire_pdf: LirePdf) -> None:
    """E1 à 14 h à Paris (12 h UTC) : 15 h à Mayotte ; sortie au plus tôt après 1 h ; tiers temps : 4 h + 1 h 20."""
    (texte,) = lire_pdf(rendre_convocation_candidat(convocation_candidat()))
    assert "E1 — Culture générale et expression lundi 16 mai 2022 14 h 30 15 h 00 4 h + 1 h 20 20 h 20 16 h 00" in texte
    assert "E5A — Relation client à distance et digitalisation — étude de cas écrite mercredi 18 mai 2022" in texte
    assert "3 h + 1 h 19 h 00 16 h 00 Gymnase table 42" in texte
    assert "Durée : durée réglementaire + tiers temps accordé." in texte
    assert "temps majoré d'un tiers ; salle à part." in texte


def test_ecrit_sans_tiers_temps(lire_pdf: LirePdf) -> None:
    ecrit = ConvocationEcrit(
        epreuve="E3",
        intitule="Culture économique, juridique et managériale",
        debut=datetime(2022, 5, 17, 12, 0, tzinfo=UTC),
        duree_minutes=240,
        temps_de_loge_minutes=60,
        salle="B12",
    )
    (texte,) = lire_pdf(rendre_convocation_candidat(_convocation(CENTRE_REUNION, ecrits=(ecrit,))))
    assert "mardi 17 mai 2022 15 h 30 16 h 00 4 h 20 h 00 17 h 00 B12" in texte
    assert "tiers temps" not in texte
    assert "Aménagements" not in texte


def test_identite_centre_et_commissions(lire_pdf: LirePdf) -> None:
    (texte,) = lire_pdf(rendre_convocation_candidat(convocation_candidat()))
    for attendu in (
        "Nom N'GUESSAN-MÜLLER",
        "Prénoms Œdipe Zoé",
        "N° candidat 02276012345",
        "Né(e) le 14/03/2001",
        "Centre Lycée des Lagons",
        "Adresse Route nationale 1, 97600 Mamoudzou",
        "Code 9760370Y",
        "K07",
        "K05",
        "— anglais",
        "Engagement étudiant — épreuve facultative mercredi 1er juin 2022",
        "Entrée des candidats par le portail de la rue du Stade.",
    ):
        assert attendu in texte


def test_pieces_et_regles(lire_pdf: LirePdf) -> None:
    (texte,) = lire_pdf(rendre_convocation_candidat(convocation_candidat()))
    assert " ".join(PIECE_IDENTITE.split()) in texte
    assert "E4 : votre dossier (fiches d'activité et leurs annexes)" in texte
    assert "Engagement étudiant : votre fiche d'engagement étudiant" in texte
    assert "Calculatrices : seules sont autorisées" in texte
    assert "« mode examen » est activé" in texte
    assert "voyant clignotant sur la tranche haute" in texte
    assert "Communication : téléphones, montres connectées" in texte
    assert "E5B : la recherche sur le web est permise" in texte


def test_pieces_selon_les_epreuves() -> None:
    """Sans écrit ni oral à dossier : ni stylos ni dossier, mais toujours convocation et pièce d'identité."""
    seulement_e2 = dataclasses.replace(E4_8H_UTC, epreuve="E2", intitule="Langue vivante 1")
    pieces = pieces_a_apporter(_convocation(CENTRE_CLERMONT, (seulement_e2,)))
    assert pieces == ["La présente convocation.", PIECE_IDENTITE]
    pieces = pieces_a_apporter(convocation_candidat())
    assert any(p.startswith("E4 :") for p in pieces)
    assert any(p.startswith("E6 :") for p in pieces)
    assert any(p.startswith("Écrits :") for p in pieces)


def test_la_convocation_tient_sur_une_page(lire_pdf: LirePdf) -> None:
    """Le cas le plus chargé des exemples : trois écrits, six oraux, aménagements et consignes du centre."""
    assert len(lire_pdf(rendre_convocation_candidat(convocation_candidat()))) == 1


def test_les_convocations_variees_tiennent_sur_une_page(lire_pdf: LirePdf) -> None:
    for convocation in itertools.islice(convocations_variees(40, graine=3), 40):
        assert len(lire_pdf(rendre_convocation_candidat(convocation))) == 1


@settings(max_examples=20, deadline=None)
@given(nom=st.text(min_size=1, max_size=40), prenoms=st.text(max_size=40))
def test_aucun_nom_ne_fait_echouer_le_rendu(nom: str, prenoms: str) -> None:
    convocation = dataclasses.replace(
        convocation_candidat(),
        candidat=IdentiteCandidat(numero="1", nom=nom, prenoms=prenoms, date_naissance=date(2000, 1, 1)),
    )
    assert rendre_convocation_candidat(convocation).startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("nom", "prenoms", "attendu"),
    [
        pytest.param("N'Guessan-Müller", "Œdipe", "N'GUESSAN-MÜLLER Œdipe", id="Œ et tréma"),
        pytest.param("Nguyễn", "Thị Ánh", "NGUYÊN Thi Ánh", id="vietnamien translittéré"),
        pytest.param("Đặng", "Văn Ơn", "DANG Van On", id="vietnamien, Đ et Ơ"),
    ],
)
def test_noms_inhabituels(nom: str, prenoms: str, attendu: str, lire_pdf: LirePdf) -> None:
    convocation = dataclasses.replace(
        convocation_candidat(),
        candidat=IdentiteCandidat(numero="1", nom=nom, prenoms=prenoms, date_naissance=date(2000, 1, 1)),
    )
    (texte,) = lire_pdf(rendre_convocation_candidat(convocation))
    nom_lu, prenoms_lus = attendu.split(" ", 1)
    assert f"Nom {nom_lu}" in texte
    assert f"Prénoms {prenoms_lus}" in texte


# --- Examinateur --------------------------------------------------------------------------------------------


def test_convocation_examinateur(lire_pdf: LirePdf) -> None:
    donnees = convocation_examinateur()
    (texte,) = lire_pdf(rendre_convocation_examinateur(donnees))
    assert "Examinateur : Fatima ABDALLAH (X0042)" in texte
    assert "Qualité enseignante (bloc 1)" in texte
    assert "Commission(s) K01" in texte
    assert "Passages 8" in texte
    assert "Toutes les heures sont indiquées en heure de Mayotte (UTC+03:00)." in texte
    # Premier passage : 7 h 00 à Paris = 5 h 00 UTC = 8 h 00 à Mayotte.
    assert (
        "mardi 31 mai 2022 8 h 00 – 9 h 00 E4 — Relation client et négociation-vente 02276010000 NGUYÊN Thi Ánh K01"
        in texte
    )
    assert "mercredi 1er juin 2022 8 h 00 – 9 h 00" in texte
    for passage in donnees.passages:
        assert passage.candidat_numero in texte


def test_passage_dans_un_centre_inconnu_refuse() -> None:
    donnees = convocation_examinateur()
    donnees = dataclasses.replace(donnees, centres=(CENTRE_REUNION,))
    with pytest.raises(ValueError, match="centre absent"):
        rendre_convocation_examinateur(donnees)
