"""L'écriture anticipée du début du document (processus principal) donne le même fichier que l'écriture en bloc."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from examens.core.reglement import reglement_fourni
from examens.tableaux.deliberation import deliberer_en_octets
from examens.tableaux.lecture import lire_tableau
from examens.tableaux.synthese import csv_deliberation


@pytest.fixture(scope="module")
def tableaux(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    dossier = tmp_path_factory.mktemp("tableaux")
    texte = csv_deliberation(24_000, graine=3)
    entete, corps = texte.split("\n", 1)
    lignes = corps.splitlines()
    variantes = {
        "ordinaire": texte,
        # la première moitié du texte n'est que lignes blanches : le morceau du processus principal est vide
        "debut_blanc": "\n".join([entete, *([";" * entete.count(";") + " " * 80] * 13_000), *lignes[:11_000]]) + "\n",
        # une erreur dans le second morceau : rien ne doit être rendu
        "erreur_a_la_fin": "\n".join([entete, *lignes[:-1], lignes[-1].replace(";", ";99;", 1)]) + "\n",
    }
    chemins = {}
    for nom, contenu in variantes.items():
        chemins[nom] = dossier / f"{nom}.csv"
        chemins[nom].write_text(contenu, encoding="utf-8")
    return chemins


@pytest.mark.parametrize("fmt", ["json", "csv"])
@pytest.mark.parametrize("nom", ["ordinaire", "debut_blanc"])
def test_meme_document_avec_ou_sans_ecriture_anticipee(tableaux: dict[str, Path], nom: str, fmt: str) -> None:
    reglement = reglement_fourni()
    _, en_bloc = deliberer_en_octets(lire_tableau(tableaux[nom]), reglement, fmt, processus=2)
    assert en_bloc is not None
    destination = io.BytesIO()
    rapport, suite = deliberer_en_octets(
        lire_tableau(tableaux[nom]), reglement, fmt, processus=2, destination=destination
    )
    assert not rapport.erreurs
    assert suite is not None
    suite.ecrire(destination)
    attendu = en_bloc.octets()
    assert destination.getvalue() == attendu
    _, sequentiel = deliberer_en_octets(lire_tableau(tableaux[nom]), reglement, fmt, processus=1)
    assert sequentiel is not None
    assert sequentiel.octets() == attendu


def test_erreur_dans_un_fils_aucune_suite(tableaux: dict[str, Path]) -> None:
    destination = io.BytesIO()
    rapport, suite = deliberer_en_octets(
        lire_tableau(tableaux["erreur_a_la_fin"]), reglement_fourni(), "json", processus=2, destination=destination
    )
    assert rapport.erreurs
    assert suite is None
