"""Tests boîte noire de `examens deliberer`, écrits d'après son contrat (issue 2, point 3) et le règlement (§3–§5).

Chaque test donne un vrai fichier à la commande (CSV, XLSX, JSON) et regarde seulement ce qu'elle rend : le
code de sortie, la sortie standard, la sortie d'erreur et les fichiers écrits. Les valeurs attendues sont
calculées à la main dans les commentaires (coefficients §1 : E1 3, E2 3, E3 3, E4 5, E5A 2, E5B 2, E6 3 ;
diviseur 21 ; moyenne professionnelle = (5·E4 + 2·E5A + 2·E5B + 3·E6) / 12).
"""

from __future__ import annotations

import csv
import io
import json
import random
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from examens.cli.main import main

DONNEES = Path(__file__).resolve().parents[1] / "data" / "deliberation"
SESSION_CSV = DONNEES / "session.csv"
SESSION_JSON = DONNEES / "session.json"
ERREURS_CSV = DONNEES / "erreurs.csv"
EXAMENS = Path(sys.executable).with_name("examens")

CHAMPS = [
    "candidat",
    "decision",
    "motif",
    "apres_controle",
    "points",
    "diviseur",
    "moyenne",
    "moyenne_premier_groupe",
    "moyenne_professionnelle",
    "unites_obtenues",
]
TOUTES = ["U1", "U2", "U3", "U4", "U5", "U6"]


@dataclass
class Execution:
    code: int
    sortie: bytes
    erreurs: str

    def json(self) -> dict:
        return json.loads(self.sortie)


@pytest.fixture
def deliberer(capsysbinary):
    """Lance `examens deliberer ARGS…` dans le processus ; rend le code, la sortie standard et la sortie d'erreur."""

    def lancer(*args: object) -> Execution:
        capsysbinary.readouterr()
        try:
            code = main(["deliberer", *(str(a) for a in args)])
        except SystemExit as exc:  # erreurs d'usage d'argparse
            code = exc.code
        capture = capsysbinary.readouterr()
        return Execution(code, capture.out, capture.err.decode("utf-8"))

    return lancer


def attendu(candidat, decision, motif, apres, points, diviseur, moyenne, premier, pro, unites):
    return dict(
        zip(CHAMPS, [candidat, decision, motif, apres, points, diviseur, moyenne, premier, pro, unites], strict=True)
    )


# tests/data/deliberation/session.csv, ligne par ligne (dans l'ordre d'entrée, volontairement non trié).
SESSION_ATTENDUE = [
    # 12,5 11 10 14 9,5 12 13 + LV2 14 : 37,5+33+30+70+19+24+39 = 252,5 ; + (14−10) = 256,5 ; /21 = 12,214…
    # pro (70+19+24+39)/12 = 152/12 = 12,666… ; U5 = (9,5+12)/2 = 10,75 ≥ 10.
    attendu("22NDRC0417", "admis", None, False, "256.50", 21, "12.21", "12.21", "12.67", TOUTES),
    # AB en E1 et NV en E4 : l'absence prime sur le non-valide (§4.1), aucune moyenne publiée.
    attendu("22NDRC0032", "ajourne", "absence", False, None, 21, None, None, None, ["U2", "U3", "U5", "U6"]),
    # NV en E6 seul : non valide ; les unités ≥ 10 sont obtenues (§4.7).
    attendu("22NDRC0281", "ajourne", "non_valide", False, None, 21, None, None, None, ["U1", "U2", "U3", "U4", "U5"]),
    # 8 8 8 9 9 9 9,5 : 72 + 45+18+18+28,5 = 181,5 ; /21 = 8,642… ≥ 8 mais pro 109,5/12 = 9,125 → « 9.13 »
    # (arrondi au plus proche, la moitié vers le haut) < 10 → ajourné, motif moyenne.
    attendu("22NDRC0150", "ajourne", "moyenne", False, "181.50", 21, "8.64", "8.64", "9.13", []),
    # 6 7 5 11 10 10 10 : 18+21+15+55+20+20+30 = 179 ; /21 = 8,523… ; pro 125/12 = 10,416… → admissible.
    attendu("22NDRC0099", "controle", None, False, "179.00", 21, "8.52", "8.52", "10.42", ["U4", "U5", "U6"]),
    # même premier groupe ; contrôle E1 14, E3 15 : 42+21+45+105 = 233 ; /21 = 11,095… → admis après contrôle,
    # les notes retenues donnent U1 et U3 (§4.4).
    attendu("22NDRC0300", "admis", None, True, "233.00", 21, "11.10", "8.52", "10.42", ["U1", "U3", "U4", "U5", "U6"]),
    # contrôle E1 7 (meilleure que 6), E2 AB (la note du premier groupe reste) : 179 + 3 = 182 ; /21 = 8,666…
    attendu("22NDRC0007", "ajourne", "moyenne", True, "182.00", 21, "8.67", "8.52", "10.42", ["U4", "U5", "U6"]),
    # progressif, E2 E5A E5B E6 non présentées : incomplet, qui prime même sur l'AB en E4 (§4.0).
    attendu("22NDRC0512", "incomplet", None, False, None, None, None, None, None, ["U1", "U3"]),
    # progressif complet, tout à 10 : 210/21 = 10 exactement → admis.
    attendu("22NDRC0123", "admis", None, False, "210.00", 21, "10.00", "10.00", "10.00", TOUTES),
    # E1 et E3 dispensées : diviseur 21 − 6 = 15 ; 27+50+20+22+30 = 149 ; /15 = 9,933… ; pro 122/12 = 10,166…
    # U1 et U3 dispensées ne sont pas « obtenues ».
    attendu("22NDRC0200", "controle", None, False, "149.00", 15, "9.93", "9.93", "10.17", ["U4", "U5", "U6"]),
    # une seule épreuve générale non dispensée → un seul contrôle (§4.4) : E2 12 → 149 + 9 = 158 ; /15 = 10,533…
    attendu("22NDRC0201", "admis", None, True, "158.00", 15, "10.53", "9.93", "10.17", ["U2", "U4", "U5", "U6"]),
    # E2 ABJ = 0 : 30+0+30+60+24+24+36 = 204 + LV2 (12−10) = 206 ; /21 = 9,809… ; contrôle sur l'ABJ permis :
    # E2 12 (+36), E1 9 < 10 ignoré : 242 ; /21 = 11,523… (points facultatifs gardés après contrôle).
    attendu("22NDRC0333", "admis", None, True, "242.00", 21, "11.52", "9.81", "12.00", TOUTES),
    # 9 9 9 11,5 8,5 8,5 10 : 81 + 57,5+17+17+30 = 202,5 ; /21 = 9,642… ; pro 121,5/12 = 10,125 → « 10.13 ».
    attendu("22NDRC0044", "controle", None, False, "202.50", 21, "9.64", "9.64", "10.13", ["U4", "U6"]),
    # 9,5 10 10 10 9,5 10 10, LV2 AB (sans points ni sanction) : 28,5+30+30+50+19+20+30 = 207,5 ; /21 = 9,880… ;
    # pro 119/12 = 9,916… < 10 → ajourné ; U5 = (9,5+10)/2 = 9,75 non obtenue (§1).
    attendu("22NDRC0045", "ajourne", "moyenne", False, "207.50", 21, "9.88", "9.88", "9.92", ["U2", "U3", "U4", "U6"]),
    # 4 4 3,5 11 11 11 11 : 34,5 + 132 = 166,5 (7,93 seul) ; + ENGAGEMENT (15−10) = 171,5 ; /21 = 8,166… ≥ 8 :
    # les points facultatifs comptent pour l'accès au contrôle (§4.4 [décision]).
    attendu("22NDRC0046", "controle", None, False, "171.50", 21, "8.17", "8.17", "11.00", ["U4", "U5", "U6"]),
    # parcours vide = globale ; E3 ABJ = 0 : 42+39+0+75+28+26+45 = 255 + (16−10) = 261 ; /21 = 12,428… ;
    # pro 174/12 = 14,5.
    attendu(
        "22NDRC0047", "admis", None, False, "261.00", 21, "12.43", "12.43", "14.50", ["U1", "U2", "U4", "U5", "U6"]
    ),
]
SESSION_RESUME = {"admis": 6, "ajourne": 5, "controle": 4, "incomplet": 1, "total": 16}


def verifier_session(donnees: dict) -> None:
    """Compare la sortie JSON de session.csv aux valeurs calculées à la main (None = non imposé par le contrat)."""
    assert donnees["reglement"] == "bts-ndrc-2022"
    assert donnees["resume"] == SESSION_RESUME
    candidats = donnees["candidats"]
    assert [c["candidat"] for c in candidats] == [a["candidat"] for a in SESSION_ATTENDUE]
    for obtenu, voulu in zip(candidats, SESSION_ATTENDUE, strict=True):
        assert list(obtenu) == CHAMPS, obtenu
        assert isinstance(obtenu["points"], str)
        assert isinstance(obtenu["diviseur"], int)
        assert isinstance(obtenu["apres_controle"], bool)
        for champ, valeur in voulu.items():
            if valeur is None and champ in ("points", "diviseur"):
                continue  # points d'un absent ou d'un incomplet : le contrat ne les fixe pas
            if valeur is None and voulu["decision"] == "incomplet" and champ.startswith("moyenne"):
                continue
            assert obtenu[champ] == valeur, (voulu["candidat"], champ, obtenu[champ], valeur)


def lire_csv_sortie(octets: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(octets.decode("utf-8-sig"), newline=""), delimiter=";"))


# --- Décisions ---------------------------------------------------------------------------------------


def test_session_realiste_decisions_et_champs_exacts(deliberer):
    r = deliberer(SESSION_CSV, "-q")
    assert r.code == 0, r.erreurs
    verifier_session(r.json())
    assert "Avertissement" not in r.erreurs


def test_resume_sur_stderr_sauf_en_silencieux(deliberer):
    r = deliberer(SESSION_CSV)
    assert r.code == 0
    assert "16" in r.erreurs
    assert json.loads(r.sortie)["resume"]["total"] == 16  # le résumé ne pollue pas la sortie standard
    assert deliberer(SESSION_CSV, "-q").erreurs == ""


def test_sortie_json_dans_un_fichier_identique_a_stdout(deliberer, tmp_path):
    stdout = deliberer(SESSION_CSV, "-q").sortie
    sortie = tmp_path / "resultats.json"
    r = deliberer(SESSION_CSV, "-o", sortie, "-q")
    assert r.code == 0
    assert r.sortie == b""
    assert sortie.read_bytes() == stdout


def test_ordre_d_entree_conserve(deliberer, tmp_path):
    lignes = SESSION_CSV.read_text(encoding="utf-8").splitlines()
    inverse = tmp_path / "inverse.csv"
    inverse.write_text("\n".join([lignes[0], *reversed(lignes[1:])]) + "\n", encoding="utf-8")
    donnees = deliberer(inverse, "-q").json()
    assert [c["candidat"] for c in donnees["candidats"]] == [a["candidat"] for a in reversed(SESSION_ATTENDUE)]
    assert donnees["resume"] == SESSION_RESUME


def test_bornes_exactes_du_controle(deliberer, tmp_path):
    fichier = tmp_path / "bornes.csv"
    fichier.write_text(
        "candidat;E1;E2;E3;E4;E5A;E5B;E6;LV2\n"
        # 36 + 132 = 168 ; /21 = 8 exactement ; pro 11 → contrôle (≥ 8)
        "huit;4;4;4;11;11;11;11;\n"
        # 34,5 + 132 = 166,5 ; /21 = 7,928… → ajourné
        "sous-huit;4;4;3,5;11;11;11;11;\n"
        # 28,5 + 60 + 120 = 208,5 ; + LV2 (11−10) = 209,5 ; /21 = 9,976… → « 9.98 » mais < 10 : pas admis ;
        # pro 120/12 = 10 exactement → contrôle
        "presque-dix;9,5;10;10;10;10;10;10;11\n"
        # pro = (50+20+20+28,5)/12 = 118,5/12 = 9,875 → « 9.88 » ; 90 + 118,5 = 208,5 ; /21 = 9,928… → ajourné
        "pro-sous-dix;10;10;10;10;10;10;9,5;\n",
        encoding="utf-8",
    )
    candidats = {c["candidat"]: c for c in deliberer(fichier, "-q").json()["candidats"]}
    assert (candidats["huit"]["decision"], candidats["huit"]["moyenne"]) == ("controle", "8.00")
    assert (candidats["sous-huit"]["decision"], candidats["sous-huit"]["motif"]) == ("ajourne", "moyenne")
    assert candidats["sous-huit"]["moyenne"] == "7.93"
    assert candidats["presque-dix"]["decision"] == "controle"
    assert candidats["presque-dix"]["moyenne"] == "9.98"
    assert candidats["presque-dix"]["moyenne_professionnelle"] == "10.00"
    assert candidats["pro-sous-dix"]["decision"] == "ajourne"
    assert candidats["pro-sous-dix"]["moyenne"] == "9.93"
    assert candidats["pro-sous-dix"]["moyenne_professionnelle"] == "9.88"


# --- En-têtes, séparateurs, encodages --------------------------------------------------------------------


def test_entetes_sans_casse_ni_espaces_superflus(deliberer, tmp_path):
    lignes = SESSION_CSV.read_text(encoding="utf-8").splitlines()
    entete = " Candidat ;PARCOURS; e1 ;E2;e3;E4 ;e5a;E5b; e6;lv2;Engagement;controle_e1;  Controle_E2 ;CONTROLE_E3"
    fichier = tmp_path / "entetes.csv"
    fichier.write_text("\n".join([entete, *lignes[1:]]) + "\n", encoding="utf-8")
    r = deliberer(fichier, "-q")
    assert r.code == 0, r.erreurs
    assert "Avertissement" not in r.erreurs
    assert r.sortie == deliberer(SESSION_CSV, "-q").sortie


def test_colonne_inconnue_avertissement_et_sortie_produite(deliberer, tmp_path):
    lignes = SESSION_CSV.read_text(encoding="utf-8").splitlines()
    fichier = tmp_path / "remarques.csv"
    fichier.write_text(
        "\n".join([lignes[0] + ";Observations du jury"] + [ligne + ";RAS" for ligne in lignes[1:]]) + "\n",
        encoding="utf-8",
    )
    sortie = tmp_path / "resultats.json"
    r = deliberer(fichier, "-o", sortie, "-q")
    assert r.code == 0, r.erreurs
    assert "Observations du jury" in r.erreurs
    verifier_session(json.loads(sortie.read_bytes()))


def test_csv_virgule_detecte(deliberer):
    r = deliberer(DONNEES / "virgule.csv", "-q")
    assert r.code == 0, r.erreurs
    par_id = {c["candidat"]: c for c in r.json()["candidats"]}
    session = {a["candidat"]: a for a in SESSION_ATTENDUE}
    assert list(par_id) == ["22NDRC0417", "22NDRC0300", "22NDRC0200", "22NDRC0512"]
    for cid in ("22NDRC0417", "22NDRC0300", "22NDRC0200"):  # « "9,5" » entre guillemets compris
        assert par_id[cid] == session[cid]
    assert par_id["22NDRC0512"]["decision"] == "incomplet"
    assert r.json()["resume"] == {"admis": 2, "ajourne": 0, "controle": 1, "incomplet": 1, "total": 4}


def test_csv_utf8_avec_bom(deliberer):
    r = deliberer(DONNEES / "utf8-bom.csv", "-q")
    assert r.code == 0, r.erreurs
    assert "Commentaire" in r.erreurs
    candidats = r.json()["candidats"]
    assert [c["candidat"] for c in candidats] == ["22NDRC0417", "22NDRC0099"]
    # sans LV2 : 252,5 / 21 = 12,023…
    assert (candidats[0]["decision"], candidats[0]["points"], candidats[0]["moyenne"]) == ("admis", "252.50", "12.02")
    assert candidats[1]["decision"] == "controle"


def test_csv_windows_1252_accents(deliberer):
    r = deliberer(DONNEES / "windows-1252.csv", "-q")
    assert r.code == 0, r.erreurs
    assert "Établissement" in r.erreurs  # avertissement correctement décodé
    candidats = r.json()["candidats"]
    assert [c["candidat"] for c in candidats] == ["N°2022-017", "N°2022-018", "N°2022-019"]
    assert [c["decision"] for c in candidats] == ["admis", "controle", "ajourne"]
    assert candidats[0]["moyenne"] == "12.21"
    assert candidats[2]["motif"] == "absence"


def test_ligne_blanche_ignoree_et_numeros_de_ligne_du_tableur(deliberer, tmp_path):
    fichier = tmp_path / "blanche.csv"
    fichier.write_text(
        "candidat;E1;E2;E3;E4;E5A;E5B;E6\na;12;12;12;12;12;12;12\n;;;;;;;\n\nb;12;12;12;12;12;12;25\n",
        encoding="utf-8",
    )
    r = deliberer(fichier, "-q")
    assert r.code == 1
    assert "Ligne 5" in r.erreurs
    assert "E6" in r.erreurs


# --- JSON et XLSX en entrée -------------------------------------------------------------------------


def test_json_cle_absente_vaut_cellule_vide_en_parcours_progressif(deliberer, tmp_path):
    """En JSON il n'y a pas de colonnes : une épreuve non encore présentée est une clé absente (ou null)."""
    fichier = tmp_path / "progressif.json"
    fichier.write_text(
        json.dumps(
            {
                "candidats": [
                    {"candidat": "p1", "parcours": "progressive", "E1": 12, "E2": 12, "E3": 12, "E4": 12, "E5A": 12},
                    {"candidat": "p2", "parcours": "progressive", "E1": 8, "E2": 14, "E3": None, "E4": 11},
                ]
            }
        ),
        encoding="utf-8",
    )
    r = deliberer(fichier, "-q")
    assert r.code == 0, r.erreurs
    candidats = r.json()["candidats"]
    assert [(c["candidat"], c["decision"], c["motif"]) for c in candidats] == [
        ("p1", "incomplet", None),
        ("p2", "incomplet", None),
    ]
    assert candidats[0]["unites_obtenues"] == ["U1", "U2", "U3", "U4"]  # U5 : E5B non présentée
    assert candidats[1]["unites_obtenues"] == ["U2", "U4"]


def test_json_cle_inconnue_signalee(deliberer, tmp_path):
    fichier = tmp_path / "notes.json"
    objet = {"candidat": "a", "E1": 12, "E2": 12, "E3": 12, "E4": 12, "E5A": 12, "E5B": 12, "E6": 12}
    fichier.write_text(json.dumps({"candidats": [{**objet, "Remarque": "RAS"}]}), encoding="utf-8")
    r = deliberer(fichier, "-q")
    assert r.code == 0, r.erreurs
    assert "Remarque" in r.erreurs
    assert "[-1]" not in r.erreurs  # la position citée doit exister dans le fichier
    assert r.json()["candidats"][0]["decision"] == "admis"


def test_entree_json_equivalente_au_csv(deliberer):
    r = deliberer(SESSION_JSON, "-q")
    assert r.code == 0, r.erreurs
    assert r.sortie == deliberer(SESSION_CSV, "-q").sortie


def _valeur_xlsx(texte: str, i: int) -> object:
    """Comme la saisit un gestionnaire : nombres (entiers, décimaux) ; quelques notes en texte « 12,5 »."""
    if texte == "":
        return None
    try:
        nombre = float(texte.replace(",", "."))
    except ValueError:
        return texte
    if "," in texte and i % 2 == 0:
        return texte  # note saisie comme texte
    return int(nombre) if nombre.is_integer() and i % 3 else nombre  # 12 ou 12.0


def session_xlsx(chemin: Path) -> Path:
    lignes = list(csv.reader(SESSION_CSV.read_text(encoding="utf-8").splitlines(), delimiter=";"))
    classeur = Workbook()
    feuille = classeur.active
    feuille.title = "Notes"
    feuille.append(lignes[0])
    for i, ligne in enumerate(lignes[1:]):
        feuille.append([ligne[0], ligne[1] or None, *(_valeur_xlsx(v, i) for v in ligne[2:])])
    classeur.save(chemin)
    return chemin


def test_entree_xlsx_nombres_et_texte(deliberer, tmp_path):
    fichier = session_xlsx(tmp_path / "notes.xlsx")
    r = deliberer(fichier, "-q")
    assert r.code == 0, r.erreurs
    assert r.sortie == deliberer(SESSION_CSV, "-q").sortie
    verifier_session(r.json())


def test_entree_xlsx_erreurs_avec_numero_de_ligne(deliberer, tmp_path):
    classeur = Workbook()
    feuille = classeur.active
    feuille.append(["candidat", "E1", "E2", "E3", "E4", "E5A", "E5B", "E6"])
    feuille.append(["a", 12, 12.5, "12,5", 12, 12, 12, 12])
    feuille.append(["b", 12, 21.0, 12, 12, 12, 12, 12])
    feuille.append(["c", "12,3", 12, 12, "DI", 12, 12, 12])
    fichier = tmp_path / "notes.xlsx"
    classeur.save(fichier)
    sortie = tmp_path / "resultats.xlsx"
    r = deliberer(fichier, "-o", sortie)
    assert r.code == 1
    assert _ligne_mentionne(r.erreurs, 3, "E2")
    assert _ligne_mentionne(r.erreurs, 4, "E1")
    assert _ligne_mentionne(r.erreurs, 4, "E4")
    assert not sortie.exists()


# --- Sorties CSV et XLSX -------------------------------------------------------------------------------


def test_sortie_csv_francaise(deliberer, tmp_path):
    sortie = tmp_path / "resultats.csv"
    r = deliberer(SESSION_CSV, "-o", sortie, "-q")  # format déduit de l'extension
    assert r.code == 0, r.erreurs
    octets = sortie.read_bytes()
    assert deliberer(SESSION_CSV, "--format", "csv", "-q").sortie == octets
    lignes = lire_csv_sortie(octets)
    entete = lignes[0]
    assert entete[0] == "Candidat"
    assert "Décision" in entete
    assert "Moyenne" in entete
    assert "Points" in entete
    assert len(lignes) == 1 + 16
    assert all(len(ligne) == len(entete) for ligne in lignes)
    par_id = {ligne[0]: dict(zip(entete, ligne, strict=True)) for ligne in lignes[1:]}
    assert [ligne[0] for ligne in lignes[1:]] == [a["candidat"] for a in SESSION_ATTENDUE]
    admis = par_id["22NDRC0417"]
    assert admis["Points"] == "256,50"
    assert admis["Moyenne"] == "12,21"
    assert admis["Décision"].lower().startswith("admis")
    assert par_id["22NDRC0044"]["Moyenne professionnelle"] == "10,13"
    assert par_id["22NDRC0300"]["Moyenne"] == "11,10"
    # virgule décimale partout : aucune cellule « 12.21 »
    assert not [cellule for ligne in lignes[1:] for cellule in ligne if re.fullmatch(r"\d+\.\d+", cellule)]


def test_sortie_xlsx_relisible(deliberer, tmp_path):
    sortie = tmp_path / "resultats.xlsx"
    r = deliberer(SESSION_CSV, "-o", sortie, "-q")
    assert r.code == 0, r.erreurs
    assert r.sortie == b""
    classeur = load_workbook(sortie)
    feuille = classeur.worksheets[0]
    lignes = [list(ligne) for ligne in feuille.iter_rows(values_only=True)]
    entete = lignes[0]
    assert entete[0] == "Candidat"
    assert "Décision" in entete
    assert "Moyenne" in entete
    assert [ligne[0] for ligne in lignes[1:]] == [a["candidat"] for a in SESSION_ATTENDUE]
    admis = dict(zip(entete, lignes[1], strict=True))
    assert float(admis["Points"]) == 256.5
    assert float(admis["Moyenne"]) == 12.21
    assert int(admis["Diviseur"]) == 21
    absent = dict(zip(entete, lignes[2], strict=True))
    assert absent["Moyenne"] in (None, "")
    classeur.close()


def test_format_xlsx_avec_extension_explicite(deliberer, tmp_path):
    sortie = tmp_path / "resultats.tableur"
    r = deliberer(SESSION_CSV, "--format", "xlsx", "-o", sortie, "-q")
    assert r.code == 0, r.erreurs
    classeur = load_workbook(shutil.copy(sortie, tmp_path / "copie.xlsx"), read_only=True)
    assert next(classeur.worksheets[0].iter_rows(values_only=True))[0] == "Candidat"
    classeur.close()


# --- Mauvaises entrées : code 1, toutes les erreurs, aucun fichier ------------------------------------------


def _ligne_mentionne(stderr: str, ligne: int, colonne: str) -> bool:
    """Une ligne de stderr cite « Ligne N » et la colonne."""
    return any(
        f"Ligne {ligne}," in texte or f"Ligne {ligne} " in texte for texte in stderr.splitlines() if colonne in texte
    )


# (ligne du tableur, colonne citée, cas) pour tests/data/deliberation/erreurs.csv
ERREURS_ATTENDUES = [
    (3, "E2", "note 21"),
    (3, "E5A", "NV interdit en E5A (même ligne : les deux erreurs)"),
    (4, "E1", "note 12,3"),
    (4, "E3", "note 12.25"),
    (5, "E4", "DI interdit en E4"),
    (6, "E1", "NV interdit en E1"),
    (7, "candidat", "identifiant en double (ligne 2)"),
    (8, "E3", "cellule obligatoire vide en parcours global"),
    (9, "CONTROLE_E1", "contrôle d'un candidat non admissible (moyenne < 8)"),
    (10, "CONTROLE_E1", "contrôle d'un candidat admis au premier groupe"),
    (11, "CONTROLE_E1", "une note de contrôle pour deux attendues"),
    (12, "CONTROLE_E3", "trois notes de contrôle"),
    (13, "CONTROLE_E1", "contrôle sur une épreuve dispensée"),
    (14, "parcours", "parcours inconnu"),
    (15, "LV2", "ABJ interdit en LV2"),
    (16, "CONTROLE_E2", "DI interdit en contrôle"),
    (17, "ENGAGEMENT", "note facultative 20,5"),
    (18, "candidat", "identifiant vide"),
    (19, "CONTROLE_E1", "contrôle d'un candidat absent (AB en E5B)"),
]


def test_toutes_les_erreurs_listees_aucun_fichier(deliberer, tmp_path):
    sortie = tmp_path / "resultats.json"
    r = deliberer(ERREURS_CSV, "-o", sortie)
    assert r.code == 1
    assert r.sortie == b""
    assert not sortie.exists()
    assert list(tmp_path.iterdir()) == []  # pas même un fichier temporaire
    manquantes = [cas for ligne, colonne, cas in ERREURS_ATTENDUES if not _ligne_mentionne(r.erreurs, ligne, colonne)]
    assert not manquantes, r.erreurs
    # les lignes correctes (2 et 20) ne sont pas signalées ; la ligne 2 n'est citée que comme « déjà ligne 2 »
    assert not _ligne_mentionne(r.erreurs, 20, "")
    assert not any(texte.strip().startswith("Ligne 2,") for texte in r.erreurs.splitlines())
    # en français
    assert "erreur" in r.erreurs.lower()


@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx"])
def test_fichier_existant_intact_en_cas_d_erreur(deliberer, tmp_path, fmt):
    sortie = tmp_path / f"resultats.{fmt}"
    sortie.write_bytes(b"ANCIEN CONTENU")
    r = deliberer(ERREURS_CSV, "-o", sortie)
    assert r.code == 1
    assert sortie.read_bytes() == b"ANCIEN CONTENU"
    assert sorted(p.name for p in tmp_path.iterdir()) == [sortie.name]


def test_sans_o_rien_sur_stdout_en_cas_d_erreur(deliberer):
    r = deliberer(ERREURS_CSV, "--format", "csv")
    assert r.code == 1
    assert r.sortie == b""


def test_colonne_obligatoire_absente(deliberer, tmp_path):
    fichier = tmp_path / "sans-e6.csv"
    fichier.write_text("candidat;E1;E2;E3;E4;E5A;E5B\na;12;12;12;12;12;12\n", encoding="utf-8")
    sortie = tmp_path / "resultats.csv"
    r = deliberer(fichier, "-o", sortie)
    assert r.code == 1
    assert "E6" in r.erreurs
    assert not sortie.exists()


def test_colonne_candidat_absente(deliberer, tmp_path):
    fichier = tmp_path / "sans-id.csv"
    fichier.write_text("E1;E2;E3;E4;E5A;E5B;E6\n12;12;12;12;12;12;12\n", encoding="utf-8")
    r = deliberer(fichier)
    assert r.code == 1
    assert "candidat" in r.erreurs


def test_colonne_absente_et_erreurs_de_cellules_toutes_listees(deliberer, tmp_path):
    """Contrat : « toutes les erreurs listées » — une colonne manquante ne doit pas cacher les autres erreurs."""
    fichier = tmp_path / "sans-e6.csv"
    fichier.write_text(
        "candidat;E1;E2;E3;E4;E5A;E5B\na;12;21;12;12;12;12\nb;12,3;12;12;12;12;12\n",
        encoding="utf-8",
    )
    r = deliberer(fichier)
    assert r.code == 1
    assert "E6" in r.erreurs
    assert _ligne_mentionne(r.erreurs, 2, "E2"), r.erreurs
    assert _ligne_mentionne(r.erreurs, 3, "E1"), r.erreurs


def test_json_erreurs_avec_position(deliberer, tmp_path):
    fichier = tmp_path / "notes.json"
    fichier.write_text(
        json.dumps(
            {
                "candidats": [
                    {"candidat": "a", "E1": 12, "E2": 12, "E3": 12, "E4": 12, "E5A": 12, "E5B": 12, "E6": 12},
                    {"candidat": "b", "E1": 12, "E2": 21, "E3": 12, "E4": "DI", "E5A": 12, "E5B": 12, "E6": 12},
                ]
            }
        ),
        encoding="utf-8",
    )
    sortie = tmp_path / "resultats.json"
    r = deliberer(fichier, "-o", sortie)
    assert r.code == 1
    for colonne in ("E2", "E4"):
        # « ligne N » (2e candidat = ligne 3) ou sa position dans le JSON
        assert _ligne_mentionne(r.erreurs, 3, colonne) or f"candidats[1].{colonne}" in r.erreurs, r.erreurs
    assert not sortie.exists()


def test_json_mal_forme(deliberer, tmp_path):
    fichier = tmp_path / "notes.json"
    fichier.write_text('{"candidats": [{"candidat": "a",', encoding="utf-8")
    sortie = tmp_path / "resultats.json"
    r = deliberer(fichier, "-o", sortie)
    assert r.code in (1, 2)
    assert r.erreurs.strip()
    assert not sortie.exists()


@pytest.mark.parametrize("texte", ["1e1", "1_2"])
def test_note_dans_une_notation_non_prevue_refusee(deliberer, tmp_path, texte):
    """Contrat : une note s'écrit « 12.5 » ou « 12,5 ». « 1e1 » ou « 1_2 » est une faute de frappe, pas 10 ou 12."""
    fichier = tmp_path / "notes.csv"
    fichier.write_text(f"candidat;E1;E2;E3;E4;E5A;E5B;E6\na;{texte};12;12;12;12;12;12\n", encoding="utf-8")
    r = deliberer(fichier, "-q")
    assert r.code == 1, r.sortie
    assert _ligne_mentionne(r.erreurs, 2, "E1")


# --- Erreurs d'usage : code 2 -----------------------------------------------------------------------------


def test_fichier_introuvable(deliberer, tmp_path):
    sortie = tmp_path / "resultats.json"
    r = deliberer(tmp_path / "absent.csv", "-o", sortie)
    assert r.code == 2
    assert "absent.csv" in r.erreurs
    assert not sortie.exists()


def test_extension_inconnue(deliberer, tmp_path):
    fichier = tmp_path / "notes.txt"
    shutil.copy(SESSION_CSV, fichier)
    r = deliberer(fichier)
    assert r.code == 2
    assert r.sortie == b""
    assert "notes.txt" in r.erreurs


def test_xlsx_sans_fichier_de_sortie(deliberer):
    r = deliberer(SESSION_CSV, "--format", "xlsx")
    assert r.code == 2
    assert r.sortie == b""
    assert "-o" in r.erreurs


def test_dossier_de_sortie_introuvable(deliberer, tmp_path):
    """Un -o vers un dossier qui n'existe pas est une erreur d'usage : code 2 et un message, pas une trace Python."""
    r = deliberer(SESSION_CSV, "-o", tmp_path / "absent" / "resultats.json", "-q")
    assert r.code == 2
    assert "Traceback" not in r.erreurs
    assert "absent" in r.erreurs


def test_format_de_sortie_inconnu(deliberer):
    r = deliberer(SESSION_CSV, "--format", "pdf")
    assert r.code == 2


# --- Gros tableau : le parallélisme ne change rien --------------------------------------------------------------


def _gros_tableau(chemin: Path, n: int, *, erreurs: bool = False) -> None:
    """n lignes : les 16 cas de session.csv répétés (contrôles compris) et des lignes tirées au hasard."""
    modeles = SESSION_CSV.read_text(encoding="utf-8").splitlines()
    entete, modeles = modeles[0], [m.split(";") for m in modeles[1:]]
    alea = random.Random(2022)
    notes = [str(x / 2).replace(".", ",").removesuffix(",0") for x in range(41)]

    def cellule(codes: list[str]) -> str:
        return alea.choice(codes) if alea.random() < 0.03 else alea.choice(notes)

    lignes = [entete]
    for i in range(n):
        if i % 4 == 0:
            ligne = list(modeles[(i // 4) % len(modeles)])
            ligne[0] = f"GT{i:06d}"
        else:
            progressive = alea.random() < 0.1
            obligatoires = [
                "" if progressive and alea.random() < 0.2 else cellule(codes)
                for codes in [["AB", "ABJ", "DI"], ["AB", "ABJ"], ["AB", "ABJ", "DI"], ["AB", "ABJ", "NV"]]
                + [["AB", "ABJ"]] * 2
                + [["AB", "ABJ", "NV"]]
            ]
            facultatives = [alea.choice(["", "", "AB", *notes]) for _ in range(2)]
            ligne = [
                f"GT{i:06d}",
                "progressive" if progressive else "globale",
                *obligatoires,
                *facultatives,
                "",
                "",
                "",
            ]
        lignes.append(";".join(ligne))
    if erreurs:  # lignes[k] est la ligne k + 1 du tableur

        def modifier(k: int, colonne: int, valeur: str) -> None:
            cellules = lignes[k].split(";")
            cellules[colonne] = valeur
            lignes[k] = ";".join(cellules)

        modifier(3, 2, "21")  # ligne 4, E1
        modifier(n // 2, 1, "modulaire")  # au milieu, parcours
        modifier(n - 10, 0, "GT000003")  # doublon de la ligne 5, dans le dernier morceau
    chemin.write_text("\n".join(lignes) + "\n", encoding="utf-8")


def _commande(*args: object) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([EXAMENS, "deliberer", *(str(a) for a in args)], capture_output=True, check=False)


def test_processus_2_identique_a_processus_1(tmp_path):
    debut = time.perf_counter()
    n = 25_000
    fichier = tmp_path / "gros.csv"
    _gros_tableau(fichier, n)
    un = _commande(fichier, "--processus", "1", "-q")
    deux = _commande(fichier, "--processus", "2", "-q")
    assert un.returncode == 0, un.stderr.decode()
    assert deux.returncode == 0, deux.stderr.decode()
    assert deux.stdout == un.stdout
    donnees = json.loads(deux.stdout)
    assert [c["candidat"] for c in donnees["candidats"]] == [f"GT{i:06d}" for i in range(n)]
    assert donnees["resume"]["total"] == n
    assert sum(v for k, v in donnees["resume"].items() if k != "total") == n
    # un modèle sur quatre reprend session.csv : mêmes décisions
    for i in range(0, 64, 4):
        voulu = dict(SESSION_ATTENDUE[i // 4], candidat=f"GT{i:06d}")
        obtenu = donnees["candidats"][i]
        assert {k: v for k, v in obtenu.items() if voulu[k] is not None or k == "motif"} == {
            k: v for k, v in voulu.items() if v is not None or k == "motif"
        }
    csv1, csv2 = tmp_path / "un.csv", tmp_path / "deux.csv"
    assert _commande(fichier, "--processus", "1", "-q", "-o", csv1).returncode == 0
    assert _commande(fichier, "--processus", "2", "-q", "-o", csv2).returncode == 0
    assert csv1.read_bytes() == csv2.read_bytes()
    assert time.perf_counter() - debut < 20


def test_processus_2_memes_erreurs_que_processus_1(tmp_path):
    n = 25_000
    fichier = tmp_path / "gros.csv"
    _gros_tableau(fichier, n, erreurs=True)
    sortie = tmp_path / "resultats.json"
    un = _commande(fichier, "--processus", "1", "-o", sortie)
    deux = _commande(fichier, "--processus", "2", "-o", sortie)
    assert un.returncode == deux.returncode == 1
    assert deux.stderr == un.stderr
    texte = deux.stderr.decode("utf-8")
    assert _ligne_mentionne(texte, 4, "E1"), texte
    assert _ligne_mentionne(texte, n // 2 + 1, "parcours"), texte
    assert _ligne_mentionne(texte, n - 9, "candidat"), texte
    assert not sortie.exists()


@pytest.mark.parametrize(("premier", "second"), [(10, 24_990), (100, 200), (24_000, 24_500)])
def test_processus_2_doublon_dans_un_morceau_ou_entre_deux(tmp_path, premier, second):
    """Un identifiant en double est trouvé qu'il soit dans un même morceau ou à cheval sur les deux."""
    n = 25_000
    fichier = tmp_path / "gros.csv"
    _gros_tableau(fichier, n)
    lignes = fichier.read_text(encoding="utf-8").splitlines()
    cellules = lignes[second + 1].split(";")
    cellules[0] = lignes[premier + 1].split(";")[0]
    lignes[second + 1] = ";".join(cellules)
    fichier.write_text("\n".join(lignes) + "\n", encoding="utf-8")
    sortie = tmp_path / "resultats.json"
    un = _commande(fichier, "--processus", "1", "-o", sortie)
    deux = _commande(fichier, "--processus", "2", "-o", sortie)
    assert un.returncode == deux.returncode == 1
    assert deux.stderr == un.stderr
    assert f"Ligne {second + 2}" in deux.stderr.decode("utf-8")
    assert not sortie.exists()
