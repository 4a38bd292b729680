"""Les éditions dans l'application web : qui peut lancer, suivre, voir et télécharger ; un document hors du
périmètre est introuvable ; un téléchargement est journalisé (qui a reçu quelle version) ; la progression
d'un travail se lit en JSON ; le nombre de requêtes ne dépend pas du nombre de documents."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from examens.apps.editions.models import Document, Envoi, Travail, Version
from examens.apps.editions.services import creer_travail
from examens.apps.editions.travaux import executer
from web.outils import ajouter_candidats

pytestmark = pytest.mark.django_db


def _client(monde: Any, persona: str) -> Client:
    client = Client()
    utilisateur = monde.utilisateur(persona)
    if utilisateur is not None:
        client.force_login(utilisateur)
    return client


def _editer(monde: Any, centre: Any) -> None:
    executer(
        creer_travail(
            session=monde.session, nature="editer:convocation-candidat", parametres={"centre": centre.code}, par="dec"
        ),
        processus=1,
    )


@pytest.fixture
def edite(monde: Any) -> Any:
    _editer(monde, monde.c1)  # Léa (Clermont, centre C1)
    _editer(monde, monde.l1)  # Inès (Lyon)
    return monde


ATTENDUS_PAGE = {
    "anonyme": 302,
    "sans_habilitation": 403,
    "gestionnaire_pilote": 200,
    "gestionnaire_lyon": 200,
    "chef_de_centre": 200,
    "examinateur": 403,
    "presidente": 200,
    "etablissement": 403,
    "candidat": 403,
}


@pytest.mark.parametrize(("persona", "attendu"), ATTENDUS_PAGE.items())
@pytest.mark.parametrize("page", ["/editions/", "/editions/documents/"])
def test_qui_ouvre_les_pages_d_edition(edite: Any, persona: str, attendu: int, page: str) -> None:
    assert _client(edite, persona).get(page).status_code == attendu


@pytest.mark.parametrize(
    ("persona", "lea", "ines"),
    [
        ("gestionnaire_pilote", 200, 200),  # toute la session
        ("gestionnaire_lyon", 404, 200),
        ("chef_de_centre", 200, 404),  # centre C1 seulement
        ("presidente", 200, 404),  # centres du jury
    ],
)
def test_un_document_hors_perimetre_est_introuvable(edite: Any, persona: str, lea: int, ines: int) -> None:
    client = _client(edite, persona)
    doc_lea = Document.objects.get(candidat=edite.lea)
    doc_ines = Document.objects.get(candidat=edite.ines)
    assert client.get(f"/editions/documents/{doc_lea.pk}/").status_code == lea
    assert client.get(f"/editions/documents/{doc_ines.pk}/").status_code == ines
    version_ines = Version.objects.get(document=doc_ines)
    assert client.post(f"/editions/versions/{version_ines.pk}/telecharger/").status_code == ines
    liste = client.get("/editions/documents/").content.decode()
    assert ("MARTIN" in liste) is (lea == 200)
    assert ("PETIT" in liste) is (ines == 200)


def test_le_telechargement_est_journalise_et_ne_se_fait_pas_par_get(edite: Any) -> None:
    client = _client(edite, "chef_de_centre")
    version = Version.objects.get(document__candidat=edite.lea)
    assert client.get(f"/editions/versions/{version.pk}/telecharger/").status_code == 405
    reponse = client.post(f"/editions/versions/{version.pk}/telecharger/")
    assert reponse.status_code == 200
    assert reponse["Content-Type"] == "application/pdf"
    assert reponse.content.startswith(b"%PDF-")
    assert "attachment" in reponse["Content-Disposition"]
    envoi = Envoi.objects.get(version=version)
    assert (envoi.canal, envoi.destinataire) == ("telechargement", "chef-de-centre")
    page = client.get(f"/editions/documents/{version.document_id}/").content.decode()
    assert "chef-de-centre" in page
    assert "téléchargement" in page


def test_lancer_une_edition_la_confie_au_worker_et_sa_progression_se_lit(monde: Any) -> None:
    client = _client(monde, "chef_de_centre")
    reponse = client.post("/editions/", {"modele": "convocation-candidat", "centre": monde.c1.code})
    assert reponse.status_code == 302
    travail = Travail.objects.get()
    assert (travail.statut, travail.parametres, travail.demande_par) == (
        "en_attente", {"centre": monde.c1.code}, "chef-de-centre",
    )  # fmt: skip
    assert travail.tache  # en file (django-tasks-db)
    etat = client.get(f"/editions/travaux/{travail.pk}/progression/").json()
    assert etat["statut"] == "en_attente"
    executer(travail, processus=1)
    etat = client.get(f"/editions/travaux/{travail.pk}/progression/").json()
    assert (etat["statut"], etat["fait"], etat["total"], etat["pourcentage"]) == ("termine", 1, 1, 100)
    page = client.get("/editions/").content.decode()
    assert f"progression-{travail.pk}" in page
    # Un autre gestionnaire ne voit ni ne suit ce travail.
    assert _client(monde, "gestionnaire_lyon").get(f"/editions/travaux/{travail.pk}/progression/").status_code == 404


def test_un_centre_hors_perimetre_est_refuse_a_l_edition(monde: Any) -> None:
    client = _client(monde, "chef_de_centre")
    reponse = client.post("/editions/", {"modele": "convocation-candidat", "centre": monde.l1.code})
    assert reponse.status_code == 200
    assert "Sélectionnez un choix valide" in reponse.content.decode()
    assert not Travail.objects.exists()


def test_un_document_par_jury_demande_le_jury(monde: Any) -> None:
    reponse = _client(monde, "presidente").post("/editions/", {"modele": "pv-deliberation"})
    assert "choisissez le jury" in reponse.content.decode()
    assert not Travail.objects.exists()


def test_requetes_de_la_liste_des_documents_independantes_du_volume(monde: Any) -> None:
    client = _client(monde, "gestionnaire_pilote")

    def requetes() -> int:
        _editer(monde, monde.c1)
        _editer(monde, monde.c2)
        with CaptureQueriesContext(connection) as contexte:
            assert client.get("/editions/documents/").status_code == 200
        return len(contexte.captured_queries)

    ajouter_candidats(monde, 5)
    petit = requetes()
    ajouter_candidats(monde, 40)
    assert requetes() == petit
