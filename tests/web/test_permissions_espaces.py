"""La matrice des permissions des espaces établissement et candidat et des réclamations : chaque page ×
chaque persona → le code HTTP attendu (même convention que `test_permissions_web.py`).

Changer un identifiant dans l'adresse ne montre rien d'un autre : le document, la pièce ou la réclamation
d'un autre candidat, le candidat d'un autre établissement sont introuvables (404). Un rôle qui n'a pas
l'espace reçoit 403 ; sans connexion, la page de connexion (302). Les écritures (POST) suivent les mêmes
règles : un dépôt pour le candidat d'un autre établissement est introuvable et n'écrit rien.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from examens.apps.dossiers.models import Piece
from examens.apps.editions.models import Envoi
from examens.apps.reclamations.models import Reclamation
from personas import cas_de_la_matrice
from web.outils_espaces import garnir, pdf_reel

pytestmark = pytest.mark.django_db


PAGES: dict[str, Callable[[Any, Any], str]] = {
    "espace établissement": lambda m, e: "/etablissement/",
    "espace établissement, dossiers incomplets": lambda m, e: "/etablissement/?incomplets=1",
    "espace établissement d'une autre session": lambda m, e: f"/etablissement/?session={m.autre_session.code}",
    "établissement : Léa (son candidat)": lambda m, e: f"/etablissement/candidats/{m.lea.pk}/",
    "établissement : Hugo (son candidat)": lambda m, e: f"/etablissement/candidats/{m.hugo.pk}/",
    "établissement : Inès (autre établissement)": lambda m, e: f"/etablissement/candidats/{m.ines.pk}/",
    "établissement : candidat inexistant": lambda m, e: "/etablissement/candidats/999999/",
    "établissement : notes de CCF de Léa": lambda m, e: f"/etablissement/candidats/{m.lea.pk}/ccf/",
    "établissement : notes de CCF d'Inès": lambda m, e: f"/etablissement/candidats/{m.ines.pk}/ccf/",
    "établissement : pièce de Léa": lambda m, e: f"/etablissement/pieces/{e.piece_lea.pk}/",
    "établissement : pièce d'Inès": lambda m, e: f"/etablissement/pieces/{e.piece_ines.pk}/",
    "mon espace": lambda m, e: "/mon-espace/",
    "mon espace d'une autre session": lambda m, e: f"/mon-espace/?session={m.autre_session.code}",
    "ma convocation": lambda m, e: f"/mon-espace/documents/{e.convocation_lea.pk}/",
    "mon relevé de notes": lambda m, e: f"/mon-espace/documents/{e.releve_lea.pk}/",
    "convocation d'Hugo": lambda m, e: f"/mon-espace/documents/{e.convocation_hugo.pk}/",
    "convocation d'Inès": lambda m, e: f"/mon-espace/documents/{e.convocation_ines.pk}/",
    "nouvelle réclamation": lambda m, e: "/mon-espace/reclamations/nouvelle/?epreuve=E4",
    "ma réclamation": lambda m, e: f"/mon-espace/reclamations/{e.reclamation_lea.pk}/",
    "réclamation d'Inès (espace candidat)": lambda m, e: f"/mon-espace/reclamations/{e.reclamation_ines.pk}/",
    "réclamations (académie)": lambda m, e: "/reclamations/",
    "réclamations, toutes": lambda m, e: "/reclamations/?statut=toutes",
    "réclamation de Léa (académie)": lambda m, e: f"/reclamations/{e.reclamation_lea.pk}/",
    "réclamation d'Inès (académie)": lambda m, e: f"/reclamations/{e.reclamation_ines.pk}/",
    "réclamation inexistante": lambda m, e: "/reclamations/999999/",
}

# Colonnes dans l'ordre de PERSONAS :
#   anonyme, sans habilitation, pilote, Lyon, chef de centre, examinateur, présidente, établissement, candidat
REFUSE = (302, 403, 403, 403, 403, 403, 403)
MATRICE: dict[str, tuple[int, ...]] = {
    "espace établissement": (*REFUSE, 200, 403),
    "espace établissement, dossiers incomplets": (*REFUSE, 200, 403),
    "espace établissement d'une autre session": (302, 403, 404, 404, 404, 404, 404, 404, 404),
    "établissement : Léa (son candidat)": (*REFUSE, 200, 403),
    "établissement : Hugo (son candidat)": (*REFUSE, 200, 403),
    "établissement : Inès (autre établissement)": (*REFUSE, 404, 403),
    "établissement : candidat inexistant": (*REFUSE, 404, 403),
    "établissement : notes de CCF de Léa": (*REFUSE, 200, 403),
    "établissement : notes de CCF d'Inès": (*REFUSE, 404, 403),
    "établissement : pièce de Léa": (*REFUSE, 200, 403),
    "établissement : pièce d'Inès": (*REFUSE, 404, 403),
    "mon espace": (*REFUSE, 403, 200),
    "mon espace d'une autre session": (302, 403, 404, 404, 404, 404, 404, 404, 404),
    "ma convocation": (*REFUSE, 403, 200),
    "mon relevé de notes": (*REFUSE, 403, 200),
    "convocation d'Hugo": (*REFUSE, 403, 404),
    "convocation d'Inès": (*REFUSE, 403, 404),
    "nouvelle réclamation": (*REFUSE, 403, 200),
    "ma réclamation": (*REFUSE, 403, 200),
    "réclamation d'Inès (espace candidat)": (*REFUSE, 403, 404),
    "réclamations (académie)": (302, 403, 200, 200, 403, 403, 403, 403, 403),
    "réclamations, toutes": (302, 403, 200, 200, 403, 403, 403, 403, 403),
    "réclamation de Léa (académie)": (302, 403, 200, 404, 403, 403, 403, 403, 403),
    "réclamation d'Inès (académie)": (302, 403, 200, 200, 403, 403, 403, 403, 403),
    "réclamation inexistante": (302, 403, 404, 404, 403, 403, 403, 403, 403),
}

CAS = cas_de_la_matrice(MATRICE)


@pytest.fixture
def espaces(monde: Any) -> Any:
    return garnir(monde)


def test_la_matrice_couvre_toutes_les_pages() -> None:
    assert set(MATRICE) == set(PAGES)


@pytest.mark.parametrize(("page", "persona", "attendu"), CAS)
def test_matrice_des_espaces(monde: Any, espaces: Any, client: Client, page: str, persona: str, attendu: int) -> None:
    utilisateur = monde.utilisateur(persona)
    if utilisateur is not None:
        client.force_login(utilisateur)
    reponse = client.get(PAGES[page](monde, espaces))
    if reponse.streaming:
        b"".join(reponse.streaming_content)
    assert reponse.status_code == attendu
    if attendu == 302:
        assert reponse["Location"].startswith("/connexion/?next=")


@pytest.mark.parametrize(
    ("persona", "url", "donnees"),
    [
        pytest.param("etablissement", "/etablissement/candidats/{ines}/pieces/", {"nature": "dossier_e4"}, id="dépôt"),
        pytest.param(
            "etablissement", "/etablissement/candidats/{ines}/livret/", {"mention_pix": "certifie"}, id="livret"
        ),
        pytest.param(
            "etablissement",
            "/etablissement/candidats/{ines}/ccf/",
            {"epreuve": "E4", "e4-situation_1": "12", "e4-situation_2": "13"},
            id="notes de CCF",
        ),
    ],
)
def test_ecrire_pour_le_candidat_d_un_autre_etablissement_est_introuvable(
    monde: Any, espaces: Any, client: Client, persona: str, url: str, donnees: dict[str, str]
) -> None:
    client.force_login(monde.utilisateur(persona))
    avant = Piece.objects.count()
    fichiers = {"fichier": SimpleUploadedFile("d.pdf", pdf_reel()), "livret": SimpleUploadedFile("l.pdf", pdf_reel())}
    reponse = client.post(url.format(ines=monde.ines.pk), {**donnees, **fichiers})
    assert reponse.status_code == 404
    assert Piece.objects.count() == avant


def test_instruire_la_reclamation_d_un_candidat_hors_perimetre_est_introuvable(
    monde: Any, espaces: Any, client: Client
) -> None:
    client.force_login(monde.utilisateur("gestionnaire_lyon"))
    url = f"/reclamations/{espaces.reclamation_lea.pk}/"
    reponse = client.post(url, {"statut": "non_fondee", "reponse": "Rien à corriger."})
    assert reponse.status_code == 404
    espaces.reclamation_lea.refresh_from_db()
    assert espaces.reclamation_lea.statut == Reclamation.Statut.DEPOSEE


def test_un_document_refuse_n_est_pas_journalise(monde: Any, espaces: Any, client: Client) -> None:
    client.force_login(monde.utilisateur("candidat"))
    assert client.get(f"/mon-espace/documents/{espaces.convocation_hugo.pk}/").status_code == 404
    assert not Envoi.objects.exists()


def test_le_menu_ouvre_les_espaces_selon_le_role(monde: Any, espaces: Any, client: Client) -> None:
    client.force_login(monde.utilisateur("etablissement"))
    menu = client.get("/etablissement/").content.decode()
    assert 'href="/etablissement/" target="_self" aria-current="page"' in menu
    assert 'href="/mon-espace/"' not in menu
    assert 'href="/reclamations/"' not in menu
    client.force_login(monde.utilisateur("candidat"))
    menu = client.get(f"/mon-espace/reclamations/{espaces.reclamation_lea.pk}/").content.decode()
    assert 'href="/mon-espace/" target="_self" aria-current="page"' in menu
    assert 'href="/etablissement/"' not in menu
    client.force_login(monde.utilisateur("gestionnaire_pilote"))
    menu = client.get("/").content.decode()
    assert 'href="/reclamations/"' in menu
    assert 'href="/etablissement/"' not in menu
    assert 'href="/mon-espace/"' not in menu
