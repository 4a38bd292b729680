"""Règle des calculatrices (§8 du règlement ; Circ. 1.4 ; circulaire n° 2015-178 du 1er octobre 2015)."""

from __future__ import annotations

from dataclasses import dataclass, field

from examens.core.reglement import Reglement


@dataclass(frozen=True, slots=True)
class Calculatrice:
    """Ce que le surveillant constate d'une calculatrice (Circ. 1.4 ; circulaire 2015-178)."""

    programmable: bool = False
    memoire_alphanumerique: bool = False
    ecran_graphique: bool = False
    mode_examen: frozenset[str] = field(default_factory=frozenset)  # conditions du mode examen remplies


def calculatrice_autorisee(calc: Calculatrice, reglement: Reglement) -> tuple[bool, str]:
    """Autorisée : non programmable sans mémoire alphanumérique, ou mode examen complet (4 conditions)."""
    r = reglement.calculatrices
    simple = not calc.programmable and not calc.memoire_alphanumerique and not calc.ecran_graphique
    if simple and r.non_programmable_sans_memoire_alphanumerique:
        return True, "Autorisée : calculatrice non programmable sans mémoire alphanumérique."
    manquantes = [c for c in r.mode_examen_exige if c not in calc.mode_examen]
    if not manquantes:
        return True, "Autorisée : le « mode examen » remplit les quatre conditions."
    libelles = {
        "neutralisation_memoire": "neutralisation ou effacement de la mémoire",
        "blocage_transmissions": "blocage de toute transmission (wifi, Bluetooth…)",
        "voyant_clignotant": "voyant clignotant sur la tranche haute",
        "non_reversible": "sortie du mode examen impossible sans câble pendant l'épreuve",
    }
    return False, "Interdite : mode examen absent ou incomplet (manque : " + "; ".join(
        libelles.get(c, c) for c in manquantes
    ) + ")."
