"""Émargement (plusieurs pages), planning de commission, fiche-sujet E4, grille E5B, évaluation de l'engagement."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from decimal import Decimal

import pytest

from examens.documents.commissions import (
    rendre_evaluation_engagement,
    rendre_fiche_sujet_e4,
    rendre_grille_e5b,
    rendre_planning_commission,
)
from examens.documents.emargement import rendre_emargement
from examens.documents.exemples import (
    emargement,
    evaluation_engagement,
    fiche_sujet_e4,
    grille_e5b,
    planning_commission,
)

LirePdf = Callable[[bytes], list[str]]


@pytest.mark.parametrize(("nombre", "pages"), [(0, 1), (5, 1), (58, 3), (100, 5)])
def test_emargement_sur_plusieurs_pages(nombre: int, pages: int, lire_pdf: LirePdf) -> None:
    donnees = emargement(nombre)
    textes = lire_pdf(rendre_emargement(donnees))
    assert len(textes) == pages
    for i, texte in enumerate(textes, start=1):
        # En-tête de la salle et en-tête du tableau répétés sur chaque page.
        assert "Centre : Lycée du Barachois (9741046U)" in texte
        assert "Salle : Gymnase" in texte
        assert "Épreuve : E1 — Culture générale et expression" in texte
        assert "Début : lundi 16 mai 2022 à 16 h 00 (heure de La Réunion)" in texte
        assert "Sortie possible dès : 17 h 00" in texte
        if nombre:
            assert "Table N° candidat Nom Prénoms Aménagements Signature Heure de sortie" in texte
        assert f"page {i}/{pages}" in texte
    tout = " ".join(textes)
    for candidat in donnees.candidats:
        assert len(re.findall(rf"\b{candidat.numero}\b", tout)) == 1
    assert f"Inscrits : {nombre} — Présents" in textes[-1]
    assert "Surveillant(e) 2 — nom et signature" in textes[-1]


def test_emargement_ligne_d_un_candidat(lire_pdf: LirePdf) -> None:
    donnees = emargement(58)
    avec_amenagement = next(c for c in donnees.candidats if len(c.amenagements) == 2)
    tout = " ".join(lire_pdf(rendre_emargement(donnees)))
    assert (
        f"{avec_amenagement.place} {avec_amenagement.numero} {avec_amenagement.nom.upper()} "
        f"{avec_amenagement.prenoms} sujet agrandi, tiers temps"
    ) in tout
    assert "aucun candidat" not in tout.lower()


def test_planning_commission_jour_par_jour(lire_pdf: LirePdf) -> None:
    donnees = planning_commission()
    textes = lire_pdf(rendre_planning_commission(donnees))
    tout = " ".join(textes)
    assert "Commission : K05" in tout
    assert "Membre 1 Jean-Marc HOARAU — enseignant (bloc 3)" in tout
    assert "mercredi 1er juin 2022 — 8 passage(s)" in tout
    assert "jeudi 2 juin 2022 — 8 passage(s)" in tout
    # 6 h 00 à Paris = 4 h 00 UTC = 8 h 00 à La Réunion (UTC+4).
    premier = donnees.passages[0]
    assert f"8 h 00 – 8 h 40 E6 — Relation client et animation de réseaux {premier.candidat_numero}" in tout
    assert "8 h 40 – 9 h 00 Engagement étudiant — épreuve facultative" in tout
    assert "Préparation" not in tout  # ni E6 ni l'engagement n'ont de préparation
    assert "Toutes les heures sont indiquées en heure de La Réunion (UTC+04:00)." in tout


def test_fiche_sujet_e4(lire_pdf: LirePdf) -> None:
    donnees = fiche_sujet_e4()
    (texte,) = lire_pdf(rendre_fiche_sujet_e4(donnees))
    assert "Candidat : 02276012345" in texte
    assert "Commission : K01" in texte
    assert "Statut : validée par la commission" in texte
    assert "Nom N'GUESSAN-MÜLLER" in texte
    assert "Vente d'un contrat de maintenance de climatisation à un hôtel de Petite-Terre" in texte
    assert "Nature : négociation-vente et accompagnement de la relation client." in texte
    assert "Journée portes ouvertes du magasin de Mamoudzou" in texte
    for parametre in donnees.parametres_modifies:
        assert parametre in texte
    assert donnees.role_commission in texte
    # Interrogation à 8 h 00 Paris = 9 h 00 Mayotte ; préparation en loge 40 min avant.
    assert "Préparation mardi 31 mai 2022 à 8 h 20 (40 min en loge)" in texte
    assert "Interrogation 9 h 00 (1 h)" in texte
    assert "Saïd ATTOUMANI — professionnel (directeur d'agence)" in texte


def test_grille_e5b_anonyme_avec_cases_vides(lire_pdf: LirePdf) -> None:
    donnees = grille_e5b()
    (texte,) = lire_pdf(rendre_grille_e5b(donnees))
    assert "Candidat n° : 02274010007" in texte
    assert "Support : PrestaShop (site de e-commerce)" in texte
    assert "Sujet : PS-07" in texte
    assert "Insuffisant Fragile Satisfaisant Très satisfaisant Points" in texte
    for critere in donnees.criteres:
        assert critere.competence in texte
        assert critere.intitule in texte
    assert "/ 5,0" in texte
    assert "TOTAL / 20" in texte
    assert sum(c.bareme for c in donnees.criteres) == Decimal(20)


def test_evaluation_engagement_remplie_et_vierge(lire_pdf: LirePdf) -> None:
    (texte,) = lire_pdf(rendre_evaluation_engagement(evaluation_engagement()))
    assert "Note attribuée : 14,50 / 20" in texte
    assert "Présentation du contexte Contexte de l'association clairement posé." in texte
    assert "Bilan des compétences acquises" in texte
    assert "Sophie GRONDIN — signature" in texte
    (vierge,) = lire_pdf(rendre_evaluation_engagement(evaluation_engagement(remplie=False)))
    assert "Note attribuée : ........ / 20" in vierge
    assert "clairement posé" not in vierge


def test_evaluation_engagement_note_exacte(lire_pdf: LirePdf) -> None:
    donnees = dataclasses.replace(evaluation_engagement(), note=Decimal("9.5"))
    (texte,) = lire_pdf(rendre_evaluation_engagement(donnees))
    assert "Note attribuée : 9,50 / 20" in texte
