"""Fiches-sujets E4 (brouillon → prête → remise, alerte du chef de centre, PDF), engagement étudiant (pas d'épreuve
sans fiche : refusée et non planifiée ; seule la fiche d'évaluation est communicable), postes E5B prêts (alerte,
planification bornée aux postes prêts), et la page « pièces du candidat »."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core import mail
from fabriques_planification import CentreDeTest, centre_de_test
from fabriques_sujets import CentreSujets, centre_sujets, paris, pdf, remplir_banque
from pypdf import PdfReader

from examens.apps.candidats.models import Candidat
from examens.apps.dossiers.models import FicheActivite
from examens.apps.historique.models import Trace
from examens.apps.organisation.models import Academie, ExamSession, Salle
from examens.apps.planification.erreurs import PlanificationImpossible
from examens.apps.planification.selectors import instance_du_centre
from examens.apps.planification.services import composer_commissions
from examens.apps.sujets.erreurs import AccesRefuse, EngagementRefuse, FicheSujetRefusee, PostesRefuses
from examens.apps.sujets.models import FicheEngagement, FicheSujet, PosteE5B, ReglagesSujets
from examens.apps.sujets.selectors import (
    alertes_postes,
    etat_postes,
    evaluation_communicable,
    fiches_manquantes,
    pieces_du_candidat,
)
from examens.apps.sujets.services import (
    attribuer_sujets,
    avertir_engagements_sans_fiche,
    consulter_fiche_engagement,
    consulter_sujet,
    declarer_postes,
    deposer_fiche_engagement,
    diffuser_banque,
    editer_fiche_sujet,
    evaluer_engagement,
    publier_contexte_numerique,
    rediger_fiche_sujet,
    remettre_fiche_sujet,
    rouvrir_fiche_sujet,
    signer_preparation_postes,
    valider_fiche_sujet,
    verifier_poste,
)

pytestmark = pytest.mark.django_db
JOUR_E4 = dt.date(2022, 5, 30)


@pytest.fixture
def cs(session: ExamSession, clermont: Academie) -> CentreSujets:
    return centre_sujets(session, clermont)


def _activites(cs: CentreSujets, c: str) -> list[FicheActivite]:
    return list(FicheActivite.objects.filter(dossier__candidat=cs.candidats[c]).order_by("pk"))


def _rediger(cs: CentreSujets, c: str = "C1") -> FicheSujet:
    return rediger_fiche_sujet(
        candidat=cs.candidats[c],
        activite=_activites(cs, c)[0],
        parametres_modifies=["Le salon est avancé de deux semaines", "  ", "Budget réduit de 30 %"],
        role_commission="Le jury joue le directeur du magasin.",
        contexte="Vous préparez le salon de l'habitat.",
        par="x5",
    )


# --------------------------------------------------------------------------- fiche-sujet E4


def test_cycle_de_la_fiche_sujet_brouillon_prete_remise(cs: CentreSujets) -> None:
    fiche = _rediger(cs)
    assert (fiche.statut, fiche.commission.code, fiche.parametres_modifies) == (
        "brouillon",
        "K01",
        ["Le salon est avancé de deux semaines", "Budget réduit de 30 %"],
    )
    with pytest.raises(FicheSujetRefusee, match="doit être « prête »"):
        remettre_fiche_sujet(fiche=fiche, par="chef")
    fiche = valider_fiche_sujet(fiche=fiche, par="x5", maintenant=paris(29, 18))
    assert (fiche.statut, fiche.prete_le) == ("prete", paris(29, 18))
    with pytest.raises(FicheSujetRefusee, match="rouvrez-la"):
        _rediger(cs)
    fiche = rouvrir_fiche_sujet(fiche=fiche, par="x5", motif="coquille")
    _rediger(cs)
    fiche = valider_fiche_sujet(fiche=fiche, par="x5")
    fiche = remettre_fiche_sujet(fiche=fiche, par="surveillant", maintenant=paris(30, 13, 20))
    assert (fiche.statut, fiche.remise_par) == ("remise", "surveillant")
    with pytest.raises(FicheSujetRefusee, match="ne se modifie plus"):
        _rediger(cs)
    traces = Trace.objects.pour("sujets.fichesujet", fiche.pk)
    assert len(traces) == 6  # création, prête, rouverte, modifiée, prête, remise
    assert all("salon" not in str(t.apres) for t in traces)  # le contenu reste confidentiel


def test_la_fiche_sujet_porte_sur_une_activite_du_dossier_e4_du_candidat(cs: CentreSujets) -> None:
    with pytest.raises(FicheSujetRefusee, match="l'une des deux activités du dossier E4"):
        rediger_fiche_sujet(
            candidat=cs.candidats["C1"],
            activite=_activites(cs, "C7")[0],
            parametres_modifies=["x"],
            role_commission="client",
            par="x5",
        )
    with pytest.raises(FicheSujetRefusee, match="aucun passage E4"):
        rediger_fiche_sujet(
            candidat=cs.candidats["C2"],
            activite=_activites(cs, "C1")[0],
            parametres_modifies=["x"],
            role_commission="client",
            par="x5",
        )
    fiche = rediger_fiche_sujet(
        candidat=cs.candidats["C1"],
        activite=_activites(cs, "C1")[1],
        parametres_modifies=[],
        role_commission="",
        par="x5",
    )
    with pytest.raises(FicheSujetRefusee, match="aucun paramètre modifié"):
        valider_fiche_sujet(fiche=fiche, par="x5")


def test_les_fiches_manquantes_sont_signalees_au_chef_de_centre(cs: CentreSujets) -> None:
    manquantes = fiches_manquantes(cs.centre, JOUR_E4)
    assert [(f.candidat_numero, f.raison) for f in manquantes] == [
        (cs.candidats["C1"].numero, "aucune fiche-sujet"),
        (cs.candidats["C7"].numero, "aucune fiche-sujet"),
    ]
    assert manquantes[0].debut_local.hour == 14
    fiche = _rediger(cs)
    assert [f.raison for f in fiches_manquantes(cs.centre, JOUR_E4)] == [
        "fiche-sujet en brouillon",
        "aucune fiche-sujet",
    ]
    valider_fiche_sujet(fiche=fiche, par="x5")
    assert [f.candidat_numero for f in fiches_manquantes(cs.centre, JOUR_E4)] == [cs.candidats["C7"].numero]
    assert fiches_manquantes(cs.centre, JOUR_E4 + dt.timedelta(days=1)) == []
    # Le candidat change de commission après une replanification : la fiche est à réécrire.
    autre = cs.commissions["K06"]
    cs.passages["E4-1"].commission = autre
    cs.passages["E4-1"].save()
    raison = fiches_manquantes(cs.centre, JOUR_E4)[0].raison
    assert raison == "fiche rédigée par la commission K01, le candidat passe devant K06"


def test_le_pdf_de_la_fiche_sujet_passe_par_le_service_d_edition(cs: CentreSujets) -> None:
    fiche = valider_fiche_sujet(fiche=_rediger(cs), par="x5")
    version = editer_fiche_sujet(fiche=fiche, par="x5")
    assert version.document.modele == "fiche-sujet-e4"
    assert version.document.candidat_id == cs.candidats["C1"].pk
    texte = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(bytes(version.fichier.contenu))).pages)
    assert "Budget réduit de 30 %" in texte
    assert "directeur du magasin" in texte
    assert "Vente de cuisines" in texte  # l'autre activité du dossier


def test_edition_en_masse_des_fiches_sujets_pretes(cs: CentreSujets) -> None:
    from examens.apps.editions.donnees import selection

    valider_fiche_sujet(fiche=_rediger(cs), par="x5")
    _rediger(cs, "C7")  # brouillon : pas édité en masse
    choix = selection(cs.session, "fiche-sujet-e4", {"centre": cs.centre.code})
    assert choix.total == 1
    (element,) = list(choix.elements)
    assert element.donnees.statut.value == "validee"


# --------------------------------------------------------------------------- engagement étudiant


def test_engagement_sans_fiche_refuse_et_candidat_averti(cs: CentreSujets) -> None:
    c8 = cs.candidats["C8"]
    with pytest.raises(EngagementRefuse, match="sans elle, l'épreuve ne peut pas se dérouler"):
        evaluer_engagement(candidat=c8, fiche_evaluation={}, note="12", par="x7")
    with pytest.raises(EngagementRefuse, match="n'est pas inscrit"):
        deposer_fiche_engagement(candidat=cs.candidats["C1"], contenu=pdf(), par="candidat", deposant="candidat")
    simulation = avertir_engagements_sans_fiche(session=cs.session, par="dec")
    assert [(a.candidat_numero, a.deja_averti) for a in simulation] == [(c8.numero, False)]
    assert mail.outbox == []
    avertir_engagements_sans_fiche(session=cs.session, par="dec", appliquer=True)
    assert sorted(m.to[0] for m in mail.outbox) == ["candidat8@exemple.fr", "etablissement@exemple.fr"]
    assert "ne peut pas se dérouler" in mail.outbox[0].body
    avertir_engagements_sans_fiche(session=cs.session, par="dec", appliquer=True)
    assert len(mail.outbox) == 2  # une seule fois


def test_depot_de_la_fiche_d_engagement_et_date_limite(cs: CentreSujets) -> None:
    c8 = cs.candidats["C8"]
    ReglagesSujets.objects.create(session=cs.session, limite_fiches_engagement=dt.date(2022, 4, 30))
    with pytest.raises(EngagementRefuse, match=r"\(30/04/2022\) est passée"):
        deposer_fiche_engagement(
            candidat=c8, contenu=pdf(), par="etablissement", deposant="etablissement", maintenant=paris(2, 10)
        )
    f1 = deposer_fiche_engagement(
        candidat=c8,
        contenu=pdf(),
        par="etablissement",
        deposant="etablissement",
        maintenant=paris(28, 10) - dt.timedelta(days=30),
    )
    f2 = deposer_fiche_engagement(candidat=c8, contenu=pdf("v2"), par="pilote", deposant="gestionnaire")
    assert (f1.version, f2.version) == (1, 2)


def test_la_planification_ne_place_pas_l_engagement_sans_fiche(session: ExamSession, clermont: Academie) -> None:
    ct: CentreDeTest = centre_de_test(session, clermont)
    composer_commissions(session=session, centre=ct.centre, par="test")
    c2 = ct.candidats["C2"]  # catégorie C, inscrit à l'engagement étudiant

    def epreuves() -> list[str]:
        candidats = instance_du_centre(ct.centre, session=session)["candidats"]
        return next(c["epreuves"] for c in candidats if c["id"] == c2.numero)

    assert "ENGAGEMENT" in epreuves()  # pas de date limite : la fiche peut encore venir
    ReglagesSujets.objects.create(session=session, limite_fiches_engagement=dt.date(2022, 4, 30))
    assert epreuves() == ["E2", "E4", "E5B", "E6"]  # date limite passée, pas de fiche : pas d'épreuve
    deposer_fiche_engagement(candidat=c2, contenu=pdf(), par="pilote", deposant="gestionnaire")
    assert epreuves() == ["E2", "E4", "E5B", "E6", "ENGAGEMENT"]


def test_seule_la_fiche_d_evaluation_est_communicable(cs: CentreSujets) -> None:
    c8 = cs.candidats["C8"]
    deposer_fiche_engagement(candidat=c8, contenu=pdf(), par="candidat", deposant="candidat")
    with pytest.raises(EngagementRefuse, match="par pas de 0,5"):
        evaluer_engagement(candidat=c8, fiche_evaluation={}, note="12.3", par="x7")
    with pytest.raises(EngagementRefuse, match="Critère"):
        evaluer_engagement(candidat=c8, fiche_evaluation={"Humour": "oui"}, note="12", par="x7")
    evaluer_engagement(
        candidat=c8,
        fiche_evaluation={"Présentation du contexte": "Clair et précis."},
        grille={"niveaux": {"C1": "Très satisfaisant"}, "commentaire interne": "hésitation 12/13"},
        appreciation="Engagement associatif solide.",
        note="13,5",
        par="x7",
    )
    fiche = evaluation_communicable(c8)
    assert fiche is not None
    assert (fiche.note, fiche.commission) == (Decimal("13.5"), "K02")
    assert fiche.criteres == (("Présentation du contexte", "Clair et précis."),)
    assert not hasattr(fiche, "grille")
    assert "hésitation" not in repr(fiche)


def test_la_note_de_l_engagement_va_au_resultat_que_lit_la_deliberation(cs: CentreSujets) -> None:
    from examens.apps.notes.models import Resultat
    from examens.apps.notes.selectors import candidats_a_deliberer
    from examens.core.resultats import Note

    c8 = cs.candidats["C8"]
    deposer_fiche_engagement(candidat=c8, contenu=pdf(), par="candidat", deposant="candidat")

    def vue_par_la_deliberation() -> object:
        entree = next(e for e in candidats_a_deliberer(session=cs.session) if e.candidat == c8.numero)
        return entree.resultats.get("ENGAGEMENT")

    assert vue_par_la_deliberation() is None
    evaluer_engagement(candidat=c8, fiche_evaluation={"Présentation du contexte": "Clair."}, note="13,5", par="x7")
    r = Resultat.objects.get(candidat=c8, epreuve="ENGAGEMENT")
    assert (r.etat, r.note_examinateur, r.origine, r.note_jury) == ("note", Decimal("13.50"), "session", None)
    assert vue_par_la_deliberation() == Note(centiemes=1350)
    (trace,) = Trace.objects.pour("notes.resultat", r.pk)
    assert (trace.acteur, trace.action, trace.apres) == (
        "x7",
        "creation",
        {"etat": "note", "note_examinateur": "13.50"},
    )
    assert trace.motif == "fiche d'évaluation de l'engagement étudiant (commission K02)"

    # Une nouvelle évaluation met à jour le résultat (tracé) ; la même note ne réécrit rien.
    evaluer_engagement(candidat=c8, fiche_evaluation={}, note="15", par="x8")
    assert vue_par_la_deliberation() == Note(centiemes=1500)
    evaluer_engagement(candidat=c8, fiche_evaluation={}, note="15", par="x8")
    assert [t.action for t in Trace.objects.pour("notes.resultat", r.pk)] == ["creation", "modification"]
    assert Resultat.objects.filter(candidat=c8).count() == 1


def test_la_note_de_l_engagement_et_la_double_saisie_ne_se_contredisent_pas(cs: CentreSujets) -> None:
    from django.contrib.auth import get_user_model

    from examens.apps.comptes.services import habiliter
    from examens.apps.notes.models import Resultat
    from examens.apps.notes.services import saisir_note_orale

    c8, passage = cs.candidats["C8"], cs.passages["ENG-1"]
    x8 = get_user_model().objects.create_user("x8", "x8@exemple.fr", None)
    habiliter(utilisateur=x8, role="examinateur", session=cs.session, perimetre=cs.examinateurs["X8"], acteur="t")
    deposer_fiche_engagement(candidat=c8, contenu=pdf(), par="candidat", deposant="candidat")
    apres = paris(31, 12)
    for u in (cs.utilisateurs["x7"], x8):
        saisir_note_orale(passage=passage, utilisateur=u, valeur="12", version=0, maintenant=apres)
    assert Resultat.objects.get(candidat=c8, epreuve="ENGAGEMENT").note_examinateur == Decimal("12.00")
    # La double saisie a validé 12 : la fiche d'évaluation ne le remplace pas par une autre note, et rien n'est écrit.
    with pytest.raises(EngagementRefuse, match=r"la double saisie a déjà validé .*\(12\)"):
        evaluer_engagement(candidat=c8, fiche_evaluation={}, note="14", par="x7")
    assert not hasattr(Candidat.objects.get(pk=c8.pk), "evaluation_engagement")
    evaluer_engagement(candidat=c8, fiche_evaluation={}, note="12", par="x7")  # la même note : acceptée
    assert Resultat.objects.get(candidat=c8, epreuve="ENGAGEMENT").note_examinateur == Decimal("12.00")


def test_la_double_saisie_n_ecrase_pas_la_note_de_la_fiche_d_evaluation(cs: CentreSujets) -> None:
    from examens.apps.notes.services import SaisieRefusee, saisir_note_orale

    c8 = cs.candidats["C8"]
    deposer_fiche_engagement(candidat=c8, contenu=pdf(), par="candidat", deposant="candidat")
    evaluer_engagement(candidat=c8, fiche_evaluation={}, note="16", par="x7")
    with pytest.raises(SaisieRefusee, match="un résultat est déjà enregistré"):
        saisir_note_orale(
            passage=cs.passages["ENG-1"],
            utilisateur=cs.utilisateurs["x7"],
            valeur="9",
            version=0,
            maintenant=paris(31, 12),
        )


def test_lecture_de_la_fiche_d_engagement_journalisee(cs: CentreSujets) -> None:
    c8 = cs.candidats["C8"]
    deposer_fiche_engagement(candidat=c8, contenu=pdf("engagement"), par="candidat", deposant="candidat")
    lu = consulter_fiche_engagement(utilisateur=cs.utilisateurs["x7"], candidat=c8, maintenant=paris(31, 10))
    assert b"engagement" in lu.contenu
    with pytest.raises(AccesRefuse):
        consulter_fiche_engagement(utilisateur=cs.utilisateurs["x1"], candidat=c8, maintenant=paris(31, 10))
    with pytest.raises(AccesRefuse):  # après le passage, la commission n'y a plus accès
        consulter_fiche_engagement(utilisateur=cs.utilisateurs["x7"], candidat=c8, maintenant=paris(31, 12))
    consulter_fiche_engagement(utilisateur=cs.utilisateurs["etablissement"], candidat=c8)
    lectures = pieces_du_candidat(c8).fiche_engagement.lectures  # type: ignore[union-attr]
    assert [(x.acteur, x.role) for x in lectures] == [("x7", "examinateur"), ("etablissement", "etablissement")]


# --------------------------------------------------------------------------- postes E5B


def test_postes_e5b_alerte_et_planification_bornee(session: ExamSession, clermont: Academie) -> None:
    ct: CentreDeTest = centre_de_test(session, clermont)
    composer_commissions(session=session, centre=ct.centre, par="test")
    assert instance_du_centre(ct.centre, session=session)["postes"] == 4  # sans inventaire : la salle
    assert etat_postes(session=session, centre=ct.centre).alerte == "aucun poste E5B déclaré"
    salle = Salle.objects.get(centre=ct.centre, type=Salle.Type.INFORMATIQUE)
    postes = declarer_postes(session=session, centre=ct.centre, noms=["P1", "P2", "P3", "P4"], salle=salle, par="chef")
    with pytest.raises(PlanificationImpossible, match="aucun poste E5B prêt"):
        instance_du_centre(ct.centre, session=session)
    with pytest.raises(PostesRefuses, match="contexte numérique national"):
        verifier_poste(poste=postes[0], wordpress_ok=True, prestashop_ok=True, par="chef")
    publier_contexte_numerique(session=session, version="2022.1", wordpress="wp.zip", prestashop="ps.zip", par="pilote")
    verifier_poste(poste=postes[0], wordpress_ok=True, prestashop_ok=True, par="chef", maintenant=paris(20, 9))
    verifier_poste(poste=postes[1], wordpress_ok=True, prestashop_ok=True, par="chef", maintenant=paris(20, 9))
    verifier_poste(poste=postes[2], wordpress_ok=True, prestashop_ok=False, par="chef", maintenant=paris(20, 9))
    assert instance_du_centre(ct.centre, session=session)["postes"] == 2  # les postes prêts seulement
    assert etat_postes(session=session, centre=ct.centre).alerte == "2 poste(s) sur 4 pas prêt(s)"
    for p in postes[2:]:
        verifier_poste(poste=p, wordpress_ok=True, prestashop_ok=True, par="chef", maintenant=paris(20, 10))
    assert etat_postes(session=session, centre=ct.centre).alerte == (
        "préparation des postes non signée par le chef de centre"
    )
    signature = signer_preparation_postes(session=session, centre=ct.centre, par="chef", maintenant=paris(20, 11))
    assert (signature.postes_prets, signature.postes_declares) == (4, 4)
    assert alertes_postes(session=session) == []
    assert etat_postes(session=session, centre=ct.centre).signee_par == "chef"
    # Une nouvelle version du contexte national : les postes sont à revérifier.
    publier_contexte_numerique(session=session, version="2022.2", wordpress="wp.zip", prestashop="ps.zip", par="pilote")
    (alerte,) = alertes_postes(session=session)
    assert alerte.alerte == "aucun poste prêt sur 4"
    assert PosteE5B.objects.filter(etat="pret").count() == 4  # l'état reste, la version ne suit plus


# --------------------------------------------------------------------------- pièces du candidat


def test_les_pieces_du_candidat_sur_une_page(cs: CentreSujets) -> None:
    c1 = cs.candidats["C1"]
    remplir_banque(cs.session, wordpress=3, prestashop=3)
    diffuser_banque(session=cs.session, par="pilote", notifier_academies=False)
    attribuer_sujets(session=cs.session, par="pilote", appliquer=True, maintenant=paris(1, 9))
    consulter_sujet(utilisateur=cs.utilisateurs["x1"], passage=cs.passages["E5B-1"], maintenant=paris(30, 8, 2))
    fiche = valider_fiche_sujet(fiche=_rediger(cs), par="x5", maintenant=paris(29, 17))
    editer_fiche_sujet(fiche=fiche, par="x5")
    remettre_fiche_sujet(fiche=fiche, par="surveillant", maintenant=paris(30, 13, 20))
    pieces = pieces_du_candidat(c1)
    assert pieces.sujet_e5b is not None
    assert pieces.sujet_e5b.commission == "K05"
    assert pieces.sujet_e5b.debut == paris(30, 8)
    assert (pieces.sujet_e5b.attribue_le, pieces.sujet_e5b.attribue_par) == (paris(1, 9), "pilote")
    assert [(x.acteur, x.role, x.quand) for x in pieces.sujet_e5b.lectures] == [("x1", "examinateur", paris(30, 8, 2))]
    assert pieces.fiche_sujet_e4 is not None
    assert (pieces.fiche_sujet_e4.statut, pieces.fiche_sujet_e4.redigee_par) == ("remise", "x5")
    assert (pieces.fiche_sujet_e4.prete_le, pieces.fiche_sujet_e4.remise_le) == (paris(29, 17), paris(30, 13, 20))
    assert [v for v, _, _ in pieces.fiche_sujet_e4.editions] == [1]
    assert pieces.fiche_engagement is None
    assert not pieces.engagement_inscrit
    c8 = pieces_du_candidat(cs.candidats["C8"])
    assert c8.engagement_inscrit
    assert c8.sujet_e5b is None
    assert FicheEngagement.objects.count() == 0


def test_commandes_de_la_cli(cs: CentreSujets, tmp_path: object, capsys: pytest.CaptureFixture[str]) -> None:
    from pathlib import Path

    from examens.cli.main import main

    dossier = Path(str(tmp_path))
    (dossier / "wp.pdf").write_bytes(pdf("wp"))
    (dossier / "faux.pdf").write_bytes(b"GIF89a")
    session = ["--session", cs.session.code]
    assert (
        main(
            ["deposer-sujet", *session, "--code", "WP-01", "--support", "wordpress", "--sujet", str(dossier / "wp.pdf")]
        )
        == 0
    )
    assert "sans grille" in capsys.readouterr().out
    assert (
        main(
            [
                "deposer-sujet",
                *session,
                "--code",
                "PS-01",
                "--support",
                "prestashop",
                "--sujet",
                str(dossier / "faux.pdf"),
            ]
        )
        == 1
    )
    assert "n'est pas un PDF" in capsys.readouterr().err
    assert main(["diffuser-sujets", *session]) == 1
    assert "Diffusion refusée" in capsys.readouterr().err
    assert main(["fiches-sujets-manquantes", *session, "--centre", cs.centre.code, "--jour", "2022-05-30"]) == 0
    assert "2 candidat(s) convoqué(s) le 30/05/2022" in capsys.readouterr().out
    assert main(["engagements-sans-fiche", *session]) == 0
    assert "Simulation" in capsys.readouterr().out
    assert main(["postes-e5b", *session]) == 0
    assert "aucun poste E5B déclaré" in capsys.readouterr().out
