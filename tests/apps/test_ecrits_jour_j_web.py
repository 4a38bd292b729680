"""Les pages du jour J des écrits et des absences : matrice des permissions (page × persona → code HTTP),
formulaires (valides : changement tracé ; invalides : message français, rien ne change), nombre de requêtes.

Le monde de `tests/conftest.py`, plus E1 au calendrier et les trois centres répartis :

| centre | salle | candidats                                                             |
|--------|-------|-----------------------------------------------------------------------|
| C1     | A     | Léa (absente), Noé ROUX (présent)                                     |
| C1     | L1    | Camille DURAND (présente, tiers temps : loge, salle d'aménagements)   |
| C2     | A     | Hugo (absent)                                                         |
| L1     | A     | Inès (absente)                                                        |

Léa et Inès ont déposé un justificatif (PDF). Un second chef de centre, celui de C2 (« chef-c2 »), sert de chef
« d'un autre centre ».
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from fabriques_deliberation import candidat
from fabriques_ecrits import calendrier, centre, salles, tous_presents

from examens.apps.comptes.models import Role
from examens.apps.comptes.services import habiliter
from examens.apps.ecrits import services
from examens.apps.ecrits.erreurs import SurveillanceImpossible
from examens.apps.ecrits.models import Absence, Incident, Justificatif, Place, Surveillance
from examens.apps.historique.models import Trace
from examens.apps.notes.models import Resultat
from examens.apps.organisation.models import Salle
from personas import cas_de_la_matrice, verifier_acces

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def _absence(c: Any) -> Absence:
    return Absence.objects.get(place__candidat=c)


@pytest.fixture
def jour_j(monde: Any) -> Any:
    m = monde
    m.e1 = calendrier(m.session, "E1")["E1"]
    m.camille = candidat(
        m.session,
        numero="22-000101",
        centre=m.c1,
        etablissement=m.lycee,
        nom="DURAND",
        prenoms="Camille",
        temps_majore=True,
    )
    m.noe = candidat(m.session, numero="22-000102", centre=m.c1, etablissement=m.lycee, nom="ROUX", prenoms="Noé")
    s1 = salles(m.c1, ("A", "ecrit", 10), ("L1", "loge", 3))
    salles(m.c2, ("A", "ecrit", 10))
    salles(m.l1, ("A", "ecrit", 10))
    for c in (m.c1, m.c2, m.l1):
        services.repartir_centre(session=m.session, centre=c, acteur="dec", appliquer=True)
    tous_presents(m.e1, absents=(m.lea, m.hugo, m.ines))
    m.salle_a, m.salle_b = s1["A"], s1["L1"]
    m.salle_c2 = Salle.objects.get(centre=m.c2)
    for c in (m.lea, m.ines):
        services.deposer_justificatif(absence=_absence(c), nom_fichier="certificat.pdf", contenu=PDF, acteur="dec")
    m.chef_c2 = get_user_model().objects.create_user("chef-c2", "chef-c2@exemple.fr", m.mot_de_passe)
    habiliter(utilisateur=m.chef_c2, role=Role.CHEF_DE_CENTRE, session=m.session, perimetre=m.c2, acteur="test")
    return m


def salle_url(m: Any, salle: Salle | None = None, suite: str = "") -> str:
    s = salle or m.salle_a
    return f"/ecrits/centres/{s.centre_id}/epreuves/{m.e1.pk}/salles/{s.pk}/{suite}"


PAGES = {
    "salle A de C1": salle_url,
    "salle de C2": lambda m: salle_url(m, m.salle_c2),
    "salle de C2 sous C1": lambda m: f"/ecrits/centres/{m.c1.pk}/epreuves/{m.e1.pk}/salles/{m.salle_c2.pk}/",
    "procès-verbal, salle A de C1": lambda m: salle_url(m, suite="incident/"),
    "procès-verbaux de C1": lambda m: f"/ecrits/centres/{m.c1.pk}/incidents/",
    "procès-verbaux de Lyon": lambda m: f"/ecrits/centres/{m.l1.pk}/incidents/",
    "absences": lambda m: "/ecrits/absences/",
    "absence de Léa": lambda m: f"/ecrits/absences/{_absence(m.lea).pk}/",
    "absence d'Inès": lambda m: f"/ecrits/absences/{_absence(m.ines).pk}/",
    "mes absences": lambda m: "/ecrits/mes-absences/",
    "mon absence (Léa)": lambda m: f"/ecrits/mes-absences/{_absence(m.lea).pk}/",
    "mon absence (Hugo)": lambda m: f"/ecrits/mes-absences/{_absence(m.hugo).pk}/",
    "mon absence (Inès)": lambda m: f"/ecrits/mes-absences/{_absence(m.ines).pk}/",
    "justificatif de Léa": lambda m: (
        f"/ecrits/justificatifs/{Justificatif.objects.get(absence__place__candidat=m.lea).pk}/"
    ),
    "justificatif d'Inès": lambda m: (
        f"/ecrits/justificatifs/{Justificatif.objects.get(absence__place__candidat=m.ines).pk}/"
    ),
}

# Colonnes dans l'ordre de PERSONAS :
#   anonyme, sans habilitation, pilote, Lyon, chef de centre (C1), examinateur (correcteur), présidente,
#   établissement (lycée de Léa et Hugo), candidat (Léa)
MATRICE: dict[str, tuple[int, ...]] = {
    "salle A de C1": (302, 403, 200, 404, 200, 403, 403, 403, 403),
    "salle de C2": (302, 403, 200, 404, 404, 403, 403, 403, 403),
    "salle de C2 sous C1": (302, 403, 404, 404, 404, 403, 403, 403, 403),
    "procès-verbal, salle A de C1": (302, 403, 200, 404, 200, 403, 403, 403, 403),
    "procès-verbaux de C1": (302, 403, 200, 404, 200, 403, 403, 403, 403),
    "procès-verbaux de Lyon": (302, 403, 200, 200, 404, 403, 403, 403, 403),
    "absences": (302, 403, 200, 200, 403, 403, 403, 403, 403),
    "absence de Léa": (302, 403, 200, 404, 403, 403, 403, 403, 403),
    "absence d'Inès": (302, 403, 200, 200, 403, 403, 403, 403, 403),
    "mes absences": (302, 403, 403, 403, 403, 403, 403, 200, 200),
    "mon absence (Léa)": (302, 403, 403, 403, 403, 403, 403, 200, 200),
    "mon absence (Hugo)": (302, 403, 403, 403, 403, 403, 403, 200, 404),
    "mon absence (Inès)": (302, 403, 403, 403, 403, 403, 403, 404, 404),
    "justificatif de Léa": (302, 403, 200, 404, 403, 403, 403, 200, 200),
    "justificatif d'Inès": (302, 403, 200, 200, 403, 403, 403, 404, 404),
}

CAS = cas_de_la_matrice(MATRICE)


def test_la_matrice_couvre_toutes_les_pages() -> None:
    assert set(MATRICE) == set(PAGES)


@pytest.mark.parametrize(("page", "persona", "attendu"), CAS)
def test_matrice_des_permissions(jour_j: Any, client: Client, page: str, persona: str, attendu: int) -> None:
    verifier_acces(client, jour_j.utilisateur(persona), PAGES[page](jour_j), attendu)


@pytest.mark.parametrize(
    "page", ["salle A de C1", "procès-verbal, salle A de C1", "procès-verbaux de C1", "absence de Léa", "absences"]
)
def test_le_chef_d_un_autre_centre_est_refuse(jour_j: Any, client: Client, page: str) -> None:
    client.force_login(jour_j.chef_c2)
    # Les pages de C1 sont introuvables pour le chef de C2 ; les absences ne sont pas l'affaire d'un chef de centre.
    assert client.get(PAGES[page](jour_j)).status_code == (403 if "absence" in page else 404)
    assert client.get(salle_url(jour_j, jour_j.salle_c2)).status_code == 200  # son centre, lui, s'ouvre


# --- Heures de la salle ------------------------------------------------------------------------------------


def test_la_salle_montre_les_heures_locales_et_la_fin_de_chaque_candidat(jour_j: Any, client: Client) -> None:
    client.force_login(jour_j.utilisateur("chef_de_centre"))
    page = client.get(salle_url(jour_j, jour_j.salle_b)).content.decode()  # la loge, où compose Camille
    # E1 : 14 h 00 à Paris, 4 heures, 1 heure de loge.
    assert "lundi 16 mai 2022 à 14 h 00" in page
    assert "18 h 00 (durée 240 min)" in page
    assert "19 h 20 (1 candidat de la salle au tiers temps)" in page
    assert "15 h 00 (temps de loge de 60 min" in page
    ligne_camille = page[page.index("DURAND Camille") :].split("</tr>")[0]
    assert "19 h 20 (tiers temps)" in ligne_camille
    assert "mode examen" in page  # rappel des règles sur les calculatrices
    page = client.get(salle_url(jour_j)).content.decode()
    assert "19 h 20 (aucun candidat de la salle au tiers temps)" in page
    ligne_lea = page[page.index("MARTIN Léa") :].split("</tr>")[0]
    assert "18 h 00" in ligne_lea
    assert "tiers temps" not in ligne_lea


def test_a_mayotte_les_heures_de_la_salle_sont_celles_de_mayotte(jour_j: Any, client: Client) -> None:
    mamoudzou = centre(jour_j.clermont, "9760370", fuseau="Indian/Mayotte", nom="Lycée des Lagons")
    s = salles(mamoudzou, ("M1", "ecrit", 5))["M1"]
    candidat(jour_j.session, numero="22-976001", centre=mamoudzou, nom="ALI", prenoms="Nassur", temps_majore=True)
    services.repartir_centre(session=jour_j.session, centre=mamoudzou, acteur="dec", appliquer=True)
    client.force_login(jour_j.utilisateur("gestionnaire_pilote"))
    page = client.get(salle_url(jour_j, s)).content.decode()
    assert "lundi 16 mai 2022 à 15 h 00" in page  # le même instant que 14 h 00 à Paris
    assert "20 h 20 (1 candidat de la salle au tiers temps)" in page
    assert "16 h 00 (temps de loge de 60 min" in page


# --- Surveillants ------------------------------------------------------------------------------------------


def test_le_chef_affecte_et_retire_des_surveillants(jour_j: Any, client: Client) -> None:
    m = jour_j
    client.force_login(m.utilisateur("chef_de_centre"))
    adresse = salle_url(m, suite="surveillants/")
    reponse = client.post(adresse, {"action": "ajouter", "examinateur": m.examinateur_x.pk}, follow=True)
    assert "Paul LEROY surveille la salle A en E1." in reponse.content.decode()
    reponse = client.post(adresse, {"action": "ajouter", "nom": "Mme Claire DUPONT"}, follow=True)
    page = reponse.content.decode()
    assert "Surveillants (2 sur 2 requis)" in page
    assert sorted(s.libelle for s in Surveillance.objects.filter(salle=m.salle_a)) == [
        "Mme Claire DUPONT",
        "Paul LEROY",
    ]
    traces = Trace.objects.filter(objet_type="ecrits.surveillance").order_by("id")
    assert [t.acteur for t in traces] == ["chef-de-centre", "chef-de-centre"]
    assert traces.last().apres == {"surveillants": ["Mme Claire DUPONT", "Paul LEROY"]}

    dupont = Surveillance.objects.get(salle=m.salle_a, nom="Mme Claire DUPONT")
    reponse = client.post(adresse, {"action": "retirer", "surveillance": dupont.pk}, follow=True)
    assert "Mme Claire DUPONT ne surveille plus la salle A en E1." in reponse.content.decode()
    assert [s.libelle for s in Surveillance.objects.filter(salle=m.salle_a)] == ["Paul LEROY"]
    assert Trace.objects.filter(objet_type="ecrits.surveillance").last().apres == {"surveillants": ["Paul LEROY"]}


@pytest.mark.parametrize(
    ("donnees", "message"),
    [
        pytest.param({"action": "ajouter"}, "Choisissez un examinateur ou saisissez le nom du surveillant.", id="vide"),
        pytest.param(
            {"action": "ajouter", "examinateur": "X", "nom": "Mme DUPONT"},
            "Cet examinateur n&#x27;est pas proposé pour ce centre",
            id="examinateur inconnu",
        ),
        pytest.param(
            {"action": "ajouter", "examinateur": "__x__", "nom": "Mme DUPONT"},
            "pas les deux",
            id="examinateur et nom",
        ),
        pytest.param(
            {"action": "ajouter", "examinateur": "__x__"},
            "Paul LEROY surveille déjà la salle « A » en E1 ; retirez-l&#x27;y d&#x27;abord.",
            id="examinateur déjà pris sur le créneau",
        ),
        pytest.param(
            {"action": "ajouter", "nom": "mme claire dupont"},
            "mme claire dupont surveille déjà la salle « A » en E1",
            id="personne nommée déjà prise",
        ),
        pytest.param({"action": "retirer", "surveillance": "0"}, "n&#x27;est plus affecté", id="retrait périmé"),
    ],
)
def test_surveillant_refuse_rien_ne_change(jour_j: Any, client: Client, donnees: dict[str, str], message: str) -> None:
    m = jour_j
    services.affecter_surveillants(
        epreuve=m.e1, salle=m.salle_a, examinateurs=[m.examinateur_x], noms=["Mme Claire DUPONT"], acteur="dec"
    )
    avant = sorted(Surveillance.objects.values_list("salle_id", "examinateur_id", "nom"), key=repr)
    traces = Trace.objects.count()
    donnees = {k: (str(m.examinateur_x.pk) if v == "__x__" else v) for k, v in donnees.items()}
    client.force_login(m.utilisateur("chef_de_centre"))
    reponse = client.post(salle_url(m, m.salle_b, "surveillants/"), donnees, follow=True)
    assert reponse.status_code == 200
    assert message in reponse.content.decode()
    assert sorted(Surveillance.objects.values_list("salle_id", "examinateur_id", "nom"), key=repr) == avant
    assert Trace.objects.count() == traces


@pytest.mark.parametrize(("persona", "attendu"), [("examinateur", 403), ("candidat", 403), ("chef_c2", 404)])
def test_surveillants_refuses_aux_autres(jour_j: Any, client: Client, persona: str, attendu: int) -> None:
    client.force_login(jour_j.chef_c2 if persona == "chef_c2" else jour_j.utilisateur(persona))
    reponse = client.post(salle_url(jour_j, suite="surveillants/"), {"examinateur": jour_j.examinateur_x.pk})
    assert reponse.status_code == attendu
    assert not Surveillance.objects.exists()
    assert not Trace.objects.filter(objet_type="ecrits.surveillance").exists()


def test_service_une_personne_nommee_ne_surveille_qu_une_salle(jour_j: Any) -> None:
    services.affecter_surveillants(epreuve=jour_j.e1, salle=jour_j.salle_a, noms=["M. Jean PETIT"], acteur="dec")
    with pytest.raises(SurveillanceImpossible, match=r"M\. JEAN PETIT surveille déjà la salle « A »"):
        services.affecter_surveillants(epreuve=jour_j.e1, salle=jour_j.salle_b, noms=["M. JEAN PETIT"], acteur="dec")
    # Dans un autre centre, un homonyme n'est pas la même personne.
    services.affecter_surveillants(epreuve=jour_j.e1, salle=jour_j.salle_c2, noms=["M. Jean PETIT"], acteur="dec")


# --- Procès-verbaux ------------------------------------------------------------------------------------------


def test_proces_verbal_de_suspicion_de_fraude(jour_j: Any, client: Client) -> None:
    m = jour_j
    client.force_login(m.utilisateur("chef_de_centre"))
    formulaire = client.get(salle_url(m, m.salle_b, f"incident/?candidat={m.camille.pk}")).content.decode()
    assert f'<option value="{m.camille.pk}" selected>' in formulaire
    assert 'value="2022-05-16T14:00"' in formulaire  # l'heure proposée : le début, en heure locale
    reponse = client.post(
        salle_url(m, m.salle_b, "incident/"),
        {
            "nature": "suspicion_fraude",
            "candidat": m.camille.pk,
            "survenu_le": "2022-05-16T14:35",
            "description": "Téléphone allumé sous la table.",
            "mesures": "Téléphone retenu ; la candidate poursuit l'épreuve.",
        },
        follow=True,
    )
    page = reponse.content.decode()
    pv = Incident.objects.get()
    assert f"Procès-verbal n° {pv.pk} enregistré (suspicion de fraude, candidat {m.camille.numero})" in page
    assert (pv.candidat, pv.salle, pv.redige_par) == (m.camille, m.salle_b, "chef-de-centre")
    assert pv.survenu_le == datetime(2022, 5, 16, 12, 35, tzinfo=UTC)  # 14 h 35 à Paris (UTC+2)
    trace = Trace.objects.get(objet_type="ecrits.incident")
    assert trace.acteur == "chef-de-centre"
    assert trace.apres["nature"] == "suspicion_fraude"
    assert "16/05/2022 14 h 35" in page  # la salle liste le procès-verbal, en heure locale
    # Le gestionnaire le voit dans la liste du centre.
    client.force_login(m.utilisateur("gestionnaire_pilote"))
    liste = client.get(f"/ecrits/centres/{m.c1.pk}/incidents/").content.decode()
    assert "Téléphone allumé sous la table." in liste
    assert "suspicion de fraude" in liste
    assert "DURAND Camille" in liste


@pytest.mark.parametrize(
    ("modifs", "message"),
    [
        pytest.param(
            {"candidat": ""}, "Une suspicion de fraude désigne le candidat concerné.", id="fraude sans candidat"
        ),
        pytest.param({"description": "  "}, "Décrivez les faits constatés.", id="sans description"),
        pytest.param(
            {"candidat": "__noe__"}, "Ce candidat ne compose pas dans cette salle", id="candidat d'une autre salle"
        ),
        pytest.param({"survenu_le": "2022-05-17T09:00"}, "saisissez une heure de ce jour-là", id="autre jour"),
        pytest.param({"survenu_le": "16 mai"}, "Saisissez une date et une heure", id="heure illisible"),
        pytest.param({"nature": "rixe"}, "Sélectionnez un choix valide", id="nature inconnue"),
    ],
)
def test_proces_verbal_invalide_rien_n_est_ecrit(
    jour_j: Any, client: Client, modifs: dict[str, str], message: str
) -> None:
    m = jour_j
    donnees = {
        "nature": "suspicion_fraude",
        "candidat": str(m.camille.pk),
        "survenu_le": "2022-05-16T14:35",
        "description": "Antisèche.",
    }
    donnees.update({k: (str(m.noe.pk) if v == "__noe__" else v) for k, v in modifs.items()})
    client.force_login(m.utilisateur("chef_de_centre"))
    reponse = client.post(salle_url(m, m.salle_b, "incident/"), donnees)
    assert reponse.status_code == 200
    assert message in reponse.content.decode()
    assert not Incident.objects.exists()
    assert not Trace.objects.filter(objet_type="ecrits.incident").exists()


def test_proces_verbal_refuse_au_correcteur_et_au_chef_d_un_autre_centre(jour_j: Any, client: Client) -> None:
    donnees = {"nature": "incident", "survenu_le": "2022-05-16T14:35", "description": "Coupure de courant."}
    client.force_login(jour_j.utilisateur("examinateur"))
    assert client.post(salle_url(jour_j, suite="incident/"), donnees).status_code == 403
    client.force_login(jour_j.chef_c2)
    assert client.post(salle_url(jour_j, suite="incident/"), donnees).status_code == 404
    assert not Incident.objects.exists()


# --- Absences : la division des examens ------------------------------------------------------------------------


def test_la_liste_des_absents_du_perimetre(jour_j: Any, client: Client) -> None:
    client.force_login(jour_j.utilisateur("gestionnaire_pilote"))
    page = client.get("/ecrits/absences/").content.decode()
    assert all(c.numero in page for c in (jour_j.lea, jour_j.hugo, jour_j.ines))
    assert jour_j.camille.numero not in page  # présente
    filtre = client.get(f"/ecrits/absences/?centre={jour_j.c2.pk}").content.decode()
    assert jour_j.hugo.numero in filtre
    assert jour_j.lea.numero not in filtre
    client.force_login(jour_j.utilisateur("gestionnaire_lyon"))
    page = client.get("/ecrits/absences/").content.decode()
    assert jour_j.ines.numero in page
    assert jour_j.lea.numero not in page
    assert jour_j.hugo.numero not in page


def test_absence_abj_sur_piece_notifiee(jour_j: Any, client: Client, django_capture_on_commit_callbacks: Any) -> None:
    m = jour_j
    m.hugo.courriel = "hugo@exemple.fr"
    m.hugo.save(update_fields=["courriel"])
    absence = _absence(m.hugo)
    client.force_login(m.utilisateur("gestionnaire_pilote"))
    decision = f"/ecrits/absences/{absence.pk}/decision/"

    # Sans pièce, pas de force majeure : refus en français, rien ne change.
    reponse = client.post(decision, {"decision": "force_majeure", "motif": "hospitalisation"})
    assert reponse.status_code == 200
    assert "la force majeure se reconnaît sur pièce ; déposez d&#x27;abord le justificatif." in reponse.content.decode()
    absence.refresh_from_db()
    assert absence.decision == Absence.Decision.EN_ATTENTE
    assert not Trace.objects.filter(objet_type="ecrits.absence").exists()
    assert Resultat.objects.get(candidat=m.hugo, epreuve="E1").etat == "AB"

    # Un faux PDF est refusé, un vrai est gardé (tracé).
    faux = SimpleUploadedFile("bulletin.pdf", b"MZ\x90\x00 executable", content_type="application/pdf")
    reponse = client.post(f"/ecrits/absences/{absence.pk}/justificatif/", {"fichier": faux})
    assert "n&#x27;est ni un PDF, ni une image JPEG ou PNG" in reponse.content.decode()
    assert not absence.justificatifs.exists()
    vrai = SimpleUploadedFile("bulletin.pdf", PDF, content_type="application/pdf")
    reponse = client.post(f"/ecrits/absences/{absence.pk}/justificatif/", {"fichier": vrai}, follow=True)
    assert "Justificatif déposé : « bulletin.pdf » (PDF" in reponse.content.decode()
    (j,) = absence.justificatifs.all()
    assert j.depose_par == "gestionnaire-pilote"
    assert Trace.objects.get(objet_type="ecrits.justificatif", objet_id=str(j.pk)).acteur == "gestionnaire-pilote"

    # Sans motif : refusé.
    reponse = client.post(decision, {"decision": "force_majeure", "motif": ""})
    assert "Motivez la décision" in reponse.content.decode()
    absence.refresh_from_db()
    assert absence.decision == Absence.Decision.EN_ATTENTE

    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(
            decision, {"decision": "force_majeure", "motif": "hospitalisation (bulletin)"}, follow=True
        )
    page = reponse.content.decode()
    assert "force majeure reconnue (ABJ)" in page
    assert "Le candidat et son établissement en sont informés" in page
    absence.refresh_from_db()
    assert (absence.decision, absence.decidee_par) == (Absence.Decision.FORCE_MAJEURE, "gestionnaire-pilote")
    assert Resultat.objects.get(candidat=m.hugo, epreuve="E1").etat == "ABJ"
    trace = Trace.objects.get(objet_type="ecrits.absence", objet_id=str(absence.pk))
    assert (trace.acteur, trace.action, trace.motif) == (
        "gestionnaire-pilote",
        "decision",
        "hospitalisation (bulletin)",
    )
    assert trace.avant["decision"] == "en_attente"
    assert trace.apres["decision"] == "force_majeure"
    assert sorted(message.to[0] for message in mail.outbox) == ["etablissement@exemple.fr", "hugo@exemple.fr"]
    assert all("ABJ" in message.body and "hospitalisation (bulletin)" in message.body for message in mail.outbox)
    # L'historique des décisions est à l'écran ; une décision se revoit (recours), tracée de même.
    assert "Revoir la décision (recours)" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(decision, {"decision": "refusee", "motif": "bulletin non probant"})
    absence.refresh_from_db()
    assert absence.decision == Absence.Decision.REFUSEE
    assert Resultat.objects.get(candidat=m.hugo, epreuve="E1").etat == "AB"
    assert Trace.objects.filter(objet_type="ecrits.absence", objet_id=str(absence.pk)).count() == 2


@pytest.mark.parametrize(
    ("donnees", "message"),
    [
        pytest.param(
            {"motif": "x"},
            "Choisissez : force majeure reconnue (ABJ) ou justification refusée (AB).",
            id="sans décision",
        ),
        pytest.param({"decision": "abj", "motif": "x"}, "Sélectionnez un choix valide", id="décision inconnue"),
    ],
)
def test_decision_invalide_rien_ne_change(jour_j: Any, client: Client, donnees: dict[str, str], message: str) -> None:
    absence = _absence(jour_j.lea)
    client.force_login(jour_j.utilisateur("gestionnaire_pilote"))
    reponse = client.post(f"/ecrits/absences/{absence.pk}/decision/", donnees)
    assert reponse.status_code == 200
    assert message in reponse.content.decode()
    absence.refresh_from_db()
    assert absence.decision == Absence.Decision.EN_ATTENTE
    assert not Trace.objects.filter(objet_type="ecrits.absence").exists()


@pytest.mark.parametrize(
    ("persona", "attendu"),
    [
        ("gestionnaire_lyon", 404),
        ("chef_de_centre", 403),
        ("examinateur", 403),
        ("candidat", 403),
        ("etablissement", 403),
    ],
)
def test_seule_la_division_du_perimetre_statue(jour_j: Any, client: Client, persona: str, attendu: int) -> None:
    absence = _absence(jour_j.lea)
    client.force_login(jour_j.utilisateur(persona))
    reponse = client.post(f"/ecrits/absences/{absence.pk}/decision/", {"decision": "force_majeure", "motif": "x"})
    assert reponse.status_code == attendu
    fichier = SimpleUploadedFile("b.pdf", PDF, content_type="application/pdf")
    assert client.post(f"/ecrits/absences/{absence.pk}/justificatif/", {"fichier": fichier}).status_code == attendu
    absence.refresh_from_db()
    assert absence.decision == Absence.Decision.EN_ATTENTE
    assert absence.justificatifs.count() == 1


def test_nombre_de_requetes_de_la_liste_des_absents(jour_j: Any, client: Client) -> None:
    """La liste lit en un nombre constant de requêtes, quel que soit le nombre d'absents."""
    riom = centre(jour_j.clermont, "0630099", nom="Lycée de Riom")
    s = salles(riom, ("R1", "ecrit", 30))["R1"]
    inscrits = [candidat(jour_j.session, numero=f"22-063{i:03d}", centre=riom) for i in range(14)]
    services.repartir_centre(session=jour_j.session, centre=riom, acteur="dec", appliquer=True)
    client.force_login(jour_j.utilisateur("gestionnaire_pilote"))

    def requetes() -> int:
        client.get("/ecrits/absences/")  # sessions, habilitations : chargées une fois
        with CaptureQueriesContext(connection) as capture:
            reponse = client.get("/ecrits/absences/")
        assert reponse.status_code == 200
        return len(capture.captured_queries), reponse.content.decode().count("AB — non statuée")

    services.saisir_presences(
        epreuve=jour_j.e1, salle=s, presences={c.pk: "absent" for c in inscrits[:2]}, acteur="chef"
    )
    peu, lignes_peu = requetes()
    services.saisir_presences(epreuve=jour_j.e1, salle=s, presences={c.pk: "absent" for c in inscrits}, acteur="chef")
    beaucoup, lignes_beaucoup = requetes()
    assert (lignes_peu, lignes_beaucoup) == (3 + 2, 3 + 14)  # Léa, Hugo, Inès, et ceux de Riom
    assert peu == beaucoup
    assert beaucoup <= 10  # 9 mesurées : session, habilitations, filtres, compte, page


# --- Absences : le candidat et son établissement ------------------------------------------------------------


def test_le_candidat_depose_son_justificatif(jour_j: Any, client: Client) -> None:
    m = jour_j
    Justificatif.objects.filter(absence__place__candidat=m.lea).delete()
    absence = _absence(m.lea)
    client.force_login(m.utilisateur("candidat"))
    liste = client.get("/ecrits/mes-absences/").content.decode()
    assert "AB — non statuée" in liste
    assert m.hugo.numero not in liste  # Léa ne voit que les siennes
    adresse = f"/ecrits/mes-absences/{absence.pk}/"
    reponse = client.post(adresse, {"fichier": SimpleUploadedFile("scan.png", b"pas une image")})
    assert "n&#x27;est ni un PDF, ni une image JPEG ou PNG" in reponse.content.decode()
    assert not absence.justificatifs.exists()
    reponse = client.post(adresse, {})
    assert "Choisissez le fichier de la pièce justificative." in reponse.content.decode()
    reponse = client.post(adresse, {"fichier": SimpleUploadedFile("certificat médical.pdf", PDF)}, follow=True)
    assert "Justificatif déposé : « certificat médical.pdf »" in reponse.content.decode()
    (j,) = absence.justificatifs.all()
    assert j.depose_par == "candidat"
    assert Trace.objects.filter(objet_type="ecrits.justificatif", objet_id=str(j.pk), acteur="candidat").exists()
    fichier = client.get(f"/ecrits/justificatifs/{j.pk}/")
    assert fichier.content == PDF
    assert fichier["Content-Type"] == "application/pdf"
    assert fichier["Content-Disposition"].startswith("attachment;")
    assert fichier["Cache-Control"] == "private, no-store"


def test_l_etablissement_depose_pour_son_candidat_puis_l_absence_statuee_se_ferme(jour_j: Any, client: Client) -> None:
    m = jour_j
    absence = _absence(m.hugo)
    client.force_login(m.utilisateur("etablissement"))
    liste = client.get("/ecrits/mes-absences/").content.decode()
    assert m.lea.numero in liste
    assert m.hugo.numero in liste
    assert m.ines.numero not in liste
    adresse = f"/ecrits/mes-absences/{absence.pk}/"
    client.post(adresse, {"fichier": SimpleUploadedFile("arret.pdf", PDF)})
    assert absence.justificatifs.get().depose_par == "etablissement"
    services.statuer_absence(absence=absence, force_majeure=False, motif="pièce non probante", acteur="dec")
    page = client.get(adresse).content.decode()
    assert "AB — justification refusée" in page
    assert "pièce non probante" in page
    assert 'enctype="multipart/form-data"' not in page  # plus de dépôt une fois statuée
    reponse = client.post(adresse, {"fichier": SimpleUploadedFile("autre.pdf", PDF)})
    assert "l&#x27;absence est déjà statuée" in reponse.content.decode()
    assert absence.justificatifs.count() == 1


def test_le_candidat_ne_depose_pas_pour_un_autre(jour_j: Any, client: Client) -> None:
    absence = _absence(jour_j.hugo)
    client.force_login(jour_j.utilisateur("candidat"))
    reponse = client.post(f"/ecrits/mes-absences/{absence.pk}/", {"fichier": SimpleUploadedFile("a.pdf", PDF)})
    assert reponse.status_code == 404
    assert not absence.justificatifs.exists()


def test_la_presence_d_un_centre_garde_ses_places(jour_j: Any) -> None:
    """Garde-fou du monde des tests : Léa et Noé composent en salle A, Camille (tiers temps) dans la loge L1."""
    salles_de = dict(
        Place.objects.filter(epreuve=jour_j.e1, salle__centre=jour_j.c1).values_list("candidat_id", "salle__nom")
    )
    assert salles_de == {jour_j.lea.pk: "A", jour_j.camille.pk: "L1", jour_j.noe.pk: "A"}


# --- Journal des téléchargements des justificatifs ------------------------------------------------------------


def test_chaque_telechargement_d_un_justificatif_est_trace(jour_j: Any, client: Client) -> None:
    """Qui, quand, au titre de quoi, quelle pièce (nom, empreinte) ; jamais le contenu. Un refus ne trace rien ; la
    division des examens lit le journal sous l'absence."""
    m = jour_j
    j = Justificatif.objects.get(absence__place__candidat=m.lea)
    adresse = f"/ecrits/justificatifs/{j.pk}/"
    for persona in ("candidat", "etablissement", "gestionnaire_pilote"):
        client.force_login(m.utilisateur(persona))
        assert client.get(adresse).content == PDF
    traces = list(Trace.objects.filter(objet_type="ecrits.justificatif.telechargement").order_by("id"))
    assert [(t.acteur, t.objet_id, t.apres["lecteur"]) for t in traces] == [
        ("candidat", str(j.pk), "candidat"),
        ("etablissement", str(j.pk), "établissement"),
        ("gestionnaire-pilote", str(j.pk), "division des examens"),
    ]
    assert traces[0].apres == {"fichier": "certificat.pdf", "empreinte": j.empreinte, "lecteur": "candidat"}
    assert traces[0].objet_libelle == f"candidat {m.lea.numero} — E1 — téléchargement du justificatif d'absence"
    assert all(t.quand is not None and t.action == Trace.Action.CONSULTATION for t in traces)

    # Refusés (hors périmètre, autre rôle) : rien n'est tracé.
    for persona, attendu in (("gestionnaire_lyon", 404), ("chef_de_centre", 403), ("examinateur", 403)):
        client.force_login(m.utilisateur(persona))
        assert client.get(adresse).status_code == attendu
    assert Trace.objects.filter(objet_type="ecrits.justificatif.telechargement").count() == 3

    # La gestionnaire lit le journal sous l'absence, du plus récent au plus ancien.
    client.force_login(m.utilisateur("gestionnaire_pilote"))
    page = client.get(f"/ecrits/absences/{_absence(m.lea).pk}/").content.decode()
    journal = page[page.index('id="telechargements"') :].split("</table>", 1)[0]
    lignes = journal.split("<tr>")[2:]
    assert ["gestionnaire-pilote" in lignes[0], "etablissement" in lignes[1], "candidat" in lignes[2]] == [True] * 3
    assert "division des examens" in lignes[0]
    assert journal.count("certificat.pdf") == 3
