"""Le suivi des copies des écrits à l'écran : chaque copie jusqu'à la note harmonisée, avec qui a fait quoi ; la
lecture tracée de la table de correspondance ; la commission d'harmonisation (ajustements motivés, verrouillage,
levée d'anonymat) ; les bordereaux de lots et plans de salle édités et téléchargés.

Personas du monde de `tests/conftest.py` : E1 dans les trois centres (Léa en C1, Hugo en C2, Inès à Lyon), un
lot par centre ; le lot de C1 confié au correcteur X0001 (persona « examinateur »). La gestionnaire pilote suit
et décide ; celle de Lyon suit les copies de Lyon et lit la commission sans décider ; le correcteur n'ouvre
aucune de ces pages (403) et ne relie jamais une copie à un nom.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from fabriques_deliberation import candidat
from fabriques_ecrits import calendrier, correcteur, corriger, note, salles, tous_presents

from examens.apps.ecrits import services
from examens.apps.ecrits.models import Ajustement, CommissionHarmonisation, Copie, Lot
from examens.apps.editions.models import Envoi, Version
from examens.apps.historique.models import Trace
from examens.apps.notes.models import Resultat
from personas import cas_de_la_matrice, verifier_acces

pytestmark = pytest.mark.django_db


@pytest.fixture
def ecrits(monde: Any) -> Any:
    """E1 dans les trois centres, tous présents ; un lot par centre, chacun confié à un correcteur (celui de C1 :
    X0001, la persona « examinateur »)."""
    e1 = calendrier(monde.session, "E1")["E1"]
    for centre in (monde.c1, monde.c2, monde.l1):
        salles(centre, ("A", "ecrit", 30))
        services.repartir_centre(session=monde.session, centre=centre, acteur="dec", appliquer=True)
    tous_presents(e1)
    services.constituer_lots(epreuve=e1, acteur="dec", appliquer=True)
    monde.e1 = e1
    monde.lot_c1 = Lot.objects.get(centre_correction=monde.c1)
    monde.lot_c2 = Lot.objects.get(centre_correction=monde.c2)
    monde.lot_l1 = Lot.objects.get(centre_correction=monde.l1)
    services.affecter_lot(lot=monde.lot_c1, correcteur=monde.examinateur_x, acteur="dec")
    services.affecter_lot(lot=monde.lot_c2, correcteur=correcteur(monde.session, "X0002", monde.clermont), acteur="dec")
    services.affecter_lot(lot=monde.lot_l1, correcteur=correcteur(monde.session, "X0003", monde.lyon), acteur="dec")
    monde.copie_lea = Copie.objects.get(correspondance__candidat=monde.lea)
    monde.copie_ines = Copie.objects.get(correspondance__candidat=monde.ines)
    return monde


def _client(monde: Any, persona: str) -> Client:
    client = Client()
    client.force_login(monde.utilisateur(persona))
    return client


def _tout_corriger(m: Any, defaut: str = "12") -> None:
    for lot in (m.lot_c1, m.lot_c2, m.lot_l1):
        corriger(lot, defaut=defaut)


# --- Qui ouvre quoi ----------------------------------------------------------------------------------------------

PAGES = {
    "suivi de E1": lambda m: f"/ecrits/epreuves/{m.e1.pk}/suivi/",
    "suivi de E1 en C1": lambda m: f"/ecrits/epreuves/{m.e1.pk}/suivi/?centre={m.c1.pk}",
    "suivi de E1 à Lyon": lambda m: f"/ecrits/epreuves/{m.e1.pk}/suivi/?centre={m.l1.pk}",
    "copie de C1": lambda m: f"/ecrits/copies/{m.copie_lea.pk}/",
    "copie de Lyon": lambda m: f"/ecrits/copies/{m.copie_ines.pk}/",
    "lot de C1": lambda m: f"/ecrits/lots/{m.lot_c1.pk}/suivi/",
    "lot de Lyon": lambda m: f"/ecrits/lots/{m.lot_l1.pk}/suivi/",
    "commission de E1": lambda m: f"/ecrits/epreuves/{m.e1.pk}/commission/",
    "documents de C1": lambda m: f"/ecrits/centres/{m.c1.pk}/documents/",
    "documents de C2": lambda m: f"/ecrits/centres/{m.c2.pk}/documents/",
}

# Colonnes dans l'ordre de PERSONAS :
#   anonyme, sans habilitation, pilote, Lyon, chef de centre (C1), examinateur, présidente, établissement, candidat
MATRICE: dict[str, tuple[int, ...]] = {
    "suivi de E1": (302, 403, 200, 200, 403, 403, 403, 403, 403),
    "suivi de E1 en C1": (302, 403, 200, 404, 403, 403, 403, 403, 403),
    "suivi de E1 à Lyon": (302, 403, 200, 200, 403, 403, 403, 403, 403),
    "copie de C1": (302, 403, 200, 404, 403, 403, 403, 403, 403),
    "copie de Lyon": (302, 403, 200, 200, 403, 403, 403, 403, 403),
    "lot de C1": (302, 403, 200, 404, 403, 403, 403, 403, 403),
    "lot de Lyon": (302, 403, 200, 200, 403, 403, 403, 403, 403),
    "commission de E1": (302, 403, 200, 200, 403, 403, 403, 403, 403),
    "documents de C1": (302, 403, 200, 404, 200, 403, 403, 403, 403),
    "documents de C2": (302, 403, 200, 404, 404, 403, 403, 403, 403),
}

CAS = cas_de_la_matrice(MATRICE)


def test_la_matrice_couvre_toutes_les_pages() -> None:
    assert set(MATRICE) == set(PAGES)


@pytest.mark.parametrize(("page", "persona", "attendu"), CAS)
def test_matrice_des_permissions(ecrits: Any, client: Client, page: str, persona: str, attendu: int) -> None:
    verifier_acces(client, ecrits.utilisateur(persona), PAGES[page](ecrits), attendu)


# --- Le suivi des copies -----------------------------------------------------------------------------------------


def test_la_liste_suit_chaque_copie_par_son_numero_sans_nom(ecrits: Any) -> None:
    services.saisir_notes(lot=ecrits.lot_c1, rang=1, notes={ecrits.copie_lea.numero: "11"}, acteur="examinateur")
    corriger(ecrits.lot_c2, defaut="14,5")
    page = _client(ecrits, "gestionnaire_pilote").get(f"/ecrits/epreuves/{ecrits.e1.pk}/suivi/").content.decode()
    assert "3 copies" in page
    ligne_lea = page[page.index(ecrits.copie_lea.numero) :].split("</tr>", 1)[0]
    assert ecrits.lot_c1.code in ligne_lea
    assert "Paul LEROY (X0001)" in ligne_lea  # le correcteur
    assert "11,00" in ligne_lea  # saisie 1 : note et qui
    assert "examinateur" in ligne_lea
    assert "une saisie sur deux" in ligne_lea
    hugo = Copie.objects.get(correspondance__candidat=ecrits.hugo)
    ligne_hugo = page[page.index(hugo.numero) :].split("</tr>", 1)[0]
    assert ligne_hugo.count("14,50") == 3  # saisie 1, saisie 2, note retenue
    assert "note validée" in ligne_hugo
    assert "corrigé (notes validées)" in ligne_hugo
    # Numéros d'anonymat seulement, tant que la gestionnaire ne demande pas les noms ; rien n'est tracé.
    for c in (ecrits.lea, ecrits.hugo, ecrits.ines):
        assert c.nom not in page
        assert c.numero not in page
    assert not Trace.objects.filter(objet_type="ecrits.correspondance").exists()


def test_afficher_les_noms_est_une_lecture_tracee_limitee_au_perimetre(ecrits: Any) -> None:
    adresse = f"/ecrits/epreuves/{ecrits.e1.pk}/suivi/?noms=1"
    page = _client(ecrits, "gestionnaire_lyon").get(adresse).content.decode()
    assert "PETIT Inès" in page
    assert ecrits.lea.nom not in page  # Léa compose en C1, hors de Lyon
    assert ecrits.copie_lea.numero not in page
    trace = Trace.objects.get(objet_type="ecrits.correspondance")
    assert (trace.acteur, trace.objet_id, trace.apres) == (
        "gestionnaire-lyon",
        str(ecrits.e1.pk),
        {"page": "suivi des copies", "lignes": 1},
    )
    assert ecrits.ines.numero not in str(trace.apres) + trace.objet_libelle  # la trace ne porte pas la table
    page = _client(ecrits, "gestionnaire_pilote").get(adresse).content.decode()
    assert all(f"{c.numero} — {c.nom}" in page for c in (ecrits.lea, ecrits.hugo, ecrits.ines))
    assert Trace.objects.filter(objet_type="ecrits.correspondance").count() == 2


def test_filtre_par_centre_et_par_numero(ecrits: Any) -> None:
    client = _client(ecrits, "gestionnaire_pilote")
    page = client.get(f"/ecrits/epreuves/{ecrits.e1.pk}/suivi/?centre={ecrits.c1.pk}").content.decode()
    assert ecrits.copie_lea.numero in page
    assert ecrits.copie_ines.numero not in page
    numero = ecrits.copie_ines.numero
    page = client.get(f"/ecrits/epreuves/{ecrits.e1.pk}/suivi/?numero={numero[:6]}").content.decode()
    assert numero in page
    assert ecrits.copie_lea.numero not in page
    page = client.get(f"/ecrits/epreuves/{ecrits.e1.pk}/suivi/?numero=abc").content.decode()
    assert "« abc » n&#x27;est pas un numéro d&#x27;anonymat" in page


def _requetes(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as requetes:
        reponse = client.get(url)
    assert reponse.status_code == 200, url
    return len(requetes)


def test_la_liste_lit_en_un_nombre_constant_de_requetes(ecrits: Any) -> None:
    """E1 : 3 copies ; E3 : 28 copies (25 candidats de plus), corrigées dans des lots de 5 confiés à autant de
    correcteurs. Les deux listes, avec ou sans les noms, lisent le même nombre de requêtes."""
    client = _client(ecrits, "gestionnaire_pilote")
    _tout_corriger(ecrits)
    for k in range(25):
        centre = ecrits.c1 if k % 2 else ecrits.c2
        candidat(ecrits.session, numero=f"22-5{k:05d}", centre=centre, etablissement=ecrits.lycee)
    e3 = calendrier(ecrits.session, "E3")["E3"]
    for centre in (ecrits.c1, ecrits.c2, ecrits.l1):
        services.repartir_centre(session=ecrits.session, centre=centre, acteur="dec", appliquer=True)
    tous_presents(e3)
    rapport = services.constituer_lots(epreuve=e3, acteur="dec", taille=5, appliquer=True)
    for k, lot in enumerate(rapport.lots_crees):
        services.affecter_lot(lot=lot, correcteur=correcteur(ecrits.session, f"Y{k:04d}", ecrits.clermont), acteur="d")
        corriger(lot, defaut="13")
    assert Copie.objects.filter(epreuve=e3).count() == 28
    mesures = {
        (epreuve.epreuve, noms): _requetes(client, f"/ecrits/epreuves/{epreuve.pk}/suivi/{noms}")
        for epreuve in (ecrits.e1, e3)
        for noms in ("", "?noms=1")
    }
    assert mesures[("E1", "")] == mesures[("E3", "")]
    assert mesures[("E1", "?noms=1")] == mesures[("E3", "?noms=1")]
    assert max(mesures.values()) <= 16


# --- La chronologie d'une copie ----------------------------------------------------------------------------------


def _jusqu_a_la_levee(m: Any) -> CommissionHarmonisation:
    _tout_corriger(m)
    commission = services.ouvrir_commission(epreuve=m.e1, acteur="president", president="Mme DURAND")
    services.ajuster_lot(lot=m.lot_c1, points="+1", motif="correcteur sévère", acteur="commission")
    services.verrouiller_harmonisation(commission=commission, acteur="verrou")
    services.lever_anonymat(commission=commission, acteur="levee")
    return commission


def test_la_copie_est_suivie_jusqu_a_la_note_harmonisee_avec_qui_a_fait_quoi(ecrits: Any) -> None:
    _jusqu_a_la_levee(ecrits)
    client = _client(ecrits, "gestionnaire_pilote")
    page = client.get(f"/ecrits/copies/{ecrits.copie_lea.pk}/").content.decode()
    chronologie = page[page.index("Chronologie : qui a fait quoi") :]
    lignes = chronologie.split("<tr>")[2:]
    attendus = [
        ("dec", "Anonymisation des copies de E1"),
        ("dec", f"Constitution du lot {ecrits.lot_c1.code}"),
        ("dec", f"Lot {ecrits.lot_c1.code} — correcteur"),
        ("saisie-1", "Saisie 1"),
        ("saisie-2", "Saisie 2"),
        ("saisie-2", "Note validée"),
        ("saisie-2", f"Lot {ecrits.lot_c1.code} — suivi"),
        ("president", "Commission d&#x27;harmonisation — E1"),
        ("commission", "Harmonisation"),
        ("commission", f"Ajustement d&#x27;harmonisation du lot {ecrits.lot_c1.code}"),
        ("verrou", "Harmonisation — E1 — verrouillage"),
        ("levee", "Levée d&#x27;anonymat — E1"),
    ]
    assert [(a, t) for a, t in attendus if not any(f"<td>{a}</td><td>{t}" in ligne for ligne in lignes)] == []
    assert "note harmonisée : 12,00 → 13,00 — correcteur sévère" in chronologie
    assert "statut : remis au correcteur → corrigé (notes validées)" in chronologie
    # La note retenue reste affichée à côté de la note harmonisée.
    assert "Note retenue (double saisie concordante) : 12,00" in page
    assert "Note harmonisée : 13,00 (+1,00 point" in page
    # Sans demande, aucun nom ; la gestionnaire le demande : lecture tracée, place et note du candidat.
    assert ecrits.lea.nom not in page
    page = client.get(f"/ecrits/copies/{ecrits.copie_lea.pk}/?noms=1").content.decode()
    assert "22-000001 — MARTIN Léa" in page
    assert "Note de l'épreuve lue par la délibération : 13,00" in page
    assert "salle A, table 1" in page
    trace = Trace.objects.get(objet_type="ecrits.correspondance")
    assert trace.apres == {"page": "suivi d'une copie", "lignes": 1}


def test_le_correcteur_ne_relie_jamais_une_copie_a_un_nom(ecrits: Any) -> None:
    client = _client(ecrits, "examinateur")
    for adresse in (
        f"/ecrits/epreuves/{ecrits.e1.pk}/suivi/?noms=1",
        f"/ecrits/copies/{ecrits.copie_lea.pk}/?noms=1",
        f"/ecrits/lots/{ecrits.lot_c1.pk}/suivi/",
        f"/ecrits/epreuves/{ecrits.e1.pk}/correspondance/",
    ):
        reponse = client.get(adresse)
        assert reponse.status_code == 403, adresse
        assert ecrits.lea.nom not in reponse.content.decode()
    # Sa vue reste la double saisie, par numéros d'anonymat.
    page = client.get(f"/ecrits/lots/{ecrits.lot_c1.pk}/saisie-1/").content.decode()
    assert ecrits.copie_lea.numero in page
    assert ecrits.lea.nom not in page
    assert ecrits.lea.numero not in page
    assert not Trace.objects.filter(objet_type="ecrits.correspondance").exists()


# --- La table de correspondance : chaque lecture tracée ----------------------------------------------------------


def test_chaque_lecture_de_la_table_de_correspondance_est_tracee(ecrits: Any) -> None:
    adresse = f"/ecrits/epreuves/{ecrits.e1.pk}/correspondance/"
    assert _client(ecrits, "chef_de_centre").get(adresse).status_code == 403
    assert not Trace.objects.filter(objet_type="ecrits.correspondance").exists()  # refusée : rien n'est tracé
    client = _client(ecrits, "gestionnaire_pilote")
    client.get(adresse)
    page = client.get(adresse).content.decode()
    traces = list(Trace.objects.filter(objet_type="ecrits.correspondance").order_by("pk"))
    assert [(t.acteur, t.objet_id, t.objet_libelle, t.apres) for t in traces] == [
        (
            "gestionnaire-pilote",
            str(ecrits.e1.pk),
            "lecture de la table de correspondance — E1",
            {"page": "table de correspondance", "lignes": 3},
        )
    ] * 2
    # Qui et quand se lisent sous la table ; la trace ne porte jamais la correspondance.
    assert "Dernières lectures de la table" in page
    assert page.count("<td>gestionnaire-pilote</td><td>table de correspondance</td><td>3</td>") == 2
    textes = " ".join(f"{t.objet_libelle} {t.apres}" for t in traces)
    assert not any(c.numero in textes or c.nom in textes for c in (ecrits.lea, ecrits.hugo, ecrits.ines))
    assert ecrits.copie_lea.numero not in textes


# --- La commission : composition, ajustements, verrouillage, levée d'anonymat -------------------------------------


def _commission(m: Any) -> str:
    return f"/ecrits/epreuves/{m.e1.pk}/commission/"


def test_composer_la_commission_et_ses_refus(ecrits: Any) -> None:
    client = _client(ecrits, "gestionnaire_pilote")
    reponse = client.post(_commission(ecrits), {"action": "composer", "president": " ", "membres": "X"})
    assert reponse.status_code == 200
    assert "Indiquez qui préside la commission d&#x27;harmonisation." in reponse.content.decode()
    assert not CommissionHarmonisation.objects.exists()
    # La gestionnaire de Lyon lit, ne décide pas.
    assert (
        _client(ecrits, "gestionnaire_lyon")
        .post(_commission(ecrits), {"action": "composer", "president": "Moi"})
        .status_code
        == 403
    )
    assert "Lecture seule" in _client(ecrits, "gestionnaire_lyon").get(_commission(ecrits)).content.decode()
    assert not CommissionHarmonisation.objects.exists()
    reponse = client.post(
        _commission(ecrits),
        {"action": "composer", "president": "Mme DURAND, IA-IPR", "membres": "M. PETIT"},
        follow=True,
    )
    assert "composition enregistrée" in reponse.content.decode()
    commission = CommissionHarmonisation.objects.get(epreuve=ecrits.e1)
    assert (commission.president, commission.membres) == ("Mme DURAND, IA-IPR", "M. PETIT")
    assert Trace.objects.filter(objet_type="ecrits.commissionharmonisation", acteur="gestionnaire-pilote").exists()


@pytest.mark.parametrize(
    ("donnees", "message"),
    [
        pytest.param({"points": "+1", "motif": ""}, "Motivez l&#x27;ajustement", id="sans motif"),
        pytest.param({"points": "", "motif": "sévère"}, "Indiquez le décalage", id="sans décalage"),
        pytest.param({"points": "beaucoup", "motif": "sévère"}, "décalage « beaucoup »", id="décalage illisible"),
        pytest.param({"points": "+0,3", "motif": "sévère"}, "décalage « +0,3 »", id="hors du pas"),
        pytest.param({"points": "0", "motif": "sévère"}, "un décalage de 0 point ne change rien", id="nul"),
        pytest.param({"points": "+1", "motif": "sévère", "lot": "999999"}, "Choisissez un lot", id="lot inconnu"),
    ],
)
def test_un_ajustement_invalide_ne_change_rien(ecrits: Any, donnees: dict[str, str], message: str) -> None:
    _tout_corriger(ecrits)
    services.ouvrir_commission(epreuve=ecrits.e1, acteur="dec", president="Mme DURAND")
    avant = list(Copie.objects.order_by("pk").values_list("note_initiale", "note_harmonisee"))
    traces = Trace.objects.count()
    reponse = _client(ecrits, "gestionnaire_pilote").post(
        _commission(ecrits), {"action": "ajuster_lot", "lot": str(ecrits.lot_c1.pk), **donnees}
    )
    assert reponse.status_code == 200
    assert message in reponse.content.decode()
    assert list(Copie.objects.order_by("pk").values_list("note_initiale", "note_harmonisee")) == avant
    assert not Ajustement.objects.exists()
    assert Trace.objects.count() == traces


def test_ajuster_un_lot_garde_les_notes_initiales(ecrits: Any) -> None:
    _tout_corriger(ecrits, defaut="12,5")
    client = _client(ecrits, "gestionnaire_pilote")
    # Sans commission : refusé, en français.
    reponse = client.post(
        _commission(ecrits), {"action": "ajuster_lot", "lot": ecrits.lot_c1.pk, "points": "+1", "motif": "sévère"}
    )
    assert "E1 : composez d&#x27;abord la commission d&#x27;harmonisation" in reponse.content.decode()
    assert not Ajustement.objects.exists()
    services.ouvrir_commission(epreuve=ecrits.e1, acteur="dec", president="Mme DURAND")
    reponse = client.post(
        _commission(ecrits),
        {"action": "ajuster_lot", "lot": ecrits.lot_c1.pk, "points": "+1,5", "motif": "correcteur sévère"},
        follow=True,
    )
    assert f"Lot {ecrits.lot_c1.code} : 1 copie(s) ajustée(s) de +1,50 point(s)" in reponse.content.decode()
    copie = Copie.objects.get(pk=ecrits.copie_lea.pk)
    assert (copie.note_initiale, copie.note_harmonisee) == (note("12.5"), note("14"))
    ajustement = Ajustement.objects.get()
    assert (ajustement.decide_par, ajustement.motif, ajustement.points) == (
        "gestionnaire-pilote",
        "correcteur sévère",
        Decimal("1.50"),
    )
    page = client.get(f"/ecrits/lots/{ecrits.lot_c1.pk}/suivi/").content.decode()
    assert "12,50" in page
    assert "14,00" in page
    assert "(+1,50)" in page
    assert "correcteur sévère" in page


def test_ajuster_note_a_note_depuis_le_lot(ecrits: Any) -> None:
    _tout_corriger(ecrits)
    services.ouvrir_commission(epreuve=ecrits.e1, acteur="dec", president="Mme DURAND")
    adresse = f"/ecrits/lots/{ecrits.lot_c1.pk}/suivi/"
    numero = ecrits.copie_lea.numero
    client = _client(ecrits, "gestionnaire_pilote")
    refus = [
        ({f"note-{numero}": "25", "motif": "relecture"}, "dépasse 20"),
        ({f"note-{numero}": "15", "motif": ""}, "Indiquez le motif."),
        ({"motif": "relecture"}, "Saisissez la nouvelle note d&#x27;au moins une copie"),
    ]
    for donnees, message in refus:
        reponse = client.post(adresse, {"action": "ajuster_notes", **donnees})
        assert reponse.status_code == 200
        assert message in reponse.content.decode()
        assert Copie.objects.get(pk=ecrits.copie_lea.pk).note_harmonisee is None
    assert not Ajustement.objects.exists()
    # La gestionnaire de Lyon ne décide pas pour la commission.
    lyon = _client(ecrits, "gestionnaire_lyon")
    reponse = lyon.post(f"/ecrits/lots/{ecrits.lot_l1.pk}/suivi/", {"action": "ajuster_notes", "motif": "x"})
    assert reponse.status_code == 403
    reponse = client.post(
        adresse, {"action": "ajuster_notes", f"note-{numero}": "15,5", "motif": "relecture"}, follow=True
    )
    assert "1 note(s) ajustée(s) note à note" in reponse.content.decode()
    copie = Copie.objects.get(pk=ecrits.copie_lea.pk)
    assert (copie.note_initiale, copie.note_harmonisee) == (note("12"), note("15.5"))
    assert Ajustement.objects.get().nature == Ajustement.Nature.NOTE_A_NOTE


def test_verrouiller_puis_lever_l_anonymat_depuis_le_web(ecrits: Any) -> None:
    client = _client(ecrits, "gestionnaire_pilote")
    # Rien ne se verrouille ni ne se lève sans commission.
    reponse = client.post(_commission(ecrits), {"action": "verrouiller"})
    assert "composez d&#x27;abord la commission" in reponse.content.decode()
    services.ouvrir_commission(epreuve=ecrits.e1, acteur="dec", president="Mme DURAND")
    # Un lot non corrigé : le verrouillage est refusé, le manque nommé.
    corriger(ecrits.lot_c1)
    corriger(ecrits.lot_c2)
    reponse = client.post(_commission(ecrits), {"action": "verrouiller"})
    assert "E1 ne se verrouille pas encore : 1 copie(s) sans note validée." in reponse.content.decode()
    assert not CommissionHarmonisation.objects.get().verrouillee
    # L'anonymat ne se lève qu'après le verrouillage.
    reponse = client.post(_commission(ecrits), {"action": "lever_anonymat"})
    assert "l&#x27;anonymat ne se lève qu&#x27;après le verrouillage" in reponse.content.decode()
    assert CommissionHarmonisation.objects.get().anonymat_leve_le is None
    corriger(ecrits.lot_l1, defaut="9")
    reponse = client.post(_commission(ecrits), {"action": "verrouiller"}, follow=True)
    assert "Harmonisation de E1 verrouillée" in reponse.content.decode()
    assert "Lever l'anonymat" in reponse.content.decode()
    # Verrouillée, plus d'ajustement ; la gestionnaire de Lyon ne lève pas l'anonymat.
    reponse = client.post(
        _commission(ecrits), {"action": "ajuster_lot", "lot": ecrits.lot_c1.pk, "points": "+1", "motif": "x"}
    )
    assert "l&#x27;harmonisation est verrouillée" in reponse.content.decode()
    assert (
        _client(ecrits, "gestionnaire_lyon").post(_commission(ecrits), {"action": "lever_anonymat"}).status_code == 403
    )
    assert CommissionHarmonisation.objects.get().anonymat_leve_le is None
    reponse = client.post(_commission(ecrits), {"action": "lever_anonymat"}, follow=True)
    # Léa avait déjà 12 en E1 (tests/conftest.py) : sa note ne change pas, elle n'est pas réécrite.
    assert "Anonymat de E1 levé : 2 note(s) écrite(s) ou changée(s)" in reponse.content.decode()
    commission = CommissionHarmonisation.objects.get()
    assert commission.anonymat_leve_par == "gestionnaire-pilote"
    assert Resultat.objects.get(candidat=ecrits.ines, epreuve="E1").note_examinateur == note("9")
    trace = Trace.objects.get(objet_libelle="levée d'anonymat — E1")
    assert (trace.acteur, trace.apres["copies"]) == ("gestionnaire-pilote", 3)
    # Rouvrir demande un motif.
    reponse = client.post(_commission(ecrits), {"action": "rouvrir", "motif": ""})
    assert "Indiquez le motif." in reponse.content.decode()
    assert CommissionHarmonisation.objects.get().verrouillee
    client.post(_commission(ecrits), {"action": "rouvrir", "motif": "erreur de report"})
    assert not CommissionHarmonisation.objects.get().verrouillee


# --- Lots : suivi, bordereau ------------------------------------------------------------------------------------


def test_remettre_et_rendre_un_lot(ecrits: Any) -> None:
    client = _client(ecrits, "gestionnaire_pilote")
    adresse = f"/ecrits/lots/{ecrits.lot_c1.pk}/suivi/"
    reponse = client.post(adresse, {"action": "rendre"})
    assert "il se rend une fois toutes ses notes validées" in reponse.content.decode()
    assert Lot.objects.get(pk=ecrits.lot_c1.pk).statut == Lot.Statut.CONSTITUE
    client.post(adresse, {"action": "remettre"})
    assert Lot.objects.get(pk=ecrits.lot_c1.pk).statut == Lot.Statut.REMIS
    corriger(ecrits.lot_c1)
    reponse = client.post(adresse, {"action": "rendre"}, follow=True)
    assert "rendu : les copies corrigées sont revenues" in reponse.content.decode()
    lot = Lot.objects.get(pk=ecrits.lot_c1.pk)
    assert lot.statut == Lot.Statut.RENDU
    assert (
        Trace.objects.filter(objet_type="ecrits.lot", objet_id=str(lot.pk), acteur="gestionnaire-pilote").count() == 2
    )


def test_editer_et_telecharger_le_bordereau_d_un_lot(ecrits: Any) -> None:
    client = _client(ecrits, "gestionnaire_pilote")
    adresse = f"/ecrits/lots/{ecrits.lot_c1.pk}/suivi/"
    reponse = client.post(adresse, {"action": "editer_bordereau"}, follow=True)
    assert f"Bordereau du lot {ecrits.lot_c1.code} : nouvelle version émise." in reponse.content.decode()
    reponse = client.post(adresse, {"action": "editer_bordereau"}, follow=True)
    assert "déjà à jour" in reponse.content.decode()
    version = Version.objects.get(document__modele="bordereau-lot", document__cle=f"lot:{ecrits.lot_c1.code}")
    assert version.emise_par == "gestionnaire-pilote"
    reponse = client.post(adresse, {"action": "telecharger", "version": version.pk})
    assert reponse["Content-Type"] == "application/pdf"
    assert reponse.content.startswith(b"%PDF")
    assert Envoi.objects.get(version=version).destinataire == "gestionnaire-pilote"  # journalisé
    # La version d'un autre lot ne se télécharge pas depuis celui-ci.
    services.editer_bordereaux(lots=[ecrits.lot_c2], par="dec")
    autre = Version.objects.get(document__cle=f"lot:{ecrits.lot_c2.code}")
    assert client.post(adresse, {"action": "telecharger", "version": autre.pk}).status_code == 404
    assert client.post(adresse, {"action": "telecharger", "version": "x"}).status_code == 404
    reponse = client.post(adresse, {"action": "effacer"})
    assert "Action inconnue : rien n&#x27;est enregistré." in reponse.content.decode()


# --- Documents d'un centre : plans de salle -------------------------------------------------------------------


def test_le_chef_de_centre_edite_et_telecharge_les_plans_de_salle(ecrits: Any) -> None:
    client = _client(ecrits, "chef_de_centre")
    adresse = f"/ecrits/centres/{ecrits.c1.pk}/documents/"
    assert "Aucun plan de salle émis." in client.get(adresse).content.decode()
    reponse = client.post(adresse, {"action": "editer", "epreuve": "999"})
    assert "Choisissez une épreuve écrite répartie dans ce centre." in reponse.content.decode()
    assert not Version.objects.exists()
    reponse = client.post(adresse, {"action": "editer", "epreuve": str(ecrits.e1.pk)}, follow=True)
    assert "Plans de salle : 1 document(s) : 1 nouvelle(s) version(s)" in reponse.content.decode()
    version = Version.objects.get(document__modele="plan-salle")
    assert version.document.centre_id == ecrits.c1.pk
    assert "Plan de salle E1 — Lycée Sidoine-Apollinaire, A" in reponse.content.decode()
    reponse = client.post(adresse, {"action": "telecharger", "version": version.pk})
    assert reponse.content.startswith(b"%PDF")
    assert Envoi.objects.get(version=version).destinataire == "chef-de-centre"
    # Le plan d'un autre centre ne se télécharge pas d'ici.
    services.editer_plans_de_salle(session=ecrits.session, centre=ecrits.c2, par="dec")
    autre = Version.objects.get(document__centre=ecrits.c2)
    assert client.post(adresse, {"action": "telecharger", "version": autre.pk}).status_code == 404
