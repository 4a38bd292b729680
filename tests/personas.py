"""Les personas des tests web et de permissions (leurs périmètres : `monde` dans tests/conftest.py)."""

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
