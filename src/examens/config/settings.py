"""Réglages Django d'examens. Tout réglage vient de l'environnement ; une valeur invalide arrête le
démarrage avec un message français (à la manière de healthchecks `envbool`).

Variables : DATABASE_URL (défaut : SQLite dans var/), EXAMENS_VAR (dossier des données, défaut ./var),
EXAMENS_DEBUG (0/1), EXAMENS_SECRET_KEY, EXAMENS_ALLOWED_HOSTS (séparés par des virgules),
EXAMENS_URL_PUBLIQUE (adresse du site dans les courriels, défaut http://127.0.0.1:8000),
EXAMENS_EXPEDITEUR (adresse d'envoi des courriels), EXAMENS_SMTP_HOTE / _PORT / _UTILISATEUR / _MOT_DE_PASSE / _TLS
(sans EXAMENS_SMTP_HOTE, les courriels sont écrits dans la console), EXAMENS_TACHES_IMMEDIATES (0/1 : exécuter
les tâches de fond sur place, sans worker ; défaut 0, file en base traitée par `examens gerer db_worker`),
EXAMENS_HTTPS (0/1 : site servi en HTTPS, cookies sécurisés et HSTS ; défaut 1, sauf avec EXAMENS_DEBUG=1).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP


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
    "widget_tweaks",
    "dsfr",
    "axes",
    "examens.apps.historique",
    "examens.apps.organisation",
    "examens.apps.candidats",
    "examens.apps.examinateurs",
    "examens.apps.dossiers",
    "examens.apps.notes",
    "examens.apps.jury",
    "examens.apps.planification",
    "examens.apps.comptes",
    "examens.apps.web",
    "examens.apps.editions",
    "examens.apps.ecrits",
    "examens.apps.sujets",
    "examens.apps.reclamations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # en dernier (django-axes) : réponse de verrouillage
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
                "django.template.context_processors.csp",
                "dsfr.context_processors.site_config",
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
# PostgreSQL sans compilation JIT : les pages agrègent des dizaines de milliers de lignes, leur coût estimé passe le
# seuil du JIT, qui compile alors ≈ 100 ms pour une requête qui en dure autant (bench/web.py, docs/benchmarks.md).
if DATABASES["default"].get("ENGINE") == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")

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
    try:
        _port = int(os.environ.get("EXAMENS_SMTP_PORT", "587"))
    except ValueError:
        raise ImproperlyConfigured("EXAMENS_SMTP_PORT doit être un nombre, par ex. 587.") from None
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ["EXAMENS_SMTP_HOTE"],
                "port": _port,
                "username": os.environ.get("EXAMENS_SMTP_UTILISATEUR", ""),
                "password": os.environ.get("EXAMENS_SMTP_MOT_DE_PASSE", ""),
                "use_tls": _booleen("EXAMENS_SMTP_TLS", True),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}

# Comptes et connexion (application web) : pages de connexion en français, réinitialisation du mot de passe
# par courriel, connexion limitée par django-axes (identifiant + adresse IP), journal des connexions.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # en premier : refuse une connexion verrouillée
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "web:connexion"
LOGIN_REDIRECT_URL = "web:accueil"
LOGOUT_REDIRECT_URL = "web:connexion"
PASSWORD_RESET_TIMEOUT = 3 * 3600  # un lien de réinitialisation vaut 3 heures
SESSION_COOKIE_AGE = 10 * 3600  # une journée de travail
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AXES_FAILURE_LIMIT = 5  # échecs avant verrouillage
AXES_COOLOFF_TIME = 0.25  # heures : verrouillage de 15 minutes
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]  # un établissement derrière une seule IP n'est pas bloqué
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True  # le journal des connexions (comptes.Connexion) suffit : données minimales
AXES_LOCKOUT_TEMPLATE = "web/comptes/verrouillage.html"
AXES_COOLOFF_MESSAGE = "Compte verrouillé : trop de tentatives de connexion. Réessayez dans 15 minutes."
AXES_PERMALOCK_MESSAGE = (
    "Compte verrouillé : trop de tentatives de connexion. Demandez à votre gestionnaire de le déverrouiller."
)

# En-têtes de sécurité. Politique de sécurité du contenu (CSP, intégrée à Django 6) : rien d'extérieur,
# aucun script en ligne (les scripts du DSFR sont des fichiers du site), aucun style en ligne.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
# EXAMENS_HTTPS (0/1, défaut : 1 sauf en EXAMENS_DEBUG) : le site est servi en HTTPS (derrière un mandataire
# qui pose X-Forwarded-Proto) ; les cookies ne partent alors qu'en HTTPS et le navigateur retient HSTS.
HTTPS = _booleen("EXAMENS_HTTPS", not DEBUG)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 365 * 24 * 3600
    # Une requête arrivée en HTTP (mandataire mal réglé, accès direct au serveur d'application) est renvoyée
    # vers HTTPS : ni mot de passe ni cookie de session ne circulent en clair.
    SECURE_SSL_REDIRECT = True
    # HSTS couvre aussi les sous-domaines du nom du service (ceux de examens.ac-….fr, pas ceux de l'académie).
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Préchargement HSTS (security.W021) : non, décision 0012. La liste de préchargement des navigateurs porte sur
# un domaine enregistrable entier (ac-clermont.fr…), que l'application ne gouverne pas ; s'en retirer prend des mois.
SILENCED_SYSTEM_CHECKS = ["security.W021"]

# Journaux : avertissements et erreurs sur la sortie d'erreur (journal du service). Données minimales : Django
# n'y écrit que le chemin (jamais la chaîne de requête, où une recherche peut porter un nom), django-axes
# l'identifiant saisi et l'adresse IP (AXES_DISABLE_ACCESS_LOG), aucun module d'examens n'y écrit de note ni de
# nom ; les requêtes SQL et leurs paramètres (niveau DEBUG) n'y vont jamais.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"simple": {"format": "{asctime} {levelname} {name} : {message}", "style": "{"}},
    "handlers": {"erreurs": {"class": "logging.StreamHandler", "formatter": "simple"}},
    "root": {"handlers": ["erreurs"], "level": "WARNING"},
}
