"""Conformité des dossiers E4/E6 et durée de stage : §6 et §7 du règlement, cas par cas.

Chaque cas est écrit à partir de `shared/reglement-bts-ndrc-2022.md` (§6, §7) et de la circulaire 2022
(section 1.5, 1.11, 1.13), pas du code. Rappels :

- §7 : 16 semaines ; 8 semaines (force majeure, aménagement, positionnement) ; session 2022 : < 4 semaines
  → non conforme, de 4 semaines (incluses) à l'exigence (exclue) → conforme seulement si l'académie valide ;
  semaines = jours calendaires de l'union des périodes ÷ 7, comparées exactement (16 semaines = 112 jours) ;
  [décision] un réglage permet de compter les jours ouvrés ÷ 5.
- §5 / Circ. 1.5 : titulaires de U4 et U6 → pas de stage ; apprentis et salariés → certificats de travail ;
  expérience professionnelle → 3 ans.
- §6 : 5 causes de non-conformité ; causes 3 (durée) et 4 (attestation) → E4 et E6 non valides ; causes 1, 2,
  5 → l'épreuve du dossier seulement [décision]. Les défauts de composition ne sont que des avertissements.
"""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reglement_de_test import reglement_modifie

from examens.core.conformite import (
    Dossier,
    FicheActivite,
    Periode,
    SituationStage,
    Verdict,
    controler_dossier,
    controler_duree,
    dispense_de_stage,
    exigence_stage,
    jours_couverts,
    semaines_de_stage,
)
from examens.core.reglement import Annulation, Decompte, reglement_fourni

REGLEMENT = reglement_fourni()

LUNDI = date(2022, 1, 3)  # un lundi
LIMITE = date(2022, 4, 1)  # date limite de dépôt fixée par l'académie
DEPOT = date(2022, 3, 15)  # dépôt dans les temps

NORMALE = SituationStage.NORMALE
REDUITE = SituationStage.REDUITE
APPRENTI = SituationStage.APPRENTI_OU_SALARIE
EXPERIENCE = SituationStage.EXPERIENCE_PROFESSIONNELLE
DISPENSE = SituationStage.DISPENSE

NON_DEPOSE = Annulation.NON_DEPOSE
TARDIF = Annulation.DEPOT_TARDIF
DUREE = Annulation.DUREE_INSUFFISANTE
ATTESTATION = Annulation.ATTESTATION_MANQUANTE
NON_VISE = Annulation.NON_VISE_NON_SIGNE


def d(texte: str) -> date:
    """« 2022-01-03 » → date."""
    return date.fromisoformat(texte)


def p(debut: str, fin: str) -> Periode:
    return Periode(d(debut), d(fin))


def jours(n: int, debut: date = LUNDI) -> tuple[Periode, ...]:
    """Une seule période de `n` jours calendaires (bornes incluses) à partir de `debut` ; 0 → aucune période."""
    if n == 0:
        return ()
    return (Periode(debut, debut + timedelta(days=n - 1)),)


JOURS_OUVRES = (('decompte = "jours_calendaires"', 'decompte = "jours_ouvres"'),)
SANS_PLANCHER = (("plancher_validation_semaines = 4\n", ""),)
REGLEMENT_OUVRES = reglement_modifie(*JOURS_OUVRES)


# --- Semaines de stage (§7) ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("periodes", "attendu"),
    [
        pytest.param((), Fraction(0), id="aucune attestation : 0 semaine"),
        pytest.param(jours(1), Fraction(1, 7), id="un seul jour : 1/7 de semaine (bornes incluses)"),
        pytest.param((p("2022-06-01", "2022-06-30"),), Fraction(30, 7), id="du 1er au 30 juin : 30 jours"),
        pytest.param(jours(112), Fraction(16), id="112 jours : exactement 16 semaines"),
        pytest.param(jours(111), Fraction(111, 7), id="111 jours : 15 semaines et 6 jours, pas 16"),
        pytest.param(
            (p("2022-01-03", "2022-01-30"), p("2022-01-03", "2022-01-30")),
            Fraction(4),
            id="deux attestations identiques : la période compte une fois",
        ),
        pytest.param(
            (p("2022-01-03", "2022-01-30"), p("2022-01-24", "2022-02-06")),
            Fraction(5),
            id="deux périodes qui se chevauchent : les jours communs comptent une fois",
        ),
        pytest.param(
            (p("2022-01-03", "2022-02-27"), p("2022-01-10", "2022-01-16")),
            Fraction(8),
            id="une période incluse dans une autre ne compte pas en plus",
        ),
        pytest.param(
            (p("2022-01-03", "2022-01-09"), p("2022-01-10", "2022-01-16")),
            Fraction(2),
            id="deux périodes contiguës : 7 + 7 jours",
        ),
        pytest.param(
            (p("2022-01-03", "2022-01-09"), p("2022-01-17", "2022-01-23")),
            Fraction(2),
            id="deux périodes séparées : l'intervalle entre elles ne compte pas",
        ),
        pytest.param(
            (p("2022-03-07", "2022-03-13"), p("2022-01-03", "2022-01-09"), p("2022-02-07", "2022-02-13")),
            Fraction(3),
            id="attestations données dans le désordre",
        ),
        pytest.param(
            (p("2021-12-27", "2022-01-09"),),
            Fraction(2),
            id="période à cheval sur deux années civiles",
        ),
        pytest.param(
            (p("2020-02-24", "2020-03-01"),),
            Fraction(1),
            id="année bissextile : le 29 février compte",
        ),
        pytest.param(
            (
                p("2021-11-08", "2021-12-19"),
                p("2021-12-13", "2022-01-02"),
                p("2022-05-02", "2022-06-26"),
                p("2022-05-02", "2022-06-26"),
            ),
            Fraction(16),
            id="stage fractionné 2022 : chevauchement et doublon (8 semaines puis 8 semaines)",
        ),
    ],
)
def test_semaines_de_stage_jours_calendaires(periodes: tuple[Periode, ...], attendu: Fraction) -> None:
    semaines = semaines_de_stage(periodes, REGLEMENT)
    assert isinstance(semaines, Fraction)
    assert semaines == attendu


def test_semaines_de_stage_accepte_un_iterable_quelconque() -> None:
    generateur = (Periode(LUNDI + timedelta(days=7 * i), LUNDI + timedelta(days=7 * i + 6)) for i in range(16))
    assert semaines_de_stage(generateur, REGLEMENT) == 16


def test_une_periode_qui_finit_avant_de_commencer_est_refusee() -> None:
    with pytest.raises(ValueError, match="précède le début"):
        Periode(d("2022-02-01"), d("2022-01-31"))


def test_une_periode_d_un_jour_est_permise() -> None:
    assert jours_couverts([p("2022-02-01", "2022-02-01")]) == 1


@pytest.mark.parametrize(
    ("periodes", "ouvres"),
    [
        pytest.param((p("2022-01-03", "2022-01-07"),), 5, id="du lundi au vendredi : 5 jours ouvrés"),
        pytest.param((p("2022-01-08", "2022-01-09"),), 0, id="un week-end seul : aucun jour ouvré"),
        pytest.param((p("2022-01-03", "2022-01-09"),), 5, id="du lundi au dimanche : 5 jours ouvrés"),
        pytest.param((p("2022-01-04", "2022-01-10"),), 5, id="du mardi au lundi suivant : 5 jours ouvrés"),
        pytest.param((p("2022-01-07", "2022-01-10"),), 2, id="du vendredi au lundi : 2 jours ouvrés"),
        pytest.param(
            (p("2022-01-03", "2022-01-07"), p("2022-01-05", "2022-01-12")),
            8,
            id="chevauchement en jours ouvrés : compté une fois",
        ),
        pytest.param((p("2022-01-03", "2022-04-24"),), 80, id="16 semaines calendaires : 80 jours ouvrés"),
    ],
)
def test_jours_couverts_en_jours_ouvres(periodes: tuple[Periode, ...], ouvres: int) -> None:
    assert jours_couverts(periodes, Decompte.JOURS_OUVRES) == ouvres


# Seize périodes du lundi au vendredi, séparées par les week-ends : 80 jours calendaires, 80 jours ouvrés.
SEIZE_SEMAINES_LUNDI_VENDREDI = tuple(
    Periode(LUNDI + timedelta(days=7 * i), LUNDI + timedelta(days=7 * i + 4)) for i in range(16)
)


def test_reglage_decompte_en_jours_ouvres_change_le_nombre_de_semaines() -> None:
    """§7 [décision] : un réglage permet de compter les jours ouvrés ÷ 5 au lieu des jours calendaires ÷ 7."""
    ouvres = reglement_modifie(*JOURS_OUVRES)
    assert ouvres.stage.decompte is Decompte.JOURS_OUVRES
    assert semaines_de_stage(SEIZE_SEMAINES_LUNDI_VENDREDI, REGLEMENT) == Fraction(80, 7)
    assert semaines_de_stage(SEIZE_SEMAINES_LUNDI_VENDREDI, ouvres) == 16
    assert semaines_de_stage((p("2022-01-03", "2022-01-07"),), ouvres) == 1
    assert semaines_de_stage((p("2022-01-08", "2022-01-09"),), ouvres) == 0


def test_reglage_decompte_en_jours_ouvres_change_le_verdict() -> None:
    ouvres = reglement_modifie(*JOURS_OUVRES)
    assert controler_duree(SEIZE_SEMAINES_LUNDI_VENDREDI, NORMALE, REGLEMENT).verdict is Verdict.A_VALIDER
    assert controler_duree(SEIZE_SEMAINES_LUNDI_VENDREDI, NORMALE, ouvres).verdict is Verdict.CONFORME


# --- Propriétés (hypothesis) -----------------------------------------------------------------------

DEBUT_MIN = date(2020, 9, 1)


@st.composite
def periodes_st(draw: st.DrawFn) -> Periode:
    debut = DEBUT_MIN + timedelta(days=draw(st.integers(0, 700)))
    return Periode(debut, debut + timedelta(days=draw(st.integers(0, 120))))


def _jours_individuels(periode: Periode, decompte: Decompte) -> int:
    return jours_couverts([periode], decompte)


@settings(max_examples=300, deadline=None)
@given(
    periodes=st.lists(periodes_st(), max_size=8),
    permutation=st.randoms(use_true_random=False),
    doublons=st.lists(st.integers(0, 7), max_size=5),
    decompte=st.sampled_from(list(Decompte)),
)
def test_propriete_permutation_et_doublons_ne_changent_rien(
    periodes: list[Periode], permutation: Any, doublons: list[int], decompte: Decompte
) -> None:
    reglement = REGLEMENT if decompte is Decompte.JOURS_CALENDAIRES else REGLEMENT_OUVRES
    reference = semaines_de_stage(periodes, reglement)
    melangees = list(periodes)
    if periodes:
        melangees += [periodes[i % len(periodes)] for i in doublons]
    permutation.shuffle(melangees)
    assert semaines_de_stage(melangees, reglement) == reference


@settings(max_examples=300, deadline=None)
@given(periodes=st.lists(periodes_st(), max_size=8), decompte=st.sampled_from(list(Decompte)))
def test_propriete_jamais_plus_que_la_somme_ni_moins_que_la_plus_longue(
    periodes: list[Periode], decompte: Decompte
) -> None:
    reglement = REGLEMENT if decompte is Decompte.JOURS_CALENDAIRES else REGLEMENT_OUVRES
    diviseur = 7 if decompte is Decompte.JOURS_CALENDAIRES else 5
    semaines = semaines_de_stage(periodes, reglement)
    individuels = [_jours_individuels(x, decompte) for x in periodes]
    assert semaines <= Fraction(sum(individuels), diviseur)
    assert semaines >= Fraction(max(individuels, default=0), diviseur)


@settings(max_examples=200, deadline=None)
@given(periodes=st.lists(periodes_st(), max_size=6), autre=periodes_st())
def test_propriete_ajouter_une_attestation_ne_fait_jamais_perdre_de_semaines(
    periodes: list[Periode], autre: Periode
) -> None:
    assert semaines_de_stage([*periodes, autre], REGLEMENT) >= semaines_de_stage(periodes, REGLEMENT)


@settings(max_examples=200, deadline=None)
@given(periodes=st.lists(periodes_st(), max_size=6))
def test_propriete_jours_calendaires_egalent_l_ensemble_des_jours(periodes: list[Periode]) -> None:
    """Oracle naïf : l'ensemble des dates couvertes, jour par jour."""
    ensemble = {x.debut + timedelta(days=i) for x in periodes for i in range((x.fin - x.debut).days + 1)}
    assert semaines_de_stage(periodes, REGLEMENT) == Fraction(len(ensemble), 7)
    ouvres = {j for j in ensemble if j.weekday() < 5}
    assert semaines_de_stage(periodes, REGLEMENT_OUVRES) == Fraction(len(ouvres), 5)


# --- Exigence selon la situation (§5, §7) ---------------------------------------------------------


@pytest.mark.parametrize(
    ("situation", "semaines", "annees", "piece"),
    [
        pytest.param(NORMALE, 16, 0, "attestation de stage", id="cas général : 16 semaines attestées"),
        pytest.param(REDUITE, 8, 0, "attestation de stage", id="force majeure, aménagement, positionnement : 8"),
        pytest.param(APPRENTI, 16, 0, "certificat de travail", id="apprenti ou salarié : certificats de travail"),
        pytest.param(EXPERIENCE, 0, 3, "certificat de travail", id="expérience professionnelle : 3 ans"),
    ],
)
def test_exigence_de_stage_selon_la_situation(
    situation: SituationStage, semaines: int, annees: int, piece: str
) -> None:
    exigence = exigence_stage(situation, REGLEMENT)
    assert (exigence.semaines, exigence.annees, exigence.piece) == (semaines, annees, piece)
    assert not exigence.aucune


def test_titulaire_de_u4_et_u6_n_a_aucune_exigence() -> None:
    assert exigence_stage(DISPENSE, REGLEMENT).aucune


@pytest.mark.parametrize(
    ("situation", "plancher"),
    [
        pytest.param(NORMALE, 4, id="cas général : validation académique possible dès 4 semaines"),
        pytest.param(REDUITE, 4, id="durée réduite : validation possible dès 4 semaines"),
        pytest.param(APPRENTI, 4, id="apprenti ou salarié : validation possible dès 4 semaines"),
    ],
)
def test_plancher_de_la_derogation_2022(situation: SituationStage, plancher: int) -> None:
    assert exigence_stage(situation, REGLEMENT).validation_academique_possible_des == plancher


@pytest.mark.parametrize(
    ("unites", "dispense"),
    [
        pytest.param({"U4", "U6"}, True, id="U4 et U6 acquises : pas de stage"),
        pytest.param({"U1", "U3", "U4", "U5", "U6"}, True, id="U4 et U6 parmi d'autres : pas de stage"),
        pytest.param({"U4"}, False, id="U4 seule : stage exigé"),
        pytest.param({"U6"}, False, id="U6 seule : stage exigé"),
        pytest.param({"U1", "U2", "U3", "U5"}, False, id="unités sans U4 ni U6 : stage exigé"),
        pytest.param(set(), False, id="aucune unité : stage exigé"),
    ],
)
def test_dispense_de_stage(unites: set[str], dispense: bool) -> None:
    assert dispense_de_stage(sorted(unites), REGLEMENT) is dispense


# --- Durée : verdict (§7) -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("situation", "nb_jours", "validation", "verdict"),
    [
        pytest.param(NORMALE, 112, False, Verdict.CONFORME, id="16 semaines = 112 jours : conforme"),
        pytest.param(NORMALE, 200, False, Verdict.CONFORME, id="plus de 16 semaines : conforme"),
        pytest.param(NORMALE, 111, False, Verdict.A_VALIDER, id="111 jours : pas 16 semaines, à valider"),
        pytest.param(NORMALE, 111, True, Verdict.CONFORME, id="111 jours validés par l'académie : conforme"),
        pytest.param(NORMALE, 28, False, Verdict.A_VALIDER, id="exactement 4 semaines : à valider"),
        pytest.param(NORMALE, 28, True, Verdict.CONFORME, id="exactement 4 semaines validées : conforme"),
        pytest.param(NORMALE, 27, False, Verdict.NON_CONFORME, id="27 jours : moins de 4 semaines"),
        pytest.param(NORMALE, 27, True, Verdict.NON_CONFORME, id="27 jours : l'académie ne peut pas valider"),
        pytest.param(NORMALE, 0, True, Verdict.NON_CONFORME, id="aucun stage : non conforme même validé"),
        pytest.param(REDUITE, 56, False, Verdict.CONFORME, id="durée réduite : 8 semaines = 56 jours"),
        pytest.param(REDUITE, 55, False, Verdict.A_VALIDER, id="durée réduite : 55 jours à valider"),
        pytest.param(REDUITE, 55, True, Verdict.CONFORME, id="durée réduite : 55 jours validés"),
        pytest.param(REDUITE, 27, True, Verdict.NON_CONFORME, id="durée réduite : moins de 4 semaines"),
        pytest.param(APPRENTI, 112, False, Verdict.CONFORME, id="apprenti : 16 semaines de certificats"),
        pytest.param(APPRENTI, 111, False, Verdict.A_VALIDER, id="apprenti : 111 jours à valider"),
        pytest.param(APPRENTI, 20, True, Verdict.NON_CONFORME, id="apprenti : moins de 4 semaines"),
        pytest.param(DISPENSE, 0, False, Verdict.CONFORME, id="titulaire de U4 et U6 : aucun stage exigé"),
    ],
)
def test_verdict_de_duree(situation: SituationStage, nb_jours: int, validation: bool, verdict: Verdict) -> None:
    resultat = controler_duree(jours(nb_jours), situation, REGLEMENT, validation_academique=validation)
    assert resultat.verdict is verdict
    if situation is not DISPENSE:
        assert resultat.semaines == Fraction(nb_jours, 7)
    assert resultat.message


@pytest.mark.parametrize(
    ("periodes", "validation", "verdict"),
    [
        pytest.param((p("2019-01-01", "2021-12-31"),), False, Verdict.CONFORME, id="3 années civiles : conforme"),
        pytest.param(
            (p("2019-01-01", "2020-12-31"), p("2021-01-01", "2021-12-31")),
            False,
            Verdict.CONFORME,
            id="3 ans en deux certificats contigus : conforme",
        ),
        pytest.param((p("2019-09-01", "2022-08-31"),), False, Verdict.CONFORME, id="3 ans de septembre à août"),
        pytest.param((p("2020-01-01", "2021-12-31"),), False, Verdict.NON_CONFORME, id="2 ans : non conforme"),
        pytest.param(
            (p("2020-01-01", "2021-12-31"),),
            True,
            Verdict.NON_CONFORME,
            id="2 ans : la dérogation 2022 ne porte que sur les stages",
        ),
        pytest.param(
            (p("2019-01-01", "2020-12-31"), p("2019-06-01", "2020-06-30")),
            False,
            Verdict.NON_CONFORME,
            id="certificats qui se chevauchent : 2 ans, pas 2 ans et demi",
        ),
    ],
)
def test_experience_professionnelle_trois_ans(
    periodes: tuple[Periode, ...], validation: bool, verdict: Verdict
) -> None:
    resultat = controler_duree(periodes, EXPERIENCE, REGLEMENT, validation_academique=validation)
    assert resultat.verdict is verdict


def test_experience_professionnelle_un_jour_de_moins_que_trois_ans() -> None:
    """§7 : 3 ans d'expérience. Du 2 janvier 2019 au 31 décembre 2021 il manque un jour (3 ans révolus = au
    1er janvier 2022 inclus) : 1 095 jours, mais 3 ans calendaires en font 1 096 (2020 est bissextile)."""
    resultat = controler_duree((p("2019-01-02", "2021-12-31"),), EXPERIENCE, REGLEMENT)
    assert resultat.verdict is Verdict.NON_CONFORME


def test_sans_plancher_de_derogation_l_academie_ne_peut_plus_valider() -> None:
    """Une session sans la dérogation de 2022 : supprimer `plancher_validation_semaines` (réglage)."""
    sans = reglement_modifie(*SANS_PLANCHER)
    assert sans.stage.plancher_validation_semaines is None
    assert exigence_stage(NORMALE, sans).validation_academique_possible_des is None
    for nb_jours in (28, 111):
        assert controler_duree(jours(nb_jours), NORMALE, REGLEMENT).verdict is Verdict.A_VALIDER
        assert controler_duree(jours(nb_jours), NORMALE, sans, validation_academique=True).verdict is (
            Verdict.NON_CONFORME
        )
    assert controler_duree(jours(112), NORMALE, sans).verdict is Verdict.CONFORME


def test_reglage_du_plancher_et_des_durees() -> None:
    autre = reglement_modifie(
        ("semaines_requises = 16", "semaines_requises = 12"),
        ("semaines_reduites = 8", "semaines_reduites = 6"),
        ("plancher_validation_semaines = 4", "plancher_validation_semaines = 5"),
    )
    assert controler_duree(jours(84), NORMALE, autre).verdict is Verdict.CONFORME
    assert controler_duree(jours(42), REDUITE, autre).verdict is Verdict.CONFORME
    assert controler_duree(jours(34), NORMALE, autre, validation_academique=True).verdict is Verdict.NON_CONFORME
    assert controler_duree(jours(35), NORMALE, autre).verdict is Verdict.A_VALIDER


def test_reglage_des_annees_d_experience() -> None:
    deux_ans = reglement_modifie(("experience_professionnelle_annees = 3", "experience_professionnelle_annees = 2"))
    periodes = (p("2020-01-01", "2021-12-31"),)
    assert controler_duree(periodes, EXPERIENCE, REGLEMENT).verdict is Verdict.NON_CONFORME
    assert controler_duree(periodes, EXPERIENCE, deux_ans).verdict is Verdict.CONFORME


# --- Dossiers : les 5 causes de non-conformité (§6) -----------------------------------------------

# 2021-11-08 → 2021-12-19 : 42 jours (6 semaines) ; 2022-01-03 → 2022-03-13 : 70 jours (10 semaines).
SEIZE_SEMAINES = (p("2021-11-08", "2021-12-19"), p("2022-01-03", "2022-03-13"))

FICHES_E4 = (
    FicheActivite(nature="negociation_vente", annexe_offre_pages=2),
    FicheActivite(nature="evenement_commercial", annexe_offre_pages=1),
)
FICHES_E6 = (
    FicheActivite(type_reseau="distributeurs", reelle=True, pole=3),
    FicheActivite(type_reseau="partenaires", reelle=False, pole=3),
    FicheActivite(type_reseau="vente_directe", reelle=False, pole=3),
)


def dossier(epreuve: str, **changements: Any) -> Dossier:
    """Un dossier complet et conforme de l'épreuve, sauf ce qui est changé."""
    base = Dossier(
        epreuve=epreuve,
        depose_le=DEPOT,
        attestations=SEIZE_SEMAINES,
        fiches=FICHES_E4 if epreuve == "E4" else FICHES_E6,
        etude_reflexive_pages=4 if epreuve == "E6" else None,
    )
    return dataclasses.replace(base, **changements)


def test_les_dossiers_de_reference_sont_conformes_sans_avertissement() -> None:
    assert semaines_de_stage(SEIZE_SEMAINES, REGLEMENT) == 16
    for epreuve in ("E4", "E6"):
        resultat = controler_dossier(dossier(epreuve), REGLEMENT, date_limite=LIMITE)
        assert resultat.conforme
        assert resultat.non_conformites == ()
        assert resultat.epreuves_non_valides == ()
        assert resultat.avertissements == ()
        assert not resultat.a_valider


@pytest.mark.parametrize(
    ("epreuve", "changements", "causes", "non_valides"),
    [
        pytest.param("E4", {"depose_le": None}, {NON_DEPOSE}, ("E4",), id="cause 1 : dossier E4 non déposé → E4"),
        pytest.param("E6", {"depose_le": None}, {NON_DEPOSE}, ("E6",), id="cause 1 : dossier E6 non déposé → E6"),
        pytest.param(
            "E4", {"depose_le": LIMITE + timedelta(days=1)}, {TARDIF}, ("E4",), id="cause 2 : E4 déposé le lendemain"
        ),
        pytest.param(
            "E6", {"depose_le": LIMITE + timedelta(days=30)}, {TARDIF}, ("E6",), id="cause 2 : E6 déposé en retard"
        ),
        pytest.param(
            "E4", {"attestations": jours(27)}, {DUREE}, ("E4", "E6"), id="cause 3 : durée insuffisante (E4) → E4 et E6"
        ),
        pytest.param(
            "E6", {"attestations": jours(27)}, {DUREE}, ("E4", "E6"), id="cause 3 : durée insuffisante (E6) → E4 et E6"
        ),
        pytest.param(
            "E4",
            {"attestation_manquante": True},
            {ATTESTATION},
            ("E4", "E6"),
            id="cause 4 : attestation manquante (E4) → E4 et E6",
        ),
        pytest.param(
            "E6",
            {"attestation_manquante": True},
            {ATTESTATION},
            ("E4", "E6"),
            id="cause 4 : attestation manquante (E6) → E4 et E6",
        ),
        pytest.param("E4", {"vise_et_signe": False}, {NON_VISE}, ("E4",), id="cause 5 : E4 non visé ou non signé → E4"),
        pytest.param("E6", {"vise_et_signe": False}, {NON_VISE}, ("E6",), id="cause 5 : E6 non visé ou non signé → E6"),
        pytest.param(
            "E4",
            {"depose_le": LIMITE + timedelta(days=2), "vise_et_signe": False},
            {TARDIF, NON_VISE},
            ("E4",),
            id="causes 2 et 5 ensemble : E4 seulement",
        ),
        pytest.param(
            "E6",
            {"depose_le": LIMITE + timedelta(days=2), "attestations": jours(10)},
            {TARDIF, DUREE},
            ("E4", "E6"),
            id="causes 2 et 3 ensemble (E6) : E4 et E6",
        ),
        pytest.param(
            "E4",
            {"attestations": jours(20), "attestation_manquante": True},
            {DUREE, ATTESTATION},
            ("E4", "E6"),
            id="causes 3 et 4 ensemble : E4 et E6",
        ),
    ],
)
def test_causes_de_non_conformite(
    epreuve: str, changements: dict[str, Any], causes: set[Annulation], non_valides: tuple[str, ...]
) -> None:
    resultat = controler_dossier(dossier(epreuve, **changements), REGLEMENT, date_limite=LIMITE)
    assert not resultat.conforme
    assert {nc.cause for nc in resultat.non_conformites} == causes
    assert resultat.epreuves_non_valides == non_valides
    for nc in resultat.non_conformites:
        attendu = ("E4", "E6") if nc.cause in (DUREE, ATTESTATION) else (epreuve,)
        assert tuple(sorted(nc.epreuves_non_valides)) == attendu, nc.cause
        assert nc.motif.strip()


def test_chaque_cause_n_est_signalee_qu_une_fois() -> None:
    resultat = controler_dossier(
        dossier("E4", attestations=jours(20), attestation_manquante=True, vise_et_signe=False),
        REGLEMENT,
        date_limite=LIMITE,
    )
    causes = [nc.cause for nc in resultat.non_conformites]
    assert len(causes) == len(set(causes))


def test_depot_le_jour_de_la_date_limite_est_dans_les_temps() -> None:
    resultat = controler_dossier(dossier("E4", depose_le=LIMITE), REGLEMENT, date_limite=LIMITE)
    assert resultat.conforme


def test_dossier_sans_aucune_attestation_annule_e4_et_e6() -> None:
    """Cause 4 (attestation ou certificat manquant) : aucune attestation du tout ; la durée prouvée est nulle."""
    resultat = controler_dossier(dossier("E6", attestations=()), REGLEMENT, date_limite=LIMITE)
    assert ATTESTATION in {nc.cause for nc in resultat.non_conformites}
    assert resultat.epreuves_non_valides == ("E4", "E6")


@pytest.mark.parametrize(
    ("cause", "changements", "mots"),
    [
        pytest.param(NON_DEPOSE, {"depose_le": None}, ("E4", "non déposé"), id="motif : non déposé"),
        pytest.param(
            TARDIF,
            {"depose_le": date(2022, 4, 2)},
            ("E4", "02/04/2022", "01/04/2022"),
            id="motif : dépôt tardif avec les deux dates",
        ),
        pytest.param(DUREE, {"attestations": jours(27)}, ("insuffisante", "16"), id="motif : durée et exigence"),
        pytest.param(
            ATTESTATION, {"attestation_manquante": True}, ("E4", "ttestation"), id="motif : attestation manquante"
        ),
        pytest.param(NON_VISE, {"vise_et_signe": False}, ("E4", "visés", "signés"), id="motif : non visé, non signé"),
    ],
)
def test_motifs_en_francais(cause: Annulation, changements: dict[str, Any], mots: tuple[str, ...]) -> None:
    resultat = controler_dossier(dossier("E4", **changements), REGLEMENT, date_limite=LIMITE)
    (nc,) = [nc for nc in resultat.non_conformites if nc.cause is cause]
    for mot in mots:
        assert mot in nc.motif


def test_duree_entre_4_semaines_et_l_exigence_en_attente_de_validation() -> None:
    """§7 (2022) : entre 4 semaines et l'exigence, conforme seulement si l'académie enregistre une validation."""
    sans_validation = controler_dossier(dossier("E4", attestations=jours(111)), REGLEMENT, date_limite=LIMITE)
    assert not sans_validation.conforme
    assert sans_validation.a_valider
    assert sans_validation.duree is not None
    assert sans_validation.duree.verdict is Verdict.A_VALIDER
    assert {nc.cause for nc in sans_validation.non_conformites} == {DUREE}

    validee = controler_dossier(
        dossier("E4", attestations=jours(111)), REGLEMENT, date_limite=LIMITE, validation_academique=True
    )
    assert validee.conforme
    assert not validee.a_valider


def test_moins_de_4_semaines_n_est_pas_a_valider() -> None:
    resultat = controler_dossier(
        dossier("E6", attestations=jours(27)), REGLEMENT, date_limite=LIMITE, validation_academique=True
    )
    assert not resultat.conforme
    assert not resultat.a_valider


@pytest.mark.parametrize(
    ("situation", "attestations", "conforme"),
    [
        pytest.param(REDUITE, jours(56), True, id="durée réduite : 8 semaines suffisent"),
        pytest.param(APPRENTI, jours(112), True, id="apprenti : 16 semaines de certificats"),
        pytest.param(APPRENTI, jours(27), False, id="apprenti : certificats de moins de 4 semaines"),
        pytest.param(
            EXPERIENCE, (p("2019-01-01", "2021-12-31"),), True, id="expérience professionnelle : 3 ans de certificats"
        ),
        pytest.param(EXPERIENCE, (p("2020-01-01", "2021-12-31"),), False, id="expérience professionnelle : 2 ans"),
        pytest.param(DISPENSE, (), True, id="titulaire de U4 et U6 : aucune attestation exigée"),
    ],
)
def test_dossier_selon_la_situation(
    situation: SituationStage, attestations: tuple[Periode, ...], conforme: bool
) -> None:
    resultat = controler_dossier(
        dossier("E4", attestations=attestations), REGLEMENT, date_limite=LIMITE, situation=situation
    )
    assert resultat.conforme is conforme


def test_titulaire_de_u4_et_u6_sans_attestation_n_est_pas_sanctionne() -> None:
    resultat = controler_dossier(
        dossier("E6", attestations=(), attestation_manquante=True),
        REGLEMENT,
        date_limite=LIMITE,
        situation=DISPENSE,
    )
    assert resultat.conforme


def test_une_epreuve_sans_dossier_n_est_pas_controlee() -> None:
    with pytest.raises(ValueError, match="E5B"):
        controler_dossier(dossier("E5B"), REGLEMENT, date_limite=LIMITE)


def test_reglage_des_epreuves_annulees_par_cause() -> None:
    """§6 [décision] : les épreuves annulées par chaque cause sont un réglage du règlement."""
    autre = reglement_modifie(
        ('duree_insuffisante = ["E4", "E6"]', 'duree_insuffisante = "epreuve_du_dossier"'),
        ('non_vise_non_signe = "epreuve_du_dossier"', 'non_vise_non_signe = ["E4", "E6"]'),
    )
    duree = controler_dossier(dossier("E6", attestations=jours(20)), autre, date_limite=LIMITE)
    assert duree.epreuves_non_valides == ("E6",)
    non_vise = controler_dossier(dossier("E4", vise_et_signe=False), autre, date_limite=LIMITE)
    assert non_vise.epreuves_non_valides == ("E4", "E6")


# --- Défauts de composition : des avertissements, pas des non-conformités (§6) ---------------------

NEGO = FicheActivite(nature="negociation_vente", annexe_offre_pages=2)
EVENEMENT = FicheActivite(nature="evenement_commercial", annexe_offre_pages=2)


@pytest.mark.parametrize(
    ("changements", "mots"),
    [
        pytest.param({"fiches": (NEGO,)}, ("1 fiche",), id="E4 : une seule fiche d'activité"),
        pytest.param({"fiches": ()}, ("0 fiche",), id="E4 : aucune fiche d'activité"),
        pytest.param({"fiches": (NEGO, NEGO)}, ("nature",), id="E4 : deux fiches de même nature"),
        pytest.param({"fiches": (EVENEMENT, EVENEMENT)}, ("nature",), id="E4 : deux fiches « évènement commercial »"),
        pytest.param(
            {"fiches": (NEGO, dataclasses.replace(EVENEMENT, annexe_offre_pages=None))},
            ("annexe",),
            id="E4 : une fiche sans l'annexe décrivant l'offre",
        ),
        pytest.param(
            {"fiches": (dataclasses.replace(NEGO, annexe_offre_pages=3), EVENEMENT)},
            ("3 pages",),
            id="E4 : annexe de l'offre de plus de 2 pages",
        ),
        pytest.param(
            {"fiches": (dataclasses.replace(NEGO, rubriques_completes=False), EVENEMENT)},
            ("rubriques",),
            id="E4 : une rubrique non renseignée",
        ),
    ],
)
def test_avertissements_e4(changements: dict[str, Any], mots: tuple[str, ...]) -> None:
    resultat = controler_dossier(dossier("E4", **changements), REGLEMENT, date_limite=LIMITE)
    assert resultat.conforme, "un défaut de composition n'est pas une non-conformité"
    assert resultat.epreuves_non_valides == ()
    assert resultat.avertissements
    assert all(a.startswith("E4") for a in resultat.avertissements)
    for mot in mots:
        assert any(mot in a for a in resultat.avertissements), (mot, resultat.avertissements)


def test_e4_annexe_de_2_pages_exactement_est_permise() -> None:
    resultat = controler_dossier(dossier("E4", fiches=(NEGO, EVENEMENT)), REGLEMENT, date_limite=LIMITE)
    assert resultat.avertissements == ()


DISTRIB = FicheActivite(type_reseau="distributeurs", reelle=True, pole=3)
PARTEN = FicheActivite(type_reseau="partenaires", reelle=False, pole=3)
DIRECTE = FicheActivite(type_reseau="vente_directe", reelle=False, pole=3)


@pytest.mark.parametrize(
    ("changements", "mots"),
    [
        pytest.param({"fiches": (DISTRIB, PARTEN)}, ("2 fiche",), id="E6 : deux fiches au lieu de trois"),
        pytest.param({"fiches": ()}, ("0 fiche",), id="E6 : aucune fiche"),
        pytest.param(
            {"fiches": (DISTRIB, PARTEN, dataclasses.replace(PARTEN, reelle=True))},
            ("même type de réseau", "partenaires"),
            id="E6 : deux fiches du même type de réseau",
        ),
        pytest.param(
            {"fiches": (dataclasses.replace(DISTRIB, reelle=False), PARTEN, DIRECTE)},
            ("réellement vécue",),
            id="E6 : aucune expérience réellement vécue",
        ),
        pytest.param(
            {"fiches": (DISTRIB, PARTEN, dataclasses.replace(DIRECTE, pole=1))},
            ("pôle 3",),
            id="E6 : une fiche hors du pôle 3",
        ),
        pytest.param(
            {"etude_reflexive_pages": None}, ("étude réflexive", "absente"), id="E6 : étude réflexive absente"
        ),
        pytest.param({"etude_reflexive_pages": 5}, ("5 pages",), id="E6 : étude réflexive de plus de 4 pages"),
    ],
)
def test_avertissements_e6(changements: dict[str, Any], mots: tuple[str, ...]) -> None:
    resultat = controler_dossier(dossier("E6", **changements), REGLEMENT, date_limite=LIMITE)
    assert resultat.conforme, "un défaut de composition n'est pas une non-conformité"
    assert resultat.epreuves_non_valides == ()
    assert resultat.avertissements
    assert all(a.startswith("E6") for a in resultat.avertissements)
    for mot in mots:
        assert any(mot in a for a in resultat.avertissements), (mot, resultat.avertissements)


def test_e6_fiche_d_un_type_de_reseau_hors_des_trois_types() -> None:
    """§6 : 3 fiches, chacune sur un type de réseau différent parmi distributeurs, partenaires, vente directe.
    Une fiche d'un autre type ne couvre pas un des trois types : défaut de composition, donc avertissement."""
    fiches = (DISTRIB, PARTEN, dataclasses.replace(DIRECTE, type_reseau="franchise_internationale"))
    resultat = controler_dossier(dossier("E6", fiches=fiches), REGLEMENT, date_limite=LIMITE)
    assert resultat.conforme
    assert resultat.avertissements, "une fiche hors des trois types de réseau doit être signalée"


def test_e6_etude_reflexive_de_4_pages_exactement_est_permise() -> None:
    resultat = controler_dossier(dossier("E6", etude_reflexive_pages=4), REGLEMENT, date_limite=LIMITE)
    assert resultat.avertissements == ()


@pytest.mark.parametrize(
    ("pages", "etude", "avertissements"),
    [
        pytest.param(10, 4, 0, id="dossier professionnel de 10 pages : permis"),
        pytest.param(12, 4, 1, id="dossier professionnel de 12 pages : au-delà d'une dizaine"),
        pytest.param(8, None, 1, id="dossier professionnel sans étude réflexive : avertissement"),
    ],
)
def test_e6_dossier_professionnel_des_candidats_au_titre_de_l_experience(
    pages: int, etude: int | None, avertissements: int
) -> None:
    """§6 : au titre de l'expérience, un dossier professionnel d'une dizaine de pages remplace les fiches ;
    l'étude réflexive reste due."""
    resultat = controler_dossier(
        dossier(
            "E6",
            fiches=(),
            dossier_professionnel_pages=pages,
            etude_reflexive_pages=etude,
            attestations=(p("2019-01-01", "2021-12-31"),),
        ),
        REGLEMENT,
        date_limite=LIMITE,
        situation=EXPERIENCE,
    )
    assert resultat.conforme
    assert len(resultat.avertissements) == avertissements, resultat.avertissements


def test_avertissements_et_non_conformite_se_cumulent() -> None:
    resultat = controler_dossier(
        dossier("E6", vise_et_signe=False, etude_reflexive_pages=None), REGLEMENT, date_limite=LIMITE
    )
    assert not resultat.conforme
    assert resultat.epreuves_non_valides == ("E6",)
    assert any("étude réflexive" in a for a in resultat.avertissements)


def test_reglage_de_la_composition_des_dossiers() -> None:
    autre = reglement_modifie(("annexe_offre_pages_max = 2", "annexe_offre_pages_max = 3"))
    fiches = (dataclasses.replace(NEGO, annexe_offre_pages=3), EVENEMENT)
    assert controler_dossier(dossier("E4", fiches=fiches), REGLEMENT, date_limite=LIMITE).avertissements
    assert controler_dossier(dossier("E4", fiches=fiches), autre, date_limite=LIMITE).avertissements == ()
