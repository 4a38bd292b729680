"""L'architecture en couches, vérifiée : le cœur réglementaire est du Python pur (issue « Fondations »).

import-linter (dans `make test`) vérifie les imports écrits ; ce test vérifie ce qui est réellement chargé
à l'exécution, dans un interpréteur neuf.
"""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import examens.core

INTERDITS_DANS_LE_COEUR = ("django", "ortools", "openpyxl", "orjson", "examens.planning", "examens.tableaux")


def _modules_charges(code: str) -> set[str]:
    sortie = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys\nprint('\\n'.join(sorted(sys.modules)))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return set(sortie.split())


def test_le_coeur_n_importe_ni_django_ni_ortools() -> None:
    modules = [m.name for m in pkgutil.walk_packages(examens.core.__path__, "examens.core.")]
    assert "examens.core.deliberation" in modules
    charges = _modules_charges("\n".join(f"import {m}" for m in modules))
    fautifs = sorted(m for m in charges if m.split(".")[0] in INTERDITS_DANS_LE_COEUR or m in INTERDITS_DANS_LE_COEUR)
    fautifs += sorted(m for m in charges if any(m.startswith(p + ".") for p in INTERDITS_DANS_LE_COEUR))
    assert fautifs == [], f"examens.core charge {fautifs}"


def test_la_commande_deliberer_ne_charge_pas_ortools() -> None:
    """OR-Tools coûte 2,5 s à importer : `examens deliberer` ne doit pas le payer."""
    charges = _modules_charges(
        "from examens.cli.main import build_parser\nbuild_parser('deliberer')\nimport examens.cli.deliberer"
    )
    assert "ortools" not in charges
    assert "django" not in charges
