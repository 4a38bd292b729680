"""Calendrier iCalendar d'un examinateur (RFC 5545), relu ligne à ligne."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest

from examens.documents import MODELES, rendre_ics
from examens.documents.exemples import CENTRE_MAYOTTE, convocation_examinateur
from examens.documents.ics import echapper, plier


def _deplier(ics: str) -> list[str]:
    """RFC 5545 §3.1 : une ligne qui commence par une espace continue la précédente."""
    assert ics.endswith("\r\n")
    lignes: list[str] = []
    for ligne in ics.split("\r\n")[:-1]:
        if ligne.startswith(" "):
            lignes[-1] += ligne[1:]
        else:
            lignes.append(ligne)
    return lignes


def _evenements(ics: str) -> list[dict[str, str]]:
    evenements: list[dict[str, str]] = []
    courant: dict[str, str] | None = None
    for ligne in _deplier(ics):
        if ligne == "BEGIN:VEVENT":
            courant = {}
        elif ligne == "END:VEVENT":
            assert courant is not None
            evenements.append(courant)
            courant = None
        elif courant is not None:
            cle, _, valeur = ligne.partition(":")
            courant[cle] = valeur
    return evenements


def _lire_texte(valeur: str) -> str:
    return valeur.replace("\\n", "\n").replace("\\,", ",").replace("\\;", ";").replace("\\\\", "\\")


def test_calendrier_relu() -> None:
    donnees = convocation_examinateur()
    ics = rendre_ics(donnees)
    assert MODELES["convocation-examinateur"].rendre_ics is rendre_ics
    brut = ics.encode()
    assert b"\n" not in brut.replace(b"\r\n", b"")  # CRLF partout
    assert all(len(ligne) <= 75 for ligne in brut.split(b"\r\n"))
    lignes = _deplier(ics)
    assert lignes[:2] == ["BEGIN:VCALENDAR", "VERSION:2.0"]
    assert lignes[-1] == "END:VCALENDAR"
    assert any(ligne.startswith("PRODID:") for ligne in lignes)
    evenements = _evenements(ics)
    assert len(evenements) == len(donnees.passages) == 8
    for evenement, passage in zip(evenements, sorted(donnees.passages, key=lambda p: p.debut), strict=True):
        debut = datetime.strptime(evenement["DTSTART"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        fin = datetime.strptime(evenement["DTEND"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        assert (debut, fin) == (passage.debut, passage.fin)
        assert evenement["DTSTAMP"] == "20220420T080000Z"
        assert evenement["SEQUENCE"] == "0"
        assert evenement["UID"] == f"2022-{CENTRE_MAYOTTE.code}-E4-{passage.candidat_numero}@examens.bts-ndrc"
        assert _lire_texte(evenement["SUMMARY"]) == (
            f"BTS NDRC — E4 — Relation client et négociation-vente — candidat {passage.candidat_numero}"
        )
        assert _lire_texte(evenement["LOCATION"]) == "Lycée des Lagons, Route nationale 1, 97600 Mamoudzou, salle A201"
        description = _lire_texte(evenement["DESCRIPTION"])
        assert f"Candidat {passage.candidat_numero} — {passage.candidat_nom}" in description
        assert "(heure de Mayotte)" in description
    premier = _lire_texte(evenements[0]["DESCRIPTION"])
    assert "Horaire au centre : 8 h 00 – 9 h 00 (heure de Mayotte)" in premier
    assert len({e["UID"] for e in evenements}) == len(evenements)


def test_uid_stable_quand_le_passage_change_d_heure() -> None:
    donnees = convocation_examinateur()
    decale = dataclasses.replace(
        donnees,
        edition=dataclasses.replace(donnees.edition, version=3),
        passages=tuple(
            dataclasses.replace(p, debut=p.debut + timedelta(hours=1), fin=p.fin + timedelta(hours=1))
            for p in donnees.passages
        ),
    )
    avant, apres = _evenements(rendre_ics(donnees)), _evenements(rendre_ics(decale))
    assert [e["UID"] for e in avant] == [e["UID"] for e in apres]
    assert {e["SEQUENCE"] for e in apres} == {"2"}
    assert avant[0]["DTSTART"] != apres[0]["DTSTART"]


def test_ics_deterministe() -> None:
    assert rendre_ics(convocation_examinateur()) == rendre_ics(convocation_examinateur())


@pytest.mark.parametrize(
    ("texte", "attendu"),
    [
        ("a,b;c\\d", "a\\,b\\;c\\\\d"),
        ("ligne 1\nligne 2", "ligne 1\\nligne 2"),
        ("ligne 1\r\nligne 2", "ligne 1\\nligne 2"),
    ],
)
def test_echappement(texte: str, attendu: str) -> None:
    assert echapper(texte) == attendu


@pytest.mark.parametrize("texte", ["é" * 100, "x" * 200, "a" + "€" * 60, "🎓" * 30])
def test_pliage_a_75_octets_sans_couper_un_caractere(texte: str) -> None:
    ligne = f"DESCRIPTION:{texte}"
    pliee = plier(ligne)
    morceaux = pliee.split("\r\n")
    assert all(len(m.encode()) <= 75 for m in morceaux)
    assert all(m.startswith(" ") for m in morceaux[1:])
    assert morceaux[0] + "".join(m[1:] for m in morceaux[1:]) == ligne
