"""La matrice des permissions : chaque page × chaque persona → le code HTTP attendu.

Un objet hors du périmètre est introuvable (404), jamais montré : changer l'identifiant d'un candidat, le
centre ou la session dans l'adresse ne donne pas les données d'un autre. Une page que le rôle n'ouvre pas est
interdite (403) ; sans connexion, on est renvoyé à la page de connexion (302).

Les personas et leurs périmètres sont décrits dans `tests/conftest.py`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from personas import cas_de_la_matrice

pytestmark = pytest.mark.django_db


PAGES: dict[str, Callable[[Any], str]] = {
    "accueil": lambda m: "/",
    "tableau de bord": lambda m: "/tableau-de-bord/",
    "tableau de bord d'une autre session": lambda m: f"/tableau-de-bord/?session={m.autre_session.code}",
    "recherche de candidats": lambda m: "/candidats/",
    "recherche dans une autre session": lambda m: f"/candidats/?session={m.autre_session.code}",
    "export XLSX": lambda m: "/candidats/export.xlsx",
    "fiche de Léa (C1, Clermont)": lambda m: f"/candidats/{m.lea.pk}/",
    "fiche d'Hugo (C2, confié au jury)": lambda m: f"/candidats/{m.hugo.pk}/",
    "fiche d'Inès (Lyon)": lambda m: f"/candidats/{m.ines.pk}/",
    "fiche d'un candidat inexistant": lambda m: "/candidats/999999/",
    "changer de mot de passe": lambda m: "/mot-de-passe/changer/",
    "connexion": lambda m: "/connexion/",
}

# La présidente de jury délibère sur des numéros anonymes : ni recherche ni fiche nominative (403).
# Une ligne par page ; colonnes dans l'ordre de PERSONAS :
#   anonyme, sans habilitation, pilote, Lyon, chef de centre, examinateur, présidente, établissement, candidat
MATRICE: dict[str, tuple[int, ...]] = {
    "accueil": (302, 403, 200, 200, 200, 200, 200, 200, 200),
    "tableau de bord": (302, 403, 200, 200, 200, 403, 200, 200, 403),
    "tableau de bord d'une autre session": (302, 403, 404, 404, 404, 404, 404, 404, 404),
    "recherche de candidats": (302, 403, 200, 200, 200, 403, 403, 200, 403),
    "recherche dans une autre session": (302, 403, 404, 404, 404, 404, 404, 404, 404),
    "export XLSX": (302, 403, 200, 200, 200, 403, 403, 200, 403),
    "fiche de Léa (C1, Clermont)": (302, 403, 200, 404, 200, 403, 403, 200, 200),
    "fiche d'Hugo (C2, confié au jury)": (302, 403, 200, 404, 404, 403, 403, 200, 404),
    "fiche d'Inès (Lyon)": (302, 403, 200, 200, 404, 403, 403, 404, 404),
    "fiche d'un candidat inexistant": (302, 403, 404, 404, 404, 403, 403, 404, 404),
    "changer de mot de passe": (302, 200, 200, 200, 200, 200, 200, 200, 200),
    "connexion": (200, 302, 302, 302, 302, 302, 302, 302, 302),
}

CAS = cas_de_la_matrice(MATRICE)


def test_la_matrice_couvre_toutes_les_pages() -> None:
    assert set(MATRICE) == set(PAGES)


@pytest.mark.parametrize(("page", "persona", "attendu"), CAS)
def test_matrice_des_permissions(monde: Any, client: Client, page: str, persona: str, attendu: int) -> None:
    utilisateur = monde.utilisateur(persona)
    if utilisateur is not None:
        client.force_login(utilisateur)
    reponse = client.get(PAGES[page](monde))
    if reponse.streaming:  # un export est servi par morceaux : le lire jusqu'au bout le ferme
        b"".join(reponse.streaming_content)
    assert reponse.status_code == attendu
    if attendu == 302 and persona == "anonyme":
        assert reponse["Location"].startswith("/connexion/?next=")


@pytest.mark.parametrize(
    ("persona", "visibles"),
    [
        pytest.param("gestionnaire_pilote", {"22-000001", "22-000002", "22-000003"}, id="pilote : toute la session"),
        pytest.param("gestionnaire_lyon", {"22-000003"}, id="Lyon : son académie"),
        pytest.param("chef_de_centre", {"22-000001"}, id="chef de centre : son centre"),
        pytest.param("etablissement", {"22-000001", "22-000002"}, id="établissement : ses candidats"),
    ],
)
def test_la_liste_et_l_export_ne_montrent_que_le_perimetre(
    monde: Any, client: Client, persona: str, visibles: set[str]
) -> None:
    client.force_login(monde.utilisateur(persona))
    page = client.get("/candidats/").content.decode()
    assert {n for n in ("22-000001", "22-000002", "22-000003") if n in page} == visibles
    from io import BytesIO

    from openpyxl import load_workbook

    export = client.get("/candidats/export.xlsx")
    classeur = load_workbook(BytesIO(b"".join(export.streaming_content)))
    numeros = {ligne[0] for ligne in classeur.active.iter_rows(min_row=2, values_only=True)}
    assert numeros == visibles


def test_un_centre_hors_perimetre_dans_l_adresse_est_refuse(monde: Any, client: Client) -> None:
    """Le chef du centre C1 qui écrit l'identifiant du centre de Lyon : choix refusé, aucun candidat de Lyon."""
    client.force_login(monde.utilisateur("chef_de_centre"))
    reponse = client.get(f"/candidats/?centre={monde.l1.pk}")
    assert reponse.status_code == 200
    contenu = reponse.content.decode()
    assert "22-000003" not in contenu
    assert "fr-select-group--error" in contenu
    assert "Sélectionnez un choix valide" in contenu
    assert "CFA du commerce de Lyon" not in contenu


def test_un_candidat_ne_voit_que_sa_fiche_et_pas_la_recherche(monde: Any, client: Client) -> None:
    client.force_login(monde.utilisateur("candidat"))
    accueil = client.get("/").content.decode()
    assert f"/candidats/{monde.lea.pk}/" in accueil
    assert '/candidats/"' not in accueil  # pas d'entrée « Candidats » dans le menu
    assert client.get(f"/candidats/{monde.hugo.pk}/").status_code == 404


def test_le_menu_suit_les_roles(monde: Any, client: Client) -> None:
    client.force_login(monde.utilisateur("gestionnaire_pilote"))
    menu = client.get("/tableau-de-bord/").content.decode()
    assert 'href="/tableau-de-bord/" target="_self" aria-current="page"' in menu
    assert 'href="/candidats/"' in menu
    client.force_login(monde.utilisateur("examinateur"))
    menu = client.get("/").content.decode()
    assert 'href="/tableau-de-bord/"' not in menu
    assert "Espace examinateur" in menu
