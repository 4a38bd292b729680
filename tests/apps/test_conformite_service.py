"""Contrôle de conformité d'une session depuis la base (§6, §7) : décisions, NV, traces, simulation."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from fabriques_deliberation import candidat, conservee, noter, partout

from examens.apps.candidats.models import Candidat, PeriodeStage
from examens.apps.dossiers.models import DecisionConformite, Dossier, FicheActivite
from examens.apps.dossiers.services import controler_conformite_session
from examens.apps.historique.models import Trace
from examens.apps.jury.services import deliberer_session
from examens.apps.notes.models import Resultat
from examens.apps.organisation.models import ExamSession
from examens.core.conformite import SituationStage
from examens.core.deliberation import Decision, Motif

pytestmark = pytest.mark.django_db
LIMITE = date(2022, 3, 31)
M = Candidat.ModePreparation


def stage(c: Candidat, semaines: int, **autres: object) -> None:
    debut = date(2021, 1, 4)
    PeriodeStage.objects.create(
        candidat=c, entreprise="Michelin", debut=debut, fin=debut + timedelta(days=7 * semaines - 1), **autres
    )


def dossiers(c: Candidat, *, depose_le: date = date(2022, 3, 1), **autres: object) -> None:
    e4 = Dossier.objects.create(candidat=c, epreuve="E4", depose_le=depose_le, **autres)
    for nature in ("negociation_vente", "evenement_commercial"):
        FicheActivite.objects.create(dossier=e4, titre=nature, nature=nature, annexe_offre_pages=2)
    e6 = Dossier.objects.create(candidat=c, epreuve="E6", depose_le=depose_le, etude_reflexive_pages=4, **autres)
    for reseau in ("distributeurs", "partenaires", "vente_directe"):
        FicheActivite.objects.create(dossier=e6, titre=reseau, type_reseau=reseau, pole=3)


def controles(session: ExamSession, **kw: object) -> dict[tuple[str, str], object]:
    rapport = controler_conformite_session(session=session, date_limite=LIMITE, acteur="commission", **kw)  # type: ignore[arg-type]
    return {(c.numero, c.epreuve): c for c in rapport.controles}


def test_dossiers_complets_et_16_semaines_conformes(session: ExamSession) -> None:
    c = candidat(session)
    stage(c, 16)
    dossiers(c)
    r = controles(session)
    assert [x.resultat.conforme for x in r.values()] == [True, True]  # type: ignore[attr-defined]
    assert all(not x.resultat.avertissements for x in r.values())  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("preparer", "causes_e4", "nv"),
    [
        pytest.param(lambda c: stage(c, 16), ["non_depose"], ("E4",), id="aucun dossier → non déposé, E4 en NV"),
        pytest.param(
            lambda c: (stage(c, 16), dossiers(c, depose_le=date(2022, 4, 2))),
            ["depot_tardif"],
            ("E4",),
            id="dépôt tardif → l'épreuve du dossier seule",
        ),
        pytest.param(
            lambda c: (stage(c, 3), dossiers(c)),
            ["duree_insuffisante"],
            ("E4", "E6"),
            id="3 semaines → E4 et E6 en NV",
        ),
        pytest.param(
            lambda c: (stage(c, 16, piece_fournie=False), stage(c, 16), dossiers(c)),
            ["attestation_manquante"],
            ("E4", "E6"),
            id="attestation manquante → E4 et E6",
        ),
        pytest.param(
            lambda c: (stage(c, 16, visee=False), dossiers(c)),
            ["non_vise_non_signe"],
            ("E4",),
            id="attestation non visée → documents non visés",
        ),
    ],
)
def test_causes_de_non_conformite(session: ExamSession, preparer: object, causes_e4: list[str], nv: tuple[str]) -> None:
    c = candidat(session)
    preparer(c)  # type: ignore[operator]
    r = controles(session)
    e4 = r[(c.numero, "E4")]
    assert e4.causes == causes_e4  # type: ignore[attr-defined]
    assert e4.nv_a_poser == nv  # type: ignore[attr-defined]


def test_situations_deduites(session: ExamSession) -> None:
    apprenti = candidat(session, mode_preparation=M.APPRENTI)
    stage(apprenti, 16, piece=PeriodeStage.Piece.CERTIFICAT)
    dossiers(apprenti)
    reduit = candidat(session)
    stage(reduit, 8)
    dossiers(reduit)
    valide = candidat(session)
    stage(valide, 10)
    dossiers(valide)
    acquis = candidat(session)
    conservee(acquis, "E4", "12")
    conservee(acquis, "E6", "11")
    r = controles(session, situations_reduites={reduit.numero}, validations_academiques={valide.numero})
    assert r[(apprenti.numero, "E4")].situation is SituationStage.APPRENTI_OU_SALARIE  # type: ignore[attr-defined]
    assert r[(reduit.numero, "E4")].situation is SituationStage.REDUITE  # type: ignore[attr-defined]
    assert all(r[(x.numero, "E4")].resultat.conforme for x in (apprenti, reduit, valide))  # type: ignore[attr-defined]
    # U4 et U6 acquises : aucune épreuve à dossier présentée, rien à contrôler.
    assert not any(numero == acquis.numero for numero, _ in r)


def test_stage_court_a_valider_sans_validation(session: ExamSession) -> None:
    c = candidat(session)
    stage(c, 10)
    dossiers(c)
    rapport = controler_conformite_session(session=session, date_limite=LIMITE, acteur="commission")
    assert len(rapport.a_valider) == 2
    assert len(rapport.non_conformes) == 2
    assert "validable" in rapport.resume()


def test_simulation_n_ecrit_rien(session: ExamSession) -> None:
    stage(candidat(session), 2)
    avant = (DecisionConformite.objects.count(), Resultat.objects.count(), Trace.objects.count())
    rapport = controler_conformite_session(session=session, date_limite=LIMITE, acteur="commission")
    assert rapport.nv_prevus
    assert not rapport.appliquee
    assert (DecisionConformite.objects.count(), Resultat.objects.count(), Trace.objects.count()) == avant
    assert Dossier.objects.count() == 0


def test_appliquer_enregistre_decisions_nv_et_traces_puis_la_deliberation_en_tient_compte(
    session: ExamSession,
) -> None:
    conforme = noter(candidat(session), **partout("12"))
    stage(conforme, 16)
    dossiers(conforme)
    court = noter(candidat(session), **partout("12"))
    stage(court, 3)
    dossiers(court)
    rapport = controler_conformite_session(session=session, date_limite=LIMITE, acteur="commission", appliquer=True)
    assert rapport.appliquee
    assert rapport.decisions_enregistrees == 4
    assert rapport.nv_poses == 2
    decision = DecisionConformite.objects.get(dossier__candidat=court, dossier__epreuve="E4")
    assert not decision.conforme
    assert decision.causes == ["duree_insuffisante"]
    assert "3 semaine(s) attestée(s) pour 16" in decision.motifs
    nv = Resultat.objects.get(candidat=court, epreuve="E6")
    assert nv.etat == "NV"
    assert nv.note_examinateur == 12
    traces = Trace.objects.filter(objet_type="notes.resultat", objet_id=str(nv.pk)).get()
    assert traces.avant == {"etat": "note", "suspendue": False, "note_examinateur": "12.00"}
    assert traces.apres["etat"] == "NV"
    assert Trace.objects.filter(objet_type="dossiers.decisionconformite").count() == 4

    delib = {d.numero: d.deliberation for d in deliberer_session(session=session, acteur="jury").decisions}
    assert delib[conforme.numero].decision is Decision.ADMIS
    assert (delib[court.numero].decision, delib[court.numero].motif) == (Decision.AJOURNE, Motif.NON_VALIDE)

    # Réappliquer : décisions inchangées, NV déjà posés → rien de nouveau.
    encore = controler_conformite_session(session=session, date_limite=LIMITE, acteur="commission", appliquer=True)
    assert (encore.decisions_enregistrees, encore.nv_poses) == (0, 0)
    assert DecisionConformite.objects.count() == 4


def test_dossier_absent_cree_pour_porter_la_decision(session: ExamSession) -> None:
    c = candidat(session)
    stage(c, 16)
    controler_conformite_session(session=session, date_limite=LIMITE, acteur="commission", appliquer=True)
    e4 = Dossier.objects.get(candidat=c, epreuve="E4")
    assert e4.depose_le is None
    assert e4.decisions.get().causes == ["non_depose"]
    assert Resultat.objects.get(candidat=c, epreuve="E4").etat == "NV"


def test_requetes_du_controle_independantes_du_nombre(
    session: ExamSession, django_assert_max_num_queries: object
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def peupler(nombre: int) -> None:
        for _ in range(nombre):
            c = candidat(session)
            stage(c, 16)
            dossiers(c)

    peupler(5)
    with CaptureQueriesContext(connection) as ctx:
        controler_conformite_session(session=session, date_limite=LIMITE, acteur="commission")
    peupler(45)
    with django_assert_max_num_queries(len(ctx.captured_queries)):  # type: ignore[operator]
        controler_conformite_session(session=session, date_limite=LIMITE, acteur="commission")


def test_situations_enregistrees_sur_le_candidat(session: ExamSession) -> None:
    """La réduction à 8 semaines et la validation académique sont des données du candidat."""
    reduit = candidat(session, stage_reduit="force_majeure")
    stage(reduit, 8)
    dossiers(reduit)
    valide = candidat(session, stage_valide_par_academie=True)
    stage(valide, 10)
    dossiers(valide)
    r = controles(session)
    assert r[(reduit.numero, "E4")].situation is SituationStage.REDUITE  # type: ignore[attr-defined]
    assert r[(reduit.numero, "E4")].resultat.conforme  # type: ignore[attr-defined]
    assert r[(valide.numero, "E6")].resultat.conforme  # type: ignore[attr-defined]


def test_requetes_de_l_enregistrement_independantes_du_nombre(
    session: ExamSession, django_assert_max_num_queries: object
) -> None:
    """Décisions, dossiers créés, NV et traces s'écrivent en masse : pas une requête par dossier."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def peupler(nombre: int) -> None:
        for i in range(nombre):
            c = candidat(session)
            noter(c, **partout("12"))
            stage(c, 3 if i % 2 else 16)  # un sur deux : stage trop court → E4 et E6 en NV
            if i % 3:
                dossiers(c)  # sinon : dossiers non déposés, créés pour porter la décision

    peupler(6)
    with CaptureQueriesContext(connection) as ctx:
        controler_conformite_session(session=session, date_limite=LIMITE, acteur="commission", appliquer=True)
    nv_6 = Resultat.objects.filter(etat="NV").count()
    peupler(60)
    with django_assert_max_num_queries(len(ctx.captured_queries)):  # type: ignore[operator]
        rapport = controler_conformite_session(session=session, date_limite=LIMITE, acteur="commission", appliquer=True)
    assert rapport.nv_poses > nv_6
    assert Trace.objects.filter(objet_type="notes.resultat").count() == Resultat.objects.filter(etat="NV").count()
