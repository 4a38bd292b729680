"""Se connecter : le formulaire DSFR, la limitation des tentatives (django-axes), le journal des connexions
(données minimales), la déconnexion, la réinitialisation du mot de passe par courriel."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from examens.apps.comptes.models import Connexion
from examens.apps.comptes.services import purger_journal_connexions

pytestmark = pytest.mark.django_db


def connexion(client: Client, identifiant: str, mot_de_passe: str, ip: str = "192.0.2.10") -> Any:
    return client.post("/connexion/", {"username": identifiant, "password": mot_de_passe}, REMOTE_ADDR=ip)


def test_la_page_de_connexion_est_en_francais_et_etiquetee(client: Client, monde: Any) -> None:
    html = client.get("/connexion/").content.decode()
    assert "<h1>Connexion à examens</h1>" in html
    assert '<label class="fr-label" for="id_username">Identifiant' in html
    assert '<label class="fr-label" for="id_password">Mot de passe' in html
    assert 'autocomplete="current-password"' in html
    assert "République<br>Française" in html
    assert 'href="#contenu"' in html
    assert 'id="contenu"' in html


def test_une_connexion_reussie_mene_a_l_accueil_et_est_journalisee(client: Client, monde: Any) -> None:
    reponse = connexion(client, "chef-de-centre", monde.mot_de_passe)
    assert reponse.status_code == 302
    assert reponse["Location"] == "/"
    ligne = Connexion.objects.get()
    assert (ligne.identifiant, ligne.succes, ligne.ip) == ("chef-de-centre", True, "192.0.2.10")
    # Données minimales : ni mot de passe, ni navigateur.
    assert {f.name for f in Connexion._meta.fields} == {"id", "quand", "identifiant", "succes", "ip"}


def test_un_echec_est_journalise_sans_le_mot_de_passe(client: Client, monde: Any) -> None:
    reponse = connexion(client, "chef-de-centre", "mauvais-mot-de-passe")
    assert reponse.status_code == 200
    assert "Identifiant ou mot de passe incorrect" in reponse.content.decode()
    assert "aria-invalid" not in reponse.content.decode() or "id_username-erreurs" in reponse.content.decode()
    ligne = Connexion.objects.get()
    assert (ligne.identifiant, ligne.succes) == ("chef-de-centre", False)
    assert "mauvais" not in str(Connexion.objects.values().get())


def test_apres_cinq_echecs_la_connexion_est_suspendue(client: Client, monde: Any, settings: Any) -> None:
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(5):
        assert connexion(client, "chef-de-centre", "mauvais").status_code in (200, 429)
    verrou = connexion(client, "chef-de-centre", monde.mot_de_passe)  # même le bon mot de passe
    assert verrou.status_code == 429
    html = verrou.content.decode()
    assert "Connexion suspendue" in html
    assert "Après 5 échecs" in html
    assert "pendant 15 minutes" in html
    assert "_auth_user_id" not in client.session
    assert Connexion.objects.filter(succes=True).count() == 0
    # Verrou sur le couple identifiant + adresse : un autre compte de la même adresse (un établissement
    # derrière une seule IP) et le même compte ailleurs passent.
    assert connexion(Client(), "etablissement", monde.mot_de_passe).status_code == 302
    assert connexion(Client(), "chef-de-centre", monde.mot_de_passe, ip="198.51.100.7").status_code == 302


def test_une_reussite_remet_le_compteur_a_zero(client: Client, monde: Any) -> None:
    for _ in range(4):
        connexion(client, "candidat", "mauvais")
    assert connexion(client, "candidat", monde.mot_de_passe).status_code == 302
    client.post("/deconnexion/")
    for _ in range(4):
        connexion(client, "candidat", "mauvais")
    assert connexion(client, "candidat", monde.mot_de_passe).status_code == 302


def test_la_deconnexion_se_fait_par_post(client: Client, monde: Any) -> None:
    client.force_login(monde.utilisateur("candidat"))
    assert client.get("/deconnexion/").status_code == 405
    reponse = client.post("/deconnexion/")
    assert reponse.status_code == 302
    assert reponse["Location"] == "/connexion/"
    assert client.get("/").status_code == 302


def test_mot_de_passe_oublie_par_courriel(client: Client, monde: Any) -> None:
    reponse = client.post("/mot-de-passe/oubli/", {"email": "candidat@exemple.fr"})
    assert reponse.status_code == 302
    assert reponse["Location"] == "/mot-de-passe/oubli/envoye/"
    assert len(mail.outbox) == 1
    courriel = mail.outbox[0]
    assert courriel.subject == "examens — BTS NDRC 2022 : choisir un nouveau mot de passe"
    lien = re.search(r"http://127\.0\.0\.1:8000(/mot-de-passe/nouveau/\S+/)", courriel.body)
    assert lien, courriel.body
    formulaire = client.get(lien.group(1), follow=True)
    assert "Choisir un nouveau mot de passe" in formulaire.content.decode()
    nouveau = "un-tout-nouveau-secret-2022"
    fait = client.post(formulaire.redirect_chain[-1][0], {"new_password1": nouveau, "new_password2": nouveau})
    assert fait["Location"] == "/mot-de-passe/reinitialise/"
    assert connexion(Client(), "candidat", nouveau).status_code == 302


def test_une_adresse_inconnue_ne_se_trahit_pas(client: Client, monde: Any) -> None:
    reponse = client.post("/mot-de-passe/oubli/", {"email": "personne@exemple.fr"})
    assert reponse["Location"] == "/mot-de-passe/oubli/envoye/"
    assert mail.outbox == []


def test_un_mot_de_passe_trop_court_est_refuse_en_francais(client: Client, monde: Any) -> None:
    client.force_login(monde.utilisateur("candidat"))
    reponse = client.post(
        "/mot-de-passe/changer/",
        {"old_password": monde.mot_de_passe, "new_password1": "court", "new_password2": "court"},
    )
    html = reponse.content.decode()
    assert reponse.status_code == 200
    assert "Ce mot de passe est trop court" in html
    assert 'aria-invalid="true"' in html
    assert 'id="id_new_password2-erreurs"' in html


def test_le_journal_se_purge_au_terme_de_sa_conservation(monde: Any) -> None:
    ancienne = Connexion.objects.create(identifiant="x", succes=True, ip="192.0.2.1")
    Connexion.objects.filter(pk=ancienne.pk).update(quand=timezone.now() - timedelta(days=400))
    Connexion.objects.create(identifiant="y", succes=False, ip=None)
    assert purger_journal_connexions(maintenant=timezone.now()) == 1
    assert list(Connexion.objects.values_list("identifiant", flat=True)) == ["y"]
