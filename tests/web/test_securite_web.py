"""Sécurité de l'application web : CSRF sur toute écriture, en-têtes (CSP stricte, cadres interdits, type
respecté), cookies sécurisés, redirection vers HTTPS et HSTS, `check --deploy` propre avec les réglages de
production, et des journaux sans mot de passe, sans nom ni note."""

from __future__ import annotations

import logging
import os
import re
import secrets
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from examens.apps.organisation.models import ExamSession
from examens.apps.reclamations.models import Reclamation
from web.outils_espaces import garnir, pdf_reel

pytestmark = pytest.mark.django_db

EXAMENS = Path(sys.executable).with_name("examens")


@pytest.fixture
def espaces(monde: Any) -> Any:
    return garnir(monde)


# --- CSRF --------------------------------------------------------------------------------------------------

ECRITURES = [
    pytest.param("anonyme", "/connexion/", {"username": "candidat", "password": "x"}, id="connexion"),
    pytest.param("candidat", "/deconnexion/", {}, id="déconnexion"),
    pytest.param("etablissement", "/etablissement/candidats/{lea}/pieces/", {"nature": "dossier_e4"}, id="dépôt"),
    pytest.param("etablissement", "/etablissement/candidats/{lea}/livret/", {"mention_pix": "certifie"}, id="livret"),
    pytest.param(
        "etablissement",
        "/etablissement/candidats/{hugo}/ccf/",
        {"epreuve": "E6", "e6-situation_1": "12"},
        id="notes de CCF",
    ),
    pytest.param(
        "candidat", "/mon-espace/reclamations/nouvelle/", {"epreuve": "E4", "motif": "Contestation."}, id="réclamation"
    ),
    pytest.param(
        "gestionnaire_pilote",
        "/reclamations/{reclamation}/",
        {"statut": "non_fondee", "reponse": "Confirmée."},
        id="instruction",
    ),
]


@pytest.mark.parametrize(("persona", "url", "donnees"), ECRITURES)
def test_une_ecriture_sans_jeton_csrf_est_refusee(
    monde: Any, espaces: Any, persona: str, url: str, donnees: dict[str, str]
) -> None:
    client = Client(enforce_csrf_checks=True)
    if monde.utilisateur(persona) is not None:
        client.force_login(monde.utilisateur(persona))
    adresse = url.format(lea=monde.lea.pk, hugo=monde.hugo.pk, reclamation=espaces.reclamation_lea.pk)
    from django.core.files.uploadedfile import SimpleUploadedFile

    fichiers = {"fichier": SimpleUploadedFile("d.pdf", pdf_reel()), "livret": SimpleUploadedFile("l.pdf", pdf_reel())}
    traces_avant = _compte_ecritures()
    reponse = client.post(adresse, {**donnees, **fichiers})
    assert reponse.status_code == 403
    assert "CSRF" in reponse.content.decode()
    assert _compte_ecritures() == traces_avant


def _compte_ecritures() -> tuple[int, ...]:
    from examens.apps.dossiers.models import Piece
    from examens.apps.historique.models import Trace
    from examens.apps.notes.models import Resultat

    return (Trace.objects.count(), Piece.objects.count(), Resultat.objects.count(), Reclamation.objects.count())


def test_avec_son_jeton_csrf_l_ecriture_passe(monde: Any, espaces: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(monde.utilisateur("candidat"))
    html = client.get("/mon-espace/reclamations/nouvelle/").content.decode()
    jeton = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    reponse = client.post(
        "/mon-espace/reclamations/nouvelle/", {"epreuve": "E6", "motif": "Contestation.", "csrfmiddlewaretoken": jeton}
    )
    assert reponse.status_code == 302
    assert Reclamation.objects.filter(candidat=monde.lea, epreuve="E6").exists()


# --- En-têtes et cookies -------------------------------------------------------------------------------------

PAGES = [
    pytest.param("etablissement", "/etablissement/", id="espace établissement"),
    pytest.param("etablissement", "/etablissement/candidats/{lea}/", id="candidat vu de l'établissement"),
    pytest.param("etablissement", "/etablissement/candidats/{hugo}/ccf/", id="notes de CCF"),
    pytest.param("candidat", "/mon-espace/", id="espace candidat"),
    pytest.param("candidat", "/mon-espace/reclamations/nouvelle/?epreuve=E4", id="nouvelle réclamation"),
    pytest.param("gestionnaire_pilote", "/reclamations/{reclamation}/", id="instruction d'une réclamation"),
]


@pytest.mark.parametrize(("persona", "url"), PAGES)
def test_en_tetes_de_securite_et_ni_script_ni_style_en_ligne(
    monde: Any, espaces: Any, client: Client, persona: str, url: str
) -> None:
    client.force_login(monde.utilisateur(persona))
    reponse = client.get(url.format(lea=monde.lea.pk, hugo=monde.hugo.pk, reclamation=espaces.reclamation_lea.pk))
    assert reponse.status_code == 200
    csp = reponse["Content-Security-Policy"]
    for directive in ("default-src 'self'", "object-src 'none'", "frame-ancestors 'none'", "form-action 'self'"):
        assert directive in csp
    assert re.search(r"script-src 'self'(;| 'nonce-[^']+';)", csp)  # les fichiers du site, au plus un nonce
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert reponse["X-Frame-Options"] == "DENY"
    assert reponse["X-Content-Type-Options"] == "nosniff"
    assert reponse["Referrer-Policy"] == "same-origin"
    assert reponse["Cross-Origin-Opener-Policy"] == "same-origin"
    html = reponse.content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)", html), "aucun script en ligne"
    assert not re.search(r"\sstyle=", html), "aucun style en ligne"
    assert not re.search(r"\son[a-z]+=", html), "aucun gestionnaire d'évènement en ligne"


def test_un_telechargement_est_une_piece_jointe_typee(monde: Any, espaces: Any, client: Client) -> None:
    client.force_login(monde.utilisateur("candidat"))
    reponse = client.get(f"/mon-espace/documents/{espaces.convocation_lea.pk}/")
    assert reponse.content.startswith(b"%PDF-")
    assert reponse["Content-Type"] == "application/pdf"
    assert reponse["Content-Disposition"].startswith("attachment;")
    assert reponse["X-Content-Type-Options"] == "nosniff"


def test_les_cookies_de_session_et_csrf_sont_securises(monde: Any, client: Client) -> None:
    client.get("/connexion/")
    csrf = client.cookies["csrftoken"]
    assert csrf["secure"]
    assert csrf["samesite"] == "Lax"
    reponse = client.post("/connexion/", {"username": "candidat", "password": monde.mot_de_passe})
    assert reponse.status_code == 302
    session = reponse.cookies["sessionid"]
    assert session["secure"]
    assert session["httponly"]
    assert session["samesite"] == "Lax"


def test_http_est_redirige_vers_https_et_hsts_couvre_les_sous_domaines(monde: Any, settings: Any) -> None:
    settings.SECURE_SSL_REDIRECT = True  # réglage de production (EXAMENS_HTTPS=1), levé pour les autres tests
    client = Client()
    en_clair = client.get("/connexion/")
    assert en_clair.status_code == 301
    assert en_clair["Location"] == "https://testserver/connexion/"
    # Derrière le mandataire, qui annonce HTTPS par X-Forwarded-Proto : la page, avec HSTS.
    chiffre = client.get("/connexion/", headers={"x-forwarded-proto": "https"})
    assert chiffre.status_code == 200
    assert chiffre["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


# --- check --deploy ------------------------------------------------------------------------------------------


def _check_deploy(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environnement = {
        k: v for k, v in os.environ.items() if not k.startswith("EXAMENS_") and k != "DJANGO_SETTINGS_MODULE"
    }
    environnement.update(
        {
            "EXAMENS_VAR": str(tmp_path),
            "EXAMENS_DEBUG": "0",
            "EXAMENS_HTTPS": "1",
            "EXAMENS_SECRET_KEY": secrets.token_urlsafe(64),
            "EXAMENS_ALLOWED_HOSTS": "examens.ac-clermont.fr",
            "EXAMENS_SMTP_HOTE": "smtp.ac-clermont.fr",  # en production, les courriels partent par SMTP
            **env,
        }
    )
    return subprocess.run(
        [str(EXAMENS), "gerer", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env=environnement,
        check=False,
        timeout=120,
    )


def test_check_deploy_est_propre_avec_les_reglages_de_production(tmp_path: Path) -> None:
    resultat = _check_deploy(tmp_path)
    sortie = resultat.stdout + resultat.stderr
    assert resultat.returncode == 0, sortie
    assert "System check identified no issues (1 silenced)." in sortie  # W021 : préchargement HSTS, décision 0012
    assert "WARNING" not in sortie


@pytest.mark.parametrize(
    ("env", "avertissement"),
    [
        pytest.param({"EXAMENS_SECRET_KEY": "courte"}, "security.W009", id="clé secrète courte"),
        pytest.param({"EXAMENS_HTTPS": "0"}, "security.W008", id="sans HTTPS"),
    ],
)
def test_check_deploy_signale_une_installation_faible(tmp_path: Path, env: dict[str, str], avertissement: str) -> None:
    resultat = _check_deploy(tmp_path, **env)
    assert resultat.returncode != 0
    assert avertissement in resultat.stdout + resultat.stderr


# --- Journaux ----------------------------------------------------------------------------------------------


def test_les_journaux_ne_portent_ni_mot_de_passe_ni_nom_ni_note(
    monde: Any, espaces: Any, client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    ExamSession.objects.filter(pk=monde.session.pk).update(date_resultats=None, date_limite_ccf=date(2999, 1, 1))
    caplog.set_level(logging.DEBUG)
    mauvais = "mauvais-mot-de-passe-2022"
    for _ in range(6):  # jusqu'au verrouillage par django-axes
        client.post("/connexion/", {"username": "etablissement", "password": mauvais})
    client.post("/connexion/", {"username": "candidat", "password": monde.mot_de_passe})
    assert client.get(f"/mon-espace/documents/{espaces.convocation_hugo.pk}/").status_code == 404
    client.force_login(monde.utilisateur("etablissement"))
    assert client.get(f"/etablissement/candidats/{monde.ines.pk}/").status_code == 404
    client.post(f"/etablissement/candidats/{monde.hugo.pk}/ccf/", {"epreuve": "E6", "e6-situation_1": "13,5"})
    client.post(f"/etablissement/candidats/{monde.hugo.pk}/ccf/", {"epreuve": "E6", "e6-situation_1": "21"})
    client.get("/candidats/?texte=MARTIN")

    journal = "\n".join(f"{r.name} {r.levelname} {r.getMessage()}" for r in caplog.records)
    assert "Not Found" in journal  # les journaux sont bien capturés
    assert "axes" in journal
    for secret in (mauvais, monde.mot_de_passe):
        assert secret not in journal
    for identite in ("MARTIN", "Léa", "BERNARD", "Hugo", "PETIT", "Inès", "Camille"):
        assert identite not in journal
    # Les horodatages de django-axes (« older than 2026-11-28 21:04:30 ») ne sont pas des notes.
    sans_horodatage = re.sub(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2})?", "<date>", journal)
    for note in ("13,5", "13.5", "21"):
        assert not re.search(rf"(?<![\d.:-]){re.escape(note)}(?![\d])", sans_horodatage), note
