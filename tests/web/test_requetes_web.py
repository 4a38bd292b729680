"""Le nombre de requêtes SQL d'une page ne dépend pas du volume : 5 ou 50 candidats, 1 ou 30 traces, c'est le
même nombre de requêtes (agrégats et jointures, jamais une requête par ligne)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from examens.apps.historique.models import Trace
from examens.apps.historique.services import tracer_en_masse
from examens.apps.jury.models import DecisionJury
from examens.apps.notes.models import Resultat
from web.outils import ajouter_candidats

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/tableau-de-bord/",
    "/candidats/",
    "/candidats/?texte=22&decision=admis",
    "/candidats/?situation=note_suspendue",
    "/candidats/?situation=dossier_non_conforme&page=1",
    "/candidats/export.xlsx",
]


def requetes(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as requetes:
        reponse = client.get(url)
        if reponse.streaming:
            b"".join(reponse.streaming_content)  # lu jusqu'au bout : la réponse se ferme
    assert reponse.status_code == 200, url
    return len(requetes)


# (la présidente de jury n'a pas ces pages nominatives : ses pages, celles de la délibération, sont
# mesurées dans test_requetes_deliberation.py)
@pytest.mark.parametrize("persona", ["gestionnaire_pilote", "chef_de_centre", "etablissement"])
def test_les_pages_ne_dependent_pas_du_nombre_de_candidats(monde: Any, client: Client, persona: str) -> None:
    client.force_login(monde.utilisateur(persona))
    ajouter_candidats(monde, 5)
    avec_5 = {url: requetes(client, url) for url in PAGES}
    ajouter_candidats(monde, 45)
    avec_50 = {url: requetes(client, url) for url in PAGES}
    assert avec_50 == avec_5
    assert max(avec_5.values()) <= 15


def test_la_fiche_ne_depend_pas_de_la_longueur_de_l_historique(monde: Any, client: Client) -> None:
    client.force_login(monde.utilisateur("gestionnaire_pilote"))
    url = f"/candidats/{monde.lea.pk}/"
    avant = requetes(client, url)
    resultat = Resultat.objects.filter(candidat=monde.lea).first()
    with transaction.atomic():
        tracer_en_masse(
            [
                Trace(
                    acteur="dec-clermont",
                    action=Trace.Action.MODIFICATION,
                    objet_type="notes.resultat",
                    objet_id=str(resultat.pk),
                    objet_libelle=f"candidat {monde.lea.numero} — E1",
                    avant={"note_examinateur": f"{k}.00"},
                    apres={"note_examinateur": f"{k + 1}.00"},
                )
                for k in range(30)
            ]
        )
    DecisionJury.objects.filter(candidat=monde.lea).update(en_vigueur=False)
    DecisionJury.objects.create(candidat=monde.lea, decision="admis", decidee_par="jury", moyenne="13,00")
    assert requetes(client, url) == avant
    assert avant <= 16
