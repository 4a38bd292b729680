"""Numéro UAI : 7 chiffres et une lettre de contrôle (reste modulo 23 dans l'alphabet sans I, O, Q)."""

from __future__ import annotations

import pytest

from examens.core.uai import lettre_de_controle, verifier_uai


@pytest.mark.parametrize("uai", ["0750655E", "0690026D", "0630001J", "9740001H"])
def test_uai_valides(uai: str) -> None:
    assert verifier_uai(uai) is None


@pytest.mark.parametrize(
    ("uai", "message"),
    [
        pytest.param("0630001A", "devrait être J", id="mauvaise lettre de contrôle"),
        pytest.param("063001J", "7 caractères", id="trop court"),
        pytest.param("06300011", "7 caractères", id="sans lettre"),
    ],
)
def test_uai_invalides_message_francais(uai: str, message: str) -> None:
    erreur = verifier_uai(uai)
    assert erreur is not None
    assert message in erreur


def test_la_lettre_de_controle_evite_i_o_q() -> None:
    lettres = {lettre_de_controle(f"{n:07d}") for n in range(23)}
    assert len(lettres) == 23
    assert not lettres & {"I", "O", "Q"}
