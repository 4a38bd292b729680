"""Règle des calculatrices : §8 du règlement ; circulaire 2022, section 1.4 ; circulaire n° 2015-178.

Sont autorisées (Circ. 1.4) :
- les calculatrices non programmables sans mémoire alphanumérique ;
- les calculatrices avec mémoire alphanumérique et/ou écran graphique dotées d'un « mode examen » qui
  (1) neutralise ou efface la mémoire, (2) bloque toute transmission (wifi, Bluetooth…), (3) montre un
  signal lumineux clignotant sur la tranche haute, (4) ne peut être quitté pendant l'épreuve sans connexion
  physique, par câble, à un ordinateur ou une calculatrice.
Tout le reste est interdit ; le message dit en français ce qui manque.
"""

from __future__ import annotations

import pytest
from reglement_de_test import reglement_modifie

from examens.core.calculatrices import Calculatrice, calculatrice_autorisee
from examens.core.reglement import reglement_fourni

REGLEMENT = reglement_fourni()

MEMOIRE = "neutralisation_memoire"
TRANSMISSIONS = "blocage_transmissions"
VOYANT = "voyant_clignotant"
IRREVERSIBLE = "non_reversible"
QUATRE_CONDITIONS = frozenset({MEMOIRE, TRANSMISSIONS, VOYANT, IRREVERSIBLE})

# Un mot (ou fragment) que le message de refus doit contenir pour nommer la condition manquante.
MOT_DE_LA_CONDITION = {
    MEMOIRE: "mémoire",
    TRANSMISSIONS: "transmission",
    VOYANT: "clignotant",
    IRREVERSIBLE: "câble",
}


@pytest.mark.parametrize(
    ("calculatrice", "autorisee"),
    [
        pytest.param(Calculatrice(), True, id="non programmable sans mémoire alphanumérique : autorisée"),
        pytest.param(Calculatrice(programmable=True), False, id="programmable sans mode examen : interdite"),
        pytest.param(
            Calculatrice(memoire_alphanumerique=True), False, id="mémoire alphanumérique sans mode examen : interdite"
        ),
        pytest.param(Calculatrice(ecran_graphique=True), False, id="écran graphique sans mode examen : interdite"),
        pytest.param(
            Calculatrice(programmable=True, memoire_alphanumerique=True, ecran_graphique=True),
            False,
            id="graphique programmable sans mode examen : interdite",
        ),
        pytest.param(
            Calculatrice(programmable=True, mode_examen=QUATRE_CONDITIONS),
            True,
            id="programmable avec mode examen complet : autorisée",
        ),
        pytest.param(
            Calculatrice(
                programmable=True, memoire_alphanumerique=True, ecran_graphique=True, mode_examen=QUATRE_CONDITIONS
            ),
            True,
            id="graphique à mémoire alphanumérique avec mode examen complet : autorisée",
        ),
        pytest.param(
            Calculatrice(mode_examen=QUATRE_CONDITIONS),
            True,
            id="non programmable qui a aussi un mode examen : autorisée",
        ),
        pytest.param(
            Calculatrice(programmable=True, mode_examen=frozenset()),
            False,
            id="mode examen sans aucune des quatre conditions : interdite",
        ),
    ],
)
def test_calculatrice_autorisee(calculatrice: Calculatrice, autorisee: bool) -> None:
    ok, message = calculatrice_autorisee(calculatrice, REGLEMENT)
    assert ok is autorisee
    assert message.startswith("Autorisée" if autorisee else "Interdite"), message


@pytest.mark.parametrize(
    "manquante",
    [
        pytest.param(MEMOIRE, id="mode examen sans neutralisation ni effacement de la mémoire"),
        pytest.param(TRANSMISSIONS, id="mode examen sans blocage des transmissions"),
        pytest.param(VOYANT, id="mode examen sans voyant clignotant sur la tranche haute"),
        pytest.param(IRREVERSIBLE, id="mode examen réversible sans câble pendant l'épreuve"),
    ],
)
@pytest.mark.parametrize(
    "materiel",
    [
        pytest.param({"programmable": True}, id="programmable"),
        pytest.param({"memoire_alphanumerique": True}, id="mémoire alphanumérique"),
        pytest.param({"ecran_graphique": True}, id="écran graphique"),
    ],
)
def test_mode_examen_incomplet_refuse_en_nommant_la_condition_manquante(
    manquante: str, materiel: dict[str, bool]
) -> None:
    calculatrice = Calculatrice(**materiel, mode_examen=QUATRE_CONDITIONS - {manquante})
    ok, message = calculatrice_autorisee(calculatrice, REGLEMENT)
    assert not ok
    assert MOT_DE_LA_CONDITION[manquante] in message, message
    for autre, mot in MOT_DE_LA_CONDITION.items():
        if autre != manquante:
            assert mot not in message, f"« {mot} » ne manque pas : {message}"


def test_sans_mode_examen_le_message_nomme_les_quatre_conditions() -> None:
    ok, message = calculatrice_autorisee(Calculatrice(programmable=True), REGLEMENT)
    assert not ok
    for mot in MOT_DE_LA_CONDITION.values():
        assert mot in message, message


def test_une_condition_inconnue_ne_remplace_pas_une_condition_exigee() -> None:
    calculatrice = Calculatrice(programmable=True, mode_examen=frozenset({MEMOIRE, TRANSMISSIONS, VOYANT, "autre"}))
    assert calculatrice_autorisee(calculatrice, REGLEMENT)[0] is False


def test_le_reglement_exige_les_quatre_conditions_de_la_circulaire() -> None:
    regles = REGLEMENT.calculatrices
    assert set(regles.mode_examen_exige) == QUATRE_CONDITIONS
    assert regles.non_programmable_sans_memoire_alphanumerique is True


def test_reglage_interdire_les_calculatrices_simples() -> None:
    """Les règles viennent du règlement : une autre session peut interdire les calculatrices sans mode examen."""
    autre = reglement_modifie(
        (
            "non_programmable_sans_memoire_alphanumerique = true",
            "non_programmable_sans_memoire_alphanumerique = false",
        )
    )
    assert calculatrice_autorisee(Calculatrice(), REGLEMENT)[0] is True
    assert calculatrice_autorisee(Calculatrice(), autre)[0] is False
    assert calculatrice_autorisee(Calculatrice(mode_examen=QUATRE_CONDITIONS), autre)[0] is True


def test_reglage_liste_des_conditions_du_mode_examen() -> None:
    trois = reglement_modifie(
        (
            'mode_examen_exige = ["neutralisation_memoire", "blocage_transmissions", "voyant_clignotant", "non_reversible"]',
            'mode_examen_exige = ["neutralisation_memoire", "blocage_transmissions", "non_reversible"]',
        )
    )
    sans_voyant = Calculatrice(programmable=True, mode_examen=QUATRE_CONDITIONS - {VOYANT})
    assert calculatrice_autorisee(sans_voyant, REGLEMENT)[0] is False
    assert calculatrice_autorisee(sans_voyant, trois)[0] is True
