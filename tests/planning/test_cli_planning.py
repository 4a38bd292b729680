"""Les sous-commandes `examens planifier | verifier-planning | bornes | generer-centre`."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from examens.cli.main import main
from examens.planning.formats import lire_instance_fichier, lire_planning_fichier


@pytest.fixture
def centre(tmp_path: Path) -> Path:
    chemin = tmp_path / "centre.json"
    assert main(["generer-centre", "--candidats", "15", "--jours", "2", "--graine", "4", "-o", str(chemin)]) == 0
    return chemin


def test_generer_planifier_verifier(centre: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    instance = lire_instance_fichier(centre)
    assert len(instance.candidats) == 15
    assert "--graine 4" in instance.nom
    assert "examens" in instance.nom
    sortie = tmp_path / "planning.json"
    assert main(["planifier", str(centre), "-o", str(sortie), "--methode", "glouton"]) == 0
    assert lire_planning_fichier(sortie).statistiques is not None
    assert main(["verifier-planning", str(centre), str(sortie)]) == 0
    assert "Planning valide" in capsys.readouterr().out


def test_planifier_cpsat_montre_sa_progression(
    centre: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sortie = tmp_path / "planning.json"
    assert main(["planifier", str(centre), "-o", str(sortie), "--temps-max", "3", "--workers", "1"]) == 0
    sorties = capsys.readouterr()
    assert "affectation des jours" in sorties.err
    assert "non planifiés" in sorties.out
    assert main(["verifier-planning", str(centre), str(sortie)]) == 0


def test_planifier_avec_un_plafond_d_attente(centre: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sortie = tmp_path / "planning.json"
    arguments = ["planifier", str(centre), "-o", str(sortie), "--temps-max", "3", "--workers", "1"]
    assert main([*arguments, "--plafond-attente", "0,6"]) == 0  # la virgule décimale est acceptée
    assert main(["verifier-planning", str(centre), str(sortie)]) == 0
    capsys.readouterr()
    assert main([*arguments, "--plafond-attente", "0.6", "--methode", "glouton"]) == 2
    assert "ne s'applique qu'à la méthode cpsat" in capsys.readouterr().err


def test_verifier_un_planning_corrompu(centre: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sortie = tmp_path / "planning.json"
    main(["planifier", str(centre), "-o", str(sortie), "--methode", "glouton"])
    donnees = orjson.loads(sortie.read_bytes())
    donnees["passages"].pop()
    sortie.write_bytes(orjson.dumps(donnees))
    capsys.readouterr()
    assert main(["verifier-planning", str(centre), str(sortie)]) == 1
    assert "règle 1" in capsys.readouterr().out


def test_bornes(centre: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bornes", str(centre)]) == 0
    sortie = capsys.readouterr().out
    assert "jours-candidats       ≥" in sortie
    assert "faisable" in sortie


def test_bornes_aux_jours_d_un_planning(centre: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sortie = tmp_path / "planning.json"
    assert main(["planifier", str(centre), "-o", str(sortie), "--methode", "glouton"]) == 0
    capsys.readouterr()
    assert main(["bornes", str(centre), "--planning", str(sortie)]) == 0
    lignes = capsys.readouterr().out.splitlines()
    ligne = next(x for x in lignes if "demi-journées (comm.) ≥" in x)
    borne = int(ligne.split("≥")[1].split()[0])
    # avec les loges et les postes partagés, la borne peut dépasser la somme des groupes, affichée à côté
    par_groupe = int(ligne.split("groupe par groupe : ")[1].split()[0]) if "groupe par groupe" in ligne else borne
    a_jours_fixes = next(x for x in lignes if f"demi-journées aux jours de {sortie} ≥" in x)
    assert borne <= int(a_jours_fixes.split("≥")[1].split()[0])
    # l'écart groupe par groupe : borne → bornes de chaque jour → planning, qui se somment comme au-dessus
    debut = lignes.index("Demi-journées par groupe de commissions (borne → bornes de chaque jour → planning) :")
    groupes = [x for x in lignes[debut + 1 :] if x.startswith("  ") and "→" in x]
    assert any(x.split()[0] == "E4" for x in groupes)
    triplets = [[int(v) for v in x.split("(")[0].split()[1:] if v != "→"] for x in groupes]
    assert all(b <= j <= p for b, j, p in triplets)
    assert sum(b for b, _, _ in triplets) == par_groupe <= borne
    assert main(["bornes", str(centre), "--planning", str(tmp_path / "absent.json")]) == 1
    assert "impossible de lire" in capsys.readouterr().err


def test_fichier_invalide_code_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mauvais = tmp_path / "mauvais.json"
    mauvais.write_text('{"format": "examens/planning-instance@1", "jours": []}')
    assert main(["bornes", str(mauvais)]) == 1
    assert "clé obligatoire manquante" in capsys.readouterr().err
    assert main(["planifier", str(tmp_path / "absent.json"), "-o", str(tmp_path / "p.json")]) == 1
    assert "impossible de lire" in capsys.readouterr().err


@pytest.mark.parametrize(
    "arguments",
    [
        ["planifier", "x.json"],
        ["planifier", "x.json", "-o", "p.json", "--methode", "magique"],
        ["planifier", "x.json", "-o", "p.json", "--temps-max", "-3"],
        ["planifier", "x.json", "-o", "p.json", "--plafond-attente", "beaucoup"],
        ["planifier", "x.json", "-o", "p.json", "--plafond-attente", "0"],
        ["generer-centre", "--candidats", "zéro", "-o", "c.json"],
        ["verifier-planning", "x.json"],
    ],
)
def test_erreurs_d_usage_code_2(arguments: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as sortie:
        main(arguments)
    assert sortie.value.code == 2
    assert "erreur" in capsys.readouterr().err
