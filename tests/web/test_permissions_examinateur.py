"""La matrice des permissions de l'espace examinateur et de la double saisie : chaque page × chaque persona → le
code HTTP attendu (même forme que `test_permissions_web.py`).

Un examinateur n'ouvre que les commissions où il siège, dans les plannings publiés : la grille, le passage ou la
fiche d'une autre commission sont introuvables (404). Le chef de centre ouvre les grilles de son centre (il fait la
seconde saisie des commissions d'un membre). Les autres rôles n'ont pas ces pages (403).

Le planning de ces tests est décrit dans `tests/web/oraux.py`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from personas import cas_de_la_matrice
from web.oraux import JOUR, Oraux, oraux_publies

pytestmark = pytest.mark.django_db


def _grille(o: Oraux, commission: str, jour: str = JOUR.isoformat()) -> str:
    return f"/saisie/commissions/{o.commissions[commission].pk}/{jour}/"


PAGES: dict[str, Callable[[Oraux], str]] = {
    "espace examinateur": lambda o: "/examinateur/",
    "agenda iCalendar": lambda o: "/examinateur/agenda.ics",
    "grilles de saisie": lambda o: "/saisie/",
    "grille de K1 (C1, l'examinateur y siège)": lambda o: _grille(o, "K1"),
    "grille de K3 (C1, un membre : le centre saisit en second)": lambda o: _grille(o, "K3"),
    "grille de K2 (C2, une autre commission)": lambda o: _grille(o, "K2"),
    "grille de K6 (planning brouillon)": lambda o: _grille(o, "K6"),
    "grille de K1 un jour sans passage": lambda o: _grille(o, "K1", "2022-05-31"),
    "grille de K1, date illisible": lambda o: _grille(o, "K1", "lundi"),
    "grille d'une commission inexistante": lambda o: f"/saisie/commissions/999999/{JOUR.isoformat()}/",
    "évaluation de l'engagement (K4, sa commission)": lambda o: (
        f"/examinateur/passages/{o.passages['ENG-1'].pk}/engagement/"
    ),
    "évaluation de l'engagement (K5, autre commission)": lambda o: (
        f"/examinateur/passages/{o.passages['ENG-C2'].pk}/engagement/"
    ),
    "évaluation : un passage qui n'est pas l'engagement": lambda o: (
        f"/examinateur/passages/{o.passages['E6-1'].pk}/engagement/"
    ),
    "fiche d'engagement (K4)": lambda o: f"/examinateur/passages/{o.passages['ENG-1'].pk}/engagement/fiche.pdf",
    "fiche d'engagement (K5, autre commission)": lambda o: (
        f"/examinateur/passages/{o.passages['ENG-C2'].pk}/engagement/fiche.pdf"
    ),
}

# Colonnes dans l'ordre de PERSONAS :
#   anonyme, sans habilitation, pilote, Lyon, chef de centre, examinateur, présidente, établissement, candidat
MATRICE: dict[str, tuple[int, ...]] = {
    "espace examinateur": (302, 403, 403, 403, 403, 200, 403, 403, 403),
    "agenda iCalendar": (302, 403, 403, 403, 403, 200, 403, 403, 403),
    "grilles de saisie": (302, 403, 403, 403, 200, 200, 403, 403, 403),
    "grille de K1 (C1, l'examinateur y siège)": (302, 403, 403, 403, 200, 200, 403, 403, 403),
    "grille de K3 (C1, un membre : le centre saisit en second)": (302, 403, 403, 403, 200, 200, 403, 403, 403),
    "grille de K2 (C2, une autre commission)": (302, 403, 403, 403, 404, 404, 403, 403, 403),
    "grille de K6 (planning brouillon)": (302, 403, 403, 403, 404, 404, 403, 403, 403),
    "grille de K1 un jour sans passage": (302, 403, 403, 403, 404, 404, 403, 403, 403),
    "grille de K1, date illisible": (302, 403, 403, 403, 404, 404, 403, 403, 403),
    "grille d'une commission inexistante": (302, 403, 403, 403, 404, 404, 403, 403, 403),
    "évaluation de l'engagement (K4, sa commission)": (302, 403, 403, 403, 403, 200, 403, 403, 403),
    "évaluation de l'engagement (K5, autre commission)": (302, 403, 403, 403, 403, 404, 403, 403, 403),
    "évaluation : un passage qui n'est pas l'engagement": (302, 403, 403, 403, 403, 404, 403, 403, 403),
    "fiche d'engagement (K4)": (302, 403, 403, 403, 403, 200, 403, 403, 403),
    "fiche d'engagement (K5, autre commission)": (302, 403, 403, 403, 403, 404, 403, 403, 403),
}

CAS = cas_de_la_matrice(MATRICE)


@pytest.fixture
def oraux(monde: Any) -> Oraux:
    return oraux_publies(monde)


def test_la_matrice_couvre_toutes_les_pages() -> None:
    assert set(MATRICE) == set(PAGES)


@pytest.mark.parametrize(("page", "persona", "attendu"), CAS)
def test_matrice_des_permissions(
    monde: Any, oraux: Oraux, client: Client, page: str, persona: str, attendu: int
) -> None:
    utilisateur = monde.utilisateur(persona)
    if utilisateur is not None:
        client.force_login(utilisateur)
    reponse = client.get(PAGES[page](oraux))
    assert reponse.status_code == attendu
    if attendu == 302:
        assert reponse["Location"].startswith("/connexion/?next=")


@pytest.mark.parametrize("methode", ["get", "post"])
def test_on_ne_saisit_pas_dans_la_grille_d_une_autre_commission(
    monde: Any, oraux: Oraux, client: Client, methode: str
) -> None:
    """Changer l'identifiant de la commission dans l'adresse : 404, et rien n'est écrit (même en POST)."""
    from examens.apps.notes.models import Saisie

    client.force_login(monde.utilisateur("examinateur"))
    p = oraux.passages["E5B-C2"]
    reponse = getattr(client, methode)(
        _grille(oraux, "K2"), {f"valeur-{p.pk}": "12", f"version-{p.pk}": "0", f"affiche-{p.pk}": "|0"}
    )
    assert reponse.status_code == 404
    assert not Saisie.objects.exists()


def test_une_case_d_une_autre_commission_glissee_dans_le_formulaire_est_ignoree(
    monde: Any, oraux: Oraux, client: Client
) -> None:
    """La grille ne lit que ses propres passages : un champ ajouté pour un passage d'ailleurs n'est pas lu."""
    from examens.apps.notes.models import Saisie

    client.force_login(monde.utilisateur("examinateur"))
    autre = oraux.passages["E5B-C2"]
    reponse = client.post(
        _grille(oraux, "K1"), {f"valeur-{autre.pk}": "12", f"version-{autre.pk}": "0", f"affiche-{autre.pk}": "|0"}
    )
    assert reponse.status_code == 302
    assert not Saisie.objects.exists()


def test_le_menu_de_l_examinateur_et_du_chef_de_centre(monde: Any, oraux: Oraux, client: Client) -> None:
    client.force_login(monde.utilisateur("examinateur"))
    menu = client.get("/").content.decode()
    assert 'href="/examinateur/"' in menu
    assert 'href="/saisie/"' in menu
    client.force_login(monde.utilisateur("chef_de_centre"))
    menu = client.get("/").content.decode()
    assert 'href="/examinateur/"' not in menu
    assert 'href="/saisie/"' in menu
    client.force_login(monde.utilisateur("gestionnaire_pilote"))
    menu = client.get("/").content.decode()
    assert 'href="/saisie/"' not in menu
