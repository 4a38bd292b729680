"""Les écrans « contrôle de conformité » et « planning d'un centre » par le client de test : décider d'un dossier
(NV, notification du candidat et de son établissement, journal des envois), lever un doute, filtrer la file ;
déplacer un passage (accepté : nouvelle version ; refusé : la règle est nommée), publier, désister un examinateur
et replanifier. Puis le nombre de requêtes de chaque page, indépendant du volume."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from examens.apps.dossiers.models import DecisionConformite, Dossier
from examens.apps.editions.models import Envoi
from examens.apps.examinateurs.models import Examinateur
from examens.apps.historique.models import Trace
from examens.apps.notes.models import Resultat
from examens.apps.planification.models import Passage, VersionPlanning
from examens.apps.planification.services import planifier_centre
from web.outils import ajouter_candidats
from web.planning_monde import ajouter_passages, centre_planifiable, planning_ecrit

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def _pilote(monde: Any, client: Client) -> Client:
    client.force_login(monde.utilisateur("gestionnaire_pilote"))
    return client


# --------------------------------------------------------------------------- conformité


def test_une_non_conformite_met_en_nv_et_notifie_le_candidat_et_son_etablissement(
    monde: Any, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    monde.lea.courriel = "lea@exemple.fr"
    monde.lea.save(update_fields=["courriel"])
    dossier = Dossier.objects.get(candidat=monde.lea, epreuve="E4")
    with django_capture_on_commit_callbacks(execute=True):
        reponse = _pilote(monde, client).post(
            f"/conformite/dossiers/{dossier.pk}/decider/",
            {
                "decision": "non_conforme",
                "causes": ["attestation_manquante", "duree_insuffisante"],
                "motifs": "Aucune attestation de stage.",
            },
            follow=True,
        )
    page = reponse.content.decode()
    assert reponse.redirect_chain[-1][0] == f"/conformite/dossiers/{dossier.pk}/"
    assert "Épreuve(s) mise(s) en NV : E4, E6." in page
    assert "Notification envoyée à 2 destinataire(s)" in page
    assert set(
        Resultat.objects.filter(candidat=monde.lea, epreuve__in=["E4", "E6"]).values_list("etat", flat=True)
    ) == {"NV"}
    assert sorted(m.to[0] for m in mail.outbox) == ["etablissement@exemple.fr", "lea@exemple.fr"]
    # Le journal des envois (écrit après l'enregistrement) se lit sur la page du dossier.
    assert Envoi.objects.count() == 2
    page = client.get(f"/conformite/dossiers/{dossier.pk}/").content.decode()
    assert "etablissement@exemple.fr" in page
    assert "Aucune notification envoyée" not in page
    trace = Trace.objects.get(objet_type="dossiers.decisionconformite")
    assert trace.acteur == "gestionnaire-pilote"


def test_une_decision_mal_formee_est_refusee_avec_son_message(monde: Any, client: Client) -> None:
    dossier = Dossier.objects.get(candidat=monde.lea, epreuve="E6")
    avant = DecisionConformite.objects.count()
    reponse = _pilote(monde, client).post(
        f"/conformite/dossiers/{dossier.pk}/decider/", {"decision": "non_conforme", "motifs": "x"}
    )
    assert reponse.status_code == 200
    assert "cochez au moins une cause de non-conformité" in reponse.content.decode()
    assert DecisionConformite.objects.count() == avant


def test_lever_un_doute_par_la_page_du_dossier(monde: Any, client: Client) -> None:
    Resultat.objects.filter(candidat=monde.lea, epreuve="E6").update(suspendue=True)
    dossier = Dossier.objects.get(candidat=monde.lea, epreuve="E6")
    _pilote(monde, client)
    file = client.get("/conformite/?statut=suspendue").content.decode()
    assert file.count("note suspendue</p>") == 1
    assert f"/conformite/dossiers/{dossier.pk}/" in file
    page = client.get(f"/conformite/dossiers/{dossier.pk}/").content.decode()
    assert "un doute sur le dossier est à lever" in page
    assert "Enregistrer la levée de doute" in page
    reponse = client.post(
        f"/conformite/dossiers/{dossier.pk}/lever-le-doute/",
        {"issue": "nv", "causes_nv": ["non_vise_non_signe"], "motif": "Attestation non signée par l'entreprise."},
        follow=True,
    )
    assert "Épreuve(s) mise(s) en NV : E6." in reponse.content.decode()
    e6 = Resultat.objects.get(candidat=monde.lea, epreuve="E6")
    assert (e6.etat, e6.suspendue) == ("NV", False)
    assert "Enregistrer la levée de doute" not in reponse.content.decode()


def test_le_chef_de_centre_voit_le_doute_sans_pouvoir_le_lever(monde: Any, client: Client) -> None:
    Resultat.objects.filter(candidat=monde.lea, epreuve="E4").update(suspendue=True)
    dossier = Dossier.objects.get(candidat=monde.lea, epreuve="E4")
    client.force_login(monde.utilisateur("chef_de_centre"))
    page = client.get(f"/conformite/dossiers/{dossier.pk}/").content.decode()
    assert "un doute sur le dossier est à lever" in page
    assert "Enregistrer la levée de doute" not in page
    assert client.post(f"/conformite/dossiers/{dossier.pk}/lever-le-doute/", {}).status_code == 403


def test_la_file_se_filtre(monde: Any, client: Client) -> None:
    p = planning_ecrit(monde)
    _pilote(monde, client)

    def numeros(requete: str) -> set[str]:
        contenu = client.get(f"/conformite/?{requete}").content.decode()
        return {n for n in (monde.lea.numero, monde.hugo.numero, monde.ines.numero) if f"{n} —" in contenu}

    assert numeros("") == {monde.lea.numero, monde.hugo.numero, monde.ines.numero}
    assert numeros("statut=a_decider") == {monde.hugo.numero, monde.ines.numero}
    assert numeros("statut=conforme&epreuve=E6") == {monde.lea.numero}
    assert numeros(f"academie={monde.lyon.pk}") == {monde.ines.numero}
    assert numeros(f"centre={monde.c2.pk}") == {monde.hugo.numero}
    assert p.dossier_hugo.pk


# --------------------------------------------------------------------------- planning


@pytest.fixture
def planifie(monde: Any) -> VersionPlanning:
    centre_planifiable(monde)
    return planifier_centre(monde.c1, session=monde.session, par="test", solveur="glouton").version


def _local(p: Passage) -> tuple[str, str]:
    debut = p.debut.astimezone(PARIS)
    return debut.date().isoformat(), f"{debut:%H:%M}"


def test_la_grille_montre_les_heures_locales_et_les_indicateurs(monde: Any, client: Client, planifie: Any) -> None:
    page = _pilote(monde, client).get(f"/planning/centres/{monde.c1.pk}/").content.decode()
    assert "Lundi 30 mai 2022" in page
    e4 = Passage.objects.filter(version=planifie, epreuve="E4").select_related("candidat").first()
    _, heure = _local(e4)
    assert f"{heure}–" in page  # heure de Paris (UTC+2 en mai), pas l'UTC enregistré
    assert e4.debut.astimezone(PARIS).hour - e4.debut.astimezone(dt.UTC).hour == 2
    for titre in ("Passages planifiés", "Non planifiés", "Jours-candidats", "Attente (minutes)"):
        assert titre in page
    assert "borne inférieure" in page
    assert "Publier la version 1" in page
    par_salle = client.get(f"/planning/centres/{monde.c1.pk}/?vue=salle").content.decode()
    assert '<th scope="row">Informatique 1</th>' in par_salle
    assert "Commission et salle" not in par_salle


def test_deplacer_un_passage_accepte_puis_refuse(monde: Any, client: Client, planifie: Any) -> None:
    _pilote(monde, client)
    e4 = Passage.objects.filter(version=planifie, epreuve="E4").select_related("commission").order_by("debut").first()
    autre = (
        Passage.objects.filter(version=planifie, commission=e4.commission).exclude(pk=e4.pk).order_by("debut").first()
    )
    assert autre is not None
    # Refusé : sur le créneau d'un autre passage de la même commission.
    jour, heure = _local(autre)
    refus = client.post(
        f"/planning/passages/{e4.pk}/",
        {"commission": e4.commission.code, "date": jour, "heure": heure, "motif": "essai"},
    )
    assert refus.status_code == 200
    contenu = refus.content.decode()
    assert "Déplacement refusé par le vérificateur" in contenu
    assert "règle 4 : commission et examinateur jamais à deux endroits" in contenu
    assert VersionPlanning.objects.count() == 1
    # Accepté : le dernier créneau de l'après-midi du second jour, s'il est libre ; sinon un autre.
    for debut in ("16:00", "15:00", "14:00", "13:00", "17:00"):
        reponse = client.post(
            f"/planning/passages/{e4.pk}/",
            {"commission": e4.commission.code, "date": "2022-05-31", "heure": debut, "motif": "convenance"},
        )
        if reponse.status_code == 302:
            break
    assert reponse.status_code == 302
    nouvelle = VersionPlanning.objects.get(numero=2)
    assert reponse["Location"].endswith(f"version={nouvelle.pk}")
    assert (nouvelle.changements, nouvelle.reference_id, nouvelle.solveur) == (1, planifie.pk, "manuel")
    page = client.get(reponse["Location"]).content.decode()
    assert "Passage déplacé : version 2 enregistrée" in page


def test_publier_puis_desister_et_replanifier(monde: Any, client: Client, planifie: Any) -> None:
    _pilote(monde, client)
    reponse = client.post(f"/planning/versions/{planifie.pk}/publier/", follow=True)
    assert "Version 1 publiée" in reponse.content.decode()
    planifie.refresh_from_db()
    assert planifie.statut == "publie"
    sortant = Examinateur.objects.get(code="P07")  # seul examinateur d'anglais : sa commission est dissoute
    reponse = client.post(
        f"/planning/centres/{monde.c1.pk}/replanifier/?session={monde.session.code}",
        {"examinateur": sortant.pk, "motif": "hospitalisé"},
        follow=True,
    )
    page = reponse.content.decode()
    assert "Examinateur P07 désisté" in page
    assert "Version 2 enregistrée (brouillon)" in page
    assert "passage(s) déplacé(s) par rapport à la version 1" in page
    v2 = VersionPlanning.objects.get(numero=2)
    assert v2.reference_id == planifie.pk
    assert "désistement de l'examinateur P07 : hospitalisé" in v2.motif
    assert not Passage.objects.filter(version=v2, commission__membres=sortant).exists()
    # Les E2 d'anglais ne se placent plus : le nombre et la raison s'affichent.
    assert v2.non_planifies > 0
    assert "Passages non planifiés et leur raison" in page


def test_un_examinateur_d_un_autre_centre_ne_se_desiste_pas_ici(monde: Any, client: Client, planifie: Any) -> None:
    _pilote(monde, client)
    reponse = client.post(
        f"/planning/centres/{monde.c1.pk}/replanifier/", {"examinateur": monde.examinateur_x.pk, "motif": "x"}
    )
    assert reponse.status_code == 200
    assert "Sélectionnez un choix valide" in reponse.content.decode()
    assert VersionPlanning.objects.count() == 1


# --------------------------------------------------------------------------- nombre de requêtes


def requetes(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as capture:
        reponse = client.get(url)
    assert reponse.status_code == 200, url
    return len(capture)


@pytest.mark.parametrize("persona", ["gestionnaire_pilote", "chef_de_centre"])
def test_les_pages_ne_dependent_pas_du_volume(monde: Any, client: Client, persona: str) -> None:
    p = planning_ecrit(monde)
    client.force_login(monde.utilisateur(persona))
    pages = [
        "/conformite/",
        "/conformite/?statut=non_conforme&epreuve=E6",
        "/conformite/?statut=suspendue&page=1",
        f"/conformite/dossiers/{p.dossier_lea.pk}/",
        "/planning/",
        f"/planning/centres/{monde.c1.pk}/",
        f"/planning/centres/{monde.c1.pk}/?vue=salle",
        f"/planning/passages/{p.passage_lea.pk}/",
    ]
    ajouter_candidats(monde, 5)
    ajouter_passages(monde, p.version_c1, 5)
    avec_5 = {url: requetes(client, url) for url in pages}
    ajouter_candidats(monde, 45)
    ajouter_passages(monde, p.version_c1, 45)
    DecisionConformite.objects.bulk_create(
        DecisionConformite(dossier=p.dossier_lea, conforme=k % 2 == 0, causes=["depot_tardif"], decidee_par="x")
        for k in range(10)
    )
    avec_50 = {url: requetes(client, url) for url in pages}
    assert avec_50 == avec_5
    assert max(avec_5.values()) <= 20, avec_5
