"""L'export XLSX de la liste filtrée, relu avec openpyxl : en-têtes, lignes, filtres, sécurité des cellules."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from examens.apps.candidats.models import Candidat
from examens.apps.comptes.permissions import oublier_habilitations
from examens.apps.organisation.models import ExamSession
from examens.apps.web import views
from examens.apps.web.selectors import ENTETES_EXPORT, ENTETES_RESULTATS

pytestmark = pytest.mark.django_db


def exporter(client: Client, criteres: str = "") -> Any:
    reponse = client.get(f"/candidats/export.xlsx?{criteres}")
    assert reponse.status_code == 200
    assert reponse["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert reponse["Content-Disposition"].startswith('attachment; filename="candidats-bts-ndrc-2022-')
    contenu = b"".join(reponse.streaming_content)  # lu jusqu'au bout : la réponse se ferme
    return load_workbook(BytesIO(contenu)).active


def test_l_export_relu_donne_les_en_tetes_et_les_lignes(monde: Any, client: Client) -> None:
    client.force_login(monde.utilisateur("gestionnaire_pilote"))
    feuille = exporter(client)
    lignes = list(feuille.iter_rows(values_only=True))
    assert list(lignes[0]) == ENTETES_EXPORT + ENTETES_RESULTATS
    assert feuille.title == "Candidats"
    assert feuille.freeze_panes == "A2"
    par_numero = {ligne[0]: ligne for ligne in lignes[1:]}
    assert list(par_numero) == ["22-000001", "22-000002", "22-000003"]
    assert par_numero["22-000001"] == (
        "22-000001",
        "MARTIN",
        "Léa",
        monde.lycee.uai,
        "Lycée Blaise-Pascal",
        monde.c1.code,
        "Lycée Sidoine-Apollinaire",
        "Clermont-Ferrand",
        "scolaire",
        "A",
        "forme globale",
        None,
        "admis",
        "12,86",
    )
    assert par_numero["22-000003"][8:10] == ("apprenti", "A")  # CFA habilité au CCF
    assert par_numero["22-000003"][12] is None  # pas encore délibérée


def test_l_export_suit_les_criteres_de_la_recherche(monde: Any, client: Client) -> None:
    client.force_login(monde.utilisateur("gestionnaire_pilote"))
    feuille = exporter(client, "texte=petit")
    assert [ligne[0] for ligne in feuille.iter_rows(min_row=2, values_only=True)] == ["22-000003"]


def test_une_date_de_desistement_est_une_date(monde: Any, client: Client) -> None:
    Candidat.objects.filter(pk=monde.hugo.pk).update(desiste_le=date(2022, 5, 2))
    client.force_login(monde.utilisateur("gestionnaire_pilote"))
    feuille = exporter(client, "texte=22-000002")
    cellule = feuille.cell(row=2, column=ENTETES_EXPORT.index("Désisté le") + 1)
    assert cellule.value.date() == date(2022, 5, 2)
    assert cellule.number_format == "DD/MM/YYYY"


def test_un_nom_qui_ressemble_a_une_formule_reste_un_texte(monde: Any, client: Client) -> None:
    Candidat.objects.filter(pk=monde.ines.pk).update(nom='=HYPERLINK("http://exemple.invalid","clic")')
    client.force_login(monde.utilisateur("gestionnaire_pilote"))
    feuille = exporter(client, "texte=22-000003")
    cellule = feuille.cell(row=2, column=2)
    assert cellule.data_type == "s"
    assert cellule.value == '=HYPERLINK("http://exemple.invalid","clic")'


def test_avant_publication_l_etablissement_exporte_sans_les_resultats(monde: Any, client: Client) -> None:
    ExamSession.objects.filter(pk=monde.session.pk).update(date_resultats=date(2999, 1, 1))
    utilisateur = monde.utilisateur("etablissement")
    oublier_habilitations(utilisateur)
    client.force_login(utilisateur)
    feuille = exporter(client)
    assert list(next(feuille.iter_rows(values_only=True))) == ENTETES_EXPORT


def test_l_export_est_borne(monde: Any, client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(views, "LIMITE_EXPORT", 2)
    client.force_login(monde.utilisateur("gestionnaire_pilote"))
    reponse = client.get("/candidats/export.xlsx?texte=22", follow=True)
    assert reponse.redirect_chain[0][0] == "/candidats/?texte=22"
    assert "L&#x27;export est limité à 2 candidats (3 trouvés) : précisez la recherche." in reponse.content.decode()
