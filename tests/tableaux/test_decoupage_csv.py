"""Le découpage rapide des CSV sans guillemets donne exactement les cellules du module `csv`."""

from __future__ import annotations

import csv
import io

from hypothesis import given
from hypothesis import strategies as st

from examens.tableaux.lecture import decouper_csv

# Cellules et fins de ligne piégeuses : séparateurs, retours chariot isolés ou non, lignes vides, nul,
# guillemets (qui obligent au module csv), caractères de fin de ligne Unicode (que csv ne coupe pas).
_MORCEAUX = st.sampled_from(
    ["12", "AB", "", " 13,5 ", ";", ",", "\n", "\r\n", "\r", '"', "\x00", "\u2028", "\x0b", "é"]
)


def _par_le_module_csv(texte: str, separateur: str, premier: int) -> list[tuple[int, list[str]]]:
    return list(enumerate(csv.reader(io.StringIO(texte, newline=""), delimiter=separateur), start=premier))


@given(st.lists(_MORCEAUX, max_size=40).map("".join), st.sampled_from([";", ","]), st.integers(1, 5))
def test_memes_lignes_et_cellules_que_le_module_csv(texte: str, separateur: str, premier: int) -> None:
    try:
        attendu = _par_le_module_csv(texte, separateur, premier)
    except csv.Error:
        return  # CSV mal formé (guillemets) : l'erreur est traitée par le chemin du module csv, testé ailleurs
    assert decouper_csv(texte, separateur, premier, "notes.csv") == attendu


def test_tableau_ordinaire_par_le_chemin_rapide() -> None:
    texte = "C1;12;AB\r\nC2;13,5;\r\n"
    assert decouper_csv(texte, ";", 2, "notes.csv") == [(2, ["C1", "12", "AB"]), (3, ["C2", "13,5", ""])]
