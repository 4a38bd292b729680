"""Réglages Django d'examens. Tout réglage vient de l'environnement ; une valeur invalide arrête le
démarrage avec un message français (à la manière de healthchecks `envbool`).

Variables : DATABASE_URL (défaut : SQLite dans var/), EXAMENS_VAR (dossier des données, défaut ./var),
EXAMENS_DEBUG (0/1), EXAMENS_SECRET_KEY, EXAMENS_ALLOWED_HOSTS (séparés par des virgules),
EXAMENS_URL_PUBLIQUE (adresse du site dans les courriels, défaut http://127.0.0.1:8000),
EXAMENS_EXPEDITEUR (adresse d'envoi des courriels), EXAMENS_SMTP_HOTE / _PORT / _UTILISATEUR / _MOT_DE_PASSE / _TLS
(sans EXAMENS_SMTP_HOTE, les courriels sont écrits dans la console), EXAMENS_TACHES_IMMEDIATES (0/1 : exécuter
les tâches de fond sur place, sans worker ; défaut 0, file en base traitée par `examens gerer db_worker`).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured


def _booleen(nom: str, defaut: bool) -> bool:
    valeur = os.environ.get(nom)
    if valeur is None or valeur == "":
        return defaut
    if valeur.lower() in ("1", "true", "oui", "yes", "on"):
        return True
    if valeur.lower() in ("0", "false", "non", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{nom}={valeur!r} : valeur invalide, écrivez 1 (oui) ou 0 (non).")


VAR = Path(os.environ.get("EXAMENS_VAR") or Path.cwd() / "var").resolve()
VAR.mkdir(parents=True, exist_ok=True)
DEBUG = _booleen("EXAMENS_DEBUG", False)


def _cle_secrete() -> str:
    """La clé de l'environnement, sinon une clé aléatoire propre à cette installation (var/cle-secrete)."""
    cle = os.environ.get("EXAMENS_SECRET_KEY")
    if cle:
        return cle
    fichier = VAR / "cle-secrete"
    if not fichier.exists():
        fichier.write_text(secrets.token_urlsafe(50), encoding="ascii")
        fichier.chmod(0o600)
    return fichier.read_text(encoding="ascii").strip()


SECRET_KEY = _cle_secrete()
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("EXAMENS_ALLOWED_HOSTS", "localhost,127.0.0.1").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks_db",
    "examens.apps.historique",
    "examens.apps.organisation",
    "examens.apps.candidats",
    "examens.apps.examinateurs",
    "examens.apps.dossiers",
    "examens.apps.notes",
    "examens.apps.jury",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "examens.config.urls"
WSGI_APPLICATION = "examens.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

try:
    DATABASES = {"default": dj_database_url.config(default=f"sqlite:///{VAR / 'examens.sqlite3'}", conn_max_age=60)}
except ValueError as exc:  # schéma d'URL inconnu
    raise ImproperlyConfigured(
        f"DATABASE_URL invalide ({exc}) : par ex. postgres://utilisateur@hote:5432/base."
    ) from None

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "fr-fr"
TIME_ZONE = "Europe/Paris"  # affichage par défaut ; chaque centre a son fuseau (stockage en UTC)
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR / "static"

MEDIA_ROOT = VAR / "fichiers"  # documents émis, pièces déposées
MEDIA_URL = "fichiers/"

# Tâches de fond : django.tasks avec une file en base (django-tasks-db), traitée par
# `examens gerer db_worker` sur cette machine ou sur une autre qui pointe vers la même base.
TASKS = {
    "default": {
        "BACKEND": (
            "django.tasks.backends.immediate.ImmediateBackend"
            if _booleen("EXAMENS_TACHES_IMMEDIATES", False)
            else "django_tasks_db.DatabaseBackend"
        ),
        "QUEUES": ["default", "documents", "envois", "planification"],
    }
}

# Courriels : console par défaut ; SMTP dès que EXAMENS_SMTP_HOTE est renseigné.
URL_PUBLIQUE = os.environ.get("EXAMENS_URL_PUBLIQUE", "http://127.0.0.1:8000").rstrip("/")
DEFAULT_FROM_EMAIL = os.environ.get("EXAMENS_EXPEDITEUR", "examens-bts-ndrc@ac-clermont.fr")
if os.environ.get("EXAMENS_SMTP_HOTE"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EXAMENS_SMTP_HOTE"]
    try:
        EMAIL_PORT = int(os.environ.get("EXAMENS_SMTP_PORT", "587"))
    except ValueError:
        raise ImproperlyConfigured("EXAMENS_SMTP_PORT doit être un nombre, par ex. 587.") from None
    EMAIL_HOST_USER = os.environ.get("EXAMENS_SMTP_UTILISATEUR", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EXAMENS_SMTP_MOT_DE_PASSE", "")
    EMAIL_USE_TLS = _booleen("EXAMENS_SMTP_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
