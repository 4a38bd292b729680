"""L'administration est une voie de l'application comme une autre : chaque écriture y laisse une trace (qui,
quand, avant, après, pourquoi) sans identité ; les notes de contrôle, les décisions de conformité et de jury
et l'historique ne s'y écrivent pas du tout (elles passent par les services, qui les tracent)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from examens.apps.candidats.models import Candidat, Etablissement, NoteConservee
from examens.apps.dossiers.models import DecisionConformite, Dossier
from examens.apps.historique.models import Trace
from examens.apps.notes.models import NoteControle
from examens.apps.organisation.models import Academie, Centre, ExamSession

pytestmark = pytest.mark.django_db


@pytest.fixture
def gestionnaire(client: Client) -> Client:
    get_user_model().objects.create_superuser("gestionnaire.clermont", "g@exemple.fr", "mot-de-passe")
    client.force_login(get_user_model().objects.get())
    return client


@pytest.fixture
def lea(session: ExamSession, clermont: Academie) -> Candidat:
    lycee = Etablissement.objects.create(uai="0630001J", nom="Lycée", academie=clermont, statut="public")
    centre = Centre.objects.create(academie=clermont, code="0630001J", nom="Lycée Sidoine-Apollinaire")
    Centre.objects.create(academie=clermont, code="0630002K", nom="Lycée Blaise-Pascal")
    return Candidat.objects.create(
        session=session, numero="22-000001", nom="MARTIN", prenoms="Léa", date_naissance=date(2004, 3, 14),
        etablissement=lycee, mode_preparation="scolaire", centre=centre, langue_e2="anglais",
    )  # fmt: skip


def _formulaire(c: Candidat, **champs: Any) -> dict[str, Any]:
    donnees: dict[str, Any] = {
        "session": c.session_id, "numero": c.numero, "nom": c.nom, "prenoms": c.prenoms,
        "date_naissance": "14/03/2004", "courriel": "", "etablissement": c.etablissement_id,
        "mode_preparation": c.mode_preparation, "parcours": c.parcours, "centre": c.centre_id,
        "langue_e2": c.langue_e2, "langue_lv2": "", "desiste_le": "", "stage_reduit": "",
    }  # fmt: skip
    for prefixe in ("dispenses", "notes_conservees", "periodes_stage"):
        donnees |= {f"{prefixe}-TOTAL_FORMS": 0, f"{prefixe}-INITIAL_FORMS": 0, f"{prefixe}-MIN_NUM_FORMS": 0}
        donnees[f"{prefixe}-MAX_NUM_FORMS"] = 1000
    donnees.update(champs)
    return donnees


def test_changement_de_centre_et_desistement_par_l_administration_traces(gestionnaire: Client, lea: Candidat) -> None:
    autre = Centre.objects.get(code="0630002K")
    url = reverse("admin:candidats_candidat_change", args=[lea.pk])
    reponse = gestionnaire.post(url, _formulaire(lea, centre=autre.pk, desiste_le="02/05/2022", nom="MARTIN-DURAND"))
    assert reponse.status_code == 302, reponse.content.decode()[:3000]
    trace = Trace.objects.pour("candidats.candidat", lea.pk).get()
    assert (trace.acteur, trace.action, trace.motif) == (
        "gestionnaire.clermont",
        "modification",
        "saisie dans l'administration",
    )
    assert trace.avant == {"centre_id": lea.centre_id, "desiste_le": None, "nom": "[donnée personnelle]"}
    assert trace.apres == {"centre_id": autre.pk, "desiste_le": "2022-05-02", "nom": "[donnée personnelle]"}
    assert trace.objet_libelle == "candidat 22-000001"
    assert "MARTIN" not in str(trace.avant) + str(trace.apres) + trace.objet_libelle  # pseudonyme


def test_note_conservee_saisie_en_ligne_tracee(gestionnaire: Client, lea: Candidat) -> None:
    url = reverse("admin:candidats_candidat_change", args=[lea.pk])
    ajout = {
        "notes_conservees-TOTAL_FORMS": 1,
        "notes_conservees-0-epreuve": "E3",
        "notes_conservees-0-note": "12.5",
        "notes_conservees-0-annee": 2021,
        "notes_conservees-0-origine": "benefice",
    }
    assert gestionnaire.post(url, _formulaire(lea, **ajout)).status_code == 302
    note = NoteConservee.objects.get()
    (creation,) = Trace.objects.pour("candidats.noteconservee", note.pk)
    assert (creation.action, creation.avant) == ("creation", None)
    assert creation.apres is not None
    assert (creation.apres["note"], creation.apres["annee"], creation.objet_libelle) == (
        "12.50",
        2021,
        f"candidat 22-000001 — note conservée n° {note.pk}",
    )
    modification = {
        "notes_conservees-INITIAL_FORMS": 1,
        "notes_conservees-0-id": note.pk,
        "notes_conservees-0-candidat": lea.pk,
        "notes_conservees-0-note": "14",
    }
    assert gestionnaire.post(url, _formulaire(lea, **(ajout | modification))).status_code == 302
    _, changement = Trace.objects.pour("candidats.noteconservee", note.pk)
    assert (changement.action, changement.avant, changement.apres) == (
        "modification",
        {"note": "12.50"},
        {"note": "14.00"},
    )
    suppression = {"notes_conservees-0-DELETE": "on"}
    assert gestionnaire.post(url, _formulaire(lea, **(ajout | modification | suppression))).status_code == 302
    assert not NoteConservee.objects.exists()
    *_, effacement = Trace.objects.pour("candidats.noteconservee", note.pk)
    assert (effacement.action, effacement.apres) == ("suppression", None)
    assert effacement.avant is not None
    assert effacement.avant["note"] == "14.00"


def test_supprimer_un_candidat_laisse_son_historique(gestionnaire: Client, lea: Candidat) -> None:
    url = reverse("admin:candidats_candidat_delete", args=[lea.pk])
    assert gestionnaire.post(url, {"post": "yes"}).status_code == 302
    assert not Candidat.objects.exists()
    trace = Trace.objects.pour("candidats.candidat", lea.pk).get()
    assert (trace.action, trace.avant["numero"], trace.avant["nom"]) == (  # type: ignore[index]
        "suppression",
        "22-000001",
        "[donnée personnelle]",
    )


@pytest.mark.parametrize(
    ("modele", "nom"),
    [
        pytest.param(NoteControle, "notes_notecontrole", id="note de contrôle"),
        pytest.param(DecisionConformite, "dossiers_decisionconformite", id="décision de conformité"),
        pytest.param(Trace, "historique_trace", id="historique"),
    ],
)
def test_ecritures_reservees_aux_services(gestionnaire: Client, lea: Candidat, modele: Any, nom: str) -> None:
    assert gestionnaire.get(reverse(f"admin:{nom}_add")).status_code == 403
    if modele is DecisionConformite:
        dossier = Dossier.objects.create(candidat=lea, epreuve="E4")
        objet = DecisionConformite.objects.create(dossier=dossier, conforme=True, decidee_par="commission")
        url = reverse(f"admin:{nom}_change", args=[objet.pk])
        assert gestionnaire.post(url, {"conforme": "", "motifs": "réécrit"}).status_code == 403
        assert gestionnaire.post(reverse(f"admin:{nom}_delete", args=[objet.pk]), {"post": "yes"}).status_code == 403
        objet.refresh_from_db()
        assert objet.conforme
