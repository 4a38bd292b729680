"""Les personas des tests web et de permissions (leurs périmètres : `monde` dans tests/conftest.py)."""

from typing import Any

import pytest

PERSONAS = (
    "anonyme",
    "sans_habilitation",
    "gestionnaire_pilote",
    "gestionnaire_lyon",
    "chef_de_centre",
    "examinateur",
    "presidente",
    "etablissement",
    "candidat",
)


def cas_de_la_matrice(matrice: dict[str, tuple[int, ...]]) -> list[Any]:
    """Les cas d'une matrice de permissions {page: codes HTTP attendus, dans l'ordre de PERSONAS}, un par
    (page, persona), nommés « page — persona » dans le rapport de pytest."""
    return [
        pytest.param(page, persona, attendu, id=f"{page} — {persona}")
        for page, codes in matrice.items()
        for persona, attendu in zip(PERSONAS, codes, strict=True)
    ]


def verifier_acces(client: Any, utilisateur: Any, url: str, attendu: int) -> Any:
    """GET `url` comme `utilisateur` (None : anonyme) et vérifie le code HTTP ; un anonyme renvoyé (302) l'est
    vers la page de connexion. Une réponse servie par morceaux est lue jusqu'au bout (elle se ferme)."""
    if utilisateur is not None:
        client.force_login(utilisateur)
    reponse = client.get(url)
    if reponse.streaming:
        b"".join(reponse.streaming_content)
    assert reponse.status_code == attendu, url
    if utilisateur is None and attendu == 302:
        assert reponse["Location"].startswith("/connexion/?next=")
    return reponse
