"""Épreuves écrites, le jour J en centre : heures locales (même instant partout), répartition en salles avec
les aménagements, convocations et émargements à la vraie place, surveillants, présences, absences (AB puis
ABJ sur justificatif, notifiée), procès-verbaux d'incident."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from fabriques_deliberation import candidat, conservee, dispense
from fabriques_ecrits import calendrier, centre, etablissement, salles

from examens.apps.comptes.models import Role
from examens.apps.comptes.services import habiliter
from examens.apps.ecrits import selectors, services
from examens.apps.ecrits.erreurs import IncidentInvalide, JustificatifRefuse, PresenceImpossible, SurveillanceImpossible
from examens.apps.ecrits.models import Absence, Incident, Place, Surveillance
from examens.apps.editions import donnees
from examens.apps.editions.models import Envoi
from examens.apps.examinateurs.models import Examinateur
from examens.apps.historique.models import Trace
from examens.apps.notes.models import Resultat
from examens.apps.organisation.models import Academie
from examens.core.ecrits import RepartitionImpossible

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40


@pytest.fixture
def mayotte(db: None) -> Academie:
    return Academie.objects.create(code="mayotte", nom="Mayotte", fuseau="Indian/Mayotte")


# --- Heures locales : même instant partout (§8), tiers temps, temps de loge --------------------------------


@pytest.mark.parametrize(
    ("fuseau", "debut", "fin", "fin_tiers_temps", "sortie"),
    [
        pytest.param("Europe/Paris", "14:00", "18:00", "19:20", "15:00", id="Paris en mai (UTC+2)"),
        pytest.param("Indian/Mayotte", "15:00", "19:00", "20:20", "16:00", id="Mayotte (UTC+3)"),
        pytest.param("Indian/Reunion", "16:00", "20:00", "21:20", "17:00", id="La Réunion (UTC+4)"),
    ],
)
def test_meme_instant_partout_heures_locales_du_centre(
    session, clermont, mayotte, fuseau: str, debut: str, fin: str, fin_tiers_temps: str, sortie: str
) -> None:
    """E1 : 14 h 00 à Paris, 4 h, temps de loge 1 h. Le début est le même instant (12 h 00 UTC) partout ;
    chaque centre le lit dans son fuseau ; le tiers temps recule la fin de 80 min ; personne ne sort avant
    la fin du temps de loge."""
    e1 = calendrier(session, "E1")["E1"]
    c = centre(mayotte if fuseau != "Europe/Paris" else clermont, "9760001", fuseau=fuseau)
    h = selectors.horaires(epreuve=e1, centre=c)
    assert h.debut == datetime(2022, 5, 16, 12, 0, tzinfo=UTC)  # le même instant, quel que soit le centre
    assert h.debut.tzinfo == ZoneInfo(fuseau)
    assert [f"{t:%H:%M}" for t in (h.debut, h.fin, h.fin_majoree, h.sortie_autorisee)] == [
        debut,
        fin,
        fin_tiers_temps,
        sortie,
    ]
    assert h.fin_pour(True) - h.debut == timedelta(minutes=320)


def test_un_candidat_de_mayotte_et_un_de_paris_composent_au_meme_instant(session, clermont, mayotte) -> None:
    e1 = calendrier(session, "E1")["E1"]
    paris, mamoudzou = centre(clermont, "0630001"), centre(mayotte, "9760001", fuseau="Indian/Mayotte")
    salles(paris, ("A1", "ecrit", 10))
    salles(mamoudzou, ("B1", "ecrit", 10))
    lea = candidat(session, centre=paris, temps_majore=True)
    anli = candidat(session, centre=mamoudzou, temps_majore=True)
    for c in (paris, mamoudzou):
        services.repartir_centre(session=session, centre=c, acteur="dec", appliquer=True)
    heures = {}
    for c in (lea, anli):
        place = Place.objects.select_related("salle__centre").get(candidat=c, epreuve=e1)
        h = selectors.horaires(epreuve=e1, centre=place.salle.centre)
        heures[c.pk] = h
    h_paris, h_mayotte = heures[lea.pk], heures[anli.pk]
    assert h_paris.debut == h_mayotte.debut  # même instant
    assert (h_paris.debut.utcoffset(), h_mayotte.debut.utcoffset()) == (timedelta(hours=2), timedelta(hours=3))
    assert (f"{h_paris.debut:%H:%M}", f"{h_mayotte.debut:%H:%M}") == ("14:00", "15:00")
    assert (f"{h_paris.fin_pour(True):%H:%M}", f"{h_mayotte.fin_pour(True):%H:%M}") == ("19:20", "20:20")
    assert (f"{h_paris.sortie_autorisee:%H:%M}", f"{h_mayotte.sortie_autorisee:%H:%M}") == ("15:00", "16:00")


# --- Répartition --------------------------------------------------------------------------------------


@pytest.fixture
def centre_amenage(session, clermont):
    cal = calendrier(session)
    c = centre(clermont, "0630001")
    s = salles(c, ("A", "ecrit", 30), ("B", "ecrit", 20), ("L1", "loge", 3), ("INFO", "informatique", 10))
    ordinaires = [candidat(session, centre=c, nom=f"ORDINAIRE{i}") for i in range(25)]
    speciaux = {
        "tiers_temps": candidat(session, centre=c, temps_majore=True),
        "tiers_temps_2": candidat(session, centre=c, temps_majore=True),
        "salle_a_part": candidat(session, centre=c, salle_a_part=True),
        "secretaire": candidat(session, centre=c, secretaire=True, temps_majore=True),
        "ordinateur": candidat(session, centre=c, ordinateur=True),
        "sujet_agrandi": candidat(session, centre=c, sujet_agrandi=True),
        "dispense_u1": candidat(session, centre=c),
    }
    dispense(speciaux["dispense_u1"], "U1")
    return cal, c, s, ordinaires, speciaux


@pytest.mark.parametrize(
    ("qui", "salle_attendue"),
    [
        pytest.param("secretaire", "L1", id="secrétaire : seul, dans la plus petite loge"),
        pytest.param("ordinateur", "INFO", id="ordinateur : salle informatique"),
        pytest.param("tiers_temps", "B", id="tiers temps : salle d'aménagements"),
        pytest.param("salle_a_part", "B", id="salle à part : salle d'aménagements"),
        pytest.param("sujet_agrandi", "A", id="sujet agrandi : salle ordinaire"),
    ],
)
def test_repartition_selon_les_amenagements(centre_amenage, qui: str, salle_attendue: str) -> None:
    cal, c, _, _, speciaux = centre_amenage
    services.repartir_centre(session=c.candidats.first().session, centre=c, acteur="dec", appliquer=True)
    places = Place.objects.filter(candidat=speciaux[qui]).select_related("salle")
    assert {p.salle.nom for p in places} == {salle_attendue}
    assert places.count() == len(cal)  # une place par épreuve écrite, la même partout
    assert len({(p.salle_id, p.numero) for p in places}) == 1


def test_repartition_capacites_tables_et_dispense(centre_amenage, session) -> None:
    cal, c, s, _, speciaux = centre_amenage
    rapport = services.repartir_centre(session=session, centre=c, acteur="dec", appliquer=True)
    assert rapport.candidats == 32
    assert Place.objects.filter(salle=s["L1"], epreuve=cal["E1"]).count() == 1  # le secrétaire, seul
    # 25 ordinaires, le sujet agrandi et le dispensé de U1 (qui compose E3) ; en E1, sans le dispensé.
    assert Place.objects.filter(salle=s["A"], epreuve=cal["E3"]).count() == 27
    assert Place.objects.filter(salle=s["A"], epreuve=cal["E1"]).count() == 26
    # Le sujet agrandi a la première table de sa salle.
    assert Place.objects.get(candidat=speciaux["sujet_agrandi"], epreuve=cal["E1"]).numero == 1
    # Dispensé de U1 : pas de place en E1, une place en E3 et E5A.
    assert set(Place.objects.filter(candidat=speciaux["dispense_u1"]).values_list("epreuve__epreuve", flat=True)) == {
        "E3",
        "E5A",
    }
    for e in cal.values():
        for salle in s.values():
            tables = list(Place.objects.filter(epreuve=e, salle=salle).values_list("numero", flat=True))
            assert len(tables) <= salle.capacite
            assert sorted(tables) == list(range(1, len(tables) + 1))
    assert Trace.objects.filter(objet_type="ecrits.repartition").count() == 1
    # Relancer sans changement ne change rien et ne trace rien.
    de_nouveau = services.repartir_centre(session=session, centre=c, acteur="dec", appliquer=True)
    assert (de_nouveau.creees, de_nouveau.deplacees, de_nouveau.retirees) == (0, 0, 0)
    assert Trace.objects.filter(objet_type="ecrits.repartition").count() == 1


def test_repartition_simulee_n_ecrit_rien(centre_amenage, session) -> None:
    _, c, *_ = centre_amenage
    rapport = services.repartir_centre(session=session, centre=c, acteur="dec")
    assert rapport.creees == 31 * 3 + 2  # 31 candidats aux trois écrits, le dispensé de U1 à deux
    assert not Place.objects.exists()
    assert not Trace.objects.filter(objet_type="ecrits.repartition").exists()


def test_centre_trop_petit_message_francais(session, clermont) -> None:
    calendrier(session, "E1")
    c = centre(clermont, "0630001")
    salles(c, ("A", "ecrit", 3))
    for _ in range(5):
        candidat(session, centre=c)
    with pytest.raises(RepartitionImpossible, match="il manque 2 place"):
        services.repartir_centre(session=session, centre=c, acteur="dec", appliquer=True)
    assert not Place.objects.exists()


def test_convocations_et_emargements_montrent_la_vraie_salle(centre_amenage, session) -> None:
    _, c, _, _, speciaux = centre_amenage
    candidats = c.candidats.filter(desiste_le__isnull=True)
    avant = donnees.repartition_ecrits(c, candidats)  # répartition provisoire (sans place enregistrée)
    assert avant[speciaux["secretaire"].pk][0] != "L1"
    services.repartir_centre(session=session, centre=c, acteur="dec", appliquer=True)
    apres = donnees.repartition_ecrits(c, candidats)
    assert apres[speciaux["secretaire"].pk] == ("L1", "1")
    assert apres[speciaux["ordinateur"].pk] == ("INFO", "1")
    assert apres[speciaux["sujet_agrandi"].pk] == ("A", "1")
    assert set(apres) == {x.pk for x in candidats}
    feuilles = {e.cle: e.donnees for e in donnees.selection(session, "emargement", {"centre": c.code}).elements}
    e1_l1 = feuilles[f"{c.code}:E1:L1"]
    assert [x.numero for x in e1_l1.candidats] == [speciaux["secretaire"].numero]
    assert e1_l1.candidats[0].place == "1"


def test_deplacer_un_candidat(centre_amenage, session) -> None:
    _, c, s, ordinaires, _ = centre_amenage
    services.repartir_centre(session=session, centre=c, acteur="dec", appliquer=True)
    places = services.deplacer_candidat(
        candidat=ordinaires[0], salle=s["L1"], numero=3, acteur="dec", motif="béquilles"
    )
    assert {(p.salle_id, p.numero) for p in places} == {(s["L1"].pk, 3)}
    with pytest.raises(PresenceImpossible, match="déjà attribuée"):
        services.deplacer_candidat(candidat=ordinaires[1], salle=s["L1"], numero=3, acteur="dec", motif="x")


# --- Surveillants -------------------------------------------------------------------------------------


def test_surveillants_par_salle(centre_amenage, session, clermont) -> None:
    cal, c, s, *_ = centre_amenage
    x = Examinateur.objects.create(
        session=session, code="X1", nom="LEROY", prenom="Paul", qualite="enseignant", academie=clermont
    )
    services.affecter_surveillants(epreuve=cal["E1"], salle=s["A"], examinateurs=[x], noms=["Mme Dupont"], acteur="dec")
    assert sorted(Surveillance.objects.values_list("nom", flat=True)) == ["", "Mme Dupont"]
    with pytest.raises(SurveillanceImpossible, match="surveille déjà la salle « A »"):
        services.affecter_surveillants(epreuve=cal["E1"], salle=s["B"], examinateurs=[x], acteur="dec")
    # Une autre épreuve : la même personne peut surveiller une autre salle.
    services.affecter_surveillants(epreuve=cal["E3"], salle=s["B"], examinateurs=[x], acteur="dec")
    services.repartir_centre(session=session, centre=c, acteur="dec", appliquer=True)
    (e1,) = [e for e in selectors.repartition_du_centre(session=session, centre=c) if e.epreuve.epreuve == "E1"]
    (salle_a,) = [r for r in e1.salles if r.salle.nom == "A"]
    assert salle_a.surveillants == ("Paul LEROY", "Mme Dupont")


# --- Présences et absences ------------------------------------------------------------------------------


@pytest.fixture
def salle_e1(session, clermont):
    e1 = calendrier(session, "E1")["E1"]
    c = centre(clermont, "0630001")
    s = salles(c, ("A", "ecrit", 10))["A"]
    lycee = etablissement(clermont, "0630010")
    inscrits = [candidat(session, centre=c, etablissement=lycee, courriel=f"c{i}@exemple.fr") for i in range(4)]
    services.repartir_centre(session=session, centre=c, acteur="dec", appliquer=True)
    return e1, s, inscrits, lycee


def test_saisie_des_presences_d_une_salle(salle_e1) -> None:
    e1, s, (a, b, c, _), _ = salle_e1
    bilan = services.saisir_presences(
        epreuve=e1, salle=s, presences={a.pk: "present", b.pk: "absent", c.pk: "present"}, acteur="chef"
    )
    assert (bilan.presents, bilan.absents, bilan.a_saisir, bilan.changees) == (2, 1, 1, 3)
    assert Resultat.objects.get(candidat=b, epreuve="E1").etat == "AB"
    assert Absence.objects.get(place__candidat=b).decision == Absence.Decision.EN_ATTENTE
    assert Trace.objects.filter(objet_type="ecrits.place").count() == 3
    assert Trace.objects.filter(objet_type="notes.resultat", apres__etat="AB").count() == 1
    # L'absence était une erreur de saisie : l'AB disparaît, tracé.
    services.saisir_presences(epreuve=e1, salle=s, presences={b.pk: "present"}, acteur="chef")
    assert not Resultat.objects.filter(candidat=b).exists()
    assert not Absence.objects.exists()
    assert Trace.objects.filter(objet_type="notes.resultat", action="suppression").count() == 1


def test_presences_refusees_avant_le_debut_et_hors_salle(salle_e1, session, clermont) -> None:
    e1, s, (a, *_), _ = salle_e1
    with pytest.raises(PresenceImpossible, match="n'a pas commencé"):
        services.saisir_presences(
            epreuve=e1, salle=s, presences={a.pk: "present"}, acteur="chef", maintenant=e1.debut - timedelta(minutes=1)
        )
    autre = candidat(session)
    with pytest.raises(PresenceImpossible, match="n'ont pas de place"):
        services.saisir_presences(epreuve=e1, salle=s, presences={autre.pk: "present"}, acteur="chef")


def test_absent_avec_note_conservee_garde_sa_note(salle_e1) -> None:
    e1, s, (a, *_), _ = salle_e1
    conservee(a, "E1", "14")
    services.saisir_presences(epreuve=e1, salle=s, presences={a.pk: "absent"}, acteur="chef")
    assert not Resultat.objects.filter(candidat=a).exists()  # le bénéfice de 14 reste
    assert Absence.objects.filter(place__candidat=a).exists()


@pytest.mark.parametrize(
    ("nom", "contenu", "accepte"),
    [
        pytest.param("certificat.pdf", PDF, True, id="PDF"),
        pytest.param("scan.png", PNG, True, id="PNG"),
        pytest.param("photo.jpg", JPEG, True, id="JPEG"),
        pytest.param("certificat.pdf", b"MZ\x90\x00 un executable", False, id="faux PDF (nom seulement)"),
        pytest.param("certificat.pdf", b"%PDF-1.4 tronque sans fin", False, id="PDF tronqué"),
        pytest.param("note.txt", b"bonjour", False, id="texte"),
        pytest.param("vide.pdf", b"", False, id="vide"),
        pytest.param("gros.pdf", PDF[:-7] + b" " * (5 * 1024 * 1024) + b"%%EOF\n", False, id="plus de 5 Mo"),
    ],
)
def test_justificatif_vrai_pdf_jpeg_png_de_5_mo_au_plus(salle_e1, nom: str, contenu: bytes, accepte: bool) -> None:
    e1, s, (a, *_), _ = salle_e1
    services.saisir_presences(epreuve=e1, salle=s, presences={a.pk: "absent"}, acteur="chef")
    absence = Absence.objects.get()
    if accepte:
        j = services.deposer_justificatif(absence=absence, nom_fichier=nom, contenu=contenu, acteur="secretariat")
        assert (j.taille, bytes(j.contenu)) == (len(contenu), contenu)
        assert Trace.objects.filter(objet_type="ecrits.justificatif").exists()
    else:
        with pytest.raises(JustificatifRefuse):
            services.deposer_justificatif(absence=absence, nom_fichier=nom, contenu=contenu, acteur="secretariat")
        assert not absence.justificatifs.exists()


def test_absence_ab_puis_abj_sur_justificatif_notifiee(salle_e1, session, django_capture_on_commit_callbacks) -> None:
    e1, s, (a, *_), lycee = salle_e1
    u = get_user_model().objects.create_user("lycee-0630010", "secretariat@lycee.fr", "x" * 16)
    habiliter(utilisateur=u, role=Role.ETABLISSEMENT, session=session, perimetre=lycee, acteur="test")
    services.saisir_presences(epreuve=e1, salle=s, presences={a.pk: "absent"}, acteur="chef")
    absence = Absence.objects.get()
    assert Resultat.objects.get(candidat=a, epreuve="E1").etat == "AB"
    # La force majeure se reconnaît sur pièce.
    with pytest.raises(JustificatifRefuse, match="sur pièce"):
        services.statuer_absence(absence=absence, force_majeure=True, motif="hospitalisation", acteur="dec")
    services.deposer_justificatif(absence=absence, nom_fichier="bulletin.pdf", contenu=PDF, acteur="dec")
    with django_capture_on_commit_callbacks(execute=True):
        services.statuer_absence(absence=absence, force_majeure=True, motif="hospitalisation (bulletin)", acteur="dec")
    absence.refresh_from_db()
    assert absence.decision == Absence.Decision.FORCE_MAJEURE
    assert Resultat.objects.get(candidat=a, epreuve="E1").etat == "ABJ"
    decision = Trace.objects.get(objet_type="ecrits.absence")
    assert (decision.action, decision.avant["decision"], decision.apres["decision"]) == (
        "decision",
        "en_attente",
        "force_majeure",
    )
    assert sorted(m.to[0] for m in mail.outbox) == ["c0@exemple.fr", "secretariat@lycee.fr"]
    assert "ABJ" in mail.outbox[0].body
    assert "hospitalisation" in mail.outbox[0].body
    assert Envoi.objects.filter(objet__contains="absence justifiée").count() == 2


def test_absence_refusee_reste_ab(salle_e1, django_capture_on_commit_callbacks) -> None:
    e1, s, (a, *_), _ = salle_e1
    services.saisir_presences(epreuve=e1, salle=s, presences={a.pk: "absent"}, acteur="chef")
    absence = Absence.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.statuer_absence(absence=absence, force_majeure=False, motif="panne de réveil", acteur="dec")
    assert Resultat.objects.get(candidat=a, epreuve="E1").etat == "AB"
    assert "interdit la délivrance du diplôme" in mail.outbox[0].body
    # Une absence statuée ne redevient pas « présent » par la saisie des présences.
    with pytest.raises(PresenceImpossible, match="décision"):
        services.saisir_presences(epreuve=e1, salle=s, presences={a.pk: "present"}, acteur="chef")


# --- Procès-verbaux d'incident --------------------------------------------------------------------------


def test_proces_verbal_de_suspicion_de_fraude(salle_e1) -> None:
    e1, s, (a, *_), _ = salle_e1
    with pytest.raises(IncidentInvalide, match="désigne le candidat"):
        services.consigner_incident(epreuve=e1, nature="suspicion_fraude", description="téléphone", acteur="chef")
    pv = services.consigner_incident(
        epreuve=e1,
        nature=Incident.Nature.SUSPICION_FRAUDE,
        candidat=a,
        description="Téléphone allumé sous la table à 15 h 10.",
        mesures="Téléphone confisqué, copie poursuivie.",
        acteur="chef",
    )
    assert pv.salle == s
    trace = Trace.objects.get(objet_type="ecrits.incident")
    assert trace.objet_libelle == f"suspicion de fraude — E1 — candidat {a.numero}"
    incident = services.consigner_incident(
        epreuve=e1, nature="incident", description="Coupure de courant.", acteur="chef"
    )
    assert incident.candidat is None


def test_plans_de_salle_emis_par_le_service_d_edition(session, clermont, mayotte) -> None:
    from examens.apps.editions.models import Version
    from examens.documents import MODELES

    e1 = calendrier(session, "E1")["E1"]
    c = centre(mayotte, "9760001", fuseau="Indian/Mayotte")
    salles(c, ("A12", "ecrit", 10))
    anli = candidat(session, centre=c, nom="MADI", prenoms="Anli", temps_majore=True)
    services.repartir_centre(session=session, centre=c, acteur="dec", appliquer=True)
    bilan = services.editer_plans_de_salle(session=session, centre=c, par="dec", epreuve=e1)
    assert bilan.nouvelles == 1
    version = Version.objects.get(document__modele="plan-salle")
    donnees = MODELES["plan-salle"].charger(version.donnees)
    assert (donnees.salle, donnees.centre.fuseau) == ("A12", "Indian/Mayotte")
    assert [(t.numero, t.candidat, t.temps_majore) for t in donnees.tables] == [(1, anli.numero, True)]
