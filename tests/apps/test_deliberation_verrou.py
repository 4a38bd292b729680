"""Verrouillage, réouverture et publication d'une délibération (jury.services) ; la règle du livret (§4.8).

Verrouillée, la délibération d'un jury refuse toute écriture qui touche ses candidats : points de jury, notes
et choix de contrôle, examen de livret, décisions (délibération appliquée, du jury ou de la session). La
réouverture demande un motif et laisse une trace ; la publication suit le verrouillage et ouvre les résultats
aux candidats (avec la date de publication de la session).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from fabriques_deliberation import candidat, noter, partout

from examens.apps.comptes.models import Role
from examens.apps.comptes.permissions import resultats_publies, voit_les_resultats
from examens.apps.comptes.services import habiliter
from examens.apps.historique.models import Trace
from examens.apps.jury.models import DecisionJury, EtatDeliberation, Jury
from examens.apps.jury.services import (
    DeliberationVerrouillee,
    EtatDeliberationImpossible,
    deliberer_session,
    marquer_livret_examine,
    publier_deliberation,
    rouvrir_deliberation,
    verrouiller_deliberation,
)
from examens.apps.notes.models import Resultat
from examens.apps.notes.services import relever_note_jury, saisir_note_controle
from examens.apps.organisation.models import Academie, Centre, ExamSession
from examens.apps.planification.services import choisir_epreuves_controle

pytestmark = pytest.mark.django_db


@pytest.fixture
def centre(clermont: Academie) -> Centre:
    return Centre.objects.create(academie=clermont, code="0630001A", nom="Lycée Sidoine-Apollinaire")


@pytest.fixture
def jury(session: ExamSession, centre: Centre) -> Jury:
    j = Jury.objects.create(session=session, nom="Jury 1", president="Mme l'inspectrice")
    j.centres.set([centre])
    return j


@pytest.fixture
def admissible(session: ExamSession, centre: Centre) -> Any:
    """Moyenne 8,57 et moyenne professionnelle 10 : admissible aux épreuves de contrôle."""
    return noter(candidat(session, centre=centre), **partout("10", E1="6", E2="6", E3="8"))


@pytest.fixture
def verrouille(session: ExamSession, jury: Jury, admissible: Any) -> Jury:
    deliberer_session(session=session, jury=jury, acteur="presidente", appliquer=True)
    verrouiller_deliberation(jury=jury, acteur="presidente")
    return jury


def test_on_ne_verrouille_qu_une_deliberation_a_jour(session: ExamSession, jury: Jury, admissible: Any) -> None:
    with pytest.raises(EtatDeliberationImpossible, match="1 décision\\(s\\) du jury « Jury 1 » ne sont pas à jour"):
        verrouiller_deliberation(jury=jury, acteur="presidente")
    deliberer_session(session=session, jury=jury, acteur="presidente", appliquer=True)
    etat = verrouiller_deliberation(jury=jury, acteur="presidente")
    assert (etat.verrouillee, etat.verrouillee_par) == (True, "presidente")
    trace = Trace.objects.get(objet_type="jury.etatdeliberation")
    assert trace.apres["etat"] == "verrouillée"
    with pytest.raises(EtatDeliberationImpossible, match="déjà verrouillée"):
        verrouiller_deliberation(jury=jury, acteur="presidente")


def test_un_jury_sans_candidat_ne_se_verrouille_pas(session: ExamSession) -> None:
    vide = Jury.objects.create(session=session, nom="Jury vide", president="M. X")
    with pytest.raises(EtatDeliberationImpossible, match="aucun candidat"):
        verrouiller_deliberation(jury=vide, acteur="presidente")


@pytest.mark.parametrize(
    "ecriture",
    [
        pytest.param(
            lambda c, j, s: relever_note_jury(
                resultat=Resultat.objects.get(candidat=c, epreuve="E3"), note="9", acteur="p", motif="assiduité"
            ),
            id="points de jury",
        ),
        pytest.param(
            lambda c, j, s: saisir_note_controle(candidat=c, epreuve="E1", valeur="12", acteur="p"),
            id="note de contrôle",
        ),
        pytest.param(
            lambda c, j, s: choisir_epreuves_controle(c, epreuves=["E1", "E2"], par="p"), id="choix du contrôle"
        ),
        pytest.param(lambda c, j, s: marquer_livret_examine(candidat=c, acteur="p", jury=j), id="livret examiné"),
        pytest.param(
            lambda c, j, s: deliberer_session(session=s, jury=j, acteur="p", appliquer=True), id="délibération du jury"
        ),
        pytest.param(
            lambda c, j, s: deliberer_session(session=s, acteur="p", appliquer=True), id="délibération de la session"
        ),
    ],
)
def test_verrouillee_toute_ecriture_est_refusee(
    session: ExamSession, verrouille: Jury, admissible: Any, ecriture: Any
) -> None:
    avant = (Trace.objects.count(), DecisionJury.objects.count(), list(Resultat.objects.values_list("note_jury")))
    with pytest.raises(DeliberationVerrouillee, match="La délibération du jury « Jury 1 » est verrouillée") as exc:
        ecriture(admissible, verrouille, session)
    assert "rouvrez-la en indiquant le motif" in exc.value.message
    apres = (Trace.objects.count(), DecisionJury.objects.count(), list(Resultat.objects.values_list("note_jury")))
    assert apres == avant


def test_verrouillee_la_simulation_reste_possible(session: ExamSession, verrouille: Jury) -> None:
    rapport = deliberer_session(session=session, jury=verrouille, acteur="p")
    assert (len(rapport.decisions), rapport.changements) == (1, [])


def test_un_candidat_confie_nommement_est_protege_aussi(session: ExamSession, verrouille: Jury, clermont: Any) -> None:
    ailleurs = Centre.objects.create(academie=clermont, code="0030002B", nom="Lycée Banville")
    confie = noter(candidat(session, centre=ailleurs), **partout("12"))
    verrouille.candidats.add(confie)
    with pytest.raises(DeliberationVerrouillee):
        relever_note_jury(
            resultat=Resultat.objects.get(candidat=confie, epreuve="E1"), note="13", acteur="p", motif="x"
        )
    # Un candidat d'un autre jury, ouvert, n'est pas concerné.
    autre = Jury.objects.create(session=session, nom="Jury 2", president="M. Y")
    libre = noter(candidat(session), **partout("12"))
    autre.candidats.add(libre)
    relever_note_jury(resultat=Resultat.objects.get(candidat=libre, epreuve="E1"), note="13", acteur="p", motif="x")


def test_la_reouverture_demande_un_motif_et_se_trace(session: ExamSession, verrouille: Jury, admissible: Any) -> None:
    with pytest.raises(EtatDeliberationImpossible, match="indiquez le motif"):
        rouvrir_deliberation(jury=verrouille, acteur="presidente", motif="  ")
    etat = rouvrir_deliberation(jury=verrouille, acteur="presidente", motif="erreur de report en E3")
    assert (etat.verrouillee, etat.reouvertures, etat.motif_reouverture) == (False, 1, "erreur de report en E3")
    trace = Trace.objects.filter(objet_type="jury.etatdeliberation").latest("quand")
    assert trace.motif == "erreur de report en E3"
    assert (trace.avant["etat"], trace.apres["etat"]) == ("verrouillée", "rouverte")
    # Rouverte, la correction passe ; elle est tracée à son tour.
    relever_note_jury(
        resultat=Resultat.objects.get(candidat=admissible, epreuve="E3"), note="9", acteur="p", motif="report"
    )
    with pytest.raises(EtatDeliberationImpossible, match="n'est pas verrouillée"):
        rouvrir_deliberation(jury=verrouille, acteur="presidente", motif="encore")


def test_la_publication_suit_le_verrouillage(session: ExamSession, jury: Jury, admissible: Any) -> None:
    with pytest.raises(EtatDeliberationImpossible, match="verrouillez-la avant de publier"):
        publier_deliberation(jury=jury, acteur="presidente")
    deliberer_session(session=session, jury=jury, acteur="presidente", appliquer=True)
    verrouiller_deliberation(jury=jury, acteur="presidente")
    etat = publier_deliberation(jury=jury, acteur="presidente")
    assert (etat.publiee, etat.publiee_par) == (True, "presidente")
    # Rouvrir ne retire pas la publication.
    etat = rouvrir_deliberation(jury=jury, acteur="presidente", motif="réclamation")
    assert (etat.publiee, etat.verrouillee, etat.libelle) == (True, False, "rouverte après publication")


def test_le_candidat_ne_voit_ses_resultats_qu_apres_la_publication_de_son_jury(
    session: ExamSession, jury: Jury, admissible: Any, settings: Any
) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    ExamSession.objects.filter(pk=session.pk).update(date_resultats=date(2022, 7, 6))
    session.refresh_from_db()
    u = get_user_model().objects.create_user("candidat-1", "c@exemple.fr", "x")
    habiliter(utilisateur=u, role=Role.CANDIDAT, session=session, perimetre=admissible, acteur="test")
    candidats = type(admissible).objects.filter(pk=admissible.pk)

    def voit() -> bool:
        return voit_les_resultats(u, session)

    assert resultats_publies(session)  # la date est passée…
    assert not resultats_publies(session, candidats=candidats)  # … mais le jury n'a pas publié
    assert not voit()
    deliberer_session(session=session, jury=jury, acteur="presidente", appliquer=True)
    verrouiller_deliberation(jury=jury, acteur="presidente")
    assert not voit()  # verrouillée, pas encore publiée
    publier_deliberation(jury=jury, acteur="presidente")
    assert voit()
    # Publiée, mais la date de la session n'est pas encore venue : rien.
    assert not resultats_publies(session, aujourd_hui=date(2022, 7, 5), candidats=candidats)


def test_sans_date_de_publication_rien_n_est_publie(session: ExamSession, jury: Jury) -> None:
    EtatDeliberation.objects.create(jury=jury, verrouillee_le="2022-07-01T10:00Z", publiee_le="2022-07-01T10:00Z")
    assert session.date_resultats is None
    assert not resultats_publies(session)


# --- §4.8 : pas d'ajournement avant l'examen du livret -------------------------------------------------------


def test_le_livret_non_examine_empeche_l_ajournement_puis_la_mention_pix_est_gardee(
    session: ExamSession, jury: Jury, centre: Centre
) -> None:
    c = noter(candidat(session, centre=centre, livret_scolaire=True), **partout("6"))
    (d,) = deliberer_session(session=session, jury=jury, acteur="presidente", appliquer=True).decisions
    assert (d.deliberation.decision.value, d.deliberation.motif.value) == ("en_attente", "livret_non_examine")
    examen = marquer_livret_examine(
        candidat=c, acteur="presidente", jury=jury, observations="assidue", mention_pix="certifie"
    )
    assert examen.get_mention_pix_display() == "certification PIX obtenue"
    assert Trace.objects.get(objet_type="jury.examenlivret").apres["mention_pix"] == "certifie"
    (d,) = deliberer_session(session=session, jury=jury, acteur="presidente", appliquer=True).decisions
    assert d.deliberation.decision.value == "ajourne"
    assert DecisionJury.objects.en_vigueur().get(candidat=c).decision == "ajourne"
    with pytest.raises(ValueError, match="Mention PIX « excellente » inconnue"):
        marquer_livret_examine(candidat=candidat(session, livret_scolaire=True), acteur="p", mention_pix="excellente")


def test_numeros_anonymes_en_lot_egaux_au_numero_anonyme(session: ExamSession) -> None:
    from examens.apps.jury.anonymat import numero_anonyme, numeros_anonymes

    numeros = [f"22-{k:06d}" for k in range(200)]
    lot = numeros_anonymes(session.code, numeros)
    assert lot == {n: numero_anonyme(session.code, n) for n in numeros}
    assert len(set(lot.values())) == 200
    assert all(len(a) == 12 and a.startswith("AN-") for a in lot.values())


def test_la_demonstration_verrouille_et_publie_ses_jurys(db: None, capsys: pytest.CaptureFixture[str]) -> None:
    from examens.apps.demo.services import construire_session_demo
    from examens.cli.demo import _controler_et_deliberer

    resume = construire_session_demo(candidats=150)
    session = ExamSession.objects.get(pk=resume.session_id)
    _controler_et_deliberer(session, resume.date_limite_dossiers)
    etats = EtatDeliberation.objects.filter(jury__session=session)
    assert etats.count() == session.jurys.exclude(centres=None).count() > 0
    assert all(e.verrouillee and e.publiee for e in etats)
    assert "délibération verrouillée et résultats publiés" in capsys.readouterr().out
