"""Délibération BTS NDRC 2022 : propriétés qui doivent tenir pour tout candidat (hypothesis).

L'oracle `calcul_attendu` refait le §4.2 du règlement à la main, en fractions exactes, sans rien emprunter au
moteur : points = Σ coef × note (ABJ = 0, DI hors diviseur) + Σ max(0, facultative − 10).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from typing import Any

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from examens.core.deliberation import (
    CandidatADeliberer,
    Decision,
    Deliberation,
    arrondi_affichage,
    deliberer,
)
from examens.core.reglement import reglement_fourni
from examens.core.resultats import Etat, Note

REGLEMENT = reglement_fourni()

COEFFICIENTS = {"E1": 3, "E2": 3, "E3": 3, "E4": 5, "E5A": 2, "E5B": 2, "E6": 3}
GENERALES = ("E1", "E2", "E3")
PROFESSIONNELLES = ("E4", "E5A", "E5B", "E6")
FACULTATIVES = ("LV2", "ENGAGEMENT")
DISPENSABLES = ("E1", "E3")

AB = Etat.ABSENT
ABJ = Etat.ABSENT_JUSTIFIE
DI = Etat.DISPENSE

# Rang d'une décision : augmenter une note ne doit jamais faire descendre ce rang.
RANG = {Decision.AJOURNE: 0, Decision.CONTROLE: 1, Decision.ADMIS: 2}

PROPRIETE = settings(max_examples=200, deadline=None)


def notes(minimum: int = 0, maximum: int = 20) -> st.SearchStrategy[Note]:
    """Une note de `minimum` à `maximum` au pas de 0,5."""
    return st.integers(2 * minimum, 2 * maximum).map(lambda demi: Note(centiemes=50 * demi))


def resultat_obligatoire(code: str, note: st.SearchStrategy[Note]) -> st.SearchStrategy[Any]:
    """Surtout des notes ; parfois ABJ ; DI pour les unités dispensables (U1, U3)."""
    codes = [ABJ, DI] if code in DISPENSABLES else [ABJ]
    return st.one_of(note, note, note, st.sampled_from(codes))


@st.composite
def resultats_sans_absence(
    draw: st.DrawFn,
    *,
    generales: st.SearchStrategy[Note] | None = None,
    professionnelles: st.SearchStrategy[Note] | None = None,
    facultatives: bool = True,
) -> dict[str, Any]:
    """Résultats complets d'un candidat de forme globale, sans AB ni NV aux épreuves obligatoires."""
    table: dict[str, Any] = {}
    for code in COEFFICIENTS:
        source = generales if code in GENERALES else professionnelles
        if source is None:
            source = notes()
        table[code] = draw(resultat_obligatoire(code, source))
    if facultatives:
        for code in FACULTATIVES:
            valeur = draw(st.one_of(st.none(), st.just(AB), notes()))
            if valeur is not None:
                table[code] = valeur
    return table


def _centiemes(resultat: Any) -> int:
    return resultat.centiemes if isinstance(resultat, Note) else 0  # ABJ compte 0


def calcul_attendu(table: dict[str, Any]) -> tuple[int, int, Fraction, Fraction]:
    """§4.2 et §4.4 à la main : (points en centièmes, diviseur, moyenne générale, moyenne professionnelle)."""
    points = diviseur = 0
    for code, coefficient in COEFFICIENTS.items():
        if table[code] is DI:
            continue
        points += coefficient * _centiemes(table[code])
        diviseur += coefficient
    for code in FACULTATIVES:
        if isinstance(table.get(code), Note):
            points += max(0, table[code].centiemes - 1000)
    points_pro = sum(COEFFICIENTS[code] * _centiemes(table[code]) for code in PROFESSIONNELLES)
    return points, diviseur, Fraction(points, 100 * diviseur), Fraction(points_pro, 100 * 12)


def decider(table: dict[str, Any], controle: dict[str, Any] | None = None) -> Deliberation:
    return deliberer(REGLEMENT, CandidatADeliberer(candidat="X", resultats=table, controle=controle or {}))


def points_publies(deliberation: Deliberation) -> Fraction:
    return Fraction(Decimal(deliberation.points))


def arrondi_de_reference(valeur: Fraction) -> str:
    """Arrondi au plus proche, demi vers le haut, 2 décimales, calculé avec `decimal` en grande précision."""
    with localcontext() as contexte:
        contexte.prec = 60
        exacte = Decimal(valeur.numerator) / Decimal(valeur.denominator)
        return str(exacte.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


@PROPRIETE
@given(table=resultats_sans_absence())
def test_admis_si_et_seulement_si_la_moyenne_exacte_atteint_10(table: dict[str, Any]) -> None:
    points, diviseur, moyenne, moyenne_pro = calcul_attendu(table)
    deliberation = decider(table)

    assert points_publies(deliberation) == Fraction(points, 100)
    assert deliberation.diviseur == diviseur
    assert deliberation.moyenne == moyenne
    assert deliberation.moyenne_professionnelle == moyenne_pro
    if moyenne >= 10:
        attendue = Decision.ADMIS
    elif moyenne >= 8 and moyenne_pro >= 10:
        attendue = Decision.CONTROLE
    else:
        attendue = Decision.AJOURNE
    assert deliberation.decision is attendue


@PROPRIETE
@given(table=resultats_sans_absence())
def test_la_moyenne_est_exactement_points_sur_diviseur_et_son_affichage_arrondi_au_plus_proche(
    table: dict[str, Any],
) -> None:
    deliberation = decider(table)
    assert deliberation.moyenne is not None

    assert deliberation.moyenne == points_publies(deliberation) / deliberation.diviseur
    affichee = arrondi_affichage(deliberation.moyenne)
    assert affichee == arrondi_de_reference(deliberation.moyenne)
    if deliberation.moyenne < 10:
        assert affichee != "10.00"


@PROPRIETE
@given(table=resultats_sans_absence(), data=st.data())
def test_augmenter_une_note_ne_fait_jamais_perdre_l_admission(table: dict[str, Any], data: st.DataObject) -> None:
    relevables = sorted(code for code, r in table.items() if r is ABJ or isinstance(r, Note))
    code = data.draw(st.sampled_from(relevables))
    plancher = _centiemes(table[code]) // 50
    plus_haute = Note(centiemes=50 * data.draw(st.integers(plancher, 40)))
    avant = decider(table)

    apres = decider({**table, code: plus_haute})

    assert apres.moyenne is not None
    assert avant.moyenne is not None
    assert apres.moyenne >= avant.moyenne
    assert RANG[apres.decision] >= RANG[avant.decision]
    if avant.decision is Decision.ADMIS:
        assert apres.decision is Decision.ADMIS


@PROPRIETE
@given(
    table=resultats_sans_absence(facultatives=False),
    facultatives=st.fixed_dictionaries({}, optional={code: st.one_of(st.just(AB), notes()) for code in FACULTATIVES}),
)
def test_une_epreuve_facultative_ne_baisse_jamais_la_moyenne(
    table: dict[str, Any], facultatives: dict[str, Any]
) -> None:
    sans = decider(table)

    avec = decider({**table, **facultatives})

    assert sans.moyenne is not None
    assert avec.moyenne is not None
    assert avec.moyenne >= sans.moyenne
    assert avec.diviseur == sans.diviseur
    assert RANG[avec.decision] >= RANG[sans.decision]
    assert avec.unites_obtenues == sans.unites_obtenues


def _publie(d: Deliberation) -> tuple[Any, ...]:
    return (
        d.decision,
        d.motif,
        d.apres_controle,
        d.points,
        d.diviseur,
        d.moyenne,
        d.moyenne_premier_groupe,
        d.moyenne_professionnelle,
        d.unites_obtenues,
        d.epreuves_controle_possibles,
        d.nombre_epreuves_controle,
    )


@PROPRIETE
@given(
    table=st.one_of(
        resultats_sans_absence(),
        # Avec AB et NV possibles, pour que l'ordre soit aussi éprouvé sur les motifs.
        st.fixed_dictionaries(
            {
                code: st.one_of(notes(), st.sampled_from([AB, ABJ, Etat.NON_VALIDE] if code in ("E4", "E6") else [AB]))
                for code in COEFFICIENTS
            }
        ),
    ),
    data=st.data(),
)
def test_l_ordre_des_resultats_ne_change_rien(table: dict[str, Any], data: st.DataObject) -> None:
    melange = dict(data.draw(st.permutations(list(table.items()))))

    assert _publie(decider(melange)) == _publie(decider(table))


@st.composite
def candidat_au_controle(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    """Un candidat admissible au contrôle (tiré près de la zone 8–10) et ses notes de contrôle."""
    table = draw(resultats_sans_absence(generales=notes(2, 10)))
    # Épreuves professionnelles notées de 10 à 13 (ABJ y rendrait le candidat presque toujours non admissible).
    table.update({code: draw(notes(10, 13)) for code in PROFESSIONNELLES})
    premier_groupe = decider(table)
    assume(premier_groupe.decision is Decision.CONTROLE)
    choisies = draw(st.permutations(premier_groupe.epreuves_controle_possibles))
    choisies = choisies[: premier_groupe.nombre_epreuves_controle]
    controle = {code: draw(st.one_of(notes(), notes(), st.sampled_from([AB, ABJ]))) for code in choisies}
    return table, controle


@PROPRIETE
@given(cas=candidat_au_controle())
def test_le_controle_ne_peut_que_relever_la_moyenne(cas: tuple[dict[str, Any], dict[str, Any]]) -> None:
    table, controle = cas
    premier_groupe = decider(table)

    apres = decider(table, controle)

    retenues = dict(table)
    for code, r in controle.items():
        if isinstance(r, Note) and r.centiemes > _centiemes(table[code]):
            retenues[code] = r  # la meilleure des deux notes ; AB ou ABJ au contrôle : la note du 1er groupe
    _, diviseur, moyenne_attendue, _ = calcul_attendu(retenues)
    assert apres.apres_controle
    assert apres.moyenne_premier_groupe == premier_groupe.moyenne
    assert apres.moyenne is not None
    assert premier_groupe.moyenne is not None
    assert apres.moyenne >= premier_groupe.moyenne
    assert apres.moyenne == moyenne_attendue
    assert apres.diviseur == diviseur
    assert apres.decision is (Decision.ADMIS if moyenne_attendue >= 10 else Decision.AJOURNE)
