"""Le règlement BTS NDRC 2022 en données : contenu (tout le règlement) et chargement validé.

Chaque valeur attendue vient de `shared/reglement-bts-ndrc-2022.md` (cité « § ») et de la circulaire 2022
(« Circ. »), pas du fichier TOML. Les règles marquées [décision] doivent être des réglages du fichier : on le
vérifie en changeant la ligne et en constatant que le règlement chargé change.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from reglement_de_test import modifier, reglement_modifie, texte_reglement

from examens.core.reglement import (
    Annulation,
    Decompte,
    Domaine,
    ReglementInvalide,
    TypeForme,
    load_reglement,
    parse_reglement,
    reglement_fourni,
)
from examens.core.resultats import Etat

REGLEMENT = reglement_fourni()

AB, ABJ, NV, DI = Etat.ABSENT, Etat.ABSENT_JUSTIFIE, Etat.NON_VALIDE, Etat.DISPENSE


def erreurs_de(texte: str) -> list[str]:
    with pytest.raises(ReglementInvalide) as exc:
        parse_reglement(texte, source="academie.toml")
    return exc.value.erreurs


# --- §1 : unités, épreuves, coefficients, domaines -------------------------------------------------


def test_identite_du_reglement() -> None:
    assert REGLEMENT.code == "bts-ndrc-2022"
    assert REGLEMENT.session == 2022
    assert "Négociation et Digitalisation de la Relation Client" in REGLEMENT.specialite
    assert REGLEMENT.academie_pilote == "Clermont-Ferrand"


def test_somme_des_coefficients_obligatoires_21() -> None:
    assert REGLEMENT.somme_coefficients == 21
    assert sum(e.coefficient for e in REGLEMENT.obligatoires) == 21


def test_epreuves_obligatoires_et_facultatives_dans_l_ordre() -> None:
    assert [e.code for e in REGLEMENT.obligatoires] == ["E1", "E2", "E3", "E4", "E5A", "E5B", "E6"]
    assert [e.code for e in REGLEMENT.facultatives] == ["LV2", "ENGAGEMENT"]


@pytest.mark.parametrize(
    ("code", "unite", "coefficient", "domaine"),
    [
        pytest.param("E1", "U1", 3, Domaine.GENERAL, id="E1 culture générale : U1, coef 3, général"),
        pytest.param("E2", "U2", 3, Domaine.GENERAL, id="E2 langue vivante 1 : U2, coef 3, général"),
        pytest.param("E3", "U3", 3, Domaine.GENERAL, id="E3 CEJM : U3, coef 3, général"),
        pytest.param("E4", "U4", 5, Domaine.PROFESSIONNEL, id="E4 négociation-vente : U4, coef 5, professionnel"),
        pytest.param("E5A", "U5", 2, Domaine.PROFESSIONNEL, id="E5A étude de cas : U5, coef 2, professionnel"),
        pytest.param("E5B", "U5", 2, Domaine.PROFESSIONNEL, id="E5B épreuve pratique : U5, coef 2, professionnel"),
        pytest.param("E6", "U6", 3, Domaine.PROFESSIONNEL, id="E6 animation de réseaux : U6, coef 3, professionnel"),
        pytest.param("LV2", "UF1", 0, Domaine.FACULTATIF, id="LV2 : UF1, facultative, sans coefficient"),
        pytest.param("ENGAGEMENT", "UF2", 0, Domaine.FACULTATIF, id="engagement étudiant : UF2, facultative"),
    ],
)
def test_epreuve_unite_coefficient_domaine(code: str, unite: str, coefficient: int, domaine: Domaine) -> None:
    epreuve = REGLEMENT.epreuve(code)
    assert (epreuve.unite, epreuve.coefficient, epreuve.domaine) == (unite, coefficient, domaine)
    assert epreuve.facultative is (domaine is Domaine.FACULTATIF)
    assert REGLEMENT.unites[unite].domaine is domaine
    assert code in REGLEMENT.unites[unite].epreuves


def test_u5_est_une_unite_en_deux_parties_de_coefficient_4() -> None:
    u5 = REGLEMENT.unites["U5"]
    assert u5.epreuves == ("E5A", "E5B")
    assert sum(REGLEMENT.epreuve(e).coefficient for e in u5.epreuves) == 4


def test_coefficients_par_domaine() -> None:
    general = sum(e.coefficient for e in REGLEMENT.obligatoires if e.domaine is Domaine.GENERAL)
    professionnel = sum(e.coefficient for e in REGLEMENT.obligatoires if e.domaine is Domaine.PROFESSIONNEL)
    assert (general, professionnel) == (9, 12)


def test_unites_obligatoires() -> None:
    assert [u.code for u in REGLEMENT.unites_obligatoires()] == ["U1", "U2", "U3", "U4", "U5", "U6"]


@pytest.mark.parametrize(
    ("unite", "dispensable"),
    [
        pytest.param("U1", True, id="U1 dispensable (autre BTS, DUT, niveau 5)"),
        pytest.param("U2", False, id="U2 non dispensable"),
        pytest.param("U3", True, id="U3 dispensable (CEJM d'un autre BTS)"),
        pytest.param("U4", False, id="U4 professionnelle non dispensable"),
        pytest.param("U5", False, id="U5 professionnelle non dispensable"),
        pytest.param("U6", False, id="U6 professionnelle non dispensable"),
        pytest.param("UF1", False, id="UF1 facultative non dispensable"),
        pytest.param("UF2", False, id="UF2 facultative non dispensable"),
    ],
)
def test_unites_dispensables_u1_et_u3_seulement(unite: str, dispensable: bool) -> None:
    assert REGLEMENT.unites[unite].dispensable is dispensable


@pytest.mark.parametrize(
    ("unite", "bloc"),
    [
        pytest.param("U4", 1, id="U4 : bloc 1"),
        pytest.param("U5", 2, id="U5 : bloc 2"),
        pytest.param("U6", 3, id="U6 : bloc 3"),
    ],
)
def test_blocs_de_competences_professionnels(unite: str, bloc: int) -> None:
    assert REGLEMENT.unites[unite].bloc == bloc


@pytest.mark.parametrize(
    ("code", "codes"),
    [
        pytest.param("E1", {AB, ABJ, DI}, id="E1 : AB, ABJ, DI"),
        pytest.param("E2", {AB, ABJ}, id="E2 : AB, ABJ"),
        pytest.param("E3", {AB, ABJ, DI}, id="E3 : AB, ABJ, DI"),
        pytest.param("E4", {AB, ABJ, NV}, id="E4 : AB, ABJ, NV (dossier)"),
        pytest.param("E5A", {AB, ABJ}, id="E5A : AB, ABJ"),
        pytest.param("E5B", {AB, ABJ}, id="E5B : AB, ABJ"),
        pytest.param("E6", {AB, ABJ, NV}, id="E6 : AB, ABJ, NV (dossier)"),
        pytest.param("LV2", {AB}, id="LV2 : AB seulement"),
        pytest.param("ENGAGEMENT", {AB}, id="engagement étudiant : AB seulement"),
    ],
)
def test_codes_permis_par_epreuve(code: str, codes: set[Etat]) -> None:
    assert REGLEMENT.epreuve(code).codes == frozenset(codes)


def test_seules_e4_et_e6_ont_un_dossier() -> None:
    assert [e.code for e in REGLEMENT.epreuves.values() if e.dossier] == ["E4", "E6"]
    assert REGLEMENT.conformite.epreuves_avec_dossier == ("E4", "E6")


def test_lv2_dans_une_autre_langue_que_e2() -> None:
    assert REGLEMENT.epreuve("LV2").langue_differente_de == "E2"
    assert REGLEMENT.epreuve("LV2").langue
    assert REGLEMENT.epreuve("E2").langue


def test_e5b_sur_poste_avec_sujet_et_deux_examinateurs() -> None:
    e5b = REGLEMENT.epreuve("E5B")
    assert e5b.poste
    assert e5b.sujet
    assert e5b.commission is not None
    assert e5b.commission.membres == 2


@pytest.mark.parametrize(
    ("code", "bloc"),
    [
        pytest.param("E4", 1, id="commission E4 : professeur du bloc 1 et professionnel"),
        pytest.param("E6", 3, id="commission E6 : bloc 3"),
    ],
)
def test_commissions_e4_et_e6(code: str, bloc: int) -> None:
    commission = REGLEMENT.epreuve(code).commission
    assert commission is not None
    assert (commission.membres, commission.bloc, commission.professionnel) == (2, bloc, True)


def test_epreuve_inconnue_message_en_francais() -> None:
    with pytest.raises(KeyError, match="Épreuve inconnue"):
        REGLEMENT.epreuve("E9")


# --- §2 : formes par catégorie de candidat ---------------------------------------------------------


def forme(code: str, categorie: str) -> tuple[Any, ...]:
    f = REGLEMENT.epreuve(code).formes[categorie]
    return (f.type, f.preparation_minutes, f.preparation_en_loge, f.duree_minutes, f.situations)


ECRITE, ORALE, PRATIQUE, CCF = TypeForme.ECRITE, TypeForme.ORALE, TypeForme.PRATIQUE, TypeForme.CCF


@pytest.mark.parametrize(
    ("code", "categorie", "attendu"),
    [
        # (type, préparation, en loge, durée, situations de CCF)
        pytest.param("E1", "A", (ECRITE, 0, False, 240, None), id="E1 catégorie A : écrit 4 h"),
        pytest.param("E1", "C", (ECRITE, 0, False, 240, None), id="E1 catégorie C : écrit 4 h"),
        pytest.param("E2", "A", (CCF, 0, False, None, 2), id="E2 catégorie A : CCF, 2 situations"),
        pytest.param("E2", "C", (ORALE, 30, False, 30, None), id="E2 catégorie C : oral 30 min après 30 min"),
        pytest.param("E3", "A", (ECRITE, 0, False, 240, None), id="E3 catégorie A : écrit 4 h"),
        pytest.param("E3", "C", (ECRITE, 0, False, 240, None), id="E3 catégorie C : écrit 4 h"),
        pytest.param("E4", "A", (CCF, 0, False, None, 2), id="E4 catégorie A : CCF, 2 situations"),
        pytest.param("E4", "C", (ORALE, 40, True, 60, None), id="E4 catégorie C : 40 min en loge puis oral 1 h"),
        pytest.param("E5A", "A", (ECRITE, 0, False, 180, None), id="E5A : écrit 3 h (A)"),
        pytest.param("E5A", "C", (ECRITE, 0, False, 180, None), id="E5A : écrit 3 h (C)"),
        pytest.param("E5B", "A", (PRATIQUE, 0, False, 40, None), id="E5B : pratique 40 min sans préparation (A)"),
        pytest.param("E5B", "C", (PRATIQUE, 0, False, 40, None), id="E5B : pratique 40 min sans préparation (C)"),
        pytest.param("E6", "A", (CCF, 0, False, None, 1), id="E6 catégorie A : CCF, 1 situation"),
        pytest.param("E6", "C", (ORALE, 0, False, 40, None), id="E6 catégorie C : oral 40 min sans préparation"),
        pytest.param("LV2", "A", (ORALE, 20, False, 20, None), id="LV2 : oral 20 min après 20 min (A)"),
        pytest.param("LV2", "C", (ORALE, 20, False, 20, None), id="LV2 : oral 20 min après 20 min (C)"),
        pytest.param("ENGAGEMENT", "A", (ORALE, 0, False, 20, None), id="engagement : oral 20 min (A)"),
        pytest.param("ENGAGEMENT", "C", (ORALE, 0, False, 20, None), id="engagement : oral 20 min (C)"),
    ],
)
def test_formes_par_categorie(code: str, categorie: str, attendu: tuple[Any, ...]) -> None:
    assert forme(code, categorie) == attendu


@pytest.mark.parametrize(
    ("code", "phases"),
    [
        pytest.param("E2", [10, 20], id="E2 C : compte rendu ≤ 10 min en français, interaction ≤ 20 min"),
        pytest.param("E4", [20, 20, 20], id="E4 C : trois phases de 20 min au plus"),
        pytest.param("E6", [15, 25], id="E6 C : phase 1 ≤ 15 min, phase 2 ≤ 25 min"),
        pytest.param("ENGAGEMENT", [10, 10], id="engagement : 10 min d'exposé et 10 min d'entretien"),
    ],
)
def test_phases_des_oraux_ponctuels(code: str, phases: list[int]) -> None:
    f = REGLEMENT.epreuve(code).formes["C"]
    assert [ph.duree_max_minutes for ph in f.phases] == phases
    assert f.duree_minutes is not None
    assert sum(phases) <= f.duree_minutes


def test_engagement_etudiant_suit_e6() -> None:
    engagement = REGLEMENT.epreuve("ENGAGEMENT")
    assert engagement.suit == "E6"
    assert engagement.formes["C"].preparation_minutes == 0


def test_toutes_les_formes_de_la_categorie_c_sont_ponctuelles() -> None:
    for epreuve in REGLEMENT.epreuves.values():
        assert set(epreuve.formes) == {"A", "C"}, epreuve.code
        assert epreuve.formes["C"].type.ponctuelle, epreuve.code


@pytest.mark.parametrize(
    ("situation", "categorie"),
    [
        pytest.param("scolaire_public", "A", id="scolaire du public : A"),
        pytest.param("scolaire_prive_sous_contrat", "A", id="privé sous contrat : A"),
        pytest.param("apprenti_cfa_habilite", "A", id="apprenti de CFA habilité : A"),
        pytest.param("formation_continue_public_habilite", "A", id="formation continue publique habilitée : A"),
        pytest.param("scolaire_prive_hors_contrat", "C", id="privé hors contrat : C"),
        pytest.param("apprenti_cfa_non_habilite", "C", id="CFA non habilité : C"),
        pytest.param("formation_continue_privee", "C", id="formation continue privée : C"),
        pytest.param("enseignement_a_distance", "C", id="enseignement à distance (CNED) : C"),
        pytest.param("experience_professionnelle", "C", id="au titre de l'expérience professionnelle : C"),
        pytest.param("individuel", "C", id="candidat individuel : C"),
    ],
)
def test_categorie_selon_la_situation_de_preparation(situation: str, categorie: str) -> None:
    assert REGLEMENT.categorie_de(situation).code == categorie


def test_situation_de_preparation_inconnue() -> None:
    with pytest.raises(KeyError, match="inconnue"):
        REGLEMENT.categorie_de("martien")


# --- §3 à §8 : seuils et règles chiffrées ----------------------------------------------------------


@pytest.mark.parametrize(
    ("valeur", "attendu"),
    [
        pytest.param(lambda r: r.notes.maximum, Decimal(20), id="§3 notes sur 20"),
        pytest.param(lambda r: r.notes.arrondi_ccf, "superieur", id="§3 note de CCF arrondie au demi-point supérieur"),
        pytest.param(lambda r: r.notes.decimales_moyenne, 2, id="§4.2 moyenne affichée à 2 décimales"),
        pytest.param(lambda r: r.deliberation.seuil_admission, Decimal(10), id="§4.3 admis à 10"),
        pytest.param(lambda r: r.deliberation.seuil_controle, Decimal(8), id="§4.4 contrôle dès 8 de moyenne générale"),
        pytest.param(lambda r: r.deliberation.seuil_professionnel, Decimal(10), id="§4.4 et 10 de moyenne pro"),
        pytest.param(
            lambda r: r.deliberation.seuil_facultatif, Decimal(10), id="§4.2 facultatives : points au-dessus de 10"
        ),
        pytest.param(lambda r: r.controle.epreuves, ("E1", "E2", "E3"), id="§4.4 contrôle parmi E1, E2, E3"),
        pytest.param(lambda r: r.controle.nombre, 2, id="§4.4 deux épreuves de contrôle"),
        pytest.param(lambda r: r.controle.preparation_minutes, 20, id="§4.4 contrôle : 20 min de préparation"),
        pytest.param(lambda r: r.controle.duree_minutes, 20, id="§4.4 contrôle : oral de 20 min"),
        pytest.param(lambda r: r.conservation.duree_annees, 5, id="§5 bénéfice pendant 5 ans"),
        pytest.param(lambda r: r.conservation.seuil_benefice, Decimal(10), id="§5 bénéfice des notes ≥ 10"),
        pytest.param(
            lambda r: r.conservation.report_notes_inferieures_en_progressive, True, id="§5 report en progressive"
        ),
        pytest.param(lambda r: r.stage.semaines_requises, 16, id="§7 stage de 16 semaines"),
        pytest.param(lambda r: r.stage.semaines_reduites, 8, id="§7 réduit à 8 semaines"),
        pytest.param(lambda r: r.stage.plancher_validation_semaines, 4, id="§7 session 2022 : jamais moins de 4"),
        pytest.param(lambda r: r.stage.unites_dispensant_de_stage, ("U4", "U6"), id="§5 U4 et U6 : pas de stage"),
        pytest.param(lambda r: r.stage.experience_professionnelle_annees, 3, id="§7 expérience : 3 ans"),
        pytest.param(lambda r: r.dossier_e4.fiches_min, 2, id="§6 E4 : 2 fiches"),
        pytest.param(
            lambda r: set(r.dossier_e4.natures_distinctes),
            {"negociation_vente", "evenement_commercial"},
            id="§6 E4 : négociation-vente et évènement commercial",
        ),
        pytest.param(lambda r: r.dossier_e4.annexe_offre_pages_max, 2, id="§6 E4 : annexe de 2 pages au plus"),
        pytest.param(lambda r: r.dossier_e6.fiches_min, 3, id="§6 E6 : 3 fiches"),
        pytest.param(
            lambda r: set(r.dossier_e6.types_reseau_distincts),
            {"distributeurs", "partenaires", "vente_directe"},
            id="§6 E6 : trois types de réseau",
        ),
        pytest.param(lambda r: r.dossier_e6.fiches_reelles_min, 1, id="§6 E6 : au moins une expérience vécue"),
        pytest.param(lambda r: r.dossier_e6.etude_reflexive_pages_max, 4, id="§6 E6 : étude réflexive de 4 pages"),
        pytest.param(lambda r: r.dossier_e6.dossier_professionnel_pages_max, 10, id="§6 E6 : dossier pro ~10 pages"),
        pytest.param(lambda r: r.dossier_e6.pole, 3, id="§6 E6 : pôle 3"),
    ],
)
def test_valeurs_chiffrees_du_reglement(valeur: Any, attendu: Any) -> None:
    assert valeur(REGLEMENT) == attendu


# --- Chaque [décision] du règlement est un réglage -------------------------------------------------


@pytest.mark.parametrize(
    ("valeur", "livree", "avant", "apres", "modifiee"),
    [
        pytest.param(
            lambda r: r.notes.pas,
            Decimal("0.5"),
            'pas = "0.5"',
            'pas = "0.25"',
            Decimal("0.25"),
            id="§3 [décision] pas des notes : 0,5",
        ),
        pytest.param(
            lambda r: r.deliberation.absence_facultative_sanctionnee,
            False,
            "absence_facultative_sanctionnee = false",
            "absence_facultative_sanctionnee = true",
            True,
            id="§3 [décision] AB à une facultative : ni point ni sanction",
        ),
        pytest.param(
            lambda r: r.deliberation.facultatives_dans_moyenne_controle,
            True,
            "facultatives_dans_moyenne_controle = true",
            "facultatives_dans_moyenne_controle = false",
            False,
            id="§4.4 [décision] la moyenne qui ouvre le contrôle inclut les facultatives",
        ),
        pytest.param(
            lambda r: r.controle.note_retenue_pour_unites,
            True,
            "note_retenue_pour_unites = true",
            "note_retenue_pour_unites = false",
            False,
            id="§4.4 [décision] la note retenue après contrôle sert aux unités",
        ),
        pytest.param(
            lambda r: r.controle.nombre_reduit_si_moins_d_epreuves,
            True,
            "nombre_reduit_si_moins_d_epreuves = true",
            "nombre_reduit_si_moins_d_epreuves = false",
            False,
            id="§4.4 [décision] une seule épreuve générale non dispensée : un seul contrôle",
        ),
        pytest.param(
            lambda r: r.epreuve("E2").formes["A"].situations,
            2,
            'situations = 2\n[epreuves.formes.C]\nforme = "orale"\npreparation_minutes = 30',
            'situations = 3\n[epreuves.formes.C]\nforme = "orale"\npreparation_minutes = 30',
            3,
            id="§2 [décision] E2 en CCF : 2 situations",
        ),
        pytest.param(
            lambda r: r.epreuve("E4").formes["A"].situations,
            2,
            'situations = 2\n[epreuves.formes.C]\nforme = "orale"\npreparation_minutes = 40',
            'situations = 1\n[epreuves.formes.C]\nforme = "orale"\npreparation_minutes = 40',
            1,
            id="§2 [décision] E4 en CCF : 2 situations",
        ),
        pytest.param(
            lambda r: r.epreuve("E6").formes["A"].situations,
            1,
            "situations = 1\n",
            "situations = 2\n",
            2,
            id="§2 [décision] E6 en CCF : 1 situation",
        ),
        pytest.param(
            lambda r: r.conformite.annulation[Annulation.NON_DEPOSE],
            None,
            'non_depose = "epreuve_du_dossier"',
            'non_depose = ["E4", "E6"]',
            ("E4", "E6"),
            id="§6 [décision] cause 1 (non déposé) : l'épreuve du dossier",
        ),
        pytest.param(
            lambda r: r.conformite.annulation[Annulation.DEPOT_TARDIF],
            None,
            'depot_tardif = "epreuve_du_dossier"',
            'depot_tardif = ["E4", "E6"]',
            ("E4", "E6"),
            id="§6 [décision] cause 2 (dépôt tardif) : l'épreuve du dossier",
        ),
        pytest.param(
            lambda r: r.conformite.annulation[Annulation.DUREE_INSUFFISANTE],
            ("E4", "E6"),
            'duree_insuffisante = ["E4", "E6"]',
            'duree_insuffisante = "epreuve_du_dossier"',
            None,
            id="§6 cause 3 (durée) : E4 et E6",
        ),
        pytest.param(
            lambda r: r.conformite.annulation[Annulation.ATTESTATION_MANQUANTE],
            ("E4", "E6"),
            'attestation_manquante = ["E4", "E6"]',
            'attestation_manquante = "epreuve_du_dossier"',
            None,
            id="§6 cause 4 (attestation) : E4 et E6",
        ),
        pytest.param(
            lambda r: r.conformite.annulation[Annulation.NON_VISE_NON_SIGNE],
            None,
            'non_vise_non_signe = "epreuve_du_dossier"',
            'non_vise_non_signe = ["E4", "E6"]',
            ("E4", "E6"),
            id="§6 [décision] cause 5 (non visé, non signé) : l'épreuve du dossier",
        ),
        pytest.param(
            lambda r: r.stage.decompte,
            Decompte.JOURS_CALENDAIRES,
            'decompte = "jours_calendaires"',
            'decompte = "jours_ouvres"',
            Decompte.JOURS_OUVRES,
            id="§7 [décision] décompte en jours calendaires ÷ 7 (ou ouvrés ÷ 5)",
        ),
        pytest.param(
            lambda r: r.stage.plancher_validation_semaines,
            4,
            "plancher_validation_semaines = 4\n",
            "",
            None,
            id="§7 dérogation 2022 : le plancher de 4 semaines se retire",
        ),
    ],
)
def test_chaque_decision_est_un_reglage(valeur: Any, livree: Any, avant: str, apres: str, modifiee: Any) -> None:
    assert valeur(REGLEMENT) == livree
    assert valeur(reglement_modifie((avant, apres))) == modifiee


def test_decision_note_de_u5_moyenne_exacte_des_parties() -> None:
    """§1 [décision] : la note de U5 est (E5A + E5B) / 2, exacte."""
    assert REGLEMENT.conservation.note_unite_composee == "moyenne_des_parties"


# --- Chargement : fichier, code, autre règlement ---------------------------------------------------


def test_reglement_fourni_est_en_cache_et_nomme_sa_source() -> None:
    assert reglement_fourni() is reglement_fourni()
    assert reglement_fourni("bts-ndrc-2022") == reglement_fourni()
    assert REGLEMENT.source.endswith("bts-ndrc-2022.toml")


def test_load_reglement_par_chemin_et_par_code(tmp_path: Path) -> None:
    fichier = tmp_path / "bts-ndrc-2022-academie.toml"
    fichier.write_text(texte_reglement(), encoding="utf-8")
    charge = load_reglement(fichier)
    assert charge == REGLEMENT
    assert charge.source == str(fichier)
    assert load_reglement("bts-ndrc-2022") == REGLEMENT


def test_une_autre_session_est_un_autre_fichier(tmp_path: Path) -> None:
    fichier = tmp_path / "bts-ndrc-2023.toml"
    fichier.write_text(
        modifier(
            ('code = "bts-ndrc-2022"', 'code = "bts-ndrc-2023"'),
            ("session = 2022", "session = 2023"),
            ("plancher_validation_semaines = 4\n", ""),
        ),
        encoding="utf-8",
    )
    autre = load_reglement(str(fichier))
    assert (autre.code, autre.session, autre.stage.plancher_validation_semaines) == ("bts-ndrc-2023", 2023, None)


def test_fichier_introuvable(tmp_path: Path) -> None:
    with pytest.raises(ReglementInvalide, match="introuvable"):
        load_reglement(tmp_path / "absent.toml")


def test_fichier_qui_n_est_pas_en_utf8(tmp_path: Path) -> None:
    fichier = tmp_path / "latin1.toml"
    fichier.write_bytes(texte_reglement().encode("latin-1", errors="replace"))
    with pytest.raises(ReglementInvalide, match="UTF-8"):
        load_reglement(fichier)


def test_reglement_fourni_inconnu_liste_les_disponibles() -> None:
    with pytest.raises(ReglementInvalide) as exc:
        reglement_fourni("bts-inexistant-2099")
    assert "bts-ndrc-2022" in str(exc.value)


# --- Chargement : erreurs, en français, nommant la clé ----------------------------------------------


@pytest.mark.parametrize(
    ("remplacements", "fragments"),
    [
        pytest.param(
            [("session = 2022\n", "session = 2022\ncle_inconnue = 1\n")],
            ["`cle_inconnue`", "inconnue"],
            id="clé inconnue au premier niveau",
        ),
        pytest.param(
            [("semaines_reduites = 8\n", "semaines_reduites = 8\nsemaines_reduite = 8\n")],
            ["`stage.semaines_reduite`", "inconnue"],
            id="clé inconnue dans [stage] : faute de frappe",
        ),
        pytest.param(
            [("preparation_en_loge = true", "preparation_en_log = true")],
            ["`epreuves[3].formes.C.preparation_en_log`", "inconnue"],
            id="clé inconnue dans la forme C de E4 : chemin complet",
        ),
        pytest.param(
            [("pole = 3", "pole = 3\npoles = 3")],
            ["`dossiers.E6.poles`", "inconnue"],
            id="clé inconnue dans [dossiers.E6]",
        ),
        pytest.param(
            [("semaines_requises = 16", 'semaines_requises = "16"')],
            ["`stage.semaines_requises`", "entier"],
            id="mauvais type : un texte au lieu d'un entier",
        ),
        pytest.param(
            [("facultatives_dans_moyenne_controle = true", 'facultatives_dans_moyenne_controle = "oui"')],
            ["`deliberation.facultatives_dans_moyenne_controle`", "true ou false"],
            id="mauvais type : un texte au lieu d'un booléen",
        ),
        pytest.param(
            [('seuil_admission = "10"', "seuil_admission = 10.0")],
            ["`deliberation.seuil_admission`"],
            id="mauvais type : un flottant au lieu d'un nombre entre guillemets",
        ),
        pytest.param(
            [("experience_professionnelle_annees = 3\n", "")],
            ["`stage.experience_professionnelle_annees`", "absente"],
            id="clé obligatoire absente",
        ),
        pytest.param(
            [('code = "bts-ndrc-2022"\n', "")],
            ["`code`", "absente"],
            id="code du règlement absent",
        ),
        pytest.param(
            [('decompte = "jours_calendaires"', 'decompte = "semaines"')],
            ["`stage.decompte`", "semaines"],
            id="décompte inconnu",
        ),
        pytest.param(
            [('unite = "U6"', 'unite = "U9"')],
            ["`epreuves[6].unite`", "U9"],
            id="épreuve qui nomme une unité inconnue",
        ),
        pytest.param(
            [('epreuves = ["E6"]', 'epreuves = ["E6", "E7"]')],
            ["U6", "E7"],
            id="unité qui nomme une épreuve inconnue",
        ),
        pytest.param(
            [('suit = "E6"', 'suit = "E7"')],
            ["`suit`", "E7"],
            id="engagement qui suit une épreuve inconnue",
        ),
        pytest.param(
            [('langue_differente_de = "E2"', 'langue_differente_de = "E22"')],
            ["`langue_differente_de`", "E22"],
            id="langue différente d'une épreuve inconnue",
        ),
        pytest.param(
            [('duree_insuffisante = ["E4", "E6"]', 'duree_insuffisante = ["E4", "E9"]')],
            ["`conformite.annulation.duree_insuffisante`", "E9"],
            id="cause de non-conformité qui annule une épreuve inconnue",
        ),
        pytest.param(
            [('duree_insuffisante = ["E4", "E6"]', 'duree_insuffisante = "les_deux"')],
            ["`conformite.annulation.duree_insuffisante`"],
            id="cause de non-conformité avec une valeur inconnue",
        ),
        pytest.param(
            [('unites_dispensant_de_stage = ["U4", "U6"]', 'unites_dispensant_de_stage = ["U4", "U9"]')],
            ["`stage.unites_dispensant_de_stage`", "U9"],
            id="dispense de stage par une unité inconnue",
        ),
        pytest.param(
            [('epreuves = ["E1", "E2", "E3"]', 'epreuves = ["E1", "E2", "E4"]')],
            ["`controle.epreuves`", "E4"],
            id="épreuve de contrôle hors du domaine général",
        ),
        pytest.param(
            [('codes = ["AB", "ABJ"]\nlangue = true', 'codes = ["AB", "ABJ", "XX"]\nlangue = true')],
            ["`epreuves[1].codes`", "XX"],
            id="code de résultat inconnu",
        ),
        pytest.param(
            [('codes = ["AB", "ABJ"]\nlangue = true', 'codes = ["AB", "ABJ", "DI"]\nlangue = true')],
            ["`epreuves[1].codes`", "DI"],
            id="DI permis sur une unité non dispensable (U2)",
        ),
        pytest.param(
            [("plancher_validation_semaines = 4", "plancher_validation_semaines = 9")],
            ["`stage.plancher_validation_semaines`"],
            id="plancher de validation au-dessus de la durée réduite",
        ),
        pytest.param(
            [('pas = "0.5"', 'pas = "0.3"')],
            ["`notes."],
            id="note maximale qui n'est pas un multiple du pas",
        ),
        pytest.param(
            [('"voyant_clignotant", "non_reversible"]', '"voyant_clignotant", "non_reversible", "antenne"]')],
            ["`calculatrices.mode_examen_exige`", "antenne"],
            id="condition de mode examen inconnue",
        ),
        pytest.param(
            [('format = "examens/reglement@1"', 'format = "examens/reglement@9"')],
            ["`format`"],
            id="version de format non prise en charge",
        ),
        pytest.param(
            [('{ intitule = "Phase 2", duree_max_minutes = 25 }', '{ intitule = "Phase 2", duree_max_minutes = 35 }')],
            ["`epreuves[6].formes.C.phases`"],
            id="phases plus longues que l'épreuve",
        ),
        pytest.param(
            [('code = "U2"', 'code = "U1"')],
            ["U1"],
            id="unité déclarée deux fois",
        ),
    ],
)
def test_erreur_de_chargement_nomme_la_cle(remplacements: list[tuple[str, str]], fragments: list[str]) -> None:
    erreurs = erreurs_de(modifier(*remplacements))
    assert any(all(f in e for f in fragments) for e in erreurs), erreurs


def test_toutes_les_erreurs_sont_listees_pas_seulement_la_premiere() -> None:
    texte = modifier(
        ("session = 2022\n", "session = 2022\ncle_inconnue = 1\n"),
        ("semaines_requises = 16", 'semaines_requises = "seize"'),
        ("experience_professionnelle_annees = 3\n", ""),
        ('unite = "U6"', 'unite = "U9"'),
        ("preparation_en_loge = true", "preparation_en_log = true"),
    )
    with pytest.raises(ReglementInvalide) as exc:
        parse_reglement(texte, source="academie.toml")
    erreurs = exc.value.erreurs
    attendues = [
        "`cle_inconnue`",
        "`stage.semaines_requises`",
        "`stage.experience_professionnelle_annees`",
        "`epreuves[6].unite`",
        "`epreuves[3].formes.C.preparation_en_log`",
    ]
    for cle in attendues:
        assert any(cle in e for e in erreurs), (cle, erreurs)
    message = str(exc.value)
    assert "academie.toml" in message
    assert f"{len(erreurs)} erreur(s)" in message
    for e in erreurs:
        assert e in message
    assert exc.value.source == "academie.toml"


def test_texte_vide_liste_les_cles_absentes() -> None:
    erreurs = erreurs_de("")
    for cle in ("`format`", "`code`", "`session`", "`stage`", "`unites`", "`epreuves`"):
        assert any(cle in e and "absente" in e for e in erreurs), (cle, erreurs)


@pytest.mark.parametrize(
    ("avant", "apres", "cherche"),
    [
        pytest.param(
            "semaines_requises = 16", "semaines_requises = = 16", "semaines_requises = = 16", id="signe = en double"
        ),
        pytest.param(
            'intitule = "Engagement étudiant"',
            'intitule = "Engagement étudiant',
            'intitule = "Engagement étudiant',
            id="guillemet non fermé",
        ),
        pytest.param("[stage]", "[stage", "[stage", id="crochet non fermé"),
    ],
)
def test_erreur_de_syntaxe_toml_donne_ligne_et_colonne(avant: str, apres: str, cherche: str) -> None:
    texte = modifier((avant, apres))
    ligne = next(i for i, texte_ligne in enumerate(texte.splitlines(), 1) if texte_ligne.startswith(cherche))
    erreurs = erreurs_de(texte)
    assert len(erreurs) == 1
    m = re.search(r"ligne (\d+), colonne (\d+)", erreurs[0])
    assert m, erreurs[0]
    assert int(m.group(1)) == ligne
    assert int(m.group(2)) >= 1
    assert "syntaxe TOML" in erreurs[0]


def test_erreur_de_syntaxe_colonne_exacte() -> None:
    """« semaines_requises = = 16 » : la valeur attendue manque à la colonne 21 (le second signe =)."""
    erreurs = erreurs_de(modifier(("semaines_requises = 16", "semaines_requises = = 16")))
    assert "colonne 21" in erreurs[0]
