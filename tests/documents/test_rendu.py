"""Tous les modèles : PDF A4 lisible, en-tête et pied communs, déterministe, texte sélectionnable."""

from __future__ import annotations

import dataclasses
import hashlib
import io
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pypdf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from examens.documents import MODELES, TYPE_ICS, TYPE_PDF, TYPE_XLSX, ConvocationExaminateur
from examens.documents.exemples import EXEMPLES

LirePdf = Callable[[bytes], list[str]]
StrategieDe = Callable[..., st.SearchStrategy[Any]]

TITRES = {
    "convocation-candidat": "Convocation aux épreuves",
    "convocation-examinateur": "Convocation d'examinateur",
    "emargement": "Feuille d'émargement",
    "planning-commission": "Planning de la commission",
    "fiche-sujet-e4": "Fiche-sujet — épreuve E4",
    "grille-e5b": "Grille d'évaluation — épreuve E5B",
    "evaluation-engagement": "Fiche d'évaluation — engagement étudiant",
    "pv-deliberation": "Procès-verbal de délibération",
    "releve-notes": "Relevé de notes",
    "attestation-blocs": "Attestation de blocs de compétences",
    "liste-resultats": "Liste des résultats",
    "bordereau-lot": "Bordereau de lot de copies",
    "plan-salle": "Plan de salle",
}


@pytest.fixture(scope="module")
def rendus() -> dict[str, bytes]:
    return {code: modele.rendre_pdf(EXEMPLES[code]()) for code, modele in MODELES.items()}


def test_le_registre_couvre_les_modeles_attendus() -> None:
    assert set(MODELES) == set(TITRES) == set(EXEMPLES)
    for code, modele in MODELES.items():
        assert modele.code == code
        assert modele.titre
    assert MODELES["liste-resultats"].formats == (TYPE_PDF, TYPE_XLSX)
    assert MODELES["convocation-examinateur"].formats == (TYPE_PDF, TYPE_ICS)
    assert MODELES["releve-notes"].formats == (TYPE_PDF,)


@pytest.mark.parametrize("code", sorted(TITRES))
def test_chaque_page_porte_l_en_tete_et_le_pied(code: str, rendus: dict[str, bytes], lire_pdf: LirePdf) -> None:
    pdf = rendus[code]
    assert pdf.startswith(b"%PDF-")
    lecteur = pypdf.PdfReader(io.BytesIO(pdf))
    edition = EXEMPLES[code]().edition  # type: ignore[attr-defined]
    pages = lire_pdf(pdf)
    for numero, (page, texte) in enumerate(zip(lecteur.pages, pages, strict=True), start=1):
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx((595.28, 841.89), abs=0.01)
        assert edition.ligne_academie in texte
        assert "Division des examens et concours" in texte
        assert "BTS Négociation et Digitalisation de la Relation Client — session 2022" in texte
        assert TITRES[code] in texte
        assert f"Réf. {edition.reference} — {code}, version 1" in texte
        assert f"page {numero}/{len(pages)}" in texte
    assert lecteur.metadata is not None
    assert lecteur.metadata.title == TITRES[code]
    assert lecteur.metadata.creation_date == datetime(2022, 4, 20, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize("code", sorted(TITRES))
def test_memes_donnees_memes_octets(code: str, rendus: dict[str, bytes]) -> None:
    """Le service d'édition compare les empreintes SHA-256 : un rendu identique ne crée pas de version."""
    modele = MODELES[code]
    relues = modele.charger(EXEMPLES[code]().en_json())
    assert hashlib.sha256(modele.rendre_pdf(relues)).hexdigest() == hashlib.sha256(rendus[code]).hexdigest()


def test_une_autre_version_change_les_octets(rendus: dict[str, bytes], lire_pdf: LirePdf) -> None:
    donnees = EXEMPLES["releve-notes"]()
    reedition = dataclasses.replace(donnees, edition=dataclasses.replace(donnees.edition, version=2))  # type: ignore[attr-defined]
    pdf = MODELES["releve-notes"].rendre_pdf(reedition)
    assert pdf != rendus["releve-notes"]
    assert "releve-notes, version 2" in lire_pdf(pdf)[0]


def test_date_d_edition_en_heure_locale(rendus: dict[str, bytes], lire_pdf: LirePdf) -> None:
    """Émis à 8 h 00 UTC : 11 h 00 à Mayotte, 12 h 00 à La Réunion, 10 h 00 à Paris."""
    assert "édité le 20/04/2022 à 11 h 00 (heure de Mayotte)" in lire_pdf(rendus["convocation-candidat"])[0]
    assert "édité le 20/04/2022 à 12 h 00 (heure de La Réunion)" in lire_pdf(rendus["emargement"])[0]
    assert "édité le 20/04/2022 à 10 h 00 (heure de Paris)" in lire_pdf(rendus["attestation-blocs"])[0]


@pytest.mark.parametrize("code", sorted(TITRES))
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_aucune_donnee_valide_ne_fait_echouer_le_rendu(
    code: str, strategie_de: StrategieDe, data: st.DataObject
) -> None:
    """Textes quelconques (emoji, idéogrammes, vide), listes vides, valeurs absentes : le rendu aboutit."""
    modele = MODELES[code]
    donnees = data.draw(strategie_de(modele.classe_donnees, pour_rendu=True))
    if isinstance(donnees, ConvocationExaminateur) and {p.centre for p in donnees.passages} - {
        c.code for c in donnees.centres
    }:
        with pytest.raises(ValueError, match="centre absent"):
            modele.rendre_pdf(donnees)
        return
    assert modele.rendre_pdf(donnees).startswith(b"%PDF-")
    if modele.rendre_xlsx is not None:
        assert modele.rendre_xlsx(donnees).startswith(b"PK")
