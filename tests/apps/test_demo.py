"""La session de démonstration : rapide, déterministe, conforme aux invariants du règlement, réaliste."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.db import transaction
from django.test import RequestFactory

from examens.apps.candidats.models import Candidat, Dispense, Etablissement, NoteConservee
from examens.apps.demo.donnees import DATE_LIMITE_DOSSIERS
from examens.apps.demo.selectors import bilan_deliberation, deliberations_moteur, non_valides_en_memoire
from examens.apps.demo.services import DemoImpossible, ResumeDemo, construire_session_demo, creer_comptes_demo
from examens.apps.notes.models import Origine, Resultat
from examens.apps.organisation.models import Centre, EpreuveEcrite, ExamSession, Salle
from examens.apps.organisation.selectors import horaires_du_centre
from examens.core.uai import verifier_uai

pytestmark = pytest.mark.django_db
OBLIGATOIRES = ("E1", "E2", "E3", "E4", "E5A", "E5B", "E6")


@pytest.fixture
def demo(db: None) -> ResumeDemo:
    return construire_session_demo(candidats=200, graine=2022)


class _Annuler(Exception):
    pass


def _empreinte(graine: int) -> Any:
    """Construit une démonstration dans un point de sauvegarde, en relève l'empreinte, puis l'annule."""
    try:
        with transaction.atomic():
            resume = construire_session_demo(candidats=200, graine=graine)
            candidats = list(
                Candidat.objects.order_by("numero").values_list(
                    "numero",
                    "nom",
                    "prenoms",
                    "mode_preparation",
                    "parcours",
                    "langue_e2",
                    "langue_lv2",
                    "centre__code",
                )
            )
            notes = list(
                Resultat.objects.order_by("candidat__numero", "epreuve").values_list(
                    "candidat__numero", "epreuve", "etat", "note_examinateur", "origine", "suspendue"
                )
            )
            raise _Annuler((resume.chiffres_cles(), candidats, notes))
    except _Annuler as annulation:
        return annulation.args[0]


def test_une_petite_demo_se_construit_en_quelques_secondes(db: None) -> None:
    debut = time.perf_counter()
    resume = construire_session_demo(candidats=200, graine=7)
    assert time.perf_counter() - debut < 10
    assert Candidat.objects.count() == resume.candidats == 200


def test_meme_graine_memes_donnees_autre_graine_autres_donnees(db: None) -> None:
    premiere = _empreinte(2022)
    assert _empreinte(2022) == premiere
    assert _empreinte(2023) != premiere


def test_la_demo_refuse_une_base_non_vide(demo: ResumeDemo) -> None:
    with pytest.raises(DemoImpossible, match="base vide"):
        construire_session_demo(candidats=10)


def test_organisation_pilote_regroupement_centres_et_salles(demo: ResumeDemo) -> None:
    session = ExamSession.objects.get()
    assert session.academie_pilote.nom == "Clermont-Ferrand"
    regroupement = session.regroupements.get()
    fuseaux = dict(regroupement.academies.values_list("nom", "fuseau"))
    assert fuseaux["La Réunion"] == "Indian/Reunion"
    assert fuseaux["Mayotte"] == "Indian/Mayotte"
    assert len(fuseaux) >= 5
    assert set(Salle.objects.values_list("type", flat=True)) == set(Salle.Type.values)
    for centre in Centre.objects.all():
        assert set(centre.salles.values_list("type", flat=True)) == set(Salle.Type.values), centre
    assert set(Etablissement.objects.values_list("statut", flat=True)) == set(Etablissement.Statut.values)
    cfa = Etablissement.objects.filter(statut=Etablissement.Statut.CFA)
    assert cfa.filter(habilite_ccf=True).exists()
    assert cfa.filter(habilite_ccf=False).exists()


def test_les_uai_sont_valides(demo: ResumeDemo) -> None:
    codes = [*Etablissement.objects.values_list("uai", flat=True), *Centre.objects.values_list("code", flat=True)]
    assert [c for c in codes if verifier_uai(c) is not None] == []


def test_la_reunion_et_mayotte_composent_au_meme_instant_en_heure_locale(demo: ResumeDemo) -> None:
    e1 = EpreuveEcrite.objects.get(epreuve="E1")
    assert f"{e1.debut:%Y-%m-%d}" == "2022-05-16"
    assert (e1.duree_minutes, e1.temps_de_loge_minutes) == (240, 60)
    assert sorted(EpreuveEcrite.objects.values_list("epreuve", flat=True)) == ["E1", "E3", "E5A"]
    paris = horaires_du_centre(centre=Centre.objects.filter(fuseau="Europe/Paris").first(), epreuve=e1)
    reunion = horaires_du_centre(centre=Centre.objects.filter(fuseau="Indian/Reunion").first(), epreuve=e1)
    mayotte = horaires_du_centre(centre=Centre.objects.filter(fuseau="Indian/Mayotte").first(), epreuve=e1)
    assert paris.debut == reunion.debut == mayotte.debut  # même instant
    assert [f"{h.debut:%H:%M}" for h in (paris, reunion, mayotte)] == ["14:00", "16:00", "15:00"]
    assert f"{reunion.sortie_autorisee:%H:%M}" == "17:00"  # temps de loge, là-bas aussi


def test_categories_et_cas_du_reglement_representes(demo: ResumeDemo) -> None:
    modes = demo.par_mode
    assert 0.5 <= modes["scolaire"] / 200 <= 0.7
    assert 0.15 <= modes["apprenti"] / 200 <= 0.35
    assert set(demo.par_categorie) == {"A", "C"}
    assert demo.notes_conservees.get("benefice", 0) > 0
    assert demo.dispenses > 0
    assert demo.resultats_par_etat.get("AB", 0) > 0


def test_invariants_du_reglement(demo: ResumeDemo) -> None:
    # §1 : LV2 différente de la langue d'E2.
    assert not [c for c in Candidat.objects.exclude(langue_lv2="") if c.langue_lv2 == c.langue_e2]
    # §5 : bénéfice ≥ 10 de moins de 5 ans ; report < 10 en forme progressive seulement.
    for origine_modele, conservees in (
        ("note conservée", NoteConservee.objects.select_related("candidat")),
        ("résultat", Resultat.objects.exclude(origine=Origine.SESSION).select_related("candidat")),
    ):
        for nc in conservees:
            note = nc.note if origine_modele == "note conservée" else nc.note_examinateur
            assert 0 < 2022 - nc.annee <= 5, nc
            if nc.origine == Origine.BENEFICE:
                assert note >= 10, nc
            else:
                assert note < 10, nc
                assert nc.candidat.parcours == Candidat.Parcours.PROGRESSIVE, nc
    # Un résultat pour chaque épreuve obligatoire, ou une dispense (DI) ; la forme progressive seule peut
    # laisser des unités pour une session suivante (parcours incomplet, §4.0).
    presentes: dict[int, set[str]] = {}
    for cid, epreuve in Resultat.objects.values_list("candidat_id", "epreuve"):
        presentes.setdefault(cid, set()).add(epreuve)
    dispensees = {(cid, u) for cid, u in Dispense.objects.values_list("candidat_id", "unite")}
    for c in Candidat.objects.all():
        manquantes = [
            e
            for e in OBLIGATOIRES
            if e not in presentes.get(c.pk, set()) and (c.pk, {"E1": "U1", "E3": "U3"}.get(e)) not in dispensees
        ]
        if c.parcours == Candidat.Parcours.GLOBALE:
            assert manquantes == [], c
    # Les dispenses portent sur U1 ou U3 et se lisent DI dans les résultats.
    assert set(Dispense.objects.values_list("unite", flat=True)) <= {"U1", "U3"}
    for cid, unite in dispensees:
        assert Resultat.objects.get(candidat_id=cid, epreuve={"U1": "E1", "U3": "E3"}[unite]).etat == "DI"


def test_le_moteur_admet_de_70_a_90_pour_cent(demo: ResumeDemo) -> None:
    session = ExamSession.objects.get()
    non_valides = non_valides_en_memoire(session=session, date_limite=DATE_LIMITE_DOSSIERS)
    deliberations, erreurs = deliberations_moteur(session=session, non_valides=non_valides)
    assert erreurs == []
    bilan = bilan_deliberation(session=session, deliberations=deliberations)
    assert bilan.total == 200 - demo.desistements
    assert 0.70 <= bilan.taux_admission <= 0.90, bilan.par_decision


def test_une_demo_plus_grande_montre_chaque_cas(db: None) -> None:
    resume = construire_session_demo(candidats=1500, graine=2022)
    assert set(resume.par_mode) == set(Candidat.ModePreparation.values)
    assert resume.par_parcours.get("progressive", 0) > 0
    assert resume.notes_conservees.get("report", 0) > 0
    for anomalie in ("non_depose", "depot_tardif", "stage_moins_de_4_semaines", "stage_entre_4_et_16_semaines"):
        assert resume.anomalies_dossiers.get(anomalie, 0) > 0, anomalie
    assert resume.suspendues > 0
    assert resume.resultats_par_etat.get("ABJ", 0) > 0
    session = ExamSession.objects.get()
    non_valides = non_valides_en_memoire(session=session, date_limite=DATE_LIMITE_DOSSIERS)
    deliberations, erreurs = deliberations_moteur(session=session, non_valides=non_valides)
    bilan = bilan_deliberation(session=session, deliberations=deliberations, erreurs=erreurs)
    assert erreurs == []
    assert 0.75 <= bilan.taux_admission <= 0.85, bilan.par_decision
    for decision in ("admis", "ajourne", "controle", "en_attente", "incomplet"):
        assert bilan.par_decision[decision] > 0, decision
    for motif in ("absence", "non_valide", "moyenne"):
        assert bilan.par_motif[motif] > 0, motif


def test_comptes_de_demonstration(db: None) -> None:
    comptes = {c.identifiant: c for c in creer_comptes_demo()}
    requete = RequestFactory().post("/connexion/")  # django-axes exige la requête
    gestionnaire = authenticate(requete, username="gestionnaire", password=comptes["gestionnaire"].mot_de_passe)
    assert gestionnaire is not None
    assert gestionnaire.is_superuser
    consultation = authenticate(requete, username="consultation", password=comptes["consultation"].mot_de_passe)
    assert consultation is not None
    assert consultation.is_staff
    assert not consultation.is_superuser
    assert consultation.has_perm("candidats.view_candidat")
    assert not consultation.has_perm("candidats.change_candidat")


def test_les_notes_changees_au_desistement_sont_tracees(demo: ResumeDemo) -> None:
    """Un désistement met les épreuves de la session en AB : chaque note changée laisse sa trace (avant, après)."""
    from examens.apps.historique.models import Trace

    desistes = Candidat.objects.filter(desiste_le__isnull=False)
    assert desistes.count() == demo.desistements > 0
    for resultat in Resultat.objects.filter(candidat__in=desistes, origine=Origine.SESSION).exclude(etat="DI"):
        assert resultat.etat == "AB"
        (trace,) = Trace.objects.pour("notes.resultat", resultat.pk)
        assert trace.action == "modification"
        assert trace.apres == {"etat": "AB", "note_examinateur": None, "suspendue": False}
        assert trace.avant is not None
        assert set(trace.avant) == {"etat", "note_examinateur", "suspendue"}
        assert trace.motif.startswith("désistement du candidat")


def test_la_demo_enchainee_par_les_services_admet_de_70_a_90_pour_cent(demo: ResumeDemo) -> None:
    """Le chemin de `make demo` : conformité puis délibération par les services, enregistrées et tracées."""
    from examens.cli.demo import _controler_et_deliberer

    session = ExamSession.objects.get()
    deliberations, erreurs, sources = _controler_et_deliberer(session, DATE_LIMITE_DOSSIERS)
    assert erreurs == []
    assert sources == [
        "conformité : examens.apps.dossiers.services.controler_conformite_session (enregistrée)",
        "délibération : examens.apps.jury.services.deliberer_session (décisions enregistrées)",
    ]
    bilan = bilan_deliberation(session=session, deliberations=deliberations)
    assert 0.70 <= bilan.taux_admission <= 0.90, bilan.par_decision
    from examens.apps.jury.models import DecisionJury, Jury

    assert DecisionJury.objects.en_vigueur().count() == bilan.total
    assert Jury.objects.filter(session=session).count() >= 5
    # Chaque décision de jury, chaque livret examiné, chaque décision de conformité a sa trace.
    from examens.apps.dossiers.models import DecisionConformite
    from examens.apps.historique.models import Trace
    from examens.apps.jury.models import ExamenLivret

    for modele, objet_type in (
        (DecisionJury, "jury.decisionjury"),
        (ExamenLivret, "jury.examenlivret"),
        (DecisionConformite, "dossiers.decisionconformite"),
    ):
        traces = set(Trace.objects.filter(objet_type=objet_type).values_list("objet_id", flat=True))
        assert {str(pk) for pk in modele.objects.values_list("pk", flat=True)} == traces, objet_type
