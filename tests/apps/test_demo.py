"""La session de démonstration : rapide, déterministe, conforme aux invariants du règlement, réaliste."""

from __future__ import annotations

import time
from decimal import Decimal
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


# --- Écrits et sujets : la démonstration remplit /ecrits/ et /sujets/ par les services des applications ---------


@pytest.fixture
def demo_complete(db: None, settings: Any) -> Any:
    """Le chemin de `make demo`, en petit : session, écrits (avant la délibération), conformité et délibération,
    planification publiée, comptes, puis sujets et pièces. (Mots de passe hachés vite : ce n'est pas le sujet.)"""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from examens.apps.demo.ecrits_sujets import construire_ecrits_demo, construire_sujets_demo
    from examens.apps.demo.services import ACTEUR
    from examens.apps.planification.services import planifier_session
    from examens.cli.demo import _controler_et_deliberer

    construire_session_demo(candidats=300, graine=2022)
    session = ExamSession.objects.get()
    ecrits = construire_ecrits_demo(session=session, graine=2022)
    _controler_et_deliberer(session, DATE_LIMITE_DOSSIERS)
    planifier_session(session=session, par=ACTEUR, solveur="glouton", en_tache=False, publier=True)
    creer_comptes_demo()
    sujets = construire_sujets_demo(session=session, graine=2022)
    return session, ecrits, sujets


def _habilitation(identifiant: str) -> Any:
    from examens.apps.comptes.models import Habilitation

    return Habilitation.objects.select_related("centre", "examinateur").get(utilisateur__username=identifiant)


def test_la_demo_mene_les_ecrits_du_centre_du_chef_jusqu_a_la_correction_en_cours(demo_complete: Any) -> None:
    from examens.apps.ecrits.models import (
        Absence,
        Ajustement,
        CommissionHarmonisation,
        Copie,
        Correspondance,
        Incident,
        Lot,
        Place,
        Saisie,
        Surveillance,
    )
    from examens.apps.historique.models import Trace

    session, ecrits, _ = demo_complete
    centre = _habilitation("chef-centre").centre
    assert ecrits.centre == f"{centre.nom} ({centre.code})"
    # Tous les centres sont répartis (convocations et émargements portent salle et table).
    assert ecrits.centres_repartis == Centre.objects.filter(candidats__session=session).distinct().count()
    assert Place.objects.count() == ecrits.places > 0
    e1, e3, e5a = (EpreuveEcrite.objects.get(epreuve=code) for code in ("E1", "E3", "E5A"))
    # Jour J dans le centre du chef : surveillants (deux au moins par salle), présences, procès-verbaux.
    places_e1 = Place.objects.filter(epreuve=e1, salle__centre=centre)
    salles_e1 = set(places_e1.values_list("salle_id", flat=True))
    for salle in salles_e1:
        assert Surveillance.objects.filter(epreuve=e1, salle_id=salle).count() >= 2
    assert places_e1.filter(presence=Place.Presence.PRESENT).count() > places_e1.filter(presence="absent").count() > 0
    assert not Place.objects.filter(epreuve=e1).exclude(salle__centre=centre).exclude(presence="a_saisir").exists()
    assert Incident.objects.filter(epreuve=e1, salle__centre=centre, nature="incident").count() == 1
    # Une absence reconnue de force majeure sur pièce : ABJ, que la délibération a lu.
    abj = Absence.objects.filter(decision=Absence.Decision.FORCE_MAJEURE).select_related("place__epreuve")
    assert abj.exists()
    for absence in abj:
        assert absence.justificatifs.filter(type_mime="application/pdf").exists()
        resultat = Resultat.objects.get(candidat_id=absence.place.candidat_id, epreuve=absence.place.epreuve.epreuve)
        assert resultat.etat == "ABJ"
    assert Absence.objects.filter(decision=Absence.Decision.EN_ATTENTE).exists()  # il reste à statuer
    # Lots : E1 et E3 confiés, jamais à un correcteur de l'établissement d'un candidat du lot ; E5A sans correcteur.
    for epreuve in (e1, e3):
        lots = Lot.objects.filter(epreuve=epreuve, centre_correction=centre)
        assert lots.count() >= 2
        assert not lots.filter(correcteur__isnull=True).exists()
    assert Lot.objects.filter(epreuve=e5a).exists()
    assert not Lot.objects.filter(epreuve=e5a, correcteur__isnull=False).exists()
    for lot in Lot.objects.select_related("correcteur"):
        if lot.correcteur is None or lot.correcteur.etablissement_id is None:
            continue
        etablissements = set(
            Correspondance.objects.filter(copie__lot=lot).values_list("candidat__etablissement_id", flat=True)
        )
        assert lot.correcteur.etablissement_id not in etablissements, lot.code
    # Le compte « examinateur » a un lot à corriger (aucune saisie encore).
    a_corriger = Lot.objects.filter(correcteur=_habilitation("examinateur").examinateur)
    assert a_corriger.count() == 1
    assert ecrits.lot_examinateur == a_corriger.get().code
    assert not Saisie.objects.filter(copie__lot__in=a_corriger).exists()
    # Double saisie sur une partie des copies d'E1 : notes validées, un écart, des copies à corriger ; la note
    # validée d'une copie est celle du candidat (une levée d'anonymat rendrait les notes délibérées).
    copies = Copie.objects.filter(epreuve=e1)
    validees = copies.filter(note_initiale__isnull=False)
    assert 0 < validees.count() < copies.count()
    assert copies.filter(ecart=True).count() == 1
    for note, candidat_id in validees.values_list("note_initiale", "correspondance__candidat_id"):
        assert Resultat.objects.get(candidat_id=candidat_id, epreuve="E1").note_examinateur == note
    assert set(Lot.objects.filter(epreuve=e1).values_list("statut", flat=True)) >= {"remis", "corrige", "rendu"}
    assert Saisie.objects.filter(copie__epreuve=e3, rang=1).exists()
    assert not Saisie.objects.filter(copie__epreuve=e3, rang=2).exists()
    # Harmonisation d'E1 : commission ouverte, un lot décalé d'un demi-point avec un motif ; rien de verrouillé.
    commission = CommissionHarmonisation.objects.get(epreuve=e1)
    assert commission.statut == CommissionHarmonisation.Statut.OUVERTE
    assert commission.anonymat_leve_le is None
    (ajustement,) = Ajustement.objects.all()
    assert abs(ajustement.points) == Decimal("0.5")
    assert "demi-point" in ajustement.motif
    assert not CommissionHarmonisation.objects.exclude(epreuve=e1).exists()
    # Tout est passé par les services : chaque étape a sa trace, sous le compte qui l'aurait faite.
    for objet_type, acteur in (
        ("ecrits.repartition", "chef-centre"),
        ("ecrits.surveillance", "chef-centre"),
        ("ecrits.place", "chef-centre"),
        ("ecrits.incident", "chef-centre"),
        ("ecrits.absence", "gestionnaire"),
        ("ecrits.anonymat", "gestionnaire"),
        ("ecrits.lots", "gestionnaire"),
        ("ecrits.lot", "gestionnaire"),
        ("ecrits.ajustement", "gestionnaire"),
    ):
        assert Trace.objects.filter(objet_type=objet_type, acteur=acteur).exists(), objet_type
    # Les saisies sont celles des correcteurs (leur code d'examinateur), jamais d'un gestionnaire.
    assert set(Trace.objects.filter(objet_type="ecrits.saisie").values_list("acteur", flat=True)) <= set(
        Lot.objects.values_list("correcteur__code", flat=True)
    )


def test_la_demo_diffuse_une_banque_equilibree_et_attribue_les_sujets(demo_complete: Any) -> None:
    from examens.apps.planification.models import Passage
    from examens.apps.sujets.models import (
        AttributionSujet,
        ContexteNumerique,
        DiffusionBanque,
        FicheEngagement,
        FicheSujet,
        PosteE5B,
        SignaturePostes,
        Sujet,
    )
    from examens.apps.sujets.selectors import equilibre_banque

    session, _, sujets = demo_complete
    centre = _habilitation("chef-centre").centre
    equilibre = equilibre_banque(session)
    assert equilibre.diffusable
    assert equilibre.wordpress == equilibre.prestashop == sujets.wordpress >= 4
    assert not Sujet.objects.filter(grille__isnull=True).exists()
    assert all(bytes(s.contenu).startswith(b"%PDF-") for s in Sujet.objects.all())
    diffusion = DiffusionBanque.objects.get()
    assert len(diffusion.sujets) == Sujet.objects.count()
    assert ContexteNumerique.objects.filter(version=sujets.contexte).exists()
    # Chaque passage E5B des plannings publiés a son sujet ; jamais deux fois le même par commission et par jour.
    passages = Passage.objects.filter(version__session=session, version__statut="publie", epreuve="E5B")
    assert passages.count() == AttributionSujet.objects.filter(remplacee_le__isnull=True).count() > 0
    codes = set(Sujet.objects.values_list("code", flat=True))
    assert set(passages.values_list("sujet", flat=True)) <= codes
    vus = [(p.commission_id, p.debut.date(), p.sujet) for p in passages]
    assert len(vus) == len(set(vus))
    # Postes E5B du centre du chef : déclarés, tous prêts (dont un réparé), liste signée.
    postes = PosteE5B.objects.filter(centre=centre)
    assert postes.count() == sujets.postes > 0
    assert not postes.exclude(etat=PosteE5B.Etat.PRET).exists()
    signature = SignaturePostes.objects.get(centre=centre)
    assert signature.postes_prets == signature.postes_declares == postes.count()
    # Fiches-sujets E4 des passages du centre, prêtes et en brouillon ; fiches d'engagement déposées.
    fiches = FicheSujet.objects.filter(candidat__centre=centre)
    assert fiches.filter(statut=FicheSujet.Statut.PRETE).count() == sujets.fiches_pretes > 0
    assert fiches.filter(statut=FicheSujet.Statut.BROUILLON).count() == sujets.fiches_brouillon > 0
    assert FicheEngagement.objects.filter(candidat__centre=centre).count() == sujets.engagements > 0


def test_les_pages_des_ecrits_et_des_sujets_de_la_demo_sont_remplies(client: Any, demo_complete: Any) -> None:
    from django.contrib.auth import get_user_model

    from examens.apps.ecrits.models import Lot
    from examens.apps.sujets.models import FicheSujet

    session, ecrits, _ = demo_complete
    centre = _habilitation("chef-centre").centre
    e1 = EpreuveEcrite.objects.get(epreuve="E1")
    lot = Lot.objects.filter(epreuve=e1).order_by("numero").first()
    fiche = FicheSujet.objects.filter(statut=FicheSujet.Statut.PRETE).first()
    utilisateurs = get_user_model().objects
    attendus = {
        "gestionnaire": [
            ("/ecrits/", ["E1", "sans correcteur", "absence(s) à statuer"]),
            (f"/ecrits/epreuves/{e1.pk}/centres/{centre.pk}/lots/", [lot.code, "rendu", "remis au correcteur"]),
            (f"/ecrits/epreuves/{e1.pk}/suivi/", ["écart entre les saisies", "harmonisée"]),
            (f"/ecrits/epreuves/{e1.pk}/commission/", ["décalage de toutes les copies du lot", "demi-point"]),
            ("/ecrits/absences/", ["force majeure reconnue", "non statuée"]),
            ("/sujets/banque/", ["WP-01", "PS-01", "2022.1"]),
            ("/sujets/attribution/journal/", ["WP-01 (version 1)", "en vigueur"]),
            ("/sujets/centres/", [centre.code, "aucun poste E5B déclaré"]),
        ],
        "chef-centre": [
            ("/ecrits/", ["Salles de l'épreuve E1", "Gymnase"]),
            (f"/ecrits/centres/{centre.pk}/incidents/", ["alarme incendie", "téléphone portable"]),
            (f"/sujets/centres/{centre.pk}/postes/", ["poste 01", "réinstallé"]),
            (f"/sujets/candidats/{fiche.candidat_id}/pieces/", ["Fiche-sujet E4", "prête"]),
        ],
        "examinateur": [("/ecrits/", [ecrits.lot_examinateur, "remis au correcteur"])],
    }
    for identifiant, pages in attendus.items():
        client.force_login(utilisateurs.get(username=identifiant))
        for url, textes in pages:
            reponse = client.get(url, {"session": session.code}, follow=True)
            assert reponse.status_code == 200, (identifiant, url)
            contenu = reponse.content.decode()
            for texte in textes:
                assert texte.replace("'", "&#x27;") in contenu or texte in contenu, (identifiant, url, texte)


def _empreinte_ecrits_sujets(graine: int) -> Any:
    """Écrits et sujets d'une petite démonstration, relevés puis annulés (point de sauvegarde). Les numéros
    d'anonymat viennent du générateur du système : l'empreinte ne porte que ce qui n'en dépend pas."""
    from dataclasses import asdict

    from examens.apps.demo.ecrits_sujets import construire_ecrits_demo, construire_sujets_demo
    from examens.apps.demo.services import ACTEUR
    from examens.apps.ecrits.models import Lot, Place, Surveillance
    from examens.apps.planification.services import planifier_session
    from examens.apps.sujets.models import AttributionSujet, FicheSujet

    try:
        with transaction.atomic():
            construire_session_demo(candidats=200, graine=graine)
            session = ExamSession.objects.get()
            ecrits = asdict(construire_ecrits_demo(session=session, graine=graine))
            planifier_session(session=session, par=ACTEUR, solveur="glouton", en_tache=False, publier=True)
            sujets = asdict(construire_sujets_demo(session=session, graine=graine))
            for resume in (ecrits, sujets):
                resume.pop("duree_secondes")
            for bilan in ecrits["epreuves"]:
                bilan.pop("ajustement")  # son sens dépend des copies du lot, donc des numéros d'anonymat
            releve = (
                ecrits,
                sujets,
                sorted(
                    Place.objects.values_list(
                        "candidat__numero", "epreuve__epreuve", "salle__nom", "numero", "presence"
                    )
                ),
                sorted(
                    Surveillance.objects.values_list("epreuve__epreuve", "salle__nom", "examinateur__code", "nom"),
                    key=str,
                ),
                sorted(Lot.objects.values_list("epreuve__epreuve", "numero", "correcteur__code", "statut"), key=str),
                sorted(AttributionSujet.objects.values_list("candidat_numero", "sujet__code", "commission")),
                sorted(FicheSujet.objects.values_list("candidat__numero", "statut", "activite__titre")),
            )
            raise _Annuler(releve)
    except _Annuler as annulation:
        return annulation.args[0]


def test_ecrits_et_sujets_de_la_demo_meme_graine_memes_donnees(db: None) -> None:
    premiere = _empreinte_ecrits_sujets(2022)
    places, lots, attributions = premiere[2], premiere[4], premiere[5]
    assert len(places) > 0
    assert len(lots) > 0
    assert len(attributions) > 0
    assert _empreinte_ecrits_sujets(2022) == premiere
