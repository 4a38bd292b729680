"""Les pages des espaces lisent la base en un nombre de requêtes qui ne dépend pas du volume : 5 ou 50
candidats pour l'établissement, 1 ou 10 documents, pièces et réclamations pour un candidat, 5 ou 50
réclamations pour l'académie."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from examens.apps.candidats.models import Candidat
from examens.apps.dossiers.models import Piece
from examens.apps.dossiers.pieces import deposer_piece, verifier_televersement
from examens.apps.reclamations.models import Reclamation
from web.outils import ajouter_candidats
from web.outils_espaces import document, garnir, pdf_reel

pytestmark = pytest.mark.django_db


def requetes(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as capture:
        reponse = client.get(url)
    assert reponse.status_code == 200, url
    return len(capture)


def test_l_espace_etablissement_ne_depend_pas_du_nombre_de_candidats(monde: Any, client: Client) -> None:
    garnir(monde)
    client.force_login(monde.utilisateur("etablissement"))
    pages = ["/etablissement/", "/etablissement/?incomplets=1"]
    ajouter_candidats(monde, 5)
    avec_5 = {url: requetes(client, url) for url in pages}
    ajouter_candidats(monde, 45)
    assert Candidat.objects.filter(etablissement=monde.lycee).count() > 30
    avec_50 = {url: requetes(client, url) for url in pages}
    assert avec_50 == avec_5
    assert max(avec_5.values()) <= 16


def _reclamations(monde: Any, nombre: int) -> None:
    candidats = list(Candidat.objects.exclude(pk__in=Reclamation.objects.values("candidat_id"))[:nombre])
    Reclamation.objects.bulk_create(
        Reclamation(candidat=c, epreuve="E4", motif="Contestation.", deposee_par="x") for c in candidats
    )


def test_la_liste_des_reclamations_ne_depend_pas_de_leur_nombre(monde: Any, client: Client) -> None:
    client.force_login(monde.utilisateur("gestionnaire_pilote"))
    ajouter_candidats(monde, 60)
    _reclamations(monde, 5)
    avec_5 = requetes(client, "/reclamations/")
    _reclamations(monde, 45)
    assert Reclamation.objects.count() == 50
    assert requetes(client, "/reclamations/") == avec_5
    assert avec_5 <= 12


def test_les_pages_d_un_candidat_ne_dependent_pas_de_ses_documents_pieces_et_reclamations(
    monde: Any, client: Client
) -> None:
    espaces = garnir(monde)
    client.force_login(monde.utilisateur("candidat"))
    espace_avant = requetes(client, "/mon-espace/")
    client.force_login(monde.utilisateur("etablissement"))
    fiche = f"/etablissement/candidats/{monde.lea.pk}/"
    fiche_avant = requetes(client, fiche)

    pdf = verifier_televersement(nom="d.pdf", contenu=pdf_reel())
    for _ in range(9):
        deposer_piece(candidat=monde.lea, nature=Piece.Nature.DOSSIER_E6, pdf=pdf, par="lycee")
    for modele in ("attestation-blocs",):
        document(monde.session, monde.lea, modele, versions=3)
    Reclamation.objects.filter(pk=espaces.reclamation_lea.pk).update(statut="non_fondee", reponse="Non.")
    for k in range(9):
        r = Reclamation.objects.create(candidat=monde.lea, epreuve=f"E{1 + k % 6}", motif="x", deposee_par="lea")
        Reclamation.objects.filter(pk=r.pk).update(statut="fondee", reponse="Oui.")
    client.force_login(monde.utilisateur("candidat"))
    client.get(f"/mon-espace/documents/{espaces.convocation_lea.pk}/")  # un téléchargement journalisé de plus
    assert requetes(client, "/mon-espace/") == espace_avant
    client.force_login(monde.utilisateur("etablissement"))
    assert requetes(client, fiche) == fiche_avant
    assert espace_avant <= 32
    assert fiche_avant <= 20
