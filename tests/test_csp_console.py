"""Ce que les parcours Chromium comptent comme violation de la politique de sécurité du contenu."""

from types import SimpleNamespace

from csp import violation_csp

STYLE = "Applying inline style violates the following Content Security Policy directive 'style-src 'self''."
SCRIPT = "Executing inline script violates the following Content Security Policy directive 'script-src 'self''."


def _message(texte: str, url: str) -> SimpleNamespace:
    return SimpleNamespace(text=texte, location={"url": url, "lineNumber": 1})


def test_notre_balisage_compte() -> None:
    assert violation_csp(_message(STYLE, "http://localhost:8000/etablissement/"))
    assert violation_csp(_message(SCRIPT, "http://localhost:8000/static/dsfr/dist/dsfr/dsfr.module.min.js"))
    assert violation_csp(_message(STYLE, "http://localhost:8000/static/web/web.js"))


def test_un_style_que_le_script_du_dsfr_tente_d_ecrire_ne_compte_pas() -> None:
    assert not violation_csp(_message(STYLE, "http://localhost:8000/static/dsfr/dist/dsfr/dsfr.module.min.js"))


def test_un_autre_message_ne_compte_pas() -> None:
    assert not violation_csp(_message("Ouvert.", "http://localhost:8000/"))
