"""`examens editer` connaît les documents des écrits : plans de salle (par centre, une épreuve ou toutes) et
bordereaux de lots (session, épreuve, centre de correction). Comme les autres documents : une nouvelle version
pour ce qui change, rien pour ce qui est à jour ; erreurs d'usage en français, code 2, aucun travail créé."""

from __future__ import annotations

from pathlib import Path

import pytest
from fabriques_deliberation import candidat
from fabriques_ecrits import calendrier, centre, correcteur, corriger, salles, tous_presents
from pypdf import PdfReader

from examens.apps.ecrits import services
from examens.apps.ecrits.models import Copie, Lot
from examens.apps.editions.models import Travail, Version
from examens.cli.main import main

pytestmark = pytest.mark.django_db


@pytest.fixture
def ecrits(session, clermont):
    """E1 et E3 dans un centre de deux salles, tous présents ; E1 en deux lots (l'un corrigé), E3 en un lot."""
    epreuves = calendrier(session, "E1", "E3")
    c = centre(clermont, "0630001")
    salles(c, ("A", "ecrit", 4), ("B", "ecrit", 4))
    for _ in range(6):
        candidat(session, centre=c)
    services.repartir_centre(session=session, centre=c, acteur="dec", appliquer=True)
    for e in epreuves.values():
        tous_presents(e)
    services.constituer_lots(epreuve=epreuves["E1"], acteur="dec", taille=3, appliquer=True)
    services.constituer_lots(epreuve=epreuves["E3"], acteur="dec", taille=6, appliquer=True)
    lot = Lot.objects.filter(epreuve=epreuves["E1"]).order_by("numero").first()
    services.affecter_lot(lot=lot, correcteur=correcteur(session, "X1", clermont), acteur="dec")
    corriger(lot, defaut="14,5")
    return epreuves, c, lot


def _editer(*arguments: str) -> int:
    return main(["editer", *arguments, "--session", "bts-ndrc-2022", "--processus", "1"])


def test_plans_de_salle_d_un_centre(ecrits, tmp_path: Path, capsys) -> None:
    _, c, _ = ecrits
    assert _editer("plans-salle", "--centre", c.code, "--sortie", str(tmp_path)) == 0
    sortie = capsys.readouterr().out
    assert "4 document(s) : 4 nouvelle(s) version(s)" in sortie  # 2 salles × 2 épreuves
    assert "4 fichier(s) copié(s)" in sortie
    noms = sorted(p.name for p in tmp_path.iterdir())
    assert noms == [f"plan-salle-{c.code}-{e}-{s}-v1.pdf" for e in ("E1", "E3") for s in ("A", "B")]
    texte = "".join(page.extract_text() for page in PdfReader(tmp_path / noms[0]).pages)
    assert "Plan de salle" in texte
    # Rien n'a changé : aucune version de plus.
    assert _editer("plans-salle", "--centre", c.code) == 0
    assert "0 nouvelle(s) version(s), 4 déjà à jour" in capsys.readouterr().out
    assert Version.objects.filter(document__modele="plan-salle").count() == 4


def test_plans_de_salle_d_une_epreuve(ecrits, tmp_path: Path, capsys) -> None:
    _, c, _ = ecrits
    assert _editer("plans-salle", "--centre", c.code, "--epreuve", "e3", "--sortie", str(tmp_path)) == 0
    assert "2 document(s) : 2 nouvelle(s) version(s)" in capsys.readouterr().out
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"plan-salle-{c.code}-E3-{s}-v1.pdf" for s in ("A", "B")]


def test_bordereaux_des_lots(ecrits, tmp_path: Path, capsys) -> None:
    _, c, corrige = ecrits
    assert _editer("bordereaux-lots", "--epreuve", "E1", "--sortie", str(tmp_path)) == 0
    sortie = capsys.readouterr().out
    assert "2 document(s) : 2 nouvelle(s) version(s)" in sortie
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "bordereau-lot-lot-E1-L001-v1.pdf",
        "bordereau-lot-lot-E1-L002-v1.pdf",
    ]
    # Numéros d'anonymat, et les notes validées du lot corrigé ; aucun nom.
    texte = PdfReader(tmp_path / "bordereau-lot-lot-E1-L001-v1.pdf").pages[0].extract_text()
    assert all(n in texte for n in Copie.objects.filter(lot=corrige).values_list("numero", flat=True))
    assert "14,5" in texte
    assert "MARTIN" not in texte
    # Toute la session (E3 en plus), filtrée par centre de correction.
    assert _editer("bordereaux-lots", "--centre", c.code) == 0
    assert "3 document(s) : 1 nouvelle(s) version(s), 2 déjà à jour" in capsys.readouterr().out
    assert Travail.objects.filter(nature="editer:bordereau-lot").count() == 2


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        pytest.param(["plans-salle"], "précisez le centre", id="plans sans centre"),
        pytest.param(["plans-salle", "--centre", "0000000Z"], "centre « 0000000Z » inconnu", id="centre inconnu"),
        pytest.param(
            ["bordereaux-lots", "--epreuve", "E9"],
            "épreuve écrite « E9 » absente du calendrier de la session (épreuves : E1, E3)",
            id="épreuve inconnue",
        ),
        pytest.param(
            ["convocations", "--centre", "0630001J", "--epreuve", "E1"],
            "--epreuve ne vaut que pour plans-salle et bordereaux-lots",
            id="--epreuve hors des écrits",
        ),
    ],
)
def test_erreurs_d_usage_en_francais(ecrits, capsys, arguments: list[str], message: str) -> None:
    assert _editer(*arguments) == 2
    assert message in capsys.readouterr().err
    assert not Travail.objects.exists()
    assert not Version.objects.exists()
