"""Les sous-commandes de planification en base : `planifier-centre`, `replanifier`, `planifier-session`,
`planifier-controle` — messages français, codes de sortie (0 fait, 1 impossible, 2 erreur d'usage)."""

from __future__ import annotations

import pytest
from fabriques_planification import CentreDeTest, centre_de_test

from examens.apps.jury.models import DecisionJury, Jury
from examens.apps.organisation.models import Academie, ExamSession
from examens.apps.planification.models import Campagne, DesistementExaminateur, EtapeCampagne, VersionPlanning
from examens.cli.main import main

pytestmark = pytest.mark.django_db


@pytest.fixture
def ct(session: ExamSession, clermont: Academie) -> CentreDeTest:
    return centre_de_test(session, clermont)


def test_planifier_centre_puis_replanifier_apres_desistement(
    ct: CentreDeTest, capsys: pytest.CaptureFixture[str]
) -> None:
    code = ct.centre.code
    assert main(["planifier-centre", "--session", ct.session.code, "--centre", code, "--glouton", "--publier"]) == 0
    sortie = capsys.readouterr().out
    assert f"Centre {code}" in sortie
    assert "version 1 (publié)" in sortie
    assert "21 passage(s), 0 non planifié(s)" in sortie
    assert main(["replanifier", "--centre", code, "--examinateur", "X13", "--glouton", "--motif", "maladie"]) == 0
    sortie = capsys.readouterr().out
    assert "Examinateur X13 désisté" in sortie
    assert "commission dissoute" in sortie
    assert "version 2 (brouillon)" in sortie
    assert "passage(s) déplacé(s)" in sortie
    assert DesistementExaminateur.objects.get().motif == "maladie"
    assert (
        main(["replanifier", "--centre", code, "--examinateur", "X10", "--indisponible", "2022-05-30", "--glouton"])
        == 0
    )
    assert "Examinateur X10 indisponible le(s) 30/05/2022" in capsys.readouterr().out
    v2 = VersionPlanning.objects.get(numero=2)
    assert v2.reference is not None
    assert v2.reference.numero == 1
    assert v2.motif == "maladie"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["planifier-centre", "--session", "inconnue", "--centre", "X", "--glouton"], "session « inconnue » inconnue"),
        (["planifier-centre", "--session", "bts-ndrc-2022", "--centre", "9999999Z", "--glouton"], "centre « 9999999Z » inconnu"),
        (["replanifier", "--centre", "0630001", "--examinateur", "X99"], "inconnu"),
        (["replanifier", "--centre", "0630001", "--indisponible", "2022-05-30"], "--indisponible va avec --examinateur"),
        (["planifier-session", "--session", "bts-ndrc-2022", "--attendre"], "--attendre ne va qu'avec --en-tache"),
        (
            ["planifier-controle", "--session", "bts-ndrc-2022", "--centre", "CENTRE", "--date", "04/07/2022"],
            "date invalide",
        ),
        (
            ["planifier-controle", "--session", "bts-ndrc-2022", "--centre", "CENTRE", "--date", "2022-07-04",
             "--examinateurs", "E1"],
            "écrivez CLE=A,B",
        ),
    ],
)  # fmt: skip
def test_erreurs_d_usage(
    ct: CentreDeTest, capsys: pytest.CaptureFixture[str], arguments: list[str], message: str
) -> None:
    arguments = [ct.centre.code if a in ("CENTRE", "0630001") else a for a in arguments]
    assert main(arguments) == 2
    assert message in capsys.readouterr().err


def test_planification_impossible_code_1(ct: CentreDeTest, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["replanifier", "--centre", ct.centre.code, "--glouton"]) == 1
    assert "aucun planning à replanifier" in capsys.readouterr().err
    with pytest.raises(SystemExit) as sortie:  # argparse : usage
        main(["planifier-centre", "--session", ct.session.code, "--centre", ct.centre.code, "--duree-max", "0"])
    assert sortie.value.code == 2
    assert "« 0 » doit être strictement positif" in capsys.readouterr().err


def test_planifier_session_sur_place_et_en_tache(ct: CentreDeTest, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["planifier-session", "--session", ct.session.code, "--glouton"]) == 0
    sortie = capsys.readouterr().out
    assert "[1/1] Centre" in sortie
    assert "1/1 centres traités : 1 planifiés" in sortie
    assert main(["planifier-session", "--session", ct.session.code, "--glouton", "--en-tache"]) == 0
    assert "db_worker --queue-name planification" in capsys.readouterr().out
    campagne = Campagne.objects.order_by("-pk").first()
    assert campagne is not None
    assert EtapeCampagne.objects.get(campagne=campagne).tache


def test_planifier_controle(ct: CentreDeTest, capsys: pytest.CaptureFixture[str]) -> None:
    c = ct.candidats
    for cle, possibles in (("C1", ["E1", "E2", "E3"]), ("C4", ["E1", "E3"])):
        DecisionJury.objects.create(
            candidat=c[cle], decision="controle", epreuves_controle_possibles=possibles, nombre_epreuves_controle=2,
            decidee_par="jury",
        )  # fmt: skip
    jury = Jury.objects.create(session=ct.session, nom="Jury 1", president="Mme la rectrice")
    jury.centres.add(ct.centre)
    arguments = [
        "planifier-controle", "--session", ct.session.code, "--centre", ct.centre.code, "--date", "2022-07-04",
        "--jury", "Jury 1", "--examinateurs", "E1=X02", "--examinateurs", "E3=X05,X13", "--choix", "22-900001=E1,E2",
        "--glouton",
    ]  # fmt: skip
    assert main(arguments) == 0
    sortie = capsys.readouterr().out
    assert "épreuves de contrôle (second groupe) : version 1" in sortie
    assert "4 passage(s), 0 non planifié(s)" in sortie
    v = VersionPlanning.objects.get(nature="controle")
    assert v.jury == jury
    assert main([*arguments[:-1], "--examinateurs", "E2=X77"]) == 2
    assert "X77" in capsys.readouterr().err


def test_plafond_d_attente_en_base(ct: CentreDeTest, capsys: pytest.CaptureFixture[str]) -> None:
    """`--plafond-attente` (décision 0015) : CP-SAT seulement ; la version et la campagne le gardent."""
    base = ["--session", ct.session.code, "--centre", ct.centre.code, "--duree-max", "5", "--workers", "1"]
    assert main(["planifier-centre", *base, "--plafond-attente", "0,6"]) == 0
    version = VersionPlanning.objects.get(numero=1)
    assert version.motif == "planification des oraux (plafond d'attente : 0,6 × le glouton)"
    assert main(["planifier-centre", *base, "--plafond-attente", "0.6", "--glouton"]) == 2
    assert "ne s'applique qu'à la méthode cpsat" in capsys.readouterr().err
    assert VersionPlanning.objects.count() == 1  # rien d'enregistré
    # Replanifier : l'option refusée l'est avant le désistement, qui n'est donc pas enregistré.
    arguments = ["replanifier", "--centre", ct.centre.code, "--examinateur", "X13", "--glouton"]
    assert main([*arguments, "--plafond-attente", "0,6"]) == 2
    assert not DesistementExaminateur.objects.exists()
    assert main(["planifier-session", "--session", ct.session.code, "--duree-max", "5", "--workers", "1",
                 "--plafond-attente", "0.7"]) == 0  # fmt: skip
    campagne = Campagne.objects.get()
    assert campagne.parametres["plafond_attente"] == 0.7
    derniere = VersionPlanning.objects.order_by("-numero").first()
    assert derniere is not None
    assert derniere.motif == f"campagne de planification n° {campagne.pk} (plafond d'attente : 0,7 × le glouton)"


def test_le_service_refuse_un_plafond_avant_de_composer_les_commissions(ct: CentreDeTest) -> None:
    from examens.apps.planification.models import Commission
    from examens.apps.planification.services import PlanificationImpossible, planifier_centre

    with pytest.raises(PlanificationImpossible, match="Le plafond d'attente ne s'applique qu'à la méthode cpsat"):
        planifier_centre(ct.centre, par="test", solveur="glouton", plafond_attente=0.6)
    with pytest.raises(PlanificationImpossible, match="donnez un nombre strictement positif"):
        planifier_centre(ct.centre, par="test", plafond_attente=0.0)
    assert not Commission.objects.exists()
    assert not VersionPlanning.objects.exists()
