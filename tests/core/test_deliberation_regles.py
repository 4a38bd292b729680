"""Délibération BTS NDRC 2022 : les règles du §3 au §5 du règlement, cas par cas.

Chaque cas est écrit à partir de `shared/reglement-bts-ndrc-2022.md`, pas du code : les points, diviseurs et
moyennes attendus sont calculés à la main dans le commentaire du cas.

Coefficients (§1) : E1 3, E2 3, E3 3, E4 5, E5A 2, E5B 2, E6 3 → total 21 ; professionnel (E4, E5A, E5B,
E6) 12 ; général (E1, E2, E3) 9. Épreuves facultatives (LV2, ENGAGEMENT) : seuls les points au-dessus de 10.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction as F
from typing import Any

import pytest

from examens.core.deliberation import (
    CandidatADeliberer,
    Decision,
    DeliberationImpossible,
    Motif,
    Parcours,
    arrondi_affichage,
    deliberer,
)
from examens.core.reglement import reglement_fourni
from examens.core.resultats import Etat, Note, Origine

REGLEMENT = reglement_fourni()

AB = Etat.ABSENT
ABJ = Etat.ABSENT_JUSTIFIE
NV = Etat.NON_VALIDE
DI = Etat.DISPENSE

OBLIGATOIRES = ("E1", "E2", "E3", "E4", "E5A", "E5B", "E6")
TOUTES_LES_UNITES = ("U1", "U2", "U3", "U4", "U5", "U6")


def note(valeur: float | str) -> Note:
    """12.5 → Note(centiemes=1250), sans passer par un float approché."""
    return Note(centiemes=int(Decimal(str(valeur)) * 100))


def _resultat(valeur: Any) -> Any:
    if isinstance(valeur, (Note, Etat)):
        return valeur
    return note(valeur)


def resultats(partout: float, **autres: Any) -> dict[str, Any]:
    """La même note à toutes les épreuves obligatoires, sauf celles nommées ; `None` = épreuve non présentée."""
    table: dict[str, Any] = {code: note(partout) for code in OBLIGATOIRES}
    for code, valeur in autres.items():
        if valeur is None:
            table.pop(code)
        else:
            table[code] = _resultat(valeur)
    return table


def candidat(
    table: dict[str, Any],
    *,
    parcours: Parcours = Parcours.GLOBALE,
    controle: dict[str, Any] | None = None,
    points_jury: dict[str, Any] | None = None,
    livret_fourni: bool = False,
    livret_examine: bool = True,
) -> CandidatADeliberer:
    return CandidatADeliberer(
        candidat="X",
        resultats=table,
        parcours=parcours,
        controle={code: _resultat(v) for code, v in (controle or {}).items()},
        points_jury={code: note(v) for code, v in (points_jury or {}).items()},
        livret_fourni=livret_fourni,
        livret_examine=livret_examine,
    )


def benefice(valeur: float, annee: int) -> Note:
    return Note(centiemes=int(Decimal(str(valeur)) * 100), origine=Origine.BENEFICE, annee=annee)


def report(valeur: float, annee: int) -> Note:
    return Note(centiemes=int(Decimal(str(valeur)) * 100), origine=Origine.REPORT, annee=annee)


def suspendue(valeur: float) -> Note:
    return Note(centiemes=int(Decimal(str(valeur)) * 100), suspendue=True)


# Candidat de référence « juste sous 10 » : E1 9,5 et E5A 10,5, 10 ailleurs.
# Points : 3×9,5 + 3×10 + 3×10 + 5×10 + 2×10,5 + 2×10 + 3×10 = 28,5 + 60 + 50 + 21 + 20 + 30 = 209,5.
# Moyenne 209,5/21 = 419/42 = 9,976… (affichée 9.98) ; professionnelle (50 + 21 + 20 + 30)/12 = 121/12.
JUSTE_SOUS_10 = {"E1": 9.5, "E5A": 10.5}

ADMIS, AJOURNE, CONTROLE = Decision.ADMIS, Decision.AJOURNE, Decision.CONTROLE
INCOMPLET, EN_ATTENTE = Decision.INCOMPLET, Decision.EN_ATTENTE


CAS = [
    # --- §4.1 : AB et NV à une épreuve obligatoire ; ABJ compte 0 (§3) ---------------------------------
    pytest.param(
        candidat(resultats(18, E5B=AB)),
        {
            "decision": AJOURNE,
            "motif": Motif.ABSENCE,
            "apres_controle": False,
            "moyenne": None,
            "moyenne_premier_groupe": None,
            "moyenne_professionnelle": None,
            # §4.7 : le candidat non admis reçoit ses unités ; U5 a une partie AB.
            "unites_obtenues": ("U1", "U2", "U3", "U4", "U6"),
        },
        id="AB en E5B → ajourné pour absence même avec 18 partout",
    ),
    pytest.param(
        candidat(resultats(15, E5A=AB)),
        {
            "decision": AJOURNE,
            "motif": Motif.ABSENCE,
            "moyenne": None,
            "unites_obtenues": ("U1", "U2", "U3", "U4", "U6"),
        },
        id="AB en E5A seule (les parties comptent séparément) → ajourné pour absence",
    ),
    pytest.param(
        candidat(resultats(15, E4=NV)),
        {
            "decision": AJOURNE,
            "motif": Motif.NON_VALIDE,
            "moyenne": None,
            "moyenne_premier_groupe": None,
            "moyenne_professionnelle": None,
            "unites_obtenues": ("U1", "U2", "U3", "U5", "U6"),
        },
        id="NV en E4 → ajourné pour non-valide, aucune moyenne publiée",
    ),
    pytest.param(
        candidat(resultats(15, E4=NV, E6=NV)),
        {"decision": AJOURNE, "motif": Motif.NON_VALIDE, "unites_obtenues": ("U1", "U2", "U3", "U5")},
        id="NV en E4 et E6 (stage insuffisant) → ajourné pour non-valide",
    ),
    pytest.param(
        candidat(resultats(14, E1=AB, E6=NV)),
        {"decision": AJOURNE, "motif": Motif.ABSENCE, "moyenne": None, "unites_obtenues": ("U2", "U3", "U4", "U5")},
        id="AB en E1 et NV en E6 → l'absence prime sur le non-valide",
    ),
    pytest.param(
        # 252 − 5×12 = 192 → 192/21 = 9,14 ≥ 8 mais professionnelle (0 + 24 + 24 + 36)/12 = 7 → pas de contrôle.
        candidat(resultats(12, E4=ABJ)),
        {
            "decision": AJOURNE,
            "motif": Motif.MOYENNE,
            "points": "192.00",
            "diviseur": 21,
            "moyenne": F(192, 21),
            "moyenne_professionnelle": F(7),
            "unites_obtenues": ("U1", "U2", "U3", "U5", "U6"),
        },
        id="ABJ en E4 compte 0, ce n'est pas une absence → ajourné pour moyenne (192/21)",
    ),
    pytest.param(
        # 252 − 3×12 = 216 → 216/21 = 10,29.
        candidat(resultats(12, E1=ABJ)),
        {
            "decision": ADMIS,
            "motif": None,
            "points": "216.00",
            "diviseur": 21,
            "moyenne": F(216, 21),
            "moyenne_professionnelle": F(12),
            "unites_obtenues": ("U2", "U3", "U4", "U5", "U6"),
        },
        id="ABJ en E1 compte 0 : 216/21 = 10,29 → admis sans U1",
    ),
    # --- §4.2–4.3 : moyenne exacte comparée à 10 ---------------------------------------------------------
    pytest.param(
        candidat(resultats(10)),
        {
            "decision": ADMIS,
            "motif": None,
            "apres_controle": False,
            "points": "210.00",
            "diviseur": 21,
            "moyenne": F(10),
            "moyenne_premier_groupe": F(10),
            "moyenne_professionnelle": F(10),
            "affichee": "10.00",
            "unites_obtenues": TOUTES_LES_UNITES,
        },
        id="10 partout : 210/21 = 10 exactement → admis avec toutes les unités",
    ),
    pytest.param(
        candidat(resultats(10, **JUSTE_SOUS_10)),
        {
            "decision": CONTROLE,
            "motif": None,
            "apres_controle": False,
            "points": "209.50",
            "diviseur": 21,
            "moyenne": F(419, 42),
            "moyenne_premier_groupe": F(419, 42),
            "moyenne_professionnelle": F(121, 12),
            "affichee": "9.98",
            "epreuves_controle_possibles": ("E1", "E2", "E3"),
            "nombre_epreuves_controle": 2,
            "unites_obtenues": ("U2", "U3", "U4", "U5", "U6"),
        },
        id="209,5/21 = 9,976 (affichée 9.98) → pas admis mais admissible au contrôle",
    ),
    pytest.param(
        # 31,5 + 30 + 30 + 47,5 + 21 + 20 + 30 = 210 ; U4 à 9,5 non obtenue ; U5 = (10,5 + 10)/2.
        candidat(resultats(10, E1=10.5, E4=9.5, E5A=10.5)),
        {
            "decision": ADMIS,
            "points": "210.00",
            "moyenne": F(10),
            "moyenne_professionnelle": F(1185, 120),
            "unites_obtenues": ("U1", "U2", "U3", "U5", "U6"),
        },
        id="demi-points donnant exactement 210/21 (E1 10,5 ; E4 9,5 ; E5A 10,5) → admis, U4 non obtenue",
    ),
    pytest.param(
        candidat(resultats(0)),
        {
            "decision": AJOURNE,
            "motif": Motif.MOYENNE,
            "points": "0.00",
            "diviseur": 21,
            "moyenne": F(0),
            "affichee": "0.00",
            "unites_obtenues": (),
        },
        id="0 partout → ajourné pour moyenne, aucune unité",
    ),
    # --- §3 et §5 : dispenses (U1 et U3 seulement) -------------------------------------------------------
    pytest.param(
        # 210 − 3×10 = 180 ; 21 − 3 = 18 → 180/18 = 10.
        candidat(resultats(10, E1=DI)),
        {
            "decision": ADMIS,
            "points": "180.00",
            "diviseur": 18,
            "moyenne": F(10),
            "unites_obtenues": ("U2", "U3", "U4", "U5", "U6"),
        },
        id="E1 dispensée : 30 points et 3 de coefficient en moins → 180/18 = 10, admis sans U1",
    ),
    pytest.param(
        # E1 28,5 + E2 30 + pro 120 = 178,5 ; diviseur 18 → 9,92 ; générale ≥ 8, pro 10 → contrôle en E1 ou E2.
        candidat(resultats(10, E1=9.5, E3=DI)),
        {
            "decision": CONTROLE,
            "points": "178.50",
            "diviseur": 18,
            "moyenne": F(357, 36),
            "moyenne_professionnelle": F(10),
            "epreuves_controle_possibles": ("E1", "E2"),
            "nombre_epreuves_controle": 2,
            "unites_obtenues": ("U2", "U4", "U5", "U6"),
        },
        id="E3 dispensée et 178,5/18 = 9,92 → contrôle sur E1 et E2 seulement",
    ),
    pytest.param(
        # E2 3×6 = 18 + pro 120 = 138 ; diviseur 21 − 6 = 15 → 9,2.
        candidat(resultats(10, E1=DI, E2=6, E3=DI)),
        {
            "decision": CONTROLE,
            "points": "138.00",
            "diviseur": 15,
            "moyenne": F(46, 5),
            "epreuves_controle_possibles": ("E2",),
            "nombre_epreuves_controle": 1,
            "unites_obtenues": ("U4", "U5", "U6"),
        },
        id="E1 et E3 dispensées, 138/15 = 9,2 → un seul contrôle, en E2",
    ),
    pytest.param(
        # 138 + 3×(11 − 6) = 153 → 153/15 = 10,2.
        candidat(resultats(10, E1=DI, E2=6, E3=DI), controle={"E2": 11}),
        {
            "decision": ADMIS,
            "motif": None,
            "apres_controle": True,
            "points": "153.00",
            "diviseur": 15,
            "moyenne": F(51, 5),
            "moyenne_premier_groupe": F(46, 5),
            "unites_obtenues": ("U2", "U4", "U5", "U6"),
        },
        id="E1 et E3 dispensées, contrôle E2 à 11 → 153/15 = 10,2, admis après contrôle, U1 et U3 exclues",
    ),
    # --- §3 et §5 : notes conservées ----------------------------------------------------------------------
    pytest.param(
        # 209,5 + 3×(10,5 − 10) = 211 → 211/21 = 10,05.
        candidat(resultats(10, E3=benefice(10.5, 2020), **JUSTE_SOUS_10)),
        {
            "decision": ADMIS,
            "points": "211.00",
            "moyenne": F(211, 21),
            "unites_obtenues": ("U2", "U3", "U4", "U5", "U6"),
        },
        id="E3 conservée (bénéfice 2020 à 10,5) compte comme une note de la session → 211/21, admis",
    ),
    pytest.param(
        # Pro 5×12 + 2×9 + 2×9 + 3×9 = 123 → 10,25 ; total 27×3 + 123 = 204 → 9,71 → contrôle.
        candidat(resultats(9, E4=benefice(12, 2021))),
        {
            "decision": CONTROLE,
            "points": "204.00",
            "moyenne": F(204, 21),
            "moyenne_professionnelle": F(123, 12),
            "unites_obtenues": ("U4",),
        },
        id="E4 conservée à 12 porte la moyenne professionnelle à 123/12 → contrôle",
    ),
    pytest.param(
        # 252 − 3×(12 − 8) = 240 → 240/21 = 11,43.
        candidat(resultats(12, E1=report(8, 2021)), parcours=Parcours.PROGRESSIVE),
        {
            "decision": ADMIS,
            "points": "240.00",
            "moyenne": F(240, 21),
            "unites_obtenues": ("U2", "U3", "U4", "U5", "U6"),
        },
        id="forme progressive : E1 reportée à 8 compte comme une note → 240/21, admis sans U1",
    ),
    # --- §3 et §4.2 : épreuves facultatives ---------------------------------------------------------------
    pytest.param(
        # 209,5 + (14 − 10) = 213,5 → 10,17.
        candidat(resultats(10, LV2=14, **JUSTE_SOUS_10)),
        {
            "decision": ADMIS,
            "points": "213.50",
            "diviseur": 21,
            "moyenne": F(427, 42),
            "unites_obtenues": ("U2", "U3", "U4", "U5", "U6"),
        },
        id="LV2 à 14 : seuls les 4 points au-dessus de 10 s'ajoutent, diviseur inchangé → 213,5/21, admis",
    ),
    pytest.param(
        candidat(resultats(10, LV2=8)),
        {"decision": ADMIS, "points": "210.00", "diviseur": 21, "moyenne": F(10)},
        id="LV2 à 8 ne retire aucun point → 210/21, toujours admis",
    ),
    pytest.param(
        candidat(resultats(10, LV2=10, **JUSTE_SOUS_10)),
        {"decision": CONTROLE, "points": "209.50", "moyenne": F(419, 42)},
        id="LV2 à exactement 10 n'apporte aucun point → reste à 209,5, contrôle",
    ),
    pytest.param(
        candidat(resultats(12, LV2=AB)),
        {"decision": ADMIS, "motif": None, "points": "252.00", "moyenne": F(12)},
        id="AB en LV2 : aucun point, aucune sanction → admis",
    ),
    pytest.param(
        candidat(resultats(10, ENGAGEMENT=AB, **JUSTE_SOUS_10)),
        {"decision": CONTROLE, "motif": None, "points": "209.50"},
        id="AB à l'engagement étudiant → pas ajourné pour absence, contrôle comme sans facultative",
    ),
    pytest.param(
        # 210 − 3×2 = 204 ; + (15 − 10) + (11 − 10) = 210 → 10 exactement. Les unités facultatives ne sont pas listées.
        candidat(resultats(10, E1=8, LV2=15, ENGAGEMENT=11)),
        {
            "decision": ADMIS,
            "points": "210.00",
            "diviseur": 21,
            "moyenne": F(10),
            "unites_obtenues": ("U2", "U3", "U4", "U5", "U6"),
        },
        id="LV2 15 et engagement 11 s'additionnent : 204 + 5 + 1 = 210 → admis, sans unité facultative",
    ),
    pytest.param(
        # 3×5×3 = 45 + pro 120 = 165 → 7,86 < 8.
        candidat(resultats(10, E1=5, E2=5, E3=5)),
        {
            "decision": AJOURNE,
            "motif": Motif.MOYENNE,
            "points": "165.00",
            "moyenne": F(165, 21),
            "moyenne_professionnelle": F(10),
            "unites_obtenues": ("U4", "U5", "U6"),
        },
        id="générale 165/21 = 7,86 et professionnelle 10 → ajourné, pas de contrôle",
    ),
    pytest.param(
        # 165 + (13 − 10) = 168 → 8 exactement ; la moyenne générale du contrôle comprend les facultatives [décision].
        candidat(resultats(10, E1=5, E2=5, E3=5, LV2=13)),
        {"decision": CONTROLE, "points": "168.00", "moyenne": F(8), "moyenne_professionnelle": F(10)},
        id="même candidat avec LV2 à 13 : 168/21 = 8 exactement → contrôle (facultatives comprises)",
    ),
    # --- §4.4 : droit au contrôle (générale ≥ 8 ET professionnelle ≥ 10, valeurs exactes) -----------------
    pytest.param(
        # E1 3×16 = 48, E2 0, E3 0, pro 120 → 168/21 = 8 ; pro 120/12 = 10.
        candidat(resultats(10, E1=16, E2=0, E3=0)),
        {
            "decision": CONTROLE,
            "motif": None,
            "moyenne": F(8),
            "moyenne_professionnelle": F(10),
            "epreuves_controle_possibles": ("E1", "E2", "E3"),
            "nombre_epreuves_controle": 2,
            "unites_obtenues": ("U1", "U4", "U5", "U6"),
        },
        id="générale exactement 8 et professionnelle exactement 10 → contrôle sur deux épreuves parmi E1 E2 E3",
    ),
    pytest.param(
        # Général 81 ; pro 47,5 + 22 + 20 + 30 = 119,5 → 9,96 ; total 200,5 → 9,55.
        candidat(resultats(9, E4=9.5, E5A=11, E5B=10, E6=10)),
        {
            "decision": AJOURNE,
            "motif": Motif.MOYENNE,
            "points": "200.50",
            "moyenne": F(401, 42),
            "moyenne_professionnelle": F(239, 24),
            "unites_obtenues": ("U5", "U6"),
        },
        id="professionnelle 119,5/12 = 9,96 → ajourné malgré une générale de 9,55",
    ),
    pytest.param(
        # E1 3×15,5 = 46,5 ; pro 50 + 21 + 20 + 30 = 121 → 10,08 ; total 167,5 → 7,976 (affichée 7.98).
        candidat(resultats(10, E1=15.5, E2=0, E3=0, E5A=10.5)),
        {
            "decision": AJOURNE,
            "motif": Motif.MOYENNE,
            "points": "167.50",
            "moyenne": F(335, 42),
            "affichee": "7.98",
            "moyenne_professionnelle": F(121, 12),
            "unites_obtenues": ("U1", "U4", "U5", "U6"),
        },
        id="générale 167,5/21 = 7,976 (affichée 7.98) → ajourné, pas de contrôle",
    ),
    pytest.param(
        candidat(resultats(9)),
        {"decision": AJOURNE, "motif": Motif.MOYENNE, "moyenne": F(9), "moyenne_professionnelle": F(9)},
        id="générale 9 mais professionnelle 9 → ajourné, pas de contrôle",
    ),
    # --- §4.4 : issue du contrôle --------------------------------------------------------------------------
    pytest.param(
        # 209,5 + 3×(12 − 9,5) + 3×(11 − 10) = 209,5 + 7,5 + 3 = 220 → 10,48 ; U1 obtenue avec la note retenue 12.
        candidat(resultats(10, **JUSTE_SOUS_10), controle={"E1": 12, "E2": 11}),
        {
            "decision": ADMIS,
            "motif": None,
            "apres_controle": True,
            "points": "220.00",
            "diviseur": 21,
            "moyenne": F(220, 21),
            "moyenne_premier_groupe": F(419, 42),
            "moyenne_professionnelle": F(121, 12),
            "unites_obtenues": TOUTES_LES_UNITES,
        },
        id="contrôle E1 12 et E2 11 : 220/21 → admis après contrôle, U1 obtenue avec la note retenue",
    ),
    pytest.param(
        # E1 : 9 < 9,5 → 9,5 reste ; E2 : 10 = 10 → 10 reste ; 209,5 → ajourné.
        candidat(resultats(10, **JUSTE_SOUS_10), controle={"E1": 9, "E2": 10}),
        {
            "decision": AJOURNE,
            "motif": Motif.MOYENNE,
            "apres_controle": True,
            "points": "209.50",
            "moyenne": F(419, 42),
            "moyenne_premier_groupe": F(419, 42),
            "unites_obtenues": ("U2", "U3", "U4", "U5", "U6"),
        },
        id="contrôle plus bas ou égal : les notes du premier groupe restent → 209,5, ajourné après contrôle",
    ),
    pytest.param(
        # E1 : 9,5 → 10 (+1,5) ; E2 AB au contrôle : 10 reste → 211/21.
        candidat(resultats(10, **JUSTE_SOUS_10), controle={"E1": 10, "E2": AB}),
        {
            "decision": ADMIS,
            "apres_controle": True,
            "points": "211.00",
            "moyenne": F(211, 21),
            "unites_obtenues": TOUTES_LES_UNITES,
        },
        id="contrôle E1 10 (+1,5) et AB au contrôle d'E2 sans effet → 211/21, admis",
    ),
    pytest.param(
        candidat(resultats(10, **JUSTE_SOUS_10), controle={"E1": 9.5, "E3": ABJ}),
        {"decision": AJOURNE, "motif": Motif.MOYENNE, "apres_controle": True, "points": "209.50"},
        id="ABJ au contrôle d'E3 : la note du premier groupe reste → 209,5, ajourné après contrôle",
    ),
    pytest.param(
        # 36 + 0 + 36 + 120 = 192 → 9,14 ; pro 10 → contrôle ; l'épreuve ABJ peut être choisie.
        candidat(resultats(10, E1=12, E2=ABJ, E3=12)),
        {
            "decision": CONTROLE,
            "points": "192.00",
            "moyenne": F(192, 21),
            "epreuves_controle_possibles": ("E1", "E2", "E3"),
            "nombre_epreuves_controle": 2,
        },
        id="ABJ en E2 compté 0 : 192/21 = 9,14 → contrôle, E2 parmi les épreuves possibles",
    ),
    pytest.param(
        # E2 : 0 → 10 (+30) ; E1 : 11 < 12, 12 reste → 222/21 = 10,57 ; U2 obtenue avec la note retenue.
        candidat(resultats(10, E1=12, E2=ABJ, E3=12), controle={"E2": 10, "E1": 11}),
        {
            "decision": ADMIS,
            "apres_controle": True,
            "points": "222.00",
            "moyenne": F(222, 21),
            "moyenne_premier_groupe": F(192, 21),
            "unites_obtenues": TOUTES_LES_UNITES,
        },
        id="ABJ en E2 au premier groupe remplacé par le contrôle à 10 → 222/21, admis, U2 obtenue",
    ),
    pytest.param(
        # 30 + 27 + 30 + 121 = 208 → 9,90 ; contrôle E1 13 (+9) et E2 9,5 (+1,5) → 218,5.
        candidat(resultats(10, E1=benefice(10, 2021), E2=9, E5A=10.5), controle={"E1": 13, "E2": 9.5}),
        {
            "decision": ADMIS,
            "apres_controle": True,
            "points": "218.50",
            "moyenne": F(437, 42),
            "moyenne_premier_groupe": F(208, 21),
            "unites_obtenues": ("U1", "U3", "U4", "U5", "U6"),
        },
        id="contrôle sur une note conservée (bénéfice E1 à 10) : 208 + 9 + 1,5 = 218,5 → admis",
    ),
    pytest.param(
        # 25,5 + 30 + 30 + 121 = 206,5 ; + LV2 2 = 208,5 → contrôle ; E1 9 (+1,5) → 210 ; sans LV2 ce serait 208.
        candidat(resultats(10, E1=8.5, E5A=10.5, LV2=12), controle={"E1": 9, "E2": AB}),
        {
            "decision": ADMIS,
            "apres_controle": True,
            "points": "210.00",
            "moyenne": F(10),
            "moyenne_premier_groupe": F(417, 42),
            "unites_obtenues": ("U2", "U3", "U4", "U5", "U6"),
        },
        id="après contrôle les points de LV2 comptent encore : 206,5 + 2 + 1,5 = 210 → admis",
    ),
    # --- §4.7 et §1 : unités obtenues (U5 = moyenne exacte de E5A et E5B) ---------------------------------
    pytest.param(
        # 252 − 2×2 − 2×2,5 = 243 → admis ; U5 = (10 + 9,5)/2 = 9,75 < 10 [décision : moyenne exacte].
        candidat(resultats(12, E5A=10, E5B=9.5)),
        {"decision": ADMIS, "points": "243.00", "unites_obtenues": ("U1", "U2", "U3", "U4", "U6")},
        id="E5A 10 et E5B 9,5 : U5 = 9,75 → non obtenue, même admis",
    ),
    pytest.param(
        # 27×3 + 45 + 16 + 24 + 27 = 193 → 9,19 ; pro 112/12 = 9,33 → ajourné ; U5 = (8 + 12)/2 = 10.
        candidat(resultats(9, E5A=8, E5B=12)),
        {
            "decision": AJOURNE,
            "motif": Motif.MOYENNE,
            "points": "193.00",
            "moyenne_professionnelle": F(112, 12),
            "unites_obtenues": ("U5",),
        },
        id="E5A 8 et E5B 12 : U5 = 10 exactement → obtenue par un candidat ajourné",
    ),
    # --- §4.0 : forme progressive, unités non toutes présentées → incomplet (prime sur tout) ----------------
    pytest.param(
        candidat(resultats(12, E6=None), parcours=Parcours.PROGRESSIVE),
        {
            "decision": INCOMPLET,
            "motif": None,
            "apres_controle": False,
            "unites_obtenues": ("U1", "U2", "U3", "U4", "U5"),
        },
        id="forme progressive sans E6 → incomplet, avec les unités déjà obtenues",
    ),
    pytest.param(
        candidat(resultats(12, E2=None, E4=AB), parcours=Parcours.PROGRESSIVE),
        {"decision": INCOMPLET, "motif": None},
        id="forme progressive sans E2 et AB en E4 → incomplet prime sur l'absence",
    ),
    pytest.param(
        candidat(resultats(12, E1=None, E6=NV), parcours=Parcours.PROGRESSIVE),
        {"decision": INCOMPLET, "motif": None},
        id="forme progressive sans E1 et NV en E6 → incomplet prime sur le non-valide",
    ),
    pytest.param(
        candidat(resultats(12, E1=None, E4=suspendue(14)), parcours=Parcours.PROGRESSIVE),
        {"decision": INCOMPLET, "motif": None},
        id="forme progressive sans E1 et note suspendue en E4 → incomplet prime sur l'attente",
    ),
    pytest.param(
        candidat(resultats(14, E5B=None), parcours=Parcours.PROGRESSIVE),
        {"decision": INCOMPLET, "unites_obtenues": ("U1", "U2", "U3", "U4", "U6")},
        id="forme progressive sans E5B, E5A à 14 → incomplet, U5 non obtenue (partie manquante)",
    ),
    # --- §3 : note suspendue → en attente, jamais admis ni ajourné -----------------------------------------
    pytest.param(
        candidat(resultats(15, E6=suspendue(15))),
        {"decision": EN_ATTENTE, "motif": Motif.NOTE_SUSPENDUE, "apres_controle": False},
        id="note suspendue en E6 avec 15 partout → en attente, pas admis",
    ),
    pytest.param(
        candidat(resultats(6, E4=suspendue(6))),
        {"decision": EN_ATTENTE, "motif": Motif.NOTE_SUSPENDUE},
        id="note suspendue en E4 avec 6 partout → en attente, pas ajourné",
    ),
    pytest.param(
        candidat(resultats(12, E1=AB, E4=suspendue(12))),
        {"decision": EN_ATTENTE, "motif": Motif.NOTE_SUSPENDUE},
        id="note suspendue en E4 et AB en E1 → en attente (ni admis ni ajourné tant que la note est suspendue)",
    ),
    # --- §4.8 : livret scolaire fourni et pas encore examiné → pas d'ajournement ---------------------------
    pytest.param(
        candidat(resultats(8), livret_fourni=True, livret_examine=False),
        {"decision": EN_ATTENTE, "motif": Motif.LIVRET_NON_EXAMINE},
        id="livret fourni non examiné, moyenne 8 et pro 8 → en attente au lieu d'ajourné",
    ),
    pytest.param(
        candidat(resultats(8), livret_fourni=True, livret_examine=True),
        {"decision": AJOURNE, "motif": Motif.MOYENNE, "moyenne": F(8)},
        id="livret fourni et examiné, moyenne 8 et pro 8 → ajourné",
    ),
    pytest.param(
        candidat(resultats(8), livret_fourni=False, livret_examine=False),
        {"decision": AJOURNE, "motif": Motif.MOYENNE},
        id="aucun livret fourni → ajourné sans attendre d'examen",
    ),
    pytest.param(
        candidat(resultats(12), livret_fourni=True, livret_examine=False),
        {"decision": ADMIS, "motif": None},
        id="livret non examiné n'empêche pas l'admission à 12",
    ),
    pytest.param(
        candidat(resultats(12, E2=AB), livret_fourni=True, livret_examine=False),
        {"decision": EN_ATTENTE, "motif": Motif.LIVRET_NON_EXAMINE},
        id="livret non examiné et AB en E2 → en attente au lieu d'ajourné pour absence",
    ),
    pytest.param(
        candidat(resultats(10, **JUSTE_SOUS_10), livret_fourni=True, livret_examine=False),
        {"decision": CONTROLE, "motif": None},
        id="livret non examiné et 209,5/21 → contrôle (ce n'est pas un ajournement)",
    ),
    pytest.param(
        candidat(
            resultats(10, **JUSTE_SOUS_10), controle={"E1": 9, "E2": 10}, livret_fourni=True, livret_examine=False
        ),
        {"decision": EN_ATTENTE, "motif": Motif.LIVRET_NON_EXAMINE, "apres_controle": True},
        id="livret non examiné et échec au contrôle → en attente au lieu d'ajourné",
    ),
    # --- §4.6 : points de jury -----------------------------------------------------------------------------
    pytest.param(
        # 210 − 5×0,5 = 207,5 → 9,88 ; pro (47,5 + 20 + 20 + 30)/12 = 117,5/12 = 9,79 → pas de contrôle.
        candidat(resultats(10, E4=9.5)),
        {
            "decision": AJOURNE,
            "motif": Motif.MOYENNE,
            "points": "207.50",
            "moyenne_professionnelle": F(235, 24),
            "unites_obtenues": ("U1", "U2", "U3", "U5", "U6"),
        },
        id="sans points de jury : E4 9,5, 207,5/21 et pro 117,5/12 → ajourné",
    ),
    pytest.param(
        candidat(resultats(10, E4=9.5), points_jury={"E4": 10}),
        {
            "decision": ADMIS,
            "points": "210.00",
            "moyenne": F(10),
            "moyenne_professionnelle": F(10),
            "unites_obtenues": TOUTES_LES_UNITES,
        },
        id="points de jury : E4 relevée de 9,5 à 10 → 210/21, admis avec U4",
    ),
    pytest.param(
        # 200,5 + 5×0,5 = 203 → 9,67 ; pro 119,5 + 2,5 = 122 → 10,17 → contrôle.
        candidat(resultats(9, E4=9.5, E5A=11, E5B=10, E6=10), points_jury={"E4": 10}),
        {
            "decision": CONTROLE,
            "points": "203.00",
            "moyenne": F(203, 21),
            "moyenne_professionnelle": F(122, 12),
            "unites_obtenues": ("U4", "U5", "U6"),
        },
        id="points de jury : E4 relevée de 9,5 à 10 ouvre le contrôle (pro 122/12)",
    ),
]


@pytest.mark.parametrize(("entree", "attendu"), CAS)
def test_deliberation_selon_le_reglement(entree: CandidatADeliberer, attendu: dict[str, Any]) -> None:
    resultat = deliberer(REGLEMENT, entree)

    obtenu = {
        champ: arrondi_affichage(resultat.moyenne) if champ == "affichee" else getattr(resultat, champ)
        for champ in attendu
    }
    assert obtenu == attendu


def test_il_y_a_au_moins_45_cas_de_regles() -> None:
    assert len(CAS) >= 45


# --- Entrées invalides : DeliberationImpossible --------------------------------------------------------------

INVALIDES = [
    pytest.param(candidat(resultats(12, E4=DI)), id="DI en E4 : unité professionnelle non dispensable"),
    pytest.param(candidat(resultats(12, E2=DI)), id="DI en E2 : U2 non dispensable"),
    pytest.param(candidat(resultats(12, E5A=DI)), id="DI en E5A : U5 non dispensable"),
    pytest.param(candidat(resultats(12, E1=NV)), id="NV en E1 : NV réservé aux épreuves à dossier E4 et E6"),
    pytest.param(candidat(resultats(12, E5B=NV)), id="NV en E5B : NV réservé aux épreuves à dossier E4 et E6"),
    pytest.param(candidat(resultats(12, LV2=ABJ)), id="ABJ en LV2 : une facultative est notée ou AB"),
    pytest.param(candidat(resultats(12, ENGAGEMENT=DI)), id="DI à l'engagement étudiant"),
    pytest.param(candidat(resultats(12, E3=None)), id="forme globale sans résultat en E3"),
    pytest.param(candidat(resultats(12), controle={"E1": 13, "E2": 13}), id="notes de contrôle pour un candidat admis"),
    pytest.param(
        candidat(resultats(9), controle={"E1": 13, "E2": 13}),
        id="notes de contrôle pour un candidat non admissible (professionnelle 9)",
    ),
    pytest.param(
        candidat(resultats(10, E1=5, E2=5, E3=5), controle={"E1": 13, "E2": 13}),
        id="notes de contrôle pour un candidat non admissible (générale 165/21 < 8)",
    ),
    pytest.param(
        candidat(resultats(10, E6=AB, **JUSTE_SOUS_10), controle={"E1": 13, "E2": 13}),
        id="notes de contrôle pour un candidat absent en E6",
    ),
    pytest.param(
        candidat(resultats(10, **JUSTE_SOUS_10), controle={"E1": 13}),
        id="une seule épreuve de contrôle alors que deux sont dues",
    ),
    pytest.param(
        candidat(resultats(10, **JUSTE_SOUS_10), controle={"E1": 13, "E2": 13, "E3": 13}),
        id="trois épreuves de contrôle au lieu de deux",
    ),
    pytest.param(
        candidat(resultats(10, E1=9.5, E3=DI), controle={"E1": 13, "E3": 13}),
        id="contrôle sur E3 dispensée",
    ),
    pytest.param(
        candidat(resultats(10, E1=DI, E2=6, E3=DI), controle={"E1": 12, "E2": 12}),
        id="E1 et E3 dispensées : contrôle sur E1 dispensée en plus d'E2",
    ),
    pytest.param(
        candidat(resultats(10, **JUSTE_SOUS_10), controle={"E1": 13, "E4": 13}),
        id="contrôle sur E4, épreuve professionnelle",
    ),
    pytest.param(
        candidat(resultats(10, **JUSTE_SOUS_10), controle={"E1": NV, "E2": 13}),
        id="NV au contrôle : seuls AB et ABJ sont possibles",
    ),
    pytest.param(
        candidat(resultats(10, **JUSTE_SOUS_10), controle={"E1": DI, "E2": 13}),
        id="DI au contrôle : seuls AB et ABJ sont possibles",
    ),
    pytest.param(candidat(resultats(12, E1=21)), id="note 21 en E1 : une note va de 0 à 20"),
    pytest.param(candidat(resultats(12, E2=Note(centiemes=-50))), id="note négative en E2"),
    pytest.param(candidat(resultats(12, E3=12.3)), id="note 12,3 en E3 : pas de 0,5"),
    pytest.param(candidat(resultats(12, LV2=20.5)), id="note 20,5 en LV2 : au-delà de 20"),
    pytest.param(
        candidat(resultats(10, **JUSTE_SOUS_10), controle={"E1": 21, "E2": 13}), id="note de contrôle 21 en E1"
    ),
    pytest.param(
        candidat(resultats(10, **JUSTE_SOUS_10), controle={"E1": 12.25, "E2": 13}),
        id="note de contrôle 12,25 : pas de 0,5",
    ),
    pytest.param(candidat(resultats(12), points_jury={"E1": 11}), id="points de jury qui baissent une note"),
    pytest.param(candidat(resultats(19), points_jury={"E1": 21}), id="points de jury au-delà de 20"),
    pytest.param(candidat(resultats(12, E1=AB), points_jury={"E1": 10}), id="points de jury sur une épreuve AB"),
    pytest.param(
        candidat(resultats(12, E1=report(8, 2021))),
        id="report d'une note inférieure à 10 en forme globale (§5 : seules les notes ≥ 10 se conservent)",
    ),
    pytest.param(
        candidat(resultats(12, E1=benefice(9, 2021))),
        id="bénéfice d'une note inférieure à 10 (§5 : bénéfice = note ≥ 10)",
    ),
    pytest.param(
        candidat(resultats(12, E1=benefice(14, 2012))),
        id="bénéfice obtenu en 2012 : plus de 5 ans avant la session 2022",
    ),
    pytest.param(
        candidat(resultats(12, E1=report(8, 2012)), parcours=Parcours.PROGRESSIVE),
        id="report obtenu en 2012 en forme progressive : plus de 5 ans avant la session 2022",
    ),
]


@pytest.mark.parametrize("entree", INVALIDES)
def test_entree_invalide_refusee(entree: CandidatADeliberer) -> None:
    with pytest.raises(DeliberationImpossible):
        deliberer(REGLEMENT, entree)


# --- §4.2 : affichage arrondi au plus proche, demi vers le haut, 2 décimales ------------------------------


@pytest.mark.parametrize(
    ("moyenne", "affichee"),
    [
        pytest.param(F(419, 42), "9.98", id="209,5/21 = 9,97619 → 9.98"),
        pytest.param(F(335, 42), "7.98", id="167,5/21 = 7,97619 → 7.98"),
        pytest.param(F(10), "10.00", id="10 → 10.00"),
        pytest.param(F(20), "20.00", id="20 → 20.00"),
        pytest.param(F(0), "0.00", id="0 → 0.00"),
        pytest.param(F(1, 200), "0.01", id="0,005 → 0.01 (demi vers le haut)"),
        pytest.param(F(2001, 200), "10.01", id="10,005 → 10.01 (demi vers le haut)"),
        pytest.param(F(1999, 200), "10.00", id="9,995 → 10.00 (demi vers le haut, impossible avec des demi-points)"),
        pytest.param(F(1, 3), "0.33", id="1/3 → 0.33"),
        pytest.param(F(2, 3), "0.67", id="2/3 → 0.67"),
        pytest.param(F(64, 7), "9.14", id="192/21 = 9,142857 → 9.14"),
    ],
)
def test_arrondi_affichage(moyenne: F, affichee: str) -> None:
    assert arrondi_affichage(moyenne) == affichee
