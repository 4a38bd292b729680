"""Les écrans de délibération lisent la base en un nombre constant de requêtes : 5 ou 50 candidats dans le jury,
c'est le même nombre (jamais une requête par candidat ni par décision)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from examens.apps.jury.services import deliberer_session
from examens.apps.notes.models import Resultat
from web.outils import ajouter_candidats

pytestmark = pytest.mark.django_db


def requetes(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as capture:
        reponse = client.get(url)
    assert reponse.status_code == 200, url
    return len(capture)


def pages(monde: Any) -> list[str]:
    jury = f"/deliberation/jurys/{monde.jury.pk}/"
    return [
        "/deliberation/",
        jury,
        f"{jury}?decision=admis",
        f"{jury}?texte=AN&page=2",
        f"{jury}?decision=livret_a_examiner",
        f"{jury}candidats/{monde.lea.pk}/",
    ]


@pytest.mark.parametrize("persona", ["gestionnaire_pilote", "presidente"])
def test_les_pages_de_deliberation_ne_dependent_pas_du_nombre_de_candidats(
    monde: Any, client: Client, persona: str
) -> None:
    client.force_login(monde.utilisateur(persona))
    Resultat.objects.filter(candidat=monde.lea).update(suspendue=False)
    ajouter_candidats(monde, 5)
    avec_5 = {url: requetes(client, url) for url in pages(monde)}
    ajouter_candidats(monde, 95)
    Resultat.objects.update(suspendue=False)
    deliberer_session(session=monde.session, jury=monde.jury, acteur="test", appliquer=True)
    avec_100 = {url: requetes(client, url) for url in pages(monde)}
    assert avec_100 == avec_5
    assert max(avec_5.values()) <= 20, avec_5
