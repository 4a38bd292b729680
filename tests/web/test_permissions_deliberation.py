"""La matrice des permissions des écrans de délibération : chaque page × chaque persona → le code attendu.

Qui délibère : la présidente du jury de Clermont et les gestionnaires dont le périmètre comprend le jury
(l'académie pilote : tous ; Lyon : le jury de Lyon). Le chef de centre, l'examinateur, l'établissement et le
candidat n'ont pas ce droit (403). Un jury hors du périmètre, ou le candidat d'un autre jury mis dans
l'adresse d'un jury du périmètre, est introuvable (404). Personas : tests/conftest.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from examens.apps.jury.models import Jury
from personas import cas_de_la_matrice

pytestmark = pytest.mark.django_db


@pytest.fixture
def jury_lyon(monde: Any) -> Jury:
    jury = Jury.objects.create(session=monde.session, nom="Jury — Lyon", president="M. BLANC, IA-IPR")
    jury.centres.set([monde.l1])
    return jury


def _jury(m: Any, lyon: Jury) -> str:
    return f"/deliberation/jurys/{m.jury.pk}/"


PAGES: dict[str, Callable[[Any, Jury], str]] = {
    "liste des jurys": lambda m, lyon: "/deliberation/",
    "liste des jurys d'une autre session": lambda m, lyon: f"/deliberation/?session={m.autre_session.code}",
    "jury de Clermont": _jury,
    "jury de Lyon": lambda m, lyon: f"/deliberation/jurys/{lyon.pk}/",
    "jury inexistant": lambda m, lyon: "/deliberation/jurys/999999/",
    "Léa devant le jury de Clermont": lambda m, lyon: f"{_jury(m, lyon)}candidats/{m.lea.pk}/",
    "Hugo (confié nommément) devant le jury de Clermont": lambda m, lyon: f"{_jury(m, lyon)}candidats/{m.hugo.pk}/",
    "Inès (jury de Lyon) dans l'adresse du jury de Clermont": lambda m, lyon: f"{_jury(m, lyon)}candidats/{m.ines.pk}/",
    "Inès devant le jury de Lyon": lambda m, lyon: f"/deliberation/jurys/{lyon.pk}/candidats/{m.ines.pk}/",
    "Léa dans l'adresse du jury de Lyon": lambda m, lyon: f"/deliberation/jurys/{lyon.pk}/candidats/{m.lea.pk}/",
    "candidat inexistant": lambda m, lyon: f"{_jury(m, lyon)}candidats/999999/",
}

# Colonnes dans l'ordre de PERSONAS :
#   anonyme, sans habilitation, pilote, Lyon, chef de centre, examinateur, présidente, établissement, candidat
MATRICE: dict[str, tuple[int, ...]] = {
    "liste des jurys": (302, 403, 200, 200, 403, 403, 200, 403, 403),
    "liste des jurys d'une autre session": (302, 403, 404, 404, 404, 404, 404, 404, 404),
    "jury de Clermont": (302, 403, 200, 404, 403, 403, 200, 403, 403),
    "jury de Lyon": (302, 403, 200, 200, 403, 403, 404, 403, 403),
    "jury inexistant": (302, 403, 404, 404, 403, 403, 404, 403, 403),
    "Léa devant le jury de Clermont": (302, 403, 200, 404, 403, 403, 200, 403, 403),
    "Hugo (confié nommément) devant le jury de Clermont": (302, 403, 200, 404, 403, 403, 200, 403, 403),
    "Inès (jury de Lyon) dans l'adresse du jury de Clermont": (302, 403, 404, 404, 403, 403, 404, 403, 403),
    "Inès devant le jury de Lyon": (302, 403, 200, 200, 403, 403, 404, 403, 403),
    "Léa dans l'adresse du jury de Lyon": (302, 403, 404, 404, 403, 403, 404, 403, 403),
    "candidat inexistant": (302, 403, 404, 404, 403, 403, 404, 403, 403),
}

CAS = cas_de_la_matrice(MATRICE)


def test_la_matrice_couvre_toutes_les_pages() -> None:
    assert set(MATRICE) == set(PAGES)


@pytest.mark.parametrize(("page", "persona", "attendu"), CAS)
def test_matrice_des_permissions(
    monde: Any, jury_lyon: Jury, client: Client, page: str, persona: str, attendu: int
) -> None:
    utilisateur = monde.utilisateur(persona)
    if utilisateur is not None:
        client.force_login(utilisateur)
    reponse = client.get(PAGES[page](monde, jury_lyon))
    assert reponse.status_code == attendu
    if attendu == 302:
        assert reponse["Location"].startswith("/connexion/?next=")


# Les actions (POST) suivent les mêmes règles : on essaie chacune sur Léa et sur le jury de Clermont.
ACTIONS = [
    "deliberer/",
    "verrouiller/",
    "rouvrir/",
    "publier/",
    "pv/",
    "candidats/{lea}/points-jury/",
    "candidats/{lea}/livret/",
    "candidats/{lea}/controle/choix/",
    "candidats/{lea}/controle/note/",
]


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize(
    ("persona", "attendu"),
    [
        ("chef_de_centre", 403),
        ("examinateur", 403),
        ("etablissement", 403),
        ("candidat", 403),
        ("gestionnaire_lyon", 404),
    ],
)
def test_les_actions_sont_refusees_hors_des_droits_et_du_perimetre(
    monde: Any, client: Client, action: str, persona: str, attendu: int
) -> None:
    client.force_login(monde.utilisateur(persona))
    url = f"/deliberation/jurys/{monde.jury.pk}/" + action.format(lea=monde.lea.pk)
    assert client.post(url, {"motif": "essai", "appliquer": "1", "variante": "anonyme"}).status_code == attendu


def test_une_action_sur_le_candidat_d_un_autre_jury_est_introuvable(
    monde: Any, jury_lyon: Jury, client: Client
) -> None:
    client.force_login(monde.utilisateur("presidente"))
    url = f"/deliberation/jurys/{monde.jury.pk}/candidats/{monde.ines.pk}/points-jury/"
    assert client.post(url, {"epreuve": "E1", "note": "15", "motif": "essai"}).status_code == 404
    url = f"/deliberation/jurys/{jury_lyon.pk}/candidats/{monde.ines.pk}/livret/"
    assert client.post(url, {"mention_pix": "certifie"}).status_code == 404


def test_le_pv_d_un_autre_jury_est_introuvable(monde: Any, jury_lyon: Jury, client: Client) -> None:
    from examens.apps.editions.models import Document, Fichier, Version

    fichier = Fichier.objects.create(empreinte="0" * 64, contenu=b"%PDF-1.7", taille=8)
    document = Document.objects.create(
        session=monde.session,
        modele="pv-deliberation",
        cle=f"jury:{jury_lyon.pk}:anonyme",
        intitule="PV",
        jury=jury_lyon,
    )
    version = Version.objects.create(document=document, numero=1, donnees={}, fichier=fichier, emise_par="test")
    client.force_login(monde.utilisateur("presidente"))
    url = f"/deliberation/jurys/{monde.jury.pk}/pv/{version.pk}/telecharger/"
    assert client.post(url).status_code == 404
    client.force_login(monde.utilisateur("gestionnaire_lyon"))
    url = f"/deliberation/jurys/{jury_lyon.pk}/pv/{version.pk}/telecharger/"
    assert client.post(url).status_code == 200


def test_le_menu_montre_la_deliberation_a_qui_delibere(monde: Any, client: Client) -> None:
    for persona, attendu in (
        ("gestionnaire_pilote", True),
        ("presidente", True),
        ("chef_de_centre", False),
        ("etablissement", False),
        ("candidat", False),
    ):
        client.force_login(monde.utilisateur(persona))
        assert ('href="/deliberation/"' in client.get("/").content.decode()) is attendu, persona


def test_le_jury_ne_voit_que_des_numeros_d_anonymat(monde: Any, client: Client) -> None:
    from examens.apps.jury.anonymat import numero_anonyme

    client.force_login(monde.utilisateur("presidente"))
    for url in (
        f"/deliberation/jurys/{monde.jury.pk}/",
        f"/deliberation/jurys/{monde.jury.pk}/candidats/{monde.lea.pk}/",
    ):
        html = client.get(url).content.decode()
        assert numero_anonyme(monde.session.code, "22-000001") in html
        for identite in ("22-000001", "MARTIN", "Léa", "Lycée Blaise-Pascal", "Sidoine"):
            assert identite not in html, (url, identite)
