"""Règles des écrits (Python pur) : répartition selon les aménagements, numéros d'anonymat, lots équilibrés,
statistiques exactes, décalage borné."""

from __future__ import annotations

import random
from decimal import Decimal
from fractions import Fraction

import pytest

from examens.core.ecrits import (
    CandidatAPlacer,
    Destination,
    ReglesEcrits,
    RepartitionImpossible,
    SalleDisponible,
    TypeSalle,
    cle_luhn,
    decaler,
    destination_de,
    grouper_en_lots,
    numero_anonymat_valide,
    numeros_anonymat,
    repartir,
    statistiques,
)

ECRIT, LOGE, ORAL, INFO = TypeSalle.ECRIT, TypeSalle.LOGE, TypeSalle.ORAL, TypeSalle.INFORMATIQUE


def _candidats(n: int, **amenagement: bool) -> list[CandidatAPlacer]:
    debut = random.Random(n).randrange(1000, 9000)
    return [CandidatAPlacer(debut + i, f"22-{debut + i:06d}", **amenagement) for i in range(n)]


@pytest.mark.parametrize(
    ("amenagements", "regles", "destination"),
    [
        pytest.param({}, ReglesEcrits(), Destination.ORDINAIRE, id="aucun"),
        pytest.param({"sujet_agrandi": True}, ReglesEcrits(), Destination.ORDINAIRE, id="sujet agrandi"),
        pytest.param({"temps_majore": True}, ReglesEcrits(), Destination.AMENAGEMENTS, id="tiers temps"),
        pytest.param(
            {"temps_majore": True},
            ReglesEcrits(tiers_temps_en_salle_dediee=False),
            Destination.ORDINAIRE,
            id="tiers temps, réglage : salle ordinaire",
        ),
        pytest.param({"salle_a_part": True}, ReglesEcrits(), Destination.AMENAGEMENTS, id="salle à part"),
        pytest.param({"ordinateur": True, "temps_majore": True}, ReglesEcrits(), Destination.INFORMATIQUE, id="ordi"),
        pytest.param({"secretaire": True, "ordinateur": True}, ReglesEcrits(), Destination.SEUL, id="secrétaire"),
    ],
)
def test_destination_selon_l_amenagement(amenagements: dict[str, bool], regles: ReglesEcrits, destination) -> None:
    assert destination_de(CandidatAPlacer(1, "1", **amenagements), regles) is destination


def test_repartition_complete() -> None:
    salles = [
        SalleDisponible(1, "Amphi", ECRIT, 40),
        SalleDisponible(2, "B12", ECRIT, 12),
        SalleDisponible(3, "Loge 1", LOGE, 2),
        SalleDisponible(4, "Oral 3", ORAL, 1),
        SalleDisponible(5, "Info", INFO, 8),
    ]
    ordinaires = _candidats(35)
    agrandi = CandidatAPlacer(1, "22-999999", sujet_agrandi=True)
    tt = _candidats(3, temps_majore=True)
    secretaires = _candidats(2, secretaire=True)
    ordi = _candidats(4, ordinateur=True)
    r = repartir([*ordinaires, agrandi, *tt, *secretaires, *ordi], salles)
    salle_de = {p.candidat: p.salle for p in r.places}
    table_de = {p.candidat: p.table for p in r.places}
    assert {salle_de[c.cle] for c in secretaires} == {4, 3}  # chacun seul : oral 3 (1 place), loge 1
    assert r.effectifs()[3] == 1  # la loge de 2 places ne reçoit qu'un candidat assisté
    assert {salle_de[c.cle] for c in ordi} == {5}
    assert {salle_de[c.cle] for c in tt} == {2}  # la plus petite salle d'écrit restante
    assert {salle_de[c.cle] for c in ordinaires} == {1}
    assert salle_de[agrandi.cle] == 1
    assert table_de[agrandi.cle] == 1  # premières tables, malgré son numéro
    assert r.destinations == {
        4: Destination.SEUL,
        3: Destination.SEUL,
        5: Destination.INFORMATIQUE,
        2: Destination.AMENAGEMENTS,
        1: Destination.ORDINAIRE,
    }
    assert len(r.places) == 45
    assert r == repartir(list(reversed([*ordinaires, agrandi, *tt, *secretaires, *ordi])), list(reversed(salles)))


def test_sans_salle_informatique_l_ordinateur_va_en_salle_d_amenagements() -> None:
    r = repartir(
        _candidats(3, ordinateur=True) + _candidats(5),
        [SalleDisponible(1, "A", ECRIT, 10), SalleDisponible(2, "B", ECRIT, 4)],
    )
    assert r.destinations == {2: Destination.AMENAGEMENTS, 1: Destination.ORDINAIRE}
    assert r.effectifs() == {2: 3, 1: 5}


@pytest.mark.parametrize(
    ("candidats", "salles", "message"),
    [
        pytest.param(_candidats(11), [SalleDisponible(1, "A", ECRIT, 10)], "il manque 1 place", id="salle pleine"),
        pytest.param(
            _candidats(1, secretaire=True),
            [SalleDisponible(1, "A", INFO, 10)],
            "aucune salle libre pour qu'il compose seul",
            id="secrétaire sans salle",
        ),
        pytest.param(
            _candidats(3, temps_majore=True) + _candidats(4),
            [SalleDisponible(1, "A", ECRIT, 10)],
            "il manque 4 place",
            id="la salle prise par les aménagements",
        ),
        pytest.param(
            _candidats(3, ordinateur=True),
            [SalleDisponible(1, "Info", INFO, 2), SalleDisponible(2, "A", ECRIT, 10)],
            "3 candidat(s) composent sur ordinateur pour 2 place(s)",
            id="salle informatique trop petite",
        ),
    ],
)
def test_repartition_impossible_dit_ce_qui_manque(candidats, salles, message: str) -> None:
    with pytest.raises(RepartitionImpossible, match=message.replace("(", r"\(").replace(")", r"\)")):
        repartir(candidats, salles)


def test_numeros_d_anonymat() -> None:
    numeros = numeros_anonymat(5000, alea=random.Random(1))
    assert len(set(numeros)) == 5000
    assert all(len(n) == 8 and numero_anonymat_valide(n) for n in numeros)
    encore = numeros_anonymat(100, deja_pris=numeros, alea=random.Random(1))
    assert not set(encore) & set(numeros)
    assert numeros_anonymat(3) != numeros_anonymat(3)  # générateur du système : jamais deux fois les mêmes


@pytest.mark.parametrize(
    ("numero", "valide"),
    [
        ("7992739" + str((int(cle_luhn("7992739")) + 1) % 10), False),  # clé fausse
        ("7992739" + cle_luhn("7992739"), True),
        ("1234567" + cle_luhn("1234567"), True),
        ("1234576" + cle_luhn("1234567"), False),  # deux chiffres inversés : la clé le voit
        ("123456", False),
        ("١٢٣٤٥٦٧٨", False),  # chiffres non latins
    ],
)
def test_cle_de_controle(numero: str, valide: bool) -> None:
    assert numero_anonymat_valide(numero) is valide


@pytest.mark.parametrize(
    ("n", "taille", "tailles"),
    [(0, 50, []), (50, 50, [50]), (51, 50, [26, 25]), (101, 50, [34, 34, 33]), (7, 3, [3, 2, 2])],
)
def test_lots_equilibres(n: int, taille: int, tailles: list[int]) -> None:
    lots = grouper_en_lots(list(range(n)), taille)
    assert [len(lot) for lot in lots] == tailles
    assert [x for lot in lots for x in lot] == list(range(n))


def test_statistiques_exactes() -> None:
    s = statistiques([Decimal("8"), Decimal("8"), Decimal("9"), Decimal("10"), Decimal("20")])
    assert s.moyenne == Fraction(11)
    assert s.variance == Fraction((9 + 9 + 4 + 1 + 81), 5)
    assert s.ecart_type() == Decimal("4.56")
    assert (s.minimum, s.maximum) == (Decimal(8), Decimal(20))
    assert s.distribution[8] == 2
    assert s.distribution[19] == 1  # 20 compte dans la dernière tranche
    assert sum(s.distribution) == 5
    vide = statistiques([])
    assert (vide.effectif, vide.moyenne, vide.ecart_type()) == (0, None, None)


@pytest.mark.parametrize(
    ("note", "points", "attendue"),
    [("12", "1", "13"), ("19.5", "1", "20"), ("0.5", "-1", "0"), ("10", "-0.5", "9.5")],
)
def test_decalage_borne(note: str, points: str, attendue: str) -> None:
    assert decaler(Decimal(note), Decimal(points)) == Decimal(attendue)
