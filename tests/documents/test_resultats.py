"""Procès-verbal, relevé de notes, attestation de blocs, liste des résultats (PDF et XLSX)."""

from __future__ import annotations

import collections
import dataclasses
import io
import re
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from examens.core.deliberation import Decision, Motif
from examens.core.resultats import Etat, Origine
from examens.documents import LignePV, ResultatEpreuve, Variante
from examens.documents.exemples import (
    attestation_blocs,
    liste_resultats,
    pv_deliberation,
    releve_notes,
)
from examens.documents.resultats import (
    afficher_resultat,
    decompter,
    libelle_decision,
    rendre_attestation_blocs,
    rendre_liste_resultats,
    rendre_liste_resultats_xlsx,
    rendre_pv_deliberation,
    rendre_releve_notes,
)
from examens.documents.textes import pour_pdf

LirePdf = Callable[[bytes], list[str]]


def _effectif(texte: str, libelle: str) -> int:
    trouve = re.search(rf"{libelle} (\d+)", texte)
    assert trouve is not None, libelle
    return int(trouve.group(1))


@pytest.mark.parametrize("variante", list(Variante))
def test_pv_effectifs_egaux_aux_decisions(variante: Variante, lire_pdf: LirePdf) -> None:
    donnees = pv_deliberation(variante)
    textes = lire_pdf(rendre_pv_deliberation(donnees))
    assert len(textes) >= 2
    premiere = textes[0]
    decisions = collections.Counter((ligne.decision, ligne.apres_controle) for ligne in donnees.lignes)
    admis = decisions[Decision.ADMIS, False] + decisions[Decision.ADMIS, True]
    presents = sum(ligne.present for ligne in donnees.lignes)
    assert _effectif(premiere, "Inscrits") == len(donnees.lignes) == 64
    assert _effectif(premiere, "Présents") == presents
    assert f"Admis {admis} (dont {decisions[Decision.ADMIS, True]} après contrôle)" in premiere
    assert _effectif(premiere, "Ajournés") == decisions[Decision.AJOURNE, False] + decisions[Decision.AJOURNE, True]
    assert f"Taux de réussite {admis * 100 / presents:.2f} % des présents".replace(".", ",") in premiere
    # Chaque candidat apparaît une fois, avec sa décision ; l'en-tête du tableau est répété.
    tout = " ".join(textes)
    for ligne in donnees.lignes:
        assert len(re.findall(rf"\b{ligne.numero}\b", tout)) == 1
    for texte in textes:
        assert "Jury : Jury 1 — Mayotte" in texte
        assert "Délibération : mardi 28 juin 2022 à 9 h 00, Mamoudzou" in texte
        if any(ligne.numero in texte for ligne in donnees.lignes):
            assert "Points / diviseur Moyenne Décision Motif" in texte
    derniere = textes[-1]
    assert "Membres du jury" in derniere
    assert "Mme Hélène VIDAL président(e) du jury — inspectrice d'académie" in derniere
    assert "Le président du jury : Mme Hélène VIDAL." in derniere


def test_pv_anonyme_sans_noms_nominatif_avec(lire_pdf: LirePdf) -> None:
    anonyme = pv_deliberation(Variante.ANONYME, nombre=12)
    avec_noms = [dataclasses.replace(ligne, nom="Zorglub", prenoms="Ézéchiel") for ligne in anonyme.lignes]
    anonyme = dataclasses.replace(anonyme, lignes=tuple(avec_noms))
    texte = " ".join(lire_pdf(rendre_pv_deliberation(anonyme)))
    assert "ZORGLUB" not in texte
    assert "Ézéchiel" not in texte
    assert "N° d'anonymat" in texte
    assert "version anonyme" in texte
    nominatif = dataclasses.replace(anonyme, variante=Variante.NOMINATIF)
    texte = " ".join(lire_pdf(rendre_pv_deliberation(nominatif)))
    assert texte.count("ZORGLUB Ézéchiel") == 12
    assert "version nominative" in texte


def test_pv_ligne_lue(lire_pdf: LirePdf) -> None:
    lignes = (
        LignePV(
            numero="A0001", decision=Decision.ADMIS, points=Decimal("214.5"), diviseur=21, moyenne=Decimal("10.21")
        ),
        LignePV(numero="A0002", decision=Decision.AJOURNE, motif=Motif.ABSENCE, present=False),
        LignePV(
            numero="A0003",
            decision=Decision.ADMIS,
            apres_controle=True,
            points=Decimal(210),
            diviseur=21,
            moyenne=Decimal(10),
        ),
        LignePV(numero="A0004", decision=Decision.CONTROLE, points=Decimal(180), diviseur=21, moyenne=Decimal("8.57")),
    )
    donnees = dataclasses.replace(pv_deliberation(nombre=1), lignes=lignes)
    (texte,) = lire_pdf(rendre_pv_deliberation(donnees))
    assert "A0001 214,50 / 21 10,21 admis" in texte
    assert "A0002 — — ajourné (absent) absence non justifiée à une épreuve obligatoire" in texte
    assert "A0003 210,00 / 21 10,00 admis après contrôle" in texte
    assert "A0004 180,00 / 21 8,57 admissible aux épreuves de contrôle" in texte
    assert "Inscrits 4" in texte
    assert "Présents 3" in texte
    assert "Admis 2 (dont 1 après contrôle)" in texte
    assert "Taux de réussite 66,67 % des présents" in texte
    assert "Au contrôle 1" in texte


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(list(Decision)), st.booleans(), st.booleans()), max_size=30))
def test_decompte_exact(tirages: list[tuple[Decision, bool, bool]]) -> None:
    lignes = tuple(
        LignePV(numero=str(i), decision=d, apres_controle=c, present=p) for i, (d, c, p) in enumerate(tirages)
    )
    compte = decompter(lignes)
    assert compte.inscrits == len(tirages)
    assert compte.presents == sum(p for _, _, p in tirages)
    assert compte.admis == sum(d is Decision.ADMIS for d, _, _ in tirages)
    assert compte.admis_apres_controle == sum(d is Decision.ADMIS and c for d, c, _ in tirages)
    total = compte.admis + compte.ajournes + compte.controle + compte.en_attente + compte.incomplets
    assert total == compte.inscrits


# --- Relevé de notes ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("resultat", "texte"),
    [
        pytest.param(
            ResultatEpreuve(epreuve="E1", intitule="", coefficient=3, note=Decimal("12.5")), "12,50", id="note"
        ),
        pytest.param(
            ResultatEpreuve(epreuve="E1", intitule="", coefficient=3, etat=Etat.ABSENT), "AB (absent)", id="AB"
        ),
        pytest.param(
            ResultatEpreuve(epreuve="E1", intitule="", coefficient=3, etat=Etat.ABSENT_JUSTIFIE),
            "ABJ (compte 0)",
            id="ABJ",
        ),
        pytest.param(
            ResultatEpreuve(epreuve="E4", intitule="", coefficient=5, etat=Etat.NON_VALIDE), "NV (non valide)", id="NV"
        ),
        pytest.param(
            ResultatEpreuve(epreuve="E3", intitule="", coefficient=3, etat=Etat.DISPENSE), "dispensé", id="DI"
        ),
        pytest.param(
            ResultatEpreuve(
                epreuve="E4", intitule="", coefficient=5, note=Decimal(8), origine=Origine.REPORT, annee=2021
            ),
            "8,00 (report 2021)",
            id="report",
        ),
        pytest.param(
            ResultatEpreuve(epreuve="LV2", intitule="", coefficient=0, facultative=True),
            "non choisie",
            id="facultative",
        ),
        pytest.param(ResultatEpreuve(epreuve="E6", intitule="", coefficient=3), "non présentée", id="progressive"),
    ],
)
def test_affichage_d_un_resultat(resultat: ResultatEpreuve, texte: str) -> None:
    assert afficher_resultat(resultat) == texte


def test_releve_de_notes(lire_pdf: LirePdf) -> None:
    donnees = releve_notes()
    (texte,) = lire_pdf(rendre_releve_notes(donnees))
    assert "Nom N'GUESSAN-MÜLLER" in texte
    assert "Décision ADMIS APRÈS CONTRÔLE" in texte
    assert "Moyenne 11,00 / 20" in texte
    assert "E1 — Culture générale et expression 3 12,00 (bénéfice 2020) 11,00 36,00" in texte
    assert "E2 — Communication en langue vivante étrangère 1 (niveau B2) 3 5,00 12,00 36,00" in texte
    assert "E3 — Culture économique, juridique et managériale 3 dispensé —" in texte
    assert "E4 — Relation client et négociation-vente 5 10,00 50,00" in texte
    assert "LV2 — Langue vivante étrangère 2 (niveau B1) — épreuve facultative — 13,00 3,00" in texte
    assert "Engagement étudiant — épreuve facultative — non choisie —" in texte
    assert "Total : 198,00 points pour un diviseur de 18 — moyenne générale 11,00 / 20" in texte
    assert "U5 — Relation client à distance et digitalisation (bloc de compétences 2)" in texte
    assert "U3" not in texte  # unité dispensée : pas « obtenue »
    assert donnees.points == Decimal(198)
    assert sum(r.points for r in donnees.resultats if r.points is not None) == donnees.points


def test_releve_sans_moyenne_publiee(lire_pdf: LirePdf) -> None:
    donnees = dataclasses.replace(
        releve_notes(),
        decision=Decision.AJOURNE,
        motif=Motif.NON_VALIDE,
        moyenne=None,
        points=None,
        diviseur=None,
        apres_controle=False,
        unites_obtenues=(),
    )
    (texte,) = lire_pdf(rendre_releve_notes(donnees))
    assert "Décision AJOURNÉ" in texte
    assert "Motif épreuve déclarée non valide (dossier non conforme)" in texte
    assert "aucune moyenne n'est publiée" in texte
    assert "Aucune unité obtenue à cette session." in texte


def test_attestation_de_blocs(lire_pdf: LirePdf) -> None:
    (texte,) = lire_pdf(rendre_attestation_blocs(attestation_blocs()))
    assert "Le recteur de l'académie de Clermont-Ferrand atteste que LUKASIEWICZ Håkon, né(e) le 01/07/1998" in texte
    assert "(ajourné au diplôme)" in texte
    assert "U1 Culture générale et expression — 11,50 2021" in texte
    assert "U4 Relation client et négociation-vente 1 13,00 2022" in texte
    assert "U6 Relation client et animation de réseaux 3 10,50 2022" in texte
    assert "Fait à Clermont-Ferrand, le 20 avril 2022." in texte


def test_libelle_decision() -> None:
    assert libelle_decision(Decision.ADMIS, True) == "admis après contrôle"
    assert libelle_decision(Decision.CONTROLE, True) == "admissible aux épreuves de contrôle"


# --- Liste des résultats ------------------------------------------------------------------------------------


def test_liste_des_resultats_pdf(lire_pdf: LirePdf) -> None:
    donnees = liste_resultats()
    tout = " ".join(lire_pdf(rendre_liste_resultats(donnees)))
    assert "Publication : vendredi 1er juillet 2022 à 9 h 00" in tout
    for groupe in donnees.groupes:
        admis = sum(ligne.decision is Decision.ADMIS for ligne in groupe.lignes)
        assert f"{groupe.intitule} — {len(groupe.lignes)} candidat(s), {admis} admis" in tout
        for ligne in groupe.lignes:
            decision = libelle_decision(ligne.decision, ligne.apres_controle)
            assert pour_pdf(f"{ligne.numero} {ligne.nom.upper()} {ligne.prenoms} {decision}") in tout


def test_liste_des_resultats_xlsx_relue() -> None:
    donnees = liste_resultats()
    contenu = rendre_liste_resultats_xlsx(donnees)
    classeur = openpyxl.load_workbook(io.BytesIO(contenu), read_only=True)
    feuille = classeur["Résultats"]
    lignes = [tuple(r) for r in feuille.iter_rows(values_only=True)]
    classeur.close()
    assert lignes[0] == ("Centre", "Numéro", "Nom", "Prénoms", "Décision")
    attendues = [
        (
            g.intitule,
            ligne.numero,
            ligne.nom.upper(),
            ligne.prenoms,
            libelle_decision(ligne.decision, ligne.apres_controle),
        )
        for g in donnees.groupes
        for ligne in g.lignes
    ]
    assert lignes[1:] == attendues
    assert any("Œdipe" in str(v) or "Ø" in str(v) or "Ł" in str(v) for ligne in lignes for v in ligne)


def test_xlsx_deterministe() -> None:
    donnees = liste_resultats()
    assert rendre_liste_resultats_xlsx(donnees) == rendre_liste_resultats_xlsx(donnees)
    classeur = openpyxl.load_workbook(io.BytesIO(rendre_liste_resultats_xlsx(donnees)))
    assert classeur.properties.modified == datetime(2022, 4, 20, 8, 0, tzinfo=UTC).replace(tzinfo=None)
    assert classeur.properties.identifier == donnees.edition.reference
