"""Le cas courant compilé (`_compiler_cas_courant`) donne exactement ce que donne la boucle générale.

Le moteur a deux chemins pour accumuler points et unités : le code engendré à partir du règlement pour le
cas le plus fréquent, et la boucle générale pour tout le reste. Sur des résultats tirés au hasard (notes,
codes, notes suspendues ou conservées, facultatives), les deux doivent rendre la même délibération.
"""

from __future__ import annotations

from dataclasses import replace
from unittest.mock import patch

from hypothesis import given, settings
from hypothesis import strategies as st

from examens.core.deliberation import DeliberationImpossible, Parcours, _plan, _plans, deliberer_resultats
from examens.core.reglement import reglement_fourni
from examens.core.resultats import Etat, Note, Origine, Resultat

R = reglement_fourni()
PLAN = _plan(R)
PLAN_SANS_CAS_COURANT = replace(PLAN, cas_courant=lambda resultats: None)

notes = st.integers(0, 40).map(lambda demi: Note(centiemes=demi * 50))
resultat_obligatoire = st.one_of(
    notes,
    notes,
    notes,
    st.sampled_from([Etat.ABSENT, Etat.ABSENT_JUSTIFIE]),
    st.integers(0, 40).map(lambda d: Note(centiemes=d * 50, suspendue=True)),
    st.integers(20, 40).map(lambda d: Note(centiemes=d * 50, origine=Origine.BENEFICE, annee=2020)),
)
resultat_facultatif = st.one_of(st.none(), notes, st.just(Etat.ABSENT))


@st.composite
def candidats(draw: st.DrawFn) -> dict[str, Resultat]:
    resultats: dict[str, Resultat] = {e.code: draw(resultat_obligatoire) for e in R.obligatoires}
    for e in R.facultatives:
        r = draw(resultat_facultatif)
        if r is not None:
            resultats[e.code] = r
    return resultats


def _les_deux_chemins(resultats: dict[str, Resultat]) -> tuple[object, object]:
    def deliberer() -> object:
        try:
            return deliberer_resultats(R, "X", resultats, parcours=Parcours.GLOBALE)
        except DeliberationImpossible as exc:
            return str(exc)

    rapide = deliberer()
    with patch.dict(_plans, {id(R): (R, PLAN_SANS_CAS_COURANT)}):
        lent = deliberer()
    return rapide, lent


@settings(max_examples=400, deadline=None)
@given(candidats())
def test_le_cas_courant_compile_egale_la_boucle_generale(resultats: dict[str, Resultat]) -> None:
    rapide, lent = _les_deux_chemins(resultats)
    assert rapide == lent


def test_le_cas_courant_sert_bien_pour_des_notes_ordinaires() -> None:
    resultats = {e.code: Note(centiemes=1200) for e in R.obligatoires}
    assert PLAN.cas_courant(resultats) == (12 * 21 * 100, 0, 12 * 12 * 100, ("U1", "U2", "U3", "U4", "U5", "U6"))


def test_le_cas_courant_renvoie_a_la_boucle_pour_tout_code() -> None:
    resultats: dict[str, Resultat] = {e.code: Note(centiemes=1200) for e in R.obligatoires}
    resultats["E3"] = Etat.DISPENSE
    assert PLAN.cas_courant(resultats) is None
