"""Les commandes des écrits : simulation par défaut (rien n'est écrit), `--appliquer` enregistre ; l'import
des notes de copies liste chaque erreur avec sa ligne et sa colonne, et n'écrit rien tant qu'il en reste."""

from __future__ import annotations

from pathlib import Path

import pytest
from fabriques_deliberation import candidat
from fabriques_ecrits import calendrier, centre, correcteur, etablissement, salles, tous_presents
from openpyxl import Workbook

from examens.apps.ecrits import services
from examens.apps.ecrits.models import Copie, Correspondance, Lot, Place, Saisie
from examens.apps.historique.models import Trace
from examens.cli.main import main

pytestmark = pytest.mark.django_db


@pytest.fixture
def centre_pret(session, clermont):
    e1 = calendrier(session, "E1")["E1"]
    c = centre(clermont, "0630001")
    salles(c, ("A", "ecrit", 10), ("L", "loge", 2))
    lycee = etablissement(clermont, "0630010")
    for i in range(6):
        candidat(session, centre=c, etablissement=lycee, temps_majore=i == 0)
    return e1, c, lycee


def _compte() -> tuple[int, ...]:
    return (
        Place.objects.count(),
        Copie.objects.count(),
        Correspondance.objects.count(),
        Lot.objects.count(),
        Saisie.objects.count(),
        Trace.objects.count(),
    )


def test_repartir_ecrits_simule_puis_applique(centre_pret, capsys) -> None:
    _, c, _ = centre_pret
    assert main(["repartir-ecrits", "--session", "bts-ndrc-2022", "--centre", c.code]) == 0
    sortie = capsys.readouterr().out
    assert "  A " in sortie
    assert "Simulation : rien n'a été enregistré" in sortie
    assert _compte() == (0, 0, 0, 0, 0, 0)
    assert main(["repartir-ecrits", "--session", "bts-ndrc-2022", "--centre", c.code, "--appliquer"]) == 0
    sortie = capsys.readouterr().out
    assert "places créées : 6" in sortie
    assert "Simulation" not in sortie
    assert Place.objects.count() == 6
    assert Place.objects.get(candidat__temps_majore=True).salle.nom == "L"  # tiers temps en salle dédiée


def test_repartir_ecrits_centre_inconnu(centre_pret, capsys) -> None:
    assert main(["repartir-ecrits", "--session", "bts-ndrc-2022", "--centre", "9999999Z"]) == 2
    assert "centre « 9999999Z » inconnu" in capsys.readouterr().err


def test_lots_simule_puis_applique(centre_pret, session, clermont, capsys) -> None:
    e1, c, _ = centre_pret
    services.repartir_centre(session=session, centre=c, acteur="dec", appliquer=True)
    tous_presents(e1)
    avant = _compte()
    assert main(["lots", "--session", "bts-ndrc-2022", "--epreuve", "E1", "--taille", "4"]) == 0
    sortie = capsys.readouterr().out
    assert "6 copie(s) à anonymiser, 6 copie(s) réparties en 2 nouveau(x) lot(s)" in sortie
    assert "Simulation" in sortie
    assert _compte() == avant
    autre = etablissement(clermont, "0630020")
    correcteur(session, "X9", clermont, autre)
    code = main(
        ["lots", "--session", "bts-ndrc-2022", "--epreuve", "e1", "--taille", "4", "--correcteurs", "X9", "--appliquer"]
    )
    assert code == 0
    sortie = capsys.readouterr().out
    assert "6 copie(s) anonymisée(s)" in sortie
    assert "lot E1-L001 → correcteur X9" in sortie
    assert (Copie.objects.count(), Lot.objects.filter(correcteur__code="X9").count()) == (6, 2)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        pytest.param(["--epreuve", "E2"], "absente du calendrier", id="épreuve orale"),
        pytest.param(["--epreuve", "E1", "--correcteurs", "X404"], "correcteur(s) inconnu(s)", id="correcteur inconnu"),
        pytest.param(["--epreuve", "E1", "--taille", "0"], "au moins une copie", id="taille nulle"),
    ],
)
def test_lots_erreurs_d_usage(centre_pret, capsys, arguments: list[str], message: str) -> None:
    assert main(["lots", "--session", "bts-ndrc-2022", *arguments]) == 2
    assert message in capsys.readouterr().err


@pytest.fixture
def lot_a_noter(centre_pret, session, clermont):
    e1, c, _ = centre_pret
    services.repartir_centre(session=session, centre=c, acteur="dec", appliquer=True)
    tous_presents(e1)
    x = correcteur(session, "X9", clermont, etablissement(clermont, "0630020"))
    services.constituer_lots(epreuve=e1, acteur="dec", appliquer=True, correcteurs=[x])
    return sorted(Copie.objects.values_list("numero", flat=True))


def _csv(tmp_path: Path, lignes: list[str], nom: str = "notes.csv") -> Path:
    chemin = tmp_path / nom
    chemin.write_text("\n".join(["epreuve;numero_anonymat;note", *lignes]) + "\n", encoding="utf-8")
    return chemin


def test_importer_notes_copies_erreurs_situees_rien_n_est_ecrit(lot_a_noter, tmp_path, capsys) -> None:
    n = lot_a_noter
    faux = n[1][:-1] + str((int(n[1][-1]) + 1) % 10)  # clé de contrôle fausse
    chemin = _csv(tmp_path, [f"E1;{n[0]};12,5", f"E1;{faux};12", f"E1;{n[2]};21", f"E2;{n[3]};10", f"E1;{n[0]};13"])
    avant = _compte()
    assert main(["importer-notes-copies", str(chemin), "--appliquer"]) == 1
    erreurs = capsys.readouterr().err
    assert f"Ligne 3, colonne numero_anonymat (B) : « {faux} » n'est pas un numéro d'anonymat valide" in erreurs
    assert "Ligne 4, colonne note (C) : la note « 21 » dépasse 20" in erreurs
    assert "Ligne 5, colonne epreuve (A) : épreuve écrite « E2 » inconnue du calendrier" in erreurs
    assert "Ligne 6, colonne numero_anonymat (B) : la copie" in erreurs
    assert "4 erreur(s) dans notes.csv : rien n'a été enregistré" in erreurs
    assert _compte() == avant


def test_importer_notes_copies_double_saisie(lot_a_noter, tmp_path, capsys) -> None:
    n = lot_a_noter
    premiere = _csv(tmp_path, [f"E1;{x};12,5" for x in n], "saisie1.csv")
    avant = _compte()
    assert main(["importer-notes-copies", str(premiere)]) == 0
    assert "Simulation" in capsys.readouterr().out
    assert _compte() == avant
    assert main(["importer-notes-copies", str(premiere), "--appliquer"]) == 0
    assert Saisie.objects.filter(rang=1).count() == 6
    assert not Copie.objects.filter(note_initiale__isnull=False).exists()
    # Seconde saisie au format XLSX, sans colonne d'épreuve (--epreuve) ; une note diffère.
    classeur = Workbook()
    feuille = classeur.active
    feuille.append(["Numéro d'anonymat", "Note"])
    for i, x in enumerate(n):
        feuille.append([x, 12.5 if i else 15])
    seconde = tmp_path / "saisie2.xlsx"
    classeur.save(seconde)
    assert main(["importer-notes-copies", str(seconde), "--epreuve", "E1", "--saisie", "2", "--appliquer"]) == 0
    sortie = capsys.readouterr().out
    assert "Notes validées : 5 ; écarts entre les deux saisies : 1" in sortie
    assert n[0] in sortie
    assert Copie.objects.get(numero=n[0]).ecart
    assert Trace.objects.filter(objet_type="ecrits.saisie", motif="import du fichier saisie2.xlsx").count() == 6


def test_importer_notes_copies_fichier_introuvable(session, capsys) -> None:
    assert main(["importer-notes-copies", "absent.csv"]) == 2
    assert "Fichier introuvable" in capsys.readouterr().err
    assert main(["importer-notes-copies", "notes.ods"]) == 2
