"""Les comptes de démonstration : un par rôle, chacun habilité sur la session de démonstration, et chacun
ouvre ses pages de l'application web."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from examens.apps.comptes.models import Habilitation, Role
from examens.apps.comptes.permissions import candidats_visibles
from examens.apps.demo.services import construire_session_demo, creer_comptes_demo

pytestmark = pytest.mark.django_db

ROLES = {
    "gestionnaire": Role.GESTIONNAIRE,
    "dec-lyon": Role.GESTIONNAIRE,
    "chef-centre": Role.CHEF_DE_CENTRE,
    "examinateur": Role.EXAMINATEUR,
    "presidente-jury": Role.PRESIDENT_JURY,
    "etablissement": Role.ETABLISSEMENT,
    "candidat": Role.CANDIDAT,
}


def test_un_compte_de_demonstration_par_role(db: None) -> None:
    construire_session_demo(candidats=200, graine=2022)
    comptes = {c.identifiant: c for c in creer_comptes_demo()}
    assert set(ROLES) < set(comptes)
    for identifiant, role in ROLES.items():
        h = Habilitation.objects.get(utilisateur__username=identifiant)
        assert h.role == role
        assert comptes[identifiant].perimetre == h.perimetre_libelle
    assert Habilitation.objects.get(utilisateur__username="gestionnaire").national
    assert Habilitation.objects.get(utilisateur__username="dec-lyon").academie.code == "lyon"
    assert not Habilitation.objects.filter(utilisateur__username="consultation").exists()
    # Les périmètres se recoupent : le candidat est vu par son chef de centre, son établissement, sa présidente.
    candidat = Habilitation.objects.get(utilisateur__username="candidat").candidat
    for identifiant in ("gestionnaire", "chef-centre", "etablissement", "presidente-jury"):
        assert candidats_visibles(get_user_model().objects.get(username=identifiant)).filter(pk=candidat.pk).exists()
    assert not candidats_visibles(get_user_model().objects.get(username="dec-lyon")).filter(pk=candidat.pk).exists()
    # Recréer les comptes (relancer la démonstration) ne double rien.
    creer_comptes_demo()
    assert Habilitation.objects.count() == len(ROLES)


@pytest.mark.parametrize(
    ("identifiant", "pages"),
    [
        ("gestionnaire", ("/", "/tableau-de-bord/", "/candidats/")),
        ("chef-centre", ("/", "/tableau-de-bord/", "/candidats/")),
        ("examinateur", ("/",)),
        ("candidat", ("/",)),
    ],
)
def test_les_comptes_de_demonstration_se_connectent(db: None, identifiant: str, pages: tuple[str, ...]) -> None:
    construire_session_demo(candidats=120, graine=7)
    comptes = {c.identifiant: c for c in creer_comptes_demo()}
    client = Client()
    reponse = client.post("/connexion/", {"username": identifiant, "password": comptes[identifiant].mot_de_passe})
    assert reponse.status_code == 302
    for page in pages:
        assert client.get(page).status_code == 200, page
