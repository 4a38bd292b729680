"""Les violations de la politique de sécurité du contenu (CSP) relevées dans la console de Chromium."""

from typing import Any

# Le script du DSFR (dsfr.module.min.js) peut, selon l'ordre d'initialisation de ses composants (une page chargée
# sur une machine occupée), tenter d'écrire un attribut style ; la politique le bloque, sans effet visible. Ce
# n'est pas une faute de nos gabarits : une violation venant de notre balisage (style ou script en ligne dans la
# page) porte l'adresse de la page, et reste comptée.
_SCRIPT_DSFR = "/dsfr/dist/dsfr/dsfr.module.min.js"


def violation_csp(message: Any) -> bool:
    """Vrai pour un message de console qui signale une violation CSP due à notre code ou à notre balisage."""
    if "Content Security Policy" not in message.text:
        return False
    origine = (message.location or {}).get("url", "")
    return not (origine.endswith(_SCRIPT_DSFR) and "inline style" in message.text)
