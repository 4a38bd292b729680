"""Un dossier à la fois (application web) : la proposition du cœur, la décision souveraine de la commission
(NV, traces, notification du candidat et de son établissement), la levée d'un doute le jour de l'épreuve."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from fabriques_deliberation import candidat, noter, partout, suspendre

from examens.apps.candidats.models import Candidat, Etablissement, PeriodeStage
from examens.apps.comptes.models import Role
from examens.apps.comptes.services import habiliter
from examens.apps.dossiers.models import DecisionConformite, Dossier
from examens.apps.dossiers.services import (
    DecisionConformiteImpossible,
    decider_conformite,
    examiner_dossier,
    lever_le_doute,
    objet_notification,
)
from examens.apps.editions.models import Envoi
from examens.apps.historique.models import Trace
from examens.apps.notes.models import Resultat
from examens.apps.organisation.models import Academie, ExamSession

pytestmark = pytest.mark.django_db


@pytest.fixture
def lea(session: ExamSession, clermont: Academie) -> Candidat:
    lycee = Etablissement.objects.create(uai="0630010J", nom="Lycée Blaise-Pascal", academie=clermont, statut="public")
    c = candidat(session, courriel="lea@exemple.fr", etablissement=lycee)
    compte = get_user_model().objects.create_user("lycee", "secretariat@lycee.fr", "x")
    habiliter(utilisateur=compte, role=Role.ETABLISSEMENT, session=session, perimetre=lycee, acteur="test")
    debut = date(2021, 1, 4)
    PeriodeStage.objects.create(candidat=c, entreprise="Michelin", debut=debut, fin=debut + timedelta(days=7 * 6 - 1))
    for epreuve in ("E4", "E6"):
        Dossier.objects.create(candidat=c, epreuve=epreuve, depose_le=date(2022, 3, 1))
    return c


def _dossier(c: Candidat, epreuve: str) -> Dossier:
    return Dossier.objects.get(candidat=c, epreuve=epreuve)


def test_la_proposition_du_coeur_compte_les_semaines(lea: Candidat) -> None:
    controle = examiner_dossier(dossier=_dossier(lea, "E4"), date_limite=date(2022, 3, 31))
    assert controle is not None
    assert controle.resultat.duree is not None
    assert controle.resultat.duree.semaines == 6
    assert controle.causes == ["duree_insuffisante"]
    assert controle.resultat.a_valider  # 6 semaines : entre 4 et 16, validable par l'académie (2022)
    assert not DecisionConformite.objects.exists()  # une proposition n'écrit rien
    # Sans date limite connue, le dépôt tardif n'est pas recherché ; avec une date dépassée, il l'est.
    tardif = examiner_dossier(dossier=_dossier(lea, "E4"), date_limite=date(2022, 2, 1))
    assert tardif is not None
    assert "depot_tardif" in tardif.causes


def test_non_conforme_pour_le_stage_annule_e4_et_e6_trace_et_notifie(
    lea: Candidat, django_capture_on_commit_callbacks: Any
) -> None:
    noter(lea, **partout("12"))
    with django_capture_on_commit_callbacks(execute=True):
        r = decider_conformite(
            dossier=_dossier(lea, "E4"),
            conforme=False,
            causes=["duree_insuffisante"],
            motifs="6 semaines attestées pour 16 exigées.",
            par="commission-clermont",
        )
    assert r.nv_poses == ("E4", "E6")  # le stage fonde les deux dossiers (§6)
    assert r.decision.causes == ["duree_insuffisante"]
    assert r.destinataires == ("lea@exemple.fr", "secretariat@lycee.fr")
    e4 = Resultat.objects.get(candidat=lea, epreuve="E4")
    assert (e4.etat, e4.note_examinateur) == ("NV", Decimal("12.00"))  # la note de l'examinateur reste
    decision = Trace.objects.get(objet_type="dossiers.decisionconformite")
    assert decision.acteur == "commission-clermont"
    assert decision.motif == "6 semaines attestées pour 16 exigées."
    assert Trace.objects.filter(objet_type="notes.resultat", apres__etat="NV").count() == 2
    # La notification : un courriel au candidat, un à son établissement, journalisés.
    assert sorted(m.to[0] for m in mail.outbox) == ["lea@exemple.fr", "secretariat@lycee.fr"]
    assert "déclarée non valide (NV)" in mail.outbox[0].body
    envois = Envoi.objects.filter(objet=objet_notification(lea, "E4"))
    assert sorted(envois.values_list("destinataire", flat=True)) == ["lea@exemple.fr", "secretariat@lycee.fr"]


def test_decision_mal_formee_refusee_sans_rien_ecrire(lea: Candidat) -> None:
    dossier = _dossier(lea, "E6")
    cas = [
        ({"conforme": True, "causes": ["depot_tardif"], "motifs": ""}, "pas de cause"),
        ({"conforme": False, "causes": [], "motifs": "x"}, "au moins une cause"),
        ({"conforme": False, "causes": ["depot_tardif"], "motifs": " "}, "motivez"),
        ({"conforme": False, "causes": ["inconnue"], "motifs": "x"}, "cause inconnue"),
    ]
    for arguments, message in cas:
        with pytest.raises(DecisionConformiteImpossible, match=message):
            decider_conformite(dossier=dossier, par="commission", **arguments)
    assert not DecisionConformite.objects.exists()
    assert not Trace.objects.filter(objet_type="dossiers.decisionconformite").exists()


def test_conforme_ne_notifie_pas_sauf_revision(lea: Candidat, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        r = decider_conformite(dossier=_dossier(lea, "E6"), conforme=True, motifs="", par="commission")
    assert r.destinataires == ()
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        decider_conformite(
            dossier=_dossier(lea, "E6"), conforme=False, causes=["non_vise_non_signe"], motifs="non visé", par="c"
        )
        revue = decider_conformite(dossier=_dossier(lea, "E6"), conforme=True, motifs="visa produit", par="c")
    assert revue.destinataires  # une décision qui en revoit une autre est notifiée
    assert revue.nv_a_lever == ("E6",)  # l'épreuve reste NV : elle se lève par une saisie de note
    assert Resultat.objects.get(candidat=lea, epreuve="E6").etat == "NV"
    assert DecisionConformite.objects.filter(dossier__candidat=lea).count() == 3


def test_levee_de_doute_note_retablie(lea: Candidat, django_capture_on_commit_callbacks: Any) -> None:
    noter(lea, **partout("14"))
    suspendre(lea, "E4")
    resultat = Resultat.objects.get(candidat=lea, epreuve="E4")
    with pytest.raises(DecisionConformiteImpossible, match="indiquez"):
        lever_le_doute(resultat=resultat, conforme=True, motif="", par="dec")
    with django_capture_on_commit_callbacks(execute=True):
        r = lever_le_doute(resultat=resultat, conforme=True, motif="attestations vérifiées", par="dec")
    assert r.note_retablie
    resultat.refresh_from_db()
    assert (resultat.etat, resultat.suspendue, resultat.note_examinateur) == ("note", False, Decimal("14.00"))
    trace = Trace.objects.get(objet_type="notes.resultat", objet_id=str(resultat.pk))
    assert (trace.avant["suspendue"], trace.apres["suspendue"]) == (True, False)
    assert "note rétablie" in trace.motif
    assert len(mail.outbox) == 2
    with pytest.raises(DecisionConformiteImpossible, match="aucune note suspendue"):
        lever_le_doute(resultat=resultat, conforme=True, motif="encore", par="dec")


def test_levee_de_doute_non_conforme_nv(lea: Candidat) -> None:
    noter(lea, **partout("14"))
    suspendre(lea, "E6")
    resultat = Resultat.objects.get(candidat=lea, epreuve="E6")
    with pytest.raises(DecisionConformiteImpossible, match="au moins une cause"):
        lever_le_doute(resultat=resultat, conforme=False, motif="fiches inventées", par="dec")
    r = lever_le_doute(
        resultat=resultat, conforme=False, causes=["non_vise_non_signe"], motif="attestation non signée", par="dec"
    )
    assert r.nv_poses == ("E6",)  # cause propre au dossier : seule l'E6 est annulée
    resultat.refresh_from_db()
    assert (resultat.etat, resultat.suspendue, resultat.note_examinateur) == ("NV", False, Decimal("14.00"))
    assert Resultat.objects.get(candidat=lea, epreuve="E4").etat == "note"
    trace = Trace.objects.get(objet_type="notes.resultat", objet_id=str(resultat.pk))
    assert trace.avant == {"etat": "note", "suspendue": True, "note_examinateur": "14.00"}
