"""Le navigateur des tests : Chromium de Debian (/usr/bin/chromium) piloté par Playwright, contre le serveur
de test de pytest-django (`live_server`).

Sans Chromium, ces tests sont sautés avec un message visible — sauf sous CI=true, où ils sont exigés
(`.ci/run` installe Chromium). `playwright install` ne fonctionne pas ici : on lance le Chromium du système.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGUMENTS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = Path(__file__).with_name("axe.min.js")  # axe-core 4.14.1 (npm), licence MPL-2.0 : axe-core-LICENSE.txt
CAPTURES = Path(__file__).resolve().parents[2] / "docs" / "captures" / "web"


@pytest.fixture(autouse=True)
def historique_efface_a_la_fin(transactional_db: None) -> Iterator[None]:
    """Le serveur de test lit la base dans un autre fil : ces tests sont « transactionnels », et la base est
    vidée après chacun. Sous SQLite, ce vidage passe par DELETE, que les déclencheurs de l'historique
    refusent (migration historique 0002) : on les retire le temps d'effacer les traces du test, puis on les
    remet. (PostgreSQL vide par TRUNCATE, que les déclencheurs n'interceptent pas.)"""
    yield
    from django.db import connection

    if connection.vendor != "sqlite":
        return
    migration = importlib.import_module("examens.apps.historique.migrations.0002_declencheurs_inalterables")
    with connection.cursor() as curseur:
        for sql in migration.SQLITE_RETOUR:
            curseur.execute(sql)
        curseur.execute("DELETE FROM historique_trace")
        for sql in migration.SQLITE:
            curseur.execute(sql)


@pytest.fixture
def monde_garni(monde: Any) -> Any:
    """Le monde des tests (tests/conftest.py) et 40 candidats de plus : de quoi remplir les graphiques."""
    from web.outils import ajouter_candidats

    ajouter_candidats(monde, 40)
    return monde


@pytest.fixture
def navigateur(monde_garni: Any, settings: Any) -> Iterator[Any]:
    """Chromium, lancé une fois les données écrites : l'API synchrone de Playwright fait tourner une boucle
    asyncio, et l'ORM appelé pendant qu'elle tourne ouvrirait une autre connexion, jamais refermée (Django
    le refuse d'ailleurs : SynchronousOnlyOperation). Toute écriture en base se fait donc avant."""
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"Chromium est exigé sous CI=true et {CHROMIUM} manque : apt-get install -y chromium")
        pytest.skip(f"Chromium absent ({CHROMIUM}) : tests du navigateur non lancés (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    # Le serveur de test parle HTTP : des cookies « Secure » ne seraient pas renvoyés.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGUMENTS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def captures(tmp_path: Path) -> Path:
    """Où ranger les captures d'écran : docs/captures/web/ avec EXAMENS_CAPTURES=1 (pour les relire et les
    mettre à jour, voir docs/captures/README.md), sinon un dossier temporaire (la suite ne modifie pas le dépôt)."""
    if os.environ.get("EXAMENS_CAPTURES") == "1":
        CAPTURES.mkdir(parents=True, exist_ok=True)
        return CAPTURES
    return tmp_path
