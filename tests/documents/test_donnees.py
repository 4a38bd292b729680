"""Données figées des documents : JSON primitif, aller-retour exact, erreurs lisibles."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from examens.documents import MODELES, ConvocationCandidat, DonneesInvalides, Edition
from examens.documents.exemples import EXEMPLES, convocation_candidat

StrategieDe = Callable[..., st.SearchStrategy[Any]]


def _primitif(valeur: Any) -> bool:
    if isinstance(valeur, dict):
        return all(isinstance(k, str) and _primitif(v) for k, v in valeur.items())
    if isinstance(valeur, list):
        return all(_primitif(v) for v in valeur)
    return valeur is None or isinstance(valeur, str | int | bool)


@pytest.mark.parametrize("code", sorted(EXEMPLES))
def test_exemple_aller_retour_json(code: str) -> None:
    donnees = EXEMPLES[code]()
    assert isinstance(donnees, MODELES[code].classe_donnees)
    brut = donnees.en_json()
    assert _primitif(brut)
    relu = MODELES[code].charger(json.loads(json.dumps(brut)))
    assert relu == donnees
    assert relu.en_json() == brut


def test_conventions_json() -> None:
    brut = convocation_candidat().en_json()
    assert brut["edition"]["emis_le"] == "2022-04-20T08:00:00Z"
    assert brut["candidat"]["date_naissance"] == "2001-03-14"
    assert brut["ecrits"][0]["debut"] == "2022-05-16T12:00:00Z"
    assert brut["centre"]["fuseau"] == "Indian/Mayotte"
    assert brut["centre"]["adresse"] == ["Route nationale 1", "97600 Mamoudzou"]
    assert brut["oraux"][2]["loge"] == "L2"
    assert brut["oraux"][3]["loge"] is None


def test_notes_en_texte_a_deux_decimales() -> None:
    brut = EXEMPLES["releve-notes"]().en_json()
    e1 = brut["resultats"][0]
    assert (e1["note"], e1["origine"], e1["annee"], e1["points"]) == ("12.00", "benefice", 2020, "36.00")
    assert brut["resultats"][2]["etat"] == "DI"
    assert brut["moyenne"] == "11.00"
    assert brut["decision"] == "admis"


def test_instant_converti_en_utc() -> None:
    paris = datetime(2022, 5, 16, 14, 0, tzinfo=ZoneInfo("Europe/Paris"))
    e = Edition(reference="R", emis_le=paris, academie="Mayotte")
    assert e.en_json()["emis_le"] == "2022-05-16T12:00:00Z"
    assert Edition.depuis_json(e.en_json()) == e


@pytest.mark.parametrize(
    ("modification", "message"),
    [
        pytest.param({"inconnue": 1}, "clé\\(s\\) inconnue\\(s\\) inconnue", id="clé inconnue"),
        pytest.param({"emis_le": "2022-04-20T08:00:00"}, "emis_le : un instant ISO 8601 en UTC", id="instant naïf"),
        pytest.param({"emis_le": "demain"}, "emis_le : un instant", id="instant illisible"),
        pytest.param({"version": "1"}, "version : un nombre entier", id="entier en texte"),
        pytest.param({"version": True}, "version : un nombre entier", id="booléen pour un entier"),
        pytest.param({"reference": 12}, "reference : un texte", id="nombre pour un texte"),
    ],
)
def test_json_invalide_message_francais(modification: dict[str, Any], message: str) -> None:
    brut = {"reference": "R", "emis_le": "2022-04-20T08:00:00Z", "academie": "Mayotte", **modification}
    with pytest.raises(DonneesInvalides, match=message):
        Edition.depuis_json(brut)


def test_cle_manquante() -> None:
    with pytest.raises(DonneesInvalides, match="manquante\\(s\\) academie"):
        Edition.depuis_json({"reference": "R", "emis_le": "2022-04-20T08:00:00Z"})


def test_erreur_dans_une_liste_imbriquee_donne_le_chemin() -> None:
    brut = convocation_candidat().en_json()
    brut["oraux"][1]["debut"] = "31/05/2022"
    with pytest.raises(DonneesInvalides, match=r"ConvocationCandidat\.oraux\[1\]\.debut"):
        ConvocationCandidat.depuis_json(brut)


def test_valeur_d_enumeration_inconnue() -> None:
    brut = EXEMPLES["releve-notes"]().en_json()
    brut["decision"] = "recu"
    with pytest.raises(DonneesInvalides, match="decision : une valeur parmi admis"):
        MODELES["releve-notes"].charger(brut)


def test_en_json_refuse_un_instant_sans_fuseau() -> None:
    e = Edition(reference="R", emis_le=datetime(2022, 4, 20, 8, 0), academie="Mayotte")  # noqa: DTZ001
    with pytest.raises(DonneesInvalides, match="fuseau"):
        e.en_json()


# --- Propriété : tout modèle, toutes valeurs, aller-retour exact ---------------------------------------------


@pytest.mark.parametrize("code", sorted(MODELES))
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_aller_retour_json_quelles_que_soient_les_valeurs(
    code: str, strategie_de: StrategieDe, data: st.DataObject
) -> None:
    classe = MODELES[code].classe_donnees
    donnees = data.draw(strategie_de(classe))
    brut = json.loads(json.dumps(donnees.en_json()))
    relu = classe.depuis_json(brut)
    assert relu == donnees
    assert relu.en_json() == brut
