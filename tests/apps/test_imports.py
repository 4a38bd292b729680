"""Imports : un fichier erroné ne change rien et dit chaque erreur (ligne, colonne, correction) ; la
simulation n'écrit rien ; réimporter ne crée pas de doublon ; chaque note changée est tracée ; le nombre de
requêtes SQL ne dépend pas du nombre de lignes. Sur de vrais fichiers CSV (Windows-1252, BOM), XLSX et ODS.
"""

from __future__ import annotations

import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook, load_workbook

from examens.apps.candidats.models import Candidat, Etablissement
from examens.apps.examinateurs.models import Examinateur
from examens.apps.historique.models import Trace
from examens.apps.imports.fichiers import lire_fichier
from examens.apps.imports.rapport import RapportImport
from examens.apps.imports.services import (
    COLONNES_CANDIDATS,
    importer_candidats,
    importer_etablissements,
    importer_examinateurs,
    importer_notes,
)
from examens.apps.notes.models import Resultat
from examens.apps.organisation.models import Academie, Centre, ExamSession
from examens.cli.main import main
from examens.core.uai import lettre_de_controle

pytestmark = pytest.mark.django_db
DONNEES = Path(__file__).parent.parent / "data" / "imports"
Lignes = list[list[Any]]


# --- Fichiers réels ---------------------------------------------------------------------------------


def csv_windows_1252(chemin: Path, lignes: Lignes) -> Path:
    """Un CSV comme l'enregistre un Excel français : « ; », Windows-1252, fins de ligne CRLF."""
    texte = "".join(";".join(str(c) for c in ligne) + "\r\n" for ligne in lignes)
    chemin.write_bytes(texte.encode("cp1252"))
    return chemin


def xlsx(chemin: Path, lignes: Lignes) -> Path:
    classeur = Workbook()
    feuille = classeur.active
    assert feuille is not None
    for ligne in lignes:
        feuille.append(ligne)
    classeur.save(chemin)
    return chemin


def fichier(tmp_path: Path, genre: str, lignes: Lignes, nom: str = "import") -> Path:
    return (xlsx if genre == "xlsx" else csv_windows_1252)(tmp_path / f"{nom}.{genre}", lignes)


def uai(chiffres: str) -> str:
    return chiffres + lettre_de_controle(chiffres)


def importer(service: Any, chemin: Path, session: ExamSession | None, appliquer: bool = True) -> RapportImport:
    return service(session=session, tableau=lire_fichier(chemin), appliquer=appliquer, acteur=f"import:{chemin.name}")


def messages(rapport: RapportImport) -> list[str]:
    return [str(e) for e in rapport.erreurs]


# --- Données de base ----------------------------------------------------------------------------------

ENTETE_CANDIDATS = [
    "numero",
    "nom",
    "prenoms",
    "date_naissance",
    "uai",
    "mode_preparation",
    "centre",
    "langue_e2",
    "langue_lv2",
]


@pytest.fixture
def lycee(clermont: Academie) -> Etablissement:
    return Etablissement.objects.create(
        uai="0630001J", nom="Lycée Sidoine-Apollinaire", academie=clermont, statut="public"
    )


@pytest.fixture
def centre(clermont: Academie) -> Centre:
    return Centre.objects.create(academie=clermont, code="0630001J", nom="Lycée Sidoine-Apollinaire")


@pytest.fixture
def candidats(session: ExamSession, lycee: Etablissement, centre: Centre) -> list[Candidat]:
    return [
        Candidat.objects.create(
            session=session, numero=f"22-00000{i}", nom=nom, prenoms="Léa", date_naissance=date(2004, 3, i),
            etablissement=lycee, mode_preparation="scolaire", centre=centre, langue_e2="anglais",
        )
        for i, nom in ((1, "MARTIN"), (2, "DUPONT"))
    ]  # fmt: skip


def ligne_candidat(numero: str, **autres: Any) -> list[Any]:
    valeurs = {
        "numero": numero, "nom": "MARTIN", "prenoms": "Léa", "date_naissance": "14/03/2004", "uai": "0630001J",
        "mode_preparation": "scolaire", "centre": "0630001J", "langue_e2": "anglais", "langue_lv2": "",
    }  # fmt: skip
    valeurs.update(autres)
    return [valeurs[c] for c in ENTETE_CANDIDATS]


def etat_de_la_base() -> tuple[int, ...]:
    return (
        Etablissement.objects.count(),
        Candidat.objects.count(),
        Examinateur.objects.count(),
        Resultat.objects.count(),
        Trace.objects.count(),
    )


# --- Critères d'acceptation : un fichier erroné ne change rien et dit chaque erreur --------------------


@pytest.mark.parametrize("genre", ["csv", "xlsx"])
def test_note_21_et_note_hors_pas_refusees(
    tmp_path: Path, genre: str, session: ExamSession, candidats: list[Candidat]
) -> None:
    chemin = fichier(
        tmp_path, genre, [["numero", "epreuve", "note"], ["22-000001", "E1", "12,5"], ["22-000001", "E4", "21"],
                          ["22-000002", "E4", "12,3"], ["22-000002", "E2", "DI"]],
    )  # fmt: skip
    avant = etat_de_la_base()
    rapport = importer(importer_notes, chemin, session)
    assert messages(rapport) == [
        "Ligne 3, colonne note (C) : la note « 21 » dépasse 20 ; écrivez une note de 0 à 20 au pas de 0,5 "
        "(par ex. 12,5) ou un code (AB, ABJ, NV).",
        "Ligne 4, colonne note (C) : la note « 12,3 » n'est pas un multiple de 0,5 (ex. 12 ou 12,5) ; écrivez une "
        "note de 0 à 20 au pas de 0,5 (par ex. 12,5) ou un code (AB, ABJ, NV).",
        "Ligne 5, colonne note (C) : le code DI n'est pas permis en E2 (codes permis : AB, ABJ) ; écrivez une note "
        "ou un code permis.",
    ]
    assert not rapport.applique
    assert etat_de_la_base() == avant


@pytest.mark.parametrize("genre", ["csv", "xlsx"])
def test_date_impossible_uai_inconnu_et_doublon(
    tmp_path: Path, genre: str, session: ExamSession, centre: Centre, lycee: Etablissement
) -> None:
    inconnu = uai("0639999")
    chemin = fichier(
        tmp_path, genre,
        [ENTETE_CANDIDATS, ligne_candidat("22-000001"), ligne_candidat("22-000002", date_naissance="31/02/2004"),
         ligne_candidat("22-000003", uai=inconnu), ligne_candidat("22-000001", nom="MARTINE"),
         ligne_candidat("22-000004", uai="0630001A")],
    )  # fmt: skip
    avant = etat_de_la_base()
    rapport = importer(importer_candidats, chemin, session)
    assert messages(rapport) == [
        "Ligne 3, colonne date_naissance (D) : date impossible « 31/02/2004 » ; écrivez JJ/MM/AAAA.",
        f"Ligne 4, colonne uai (E) : établissement « {inconnu} » inconnu ; importez-le d'abord "
        "(examens importer etablissements) ou corrigez l'UAI.",
        "Ligne 5, colonne numero (A) : le numéro « 22-000001 » figure déjà ligne 2 ; supprimez l'une des deux "
        "lignes ou corrigez-la.",
        "Ligne 6, colonne uai (E) : UAI « 0630001A » : la lettre de contrôle devrait être J (0630001J) ; "
        "vérifiez le numéro.",
    ]
    assert etat_de_la_base() == avant


def test_colonne_manquante_et_colonne_inconnue(tmp_path: Path, session: ExamSession, lycee: Etablissement) -> None:
    entete = [c for c in ENTETE_CANDIDATS if c != "date_naissance"] + ["naissanse"]
    chemin = xlsx(
        tmp_path / "candidats.xlsx",
        [entete, ["22-000001", "MARTIN", "Léa", "0630001J", "scolaire", "", "anglais", "", "x"]],
    )
    rapport = importer(importer_candidats, chemin, session)
    assert messages(rapport) == [
        "Ligne 1 : colonne obligatoire « date_naissance » absente ; ajoutez-la à l'en-tête (la date de naissance).",
        "Ligne 1, colonne naissanse (I) : colonne inconnue « naissanse » : vouliez-vous écrire « date_naissance » ? "
        "(colonnes permises : " + ", ".join(c.nom for c in COLONNES_CANDIDATS) + ").",
    ]
    assert Candidat.objects.count() == 0


def test_references_langues_et_valeurs_inconnues(
    tmp_path: Path, session: ExamSession, centre: Centre, lycee: Etablissement
) -> None:
    chemin = fichier(
        tmp_path, "csv",
        [ENTETE_CANDIDATS, ligne_candidat("22-000001", centre="0999999Z"), ligne_candidat("22-000002", langue_lv2="Anglais"),
         ligne_candidat("22-000003", mode_preparation="alternance", nom=""), ligne_candidat("22-000004", uai="")],
    )  # fmt: skip
    rapport = importer(importer_candidats, chemin, session)
    assert messages(rapport) == [
        "Ligne 2, colonne centre (G) : centre d'examen « 0999999Z » inconnu ; écrivez le code d'un centre de la "
        "session, ou laissez vide.",
        "Ligne 3, colonne langue_lv2 (I) : la langue vivante 2 « anglais » est celle de l'épreuve E2 ; choisissez "
        "une autre langue, ou laissez vide.",
        "Ligne 4, colonne nom (B) : cellule vide ; indiquez le nom de famille, par ex. « MARTIN ».",
        "Ligne 4, colonne mode_preparation (F) : « alternance » n'est pas un mode de préparation connu ; écrivez "
        "l'une des valeurs : scolaire, apprenti, formation_continue, a_distance, experience_professionnelle, individuel.",
        "Ligne 5, colonne uai (E) : un candidat en mode « scolaire » est inscrit par un établissement : indiquez son "
        "UAI (ou le mode « individuel » s'il se présente seul).",
    ]
    assert Candidat.objects.count() == 0


def test_academie_et_epreuve_inconnues(tmp_path: Path, session: ExamSession, candidats: list[Candidat]) -> None:
    etabs = csv_windows_1252(
        tmp_path / "e.csv", [["uai", "nom", "academie", "statut"], [uai("0631234"), "Lycée X", "Lyon", "public"]]
    )
    assert messages(importer(importer_etablissements, etabs, None)) == [
        "Ligne 2, colonne academie (C) : académie « Lyon » inconnu ; écrivez le code ou le nom d'une académie en base "
        "(clermont-ferrand)."
    ]
    notes = csv_windows_1252(tmp_path / "n.csv", [["numero", "epreuve", "note"], ["22-000009", "E7", "12"]])
    assert messages(importer(importer_notes, notes, session)) == [
        "Ligne 2, colonne numero (A) : candidat « 22-000009 » inconnu ; importez-le d'abord (examens importer "
        "candidats) ou corrigez le numéro (session bts-ndrc-2022).",
        "Ligne 2, colonne epreuve (B) : épreuve « E7 » inconnue du règlement bts-ndrc-2022 ; écrivez l'un des codes : "
        "E1, E2, E3, E4, E5A, E5B, E6, LV2, ENGAGEMENT.",
    ]


def test_une_seule_erreur_en_fin_de_fichier_et_rien_n_est_ecrit(
    tmp_path: Path, session: ExamSession, centre: Centre, lycee: Etablissement
) -> None:
    lignes = [ENTETE_CANDIDATS] + [ligne_candidat(f"22-{i:06d}") for i in range(1, 50)]
    lignes.append(ligne_candidat("22-000050", date_naissance="14/03/2204"))
    rapport = importer(importer_candidats, xlsx(tmp_path / "c.xlsx", lignes), session)
    assert messages(rapport) == [
        "Ligne 51, colonne date_naissance (D) : date invraisemblable « 14/03/2204 » ; vérifiez l'année (JJ/MM/AAAA)."
    ]
    assert Candidat.objects.count() == 0


# --- Encodages et formats -----------------------------------------------------------------------------


def test_csv_windows_1252_fourni(clermont: Academie) -> None:
    rapport = importer(importer_etablissements, DONNEES / "etablissements-windows-1252.csv", None)
    assert rapport.valide, messages(rapport)
    assert (rapport.crees, rapport.applique) == (2, True)
    cfa = Etablissement.objects.get(uai="0630002K")
    assert (cfa.nom, cfa.statut, cfa.habilite_ccf) == ("CFA de l'Allier — Métiers du commerce", "cfa", True)


def test_csv_utf8_avec_bom_et_virgules(session: ExamSession, clermont: Academie, centre: Centre) -> None:
    importer(importer_etablissements, DONNEES / "etablissements-windows-1252.csv", None)
    rapport = importer(importer_candidats, DONNEES / "candidats-utf8-bom.csv", session)
    assert rapport.valide, messages(rapport)
    eric = Candidat.objects.get(numero="22-000002")
    assert (eric.prenoms, eric.temps_majore, eric.categorie.code) == ("Éric", True, "A")  # CFA habilité → A
    aissatou = Candidat.objects.get(numero="22-000003")
    assert (aissatou.etablissement, aissatou.date_naissance, aissatou.categorie.code) == (None, date(2004, 2, 29), "C")


def test_xlsx_avec_vraies_dates_et_booleens(
    tmp_path: Path, session: ExamSession, centre: Centre, lycee: Etablissement
) -> None:
    chemin = xlsx(
        tmp_path / "c.xlsx",
        [["Numéro", "Nom", "Prénoms", "Date de naissance", "UAI", "Mode préparation", "Sujet agrandi", "Langue E2", "Ordinateur"],
         [22000001, "MARTIN", "Léa", date(2004, 3, 14), "0630001j", "Scolaire", True, "Anglais", "X"]],
    )  # fmt: skip
    rapport = importer(importer_candidats, chemin, session)
    assert rapport.valide, messages(rapport)
    lea = Candidat.objects.get()
    assert (lea.numero, lea.date_naissance, lea.sujet_agrandi, lea.ordinateur, lea.langue_e2, lea.temps_majore) == (
        "22000001",
        date(2004, 3, 14),
        True,
        True,
        "anglais",
        False,
    )


def test_ods(tmp_path: Path, session: ExamSession, candidats: list[Candidat]) -> None:
    """Un classeur LibreOffice : cellules répétées, nombre, date, lignes vides répétées jusqu'à la fin."""
    cellule = '<table:table-cell office:value-type="string"><text:p>{}</text:p></table:table-cell>'
    lignes = [
        "".join(cellule.format(t) for t in ("numero", "epreuve", "note")),
        cellule.format("22-000001")
        + cellule.format("E4")
        + '<table:table-cell office:value-type="float" office:value="14.5"/>'
        '<table:table-cell table:number-columns-repeated="1000"/>',
        cellule.format("22-000002") + cellule.format("E4") + cellule.format("AB"),
    ]
    contenu = (
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>'
        '<table:table table:name="notes">'
        + "".join(f"<table:table-row>{x}</table:table-row>" for x in lignes)
        + '<table:table-row table:number-rows-repeated="1048570"><table:table-cell/></table:table-row>'
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    chemin = tmp_path / "notes.ods"
    with zipfile.ZipFile(chemin, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", contenu)
    rapport = importer(importer_notes, chemin, session)
    assert rapport.valide, messages(rapport)
    assert sorted(Resultat.objects.values_list("epreuve", "etat", "note_examinateur")) == [
        ("E4", "AB", None),
        ("E4", "note", Decimal("14.5")),
    ]


# --- Simulation, réimport, historique ---------------------------------------------------------------


def test_la_simulation_n_ecrit_rien(tmp_path: Path, session: ExamSession, candidats: list[Candidat]) -> None:
    chemin = fichier(
        tmp_path, "xlsx", [["numero", "epreuve", "note"], ["22-000001", "E4", "12"], ["22-000002", "E4", "ABJ"]]
    )
    avant = etat_de_la_base()
    rapport = importer(importer_notes, chemin, session, appliquer=False)
    assert (rapport.valide, rapport.applique, rapport.crees, rapport.traces) == (True, False, 2, 0)
    assert [str(c) for c in rapport.changements] == [
        "ligne 2 : création de note 22-000001 E4",
        "ligne 3 : création de note 22-000002 E4",
    ]
    assert etat_de_la_base() == avant


def test_reimporter_ne_cree_pas_de_doublon_et_modifie(
    tmp_path: Path, session: ExamSession, centre: Centre, lycee: Etablissement
) -> None:
    lignes = [ENTETE_CANDIDATS, ligne_candidat("22-000001"), ligne_candidat("22-000002", nom="DUPONT")]
    chemin = fichier(tmp_path, "csv", lignes, "candidats")
    premier = importer(importer_candidats, chemin, session)
    assert (premier.crees, premier.modifies, premier.inchanges) == (2, 0, 0)
    second = importer(importer_candidats, chemin, session)
    assert (second.crees, second.modifies, second.inchanges, second.traces) == (0, 0, 2, 0)
    assert Candidat.objects.count() == 2

    autre = Centre.objects.create(academie=centre.academie, code="0630002K", nom="CFA de l'Allier")
    lignes[2] = ligne_candidat("22-000002", nom="DUPONT", centre="0630002K")
    troisieme = importer(importer_candidats, fichier(tmp_path, "csv", lignes, "candidats-v2"), session)
    assert (troisieme.crees, troisieme.modifies, troisieme.inchanges) == (0, 1, 1)
    assert (
        str(troisieme.changements[0]) == "ligne 3 : modification de candidat 22-000002 (centre : 0630001J → 0630002K)"
    )
    dupont = Candidat.objects.get(numero="22-000002")
    assert dupont.centre == autre
    trace = Trace.objects.pour("candidats.candidat", dupont.pk).get()
    assert (trace.acteur, trace.avant, trace.apres) == (
        "import:candidats-v2.csv",
        {"centre": "0630001J"},
        {"centre": "0630002K"},
    )


def test_chaque_note_creee_ou_changee_est_tracee(
    tmp_path: Path, session: ExamSession, candidats: list[Candidat]
) -> None:
    entete = ["numero", "nom", "epreuve", "note", "suspendue"]
    v1 = xlsx(
        tmp_path / "notes-v1.xlsx",
        [entete, ["22-000001", "Martin", "E4", 8, ""], ["22-000002", "", "e5a", "AB", "non"]],
    )
    assert importer(importer_notes, v1, session).traces == 2
    assert importer(importer_notes, v1, session).traces == 0  # même fichier : rien ne change, rien n'est tracé
    v2 = xlsx(
        tmp_path / "notes-v2.xlsx",
        [entete, ["22-000001", "MARTIN", "E4", "13,5", "oui"], ["22-000002", "", "E5A", "AB", "non"]],
    )
    rapport = importer(importer_notes, v2, session)
    assert (rapport.crees, rapport.modifies, rapport.inchanges, rapport.traces) == (0, 1, 1, 1)
    resultat = Resultat.objects.get(candidat__numero="22-000001", epreuve="E4")
    assert (resultat.note_examinateur, resultat.suspendue) == (Decimal("13.5"), True)
    creation, modification = Trace.objects.pour("notes.resultat", resultat.pk)
    assert (creation.action, creation.acteur, creation.avant) == ("creation", "import:notes-v1.xlsx", None)
    assert (modification.action, modification.acteur, modification.motif) == (
        "modification",
        "import:notes-v2.xlsx",
        "import du fichier notes-v2.xlsx",
    )
    assert modification.avant == {"etat": "note", "note_examinateur": "8.00", "suspendue": False}
    assert modification.apres == {"etat": "note", "note_examinateur": "13.50", "suspendue": True}


def test_une_note_revue_par_le_jury_ne_se_remplace_pas(
    tmp_path: Path, session: ExamSession, candidats: list[Candidat]
) -> None:
    Resultat.objects.create(candidat=candidats[0], epreuve="E4", note_examinateur=Decimal(9), note_jury=Decimal(10))
    chemin = csv_windows_1252(
        tmp_path / "n.csv",
        [
            ["numero", "epreuve", "note", "nom"],
            ["22-000001", "E4", "11", "MARTIN"],
            ["22-000002", "E4", "11", "MARTIN"],
        ],
    )
    assert messages(importer(importer_notes, chemin, session)) == [
        "Ligne 2, colonne note (C) : la note de 22-000001 en E4 a déjà été revue par le jury (10) ; une correction "
        "passe par le jury : retirez cette ligne.",
        "Ligne 3, colonne nom (D) : le candidat 22-000002 s'appelle « DUPONT » ; vérifiez le numéro ou le nom de cette ligne.",
    ]


def test_examinateurs(tmp_path: Path, session: ExamSession, lycee: Etablissement) -> None:
    entete = ["code", "nom", "prenom", "qualite", "bloc", "langue", "uai", "academie", "courriel"]
    chemin = xlsx(
        tmp_path / "examinateurs.xlsx",
        [entete, ["x0042", "DURAND", "Paul", "enseignant", 1, "", "0630001J", "clermont-ferrand", ""],
         ["X0043", "LEROY", "Anne", "Professionnelle", "", "", "", "Clermont-Ferrand", "anne@"],
         ["X0044", "KLEIN", "Eva", "enseignant", "", "Allemand", "", "clermont-ferrand", "eva.klein@ac-clermont.fr"],
         ["X0045", "ROUX", "Jean", "enseignant", "4", "", "", "clermont-ferrand", ""]],
    )  # fmt: skip
    assert messages(importer(importer_examinateurs, chemin, session)) == [
        "Ligne 3, colonne qualite (D) : « Professionnelle » n'est pas une qualité connue ; écrivez l'une des valeurs : "
        "enseignant, professionnel.",
        "Ligne 3, colonne bloc (E) : ni bloc ni langue : indiquez le bloc interrogé (1, 2 ou 3) ou la langue.",
        "Ligne 3, colonne courriel (I) : « anne@ » n'est pas une adresse électronique ; écrivez-la sous la forme "
        "nom@domaine.fr.",
        "Ligne 5, colonne bloc (E) : « 4 » n'est pas un bloc de compétences ; écrivez 1, 2, 3, ou laissez vide.",
    ]
    assert Examinateur.objects.count() == 0
    correct = xlsx(
        tmp_path / "ok.xlsx",
        [entete, ["x0042", "DURAND", "Paul", "enseignant", 1, "", "0630001J", "clermont-ferrand", ""]],
    )
    assert importer(importer_examinateurs, correct, session).crees == 1
    assert importer(importer_examinateurs, correct, session).inchanges == 1
    durand = Examinateur.objects.get()
    assert (durand.code, durand.bloc, durand.etablissement) == ("X0042", 1, lycee)


# --- Nombre de requêtes SQL indépendant du nombre de lignes ----------------------------------------


def _requetes(appel: Any) -> int:
    with CaptureQueriesContext(connection) as requetes:
        rapport = appel()
    assert rapport.valide, messages(rapport)
    assert rapport.applique
    return len(requetes)


def test_requetes_independantes_du_nombre_de_candidats(
    tmp_path: Path, session: ExamSession, centre: Centre, lycee: Etablissement, django_assert_max_num_queries: Any
) -> None:
    petit = xlsx(tmp_path / "petit.xlsx", [ENTETE_CANDIDATS] + [ligne_candidat(f"10-{i:06d}") for i in range(10)])
    grand = xlsx(tmp_path / "grand.xlsx", [ENTETE_CANDIDATS] + [ligne_candidat(f"20-{i:06d}") for i in range(100)])
    maximum = _requetes(lambda: importer(importer_candidats, petit, session))
    with django_assert_max_num_queries(maximum):
        importer(importer_candidats, grand, session)
    # Réimport avec modifications (et leurs traces) : idem.
    modifie = xlsx(
        tmp_path / "m10.xlsx", [ENTETE_CANDIDATS] + [ligne_candidat(f"10-{i:06d}", nom="X") for i in range(10)]
    )
    modifie_grand = xlsx(
        tmp_path / "m100.xlsx", [ENTETE_CANDIDATS] + [ligne_candidat(f"20-{i:06d}", nom="X") for i in range(100)]
    )
    maximum = _requetes(lambda: importer(importer_candidats, modifie, session))
    with django_assert_max_num_queries(maximum):
        importer(importer_candidats, modifie_grand, session)
    assert Trace.objects.count() == 110


def test_requetes_independantes_du_nombre_de_notes(
    tmp_path: Path, session: ExamSession, centre: Centre, lycee: Etablissement, django_assert_max_num_queries: Any
) -> None:
    Candidat.objects.bulk_create(
        Candidat(session=session, numero=f"22-{i:06d}", nom="X", prenoms="Y", date_naissance=date(2004, 1, 1), mode_preparation="individuel", langue_e2="anglais")
        for i in range(100)
    )  # fmt: skip
    entete = ["numero", "epreuve", "note"]
    for note in ("12", "14,5"):  # création, puis modification (tracées l'une et l'autre)
        petit = xlsx(tmp_path / "petit.xlsx", [entete] + [[f"22-{i:06d}", "E1", note] for i in range(10)])
        grand = xlsx(tmp_path / "grand.xlsx", [entete] + [[f"22-{i:06d}", "E3", note] for i in range(100)])
        maximum = _requetes(lambda petit=petit: importer(importer_notes, petit, session))
        with django_assert_max_num_queries(maximum):
            importer(importer_notes, grand, session)
    assert Trace.objects.count() == 220


# --- Commandes ----------------------------------------------------------------------------------------


def test_commande_importer_simulation_puis_application(
    tmp_path: Path, session: ExamSession, clermont: Academie, capsys: pytest.CaptureFixture[str]
) -> None:
    chemin = str(DONNEES / "etablissements-windows-1252.csv")
    assert main(["importer", "etablissements", chemin]) == 0
    sortie = capsys.readouterr().out
    assert "à créer : 2, à modifier : 0, inchangés : 0" in sortie
    assert "Simulation : rien n'a été enregistré" in sortie
    assert Etablissement.objects.count() == 0
    assert main(["importer", "etablissements", chemin, "--appliquer"]) == 0
    assert "créés : 2" in capsys.readouterr().out
    assert Etablissement.objects.count() == 2


def test_commande_importer_erreurs_code_1_et_fichier_d_erreurs(
    tmp_path: Path, session: ExamSession, candidats: list[Candidat], capsys: pytest.CaptureFixture[str]
) -> None:
    chemin = csv_windows_1252(tmp_path / "notes.csv", [["numero", "epreuve", "note"], ["22-000001", "E4", "21"]])
    erreurs = tmp_path / "erreurs.xlsx"
    code = main(
        ["importer", "notes", str(chemin), "--session", "bts-ndrc-2022", "--appliquer", "--erreurs", str(erreurs)]
    )
    assert code == 1
    assert "Ligne 2, colonne note (C) : la note « 21 » dépasse 20" in capsys.readouterr().err
    assert Resultat.objects.count() == 0
    feuille = load_workbook(erreurs).active
    assert feuille is not None
    lignes = list(feuille.iter_rows(values_only=True))
    assert lignes[0] == ("ligne", "colonne", "lettre", "valeur lue", "erreur et correction attendue")
    assert lignes[1][:4] == (2, "note", "C", "21")


def test_commande_importer_erreurs_d_usage(
    tmp_path: Path, session: ExamSession, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["importer", "notes", str(tmp_path / "absent.csv")]) == 2
    assert "Fichier introuvable" in capsys.readouterr().err
    (tmp_path / "notes.json").write_text("{}")
    assert main(["importer", "notes", str(tmp_path / "notes.json")]) == 2
    assert ".xlsx, .ods ou .csv" in capsys.readouterr().err
    chemin = csv_windows_1252(tmp_path / "n.csv", [["numero", "epreuve", "note"]])
    assert main(["importer", "notes", str(chemin), "--session", "bts-ndrc-2099"]) == 2
    assert "Session « bts-ndrc-2099 » inconnue (sessions en base : bts-ndrc-2022)" in capsys.readouterr().err


@pytest.mark.parametrize("type_import", ["candidats", "etablissements", "examinateurs", "notes"])
def test_modele_vierge_se_relit_sans_erreur(tmp_path: Path, session: ExamSession, type_import: str) -> None:
    sortie = tmp_path / f"modele-{type_import}.xlsx"
    assert main(["modele-import", type_import, "-o", str(sortie)]) == 0
    classeur = load_workbook(sortie)
    assert classeur.sheetnames == [type_import, "Aide"]
    assert main(["importer", type_import, str(sortie)]) == 0  # en-têtes reconnus, aucune ligne
    assert etat_de_la_base()[1:] == (0, 0, 0, 0)


@pytest.mark.parametrize("genre", ["csv", "xlsx"])
def test_colonne_manquante_ne_change_rien(
    tmp_path: Path, genre: str, session: ExamSession, candidats: list[Candidat]
) -> None:
    chemin = fichier(tmp_path, genre, [["numero", "note"], ["22-000001", "12"]])
    avant = etat_de_la_base()
    rapport = importer(importer_notes, chemin, session)
    assert messages(rapport) == [
        "Ligne 1 : colonne obligatoire « epreuve » absente ; ajoutez-la à l'en-tête (le code de l'épreuve)."
    ]
    assert etat_de_la_base() == avant


def test_encodage_inconnu_refuse_en_francais_sans_rien_ecrire(
    tmp_path: Path, session: ExamSession, candidats: list[Candidat], capsys: pytest.CaptureFixture[str]
) -> None:
    """0x81 n'existe ni en UTF-8 (seul) ni en Windows-1252 : le fichier est refusé, rien n'est écrit."""
    chemin = tmp_path / "notes.csv"
    chemin.write_bytes(b"numero;epreuve;note\r\n22-000001;E4;12\x81\r\n")
    avant = etat_de_la_base()
    code = main(["importer", "notes", str(chemin), "--appliquer"])
    assert code in (1, 2)
    assert "Encodage non reconnu" in capsys.readouterr().err
    assert etat_de_la_base() == avant
