"""Jurys : composition (CE D643-31), candidats délibérés, décisions remplacées sans être réécrites,
livret scolaire (§4.8), saisie des notes de contrôle (§4.4), commandes `examens deliberation|conformite`."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, transaction
from fabriques_deliberation import candidat, controle, dispense, noter, partout

from examens.apps.historique.models import Trace
from examens.apps.jury.models import DecisionJury, Jury, MembreJury, Qualite
from examens.apps.jury.services import deliberer_session, marquer_livret_examine
from examens.apps.notes.models import NoteControle, Resultat
from examens.apps.notes.selectors import candidats_a_deliberer
from examens.apps.notes.services import SaisieControleImpossible, saisir_note_controle
from examens.apps.organisation.models import Academie, Centre, ExamSession
from examens.cli.main import main

pytestmark = pytest.mark.django_db


def jury(session: ExamSession, enseignants: int = 1, professionnels: int = 1, nom: str = "Jury 1") -> Jury:
    j = Jury.objects.create(session=session, nom=nom, president="Mme l'inspectrice")
    for i in range(enseignants):
        MembreJury.objects.create(jury=j, nom=f"Enseignant {i}", qualite=Qualite.ENSEIGNANT)
    for i in range(professionnels):
        MembreJury.objects.create(jury=j, nom=f"Professionnel {i}", qualite=Qualite.PROFESSIONNEL)
    return j


def centre(academie: Academie, code: str) -> Centre:
    return Centre.objects.create(academie=academie, code=code, nom=f"Lycée {code}")


@pytest.mark.parametrize(
    ("enseignants", "professionnels", "avertit"),
    [
        pytest.param(2, 2, False, id="2 enseignants, 2 professionnels → équilibré"),
        pytest.param(2, 1, True, id="2 enseignants, 1 professionnel → avertissement"),
        pytest.param(0, 0, True, id="aucun membre → avertissement"),
    ],
)
def test_composition_du_jury(session: ExamSession, enseignants: int, professionnels: int, avertit: bool) -> None:
    avertissements = jury(session, enseignants, professionnels).avertissements_composition()
    assert bool(avertissements) is avertit
    if enseignants == 2 and professionnels == 1:
        assert "D643-31" in avertissements[0]


def test_le_jury_delibere_ses_centres_et_ses_candidats_confies(session: ExamSession, clermont: Academie) -> None:
    a, b = centre(clermont, "0630001A"), centre(clermont, "0630002B")
    j = jury(session)
    j.centres.add(a)
    du_centre = noter(candidat(session, centre=a), **partout("12"))
    confie = noter(candidat(session, centre=b), **partout("12"))
    j.candidats.add(confie)
    noter(candidat(session, centre=b), **partout("12"))  # autre jury
    noter(candidat(session, centre=a, desiste_le=date(2022, 5, 2)), **partout("12"))  # désisté
    numeros = [c.candidat for c in candidats_a_deliberer(session=session, jury=j)]
    assert numeros == [du_centre.numero, confie.numero]
    rapport = deliberer_session(session=session, jury=j, acteur="présidente", appliquer=True)
    assert rapport.enregistrees == 2
    assert set(DecisionJury.objects.values_list("jury__nom", flat=True)) == {"Jury 1"}


def test_jury_d_une_autre_session_refuse(session: ExamSession, clermont: Academie) -> None:
    autre = ExamSession.objects.create(
        code="autre", intitule="Autre", reglement="bts-ndrc-2022", academie_pilote=clermont
    )
    with pytest.raises(ValueError, match="n'appartient pas"):
        deliberer_session(session=session, jury=jury(autre), acteur="x")


def test_une_nouvelle_decision_remplace_l_ancienne_sans_la_reecrire(session: ExamSession) -> None:
    c = noter(candidat(session), **partout("10", E1="9.5"))
    deliberer_session(session=session, acteur="jury", appliquer=True)
    premiere = DecisionJury.objects.get()
    assert premiere.decision == "controle"
    assert premiere.moyenne == "9.93"
    Resultat.objects.filter(candidat=c, epreuve="E1").update(note_jury="10", motif_jury="points de jury")
    rapport = deliberer_session(session=session, acteur="jury", appliquer=True)
    assert rapport.enregistrees == 1
    premiere.refresh_from_db()
    seconde = DecisionJury.objects.en_vigueur().get()
    assert (premiere.en_vigueur, premiere.decision, premiere.moyenne) == (False, "controle", "9.93")
    assert (seconde.decision, seconde.moyenne, seconde.precedente) == ("admis", "10.00", premiere)
    trace = Trace.objects.get(objet_type="jury.decisionjury", objet_id=str(seconde.pk))
    assert trace.avant["decision"] == "controle"
    assert trace.apres["decision"] == "admis"
    assert trace.avant["decision_id"] == premiere.pk


def test_une_seule_decision_en_vigueur_par_candidat(session: ExamSession) -> None:
    c = candidat(session)
    DecisionJury.objects.create(candidat=c, decision="admis", decidee_par="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        DecisionJury.objects.create(candidat=c, decision="ajourne", decidee_par="x")


def test_pas_d_ajournement_avant_l_examen_du_livret(session: ExamSession) -> None:
    c = noter(candidat(session, livret_scolaire=True), **partout("6"))
    (d,) = deliberer_session(session=session, acteur="jury").decisions
    assert d.deliberation.decision.value == "en_attente"
    marquer_livret_examine(candidat=c, acteur="présidente")
    (d,) = deliberer_session(session=session, acteur="jury").decisions
    assert d.deliberation.decision.value == "ajourne"
    assert Trace.objects.filter(objet_type="jury.examenlivret").count() == 1


# --- Notes de contrôle ----------------------------------------------------------------------------


@pytest.fixture
def admissible(session: ExamSession) -> object:
    return noter(candidat(session), **partout("10", E1="6", E2="6", E3="8"))


def test_saisie_d_une_note_de_controle_tracee(admissible: object) -> None:
    n = saisir_note_controle(candidat=admissible, epreuve="E1", valeur="15,5", acteur="gestionnaire")  # type: ignore[arg-type]
    assert (n.etat, n.note) == ("note", 15.5)
    n = saisir_note_controle(candidat=admissible, epreuve="E1", valeur="16", acteur="gestionnaire")  # type: ignore[arg-type]
    traces = list(Trace.objects.filter(objet_type="notes.notecontrole", objet_id=str(n.pk)))
    assert [t.action for t in traces] == ["creation", "modification"]
    assert traces[1].avant["note"] == "15.50"
    assert traces[1].apres["note"] == "16.00"
    saisir_note_controle(candidat=admissible, epreuve="E2", valeur="AB", acteur="gestionnaire")  # type: ignore[arg-type]
    assert NoteControle.objects.get(epreuve="E2").etat == "AB"


@pytest.mark.parametrize(
    ("epreuve", "valeur", "message"),
    [
        pytest.param("E4", "12", "pas d'épreuve de contrôle en E4", id="E4 n'est pas une épreuve de contrôle"),
        pytest.param("E1", "21", "dépasse 20", id="note 21"),
        pytest.param("E1", "12,3", "multiple de 0,5", id="pas de 0,5"),
        pytest.param("E1", "NV", "ni une note", id="NV impossible au contrôle"),
    ],
)
def test_saisie_refusee(admissible: object, epreuve: str, valeur: str, message: str) -> None:
    with pytest.raises(SaisieControleImpossible, match=message):
        saisir_note_controle(candidat=admissible, epreuve=epreuve, valeur=valeur, acteur="g")  # type: ignore[arg-type]
    assert not NoteControle.objects.exists()


def test_pas_plus_d_epreuves_que_le_nombre_du(admissible: object) -> None:
    controle(admissible, E1="12", E2="12")  # type: ignore[arg-type]
    with pytest.raises(SaisieControleImpossible, match="déjà choisie"):
        saisir_note_controle(candidat=admissible, epreuve="E3", valeur="12", acteur="g")  # type: ignore[arg-type]


def test_une_seule_epreuve_si_une_seule_generale_non_dispensee(session: ExamSession) -> None:
    c = noter(candidat(session), **{k: v for k, v in partout("10", E2="5").items() if k not in ("E1", "E3")})
    dispense(c, "U1")
    dispense(c, "U3")
    saisir_note_controle(candidat=c, epreuve="E2", valeur="12", acteur="g")
    with pytest.raises(SaisieControleImpossible, match="pas d'épreuve de contrôle en E1"):
        saisir_note_controle(candidat=c, epreuve="E1", valeur="12", acteur="g")


def test_candidat_admis_pas_de_controle(session: ExamSession) -> None:
    c = noter(candidat(session), **partout("12"))
    with pytest.raises(SaisieControleImpossible, match="pas admissible"):
        saisir_note_controle(candidat=c, epreuve="E1", valeur="12", acteur="g")


# --- Commandes ------------------------------------------------------------------------------------


def test_commande_deliberation_simulation_puis_application(
    session: ExamSession, capsys: pytest.CaptureFixture[str]
) -> None:
    noter(candidat(session), **partout("12"))
    assert main(["deliberation", "--session", session.code]) == 0
    sortie = capsys.readouterr().out
    assert "admis : 1" in sortie
    assert "Simulation" in sortie
    assert "aucune décision → admis" in sortie
    assert not DecisionJury.objects.exists()
    assert main(["deliberation", "--session", session.code, "--appliquer"]) == 0
    assert DecisionJury.objects.count() == 1
    assert main(["deliberation", "--session", "inconnue"]) == 2
    assert main(["deliberation", "--session", session.code, "--jury", "Jury 9"]) == 2


def test_commande_deliberation_erreurs(session: ExamSession, capsys: pytest.CaptureFixture[str]) -> None:
    noter(candidat(session), **partout("12", E6="DI"))
    assert main(["deliberation", "--session", session.code, "--appliquer"]) == 1
    assert "aucune décision n'a été enregistrée" in capsys.readouterr().err
    assert not DecisionJury.objects.exists()


def test_commande_conformite(session: ExamSession, capsys: pytest.CaptureFixture[str]) -> None:
    candidat(session)
    assert main(["conformite", "--session", session.code, "--date-limite", "2022-03-31"]) == 0
    sortie = capsys.readouterr().out
    assert "2 non conforme(s)" in sortie
    assert "→ NV : E4" in sortie
    assert main(["conformite", "--session", session.code, "--date-limite", "31/03/2022"]) == 2
    assert main(["conformite", "--session", session.code, "--date-limite", "2022-03-31", "--appliquer"]) == 0
    assert Resultat.objects.filter(etat="NV").count() == 2


# --- Points de jury (note après jury, séparée de la note de l'examinateur) -----------------------------


def test_points_de_jury_traces_et_pris_par_la_deliberation(admissible: object) -> None:
    from examens.apps.notes.services import PointsJuryImpossibles, relever_note_jury

    e3 = Resultat.objects.get(candidat=admissible, epreuve="E3")
    relever_note_jury(resultat=e3, note="9", acteur="presidente", motif="assiduité et progrès (livret)")
    relever_note_jury(resultat=e3, note="9,5", acteur="presidente", motif="harmonisation")
    e3.refresh_from_db()
    assert (e3.note_examinateur, e3.note_jury, e3.motif_jury) == (8, 9.5, "harmonisation")
    premiere, modification = Trace.objects.pour("notes.resultat", e3.pk)
    assert premiere.action == modification.action == "modification"
    assert (premiere.avant, premiere.apres) == (
        {"note_jury": None, "motif_jury": ""},
        {"note_jury": "9.00", "motif_jury": "assiduité et progrès (livret)"},
    )
    assert (modification.acteur, modification.avant["note_jury"], modification.motif) == (  # type: ignore[index]
        "presidente",
        "9.00",
        "harmonisation",
    )
    for note, message in (
        ("7,5", r"après jury \(7,5\) est inférieure à la note de l'examinateur \(8\)"),
        ("21", "dépasse 20"),
        ("9,3", "0,5"),
    ):
        with pytest.raises(PointsJuryImpossibles, match=message):
            relever_note_jury(resultat=e3, note=note, acteur="presidente", motif="x")
    with pytest.raises(PointsJuryImpossibles, match="motif"):
        relever_note_jury(resultat=e3, note="10", acteur="presidente", motif=" ")
    e1 = Resultat.objects.get(candidat=admissible, epreuve="E1")
    e1.etat, e1.note_examinateur = "AB", None
    e1.save()
    with pytest.raises(PointsJuryImpossibles, match="AB"):
        relever_note_jury(resultat=e1, note="10", acteur="presidente", motif="x")
    assert Trace.objects.pour("notes.resultat", e3.pk).count() == 2
    (entree,) = candidats_a_deliberer(session=e3.candidat.session)
    assert entree.points_jury["E3"].valeur == 9.5


def test_supprimer_un_candidat_aux_decisions_remplacees(session: ExamSession) -> None:
    """La chaîne des décisions (précédente → suivante) ne bloque pas la suppression du candidat ;
    l'historique des décisions, lui, reste."""
    c = noter(candidat(session), **partout("10", E1="9.5"))
    deliberer_session(session=session, acteur="jury", appliquer=True)
    Resultat.objects.filter(candidat=c, epreuve="E1").update(note_jury="10", motif_jury="points de jury")
    deliberer_session(session=session, acteur="jury", appliquer=True)
    assert DecisionJury.objects.filter(candidat=c).count() == 2
    traces = Trace.objects.filter(objet_type="jury.decisionjury").count()
    c.delete()
    assert not DecisionJury.objects.exists()
    assert Trace.objects.filter(objet_type="jury.decisionjury").count() == traces
