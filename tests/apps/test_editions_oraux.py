"""Documents des oraux édités depuis un planning publié : convocation du candidat avec ses oraux à l'heure
locale, convocation de l'examinateur (PDF et ICS), planning de commission, grilles E5B avec le sujet
attribué, fiches d'évaluation de l'engagement étudiant."""

from __future__ import annotations

import io
from zoneinfo import ZoneInfo

import pytest
from fabriques_planification import CentreDeTest, centre_de_test
from pypdf import PdfReader

from examens.apps.editions import services
from examens.apps.editions.models import Document, Version
from examens.apps.editions.travaux import executer
from examens.apps.organisation.models import Academie, ExamSession
from examens.apps.planification.models import Passage
from examens.apps.planification.services import planifier_centre, publier_planning

pytestmark = pytest.mark.django_db


@pytest.fixture
def ct(session: ExamSession, clermont: Academie) -> CentreDeTest:
    c = centre_de_test(session, clermont)
    resultat = planifier_centre(c.centre, session=session, par="dec", solveur="glouton")
    publier_planning(resultat.version, par="dec")
    return c


def _editer(ct: CentreDeTest, modele: str, **autres: object) -> None:
    parametres = {"centre": ct.centre.code, **autres}
    executer(services.creer_travail(session=ct.session, nature=f"editer:{modele}", parametres=parametres, par="dec"))


def _texte(version: Version) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(bytes(version.fichier.contenu))).pages)


def _heure(instant) -> str:  # type: ignore[no-untyped-def]
    local = instant.astimezone(ZoneInfo("Europe/Paris"))
    return f"{local.hour} h {local.minute:02d}"


def test_la_convocation_du_candidat_porte_ses_oraux_a_l_heure_locale(ct: CentreDeTest) -> None:
    _editer(ct, "convocation-candidat")
    c1 = ct.candidats["C1"]
    texte = _texte(Version.objects.get(document__candidat=c1, document__modele="convocation-candidat"))
    passages = Passage.objects.filter(candidat=c1, version__statut="publie")
    assert passages.count() == 5  # E2, E4, E5B, E6, LV2
    for p in passages:
        assert _heure(p.debut) in texte, (p.epreuve, _heure(p.debut))
    assert not Document.objects.filter(candidat=ct.candidats["D1"]).exists()  # désisté


def test_convocation_de_l_examinateur_en_pdf_et_en_ics(ct: CentreDeTest) -> None:
    _editer(ct, "convocation-examinateur")
    _editer(ct, "convocation-examinateur", format="ics")
    x = ct.examinateurs["X09"]  # langue anglais : E2
    passages = list(Passage.objects.filter(commission__membres=x, version__statut="publie"))
    assert passages
    texte = _texte(Version.objects.get(document__examinateur=x, document__format="pdf"))
    for p in passages:
        assert p.candidat.numero in texte
        assert _heure(p.debut) in texte
    ics = bytes(Version.objects.get(document__examinateur=x, document__format="ics").fichier.contenu).decode()
    assert ics.startswith("BEGIN:VCALENDAR")
    assert ics.count("BEGIN:VEVENT") == len(passages)
    debut = min(p.debut for p in passages)
    assert f"DTSTART:{debut:%Y%m%dT%H%M%S}Z" in ics


def test_planning_de_commission_grilles_e5b_et_evaluations_engagement(ct: CentreDeTest) -> None:
    _editer(ct, "planning-commission")
    _editer(ct, "grille-e5b")
    _editer(ct, "evaluation-engagement")
    publies = Passage.objects.filter(version__statut="publie")
    commissions = set(publies.values_list("commission__code", flat=True))
    assert set(Document.objects.filter(modele="planning-commission").values_list("cle", flat=True)) == {
        f"commission:{ct.centre.code}:{k}" for k in commissions
    }
    e5b = publies.filter(epreuve="E5B").select_related("candidat").first()
    assert e5b is not None
    grille = _texte(Version.objects.get(document__modele="grille-e5b", document__candidat=e5b.candidat))
    assert e5b.sujet in grille
    assert Document.objects.filter(modele="grille-e5b").count() == publies.filter(epreuve="E5B").count()
    assert publies.filter(epreuve="ENGAGEMENT").exists()  # C2 (catégorie C) présente l'engagement étudiant
    assert (
        Document.objects.filter(modele="evaluation-engagement").count() == publies.filter(epreuve="ENGAGEMENT").count()
    )
