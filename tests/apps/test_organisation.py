"""Organisation : centres et fuseaux, calendrier des écrits en heure locale, contraintes en base."""

from __future__ import annotations

from datetime import date, time

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from examens.apps.organisation.models import Academie, Centre, EpreuveEcrite, ExamSession, Salle
from examens.apps.organisation.selectors import horaires_du_centre
from examens.core.calendrier import debut_national

pytestmark = pytest.mark.django_db


@pytest.fixture
def e1(session: ExamSession) -> EpreuveEcrite:
    return EpreuveEcrite.objects.create(
        session=session,
        epreuve="E1",
        debut=debut_national(date(2022, 5, 16), time(14, 0)),
        duree_minutes=240,
        temps_de_loge_minutes=60,
    )


def test_un_candidat_de_la_reunion_voit_l_heure_de_la_reunion_au_meme_instant(e1: EpreuveEcrite) -> None:
    reunion = Academie.objects.create(code="la-reunion", nom="La Réunion", fuseau="Indian/Reunion")
    saint_denis = Centre.objects.create(
        academie=reunion, code="9740001A", nom="Lycée Leconte-de-Lisle", fuseau="Indian/Reunion"
    )
    paris = Centre.objects.create(academie=e1.session.academie_pilote, code="0630001A", nom="Lycée Blaise-Pascal")
    e1.refresh_from_db()
    local = horaires_du_centre(centre=saint_denis, epreuve=e1)
    metropole = horaires_du_centre(centre=paris, epreuve=e1)
    assert local.debut == metropole.debut  # même instant
    assert f"{local.debut:%H:%M}" == "16:00"
    assert f"{metropole.debut:%H:%M}" == "14:00"
    assert f"{local.sortie_autorisee:%H:%M}" == "17:00"  # temps de loge d'une heure, là-bas aussi


def test_la_convocation_d_un_candidat_de_la_reunion_en_heure_de_la_reunion(e1: EpreuveEcrite) -> None:
    from examens.apps.candidats.models import Candidat, Dispense
    from examens.apps.candidats.selectors import horaires_du_candidat

    session = e1.session
    EpreuveEcrite.objects.create(
        session=session, epreuve="E3", debut=debut_national(date(2022, 5, 17), time(9, 0)), duree_minutes=180,
        temps_de_loge_minutes=60,
    )  # fmt: skip
    reunion = Academie.objects.create(code="la-reunion", nom="La Réunion", fuseau="Indian/Reunion")
    saint_denis = Centre.objects.create(academie=reunion, code="9740001A", nom="Lycée", fuseau="Indian/Reunion")
    paris = Centre.objects.create(academie=session.academie_pilote, code="0630001A", nom="Lycée Blaise-Pascal")

    def candidat(numero: str, centre: Centre) -> Candidat:
        return Candidat.objects.create(
            session=session, numero=numero, nom="X", prenoms="Y", date_naissance=date(2004, 1, 1),
            mode_preparation="individuel", centre=centre, langue_e2="anglais",
        )  # fmt: skip

    lea, paul = candidat("22-000001", saint_denis), candidat("22-000002", paris)
    Dispense.objects.create(candidat=paul, unite="U3", titre="licence")
    a_la_reunion, a_paris = horaires_du_candidat(candidat=lea), horaires_du_candidat(candidat=paul)
    assert [(e, f"{h.debut:%d/%m %H:%M}", h.fuseau) for e, h in a_la_reunion] == [
        ("E1", "16/05 16:00", "Indian/Reunion"),
        ("E3", "17/05 11:00", "Indian/Reunion"),
    ]
    assert [(e, f"{h.debut:%H:%M}") for e, h in a_paris] == [("E1", "14:00")]  # E3 : unité U3 dispensée
    assert a_la_reunion[0][1].debut == a_paris[0][1].debut  # même instant
    # Aménagement : le tiers temps recule la fin (4 h → 5 h 20), pas le début.
    lea.temps_majore = True
    lea.save()
    e1_majore = horaires_du_candidat(candidat=lea)[0][1]
    assert (f"{e1_majore.debut:%H:%M}", f"{e1_majore.fin:%H:%M}") == ("16:00", "21:20")


def test_fuseau_invalide_refuse_en_francais(session: ExamSession) -> None:
    centre = Centre(academie=session.academie_pilote, code="X", nom="X", fuseau="Mars/Olympus")
    with pytest.raises(ValidationError, match="Fuseau horaire inconnu"):
        centre.full_clean()


@pytest.mark.parametrize(
    ("epreuve", "message"),
    [
        pytest.param("E4", "n'est pas une épreuve écrite", id="E4 est un oral"),
        pytest.param("E9", "n'est pas une épreuve du règlement", id="épreuve inconnue"),
    ],
)
def test_le_calendrier_n_accepte_que_les_ecrits_du_reglement(session: ExamSession, epreuve: str, message: str) -> None:
    ligne = EpreuveEcrite(
        session=session,
        epreuve=epreuve,
        debut=debut_national(date(2022, 5, 17), time(9, 0)),
        duree_minutes=60,
        temps_de_loge_minutes=30,
    )
    with pytest.raises(ValidationError, match=message):
        ligne.full_clean()


def test_temps_de_loge_plus_long_que_l_epreuve_refuse_par_la_base(session: ExamSession) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        EpreuveEcrite.objects.create(
            session=session,
            epreuve="E3",
            debut=debut_national(date(2022, 5, 17), time(9, 0)),
            duree_minutes=60,
            temps_de_loge_minutes=90,
        )


def test_salle_de_capacite_nulle_refusee_par_la_base(session: ExamSession) -> None:
    centre = Centre.objects.create(academie=session.academie_pilote, code="0630002B", nom="Lycée Jeanne-d'Arc")
    with pytest.raises(IntegrityError), transaction.atomic():
        Salle.objects.create(centre=centre, nom="Loge 1", type=Salle.Type.LOGE, capacite=0)


def test_l_administration_est_en_francais(admin_client, session: ExamSession) -> None:  # type: ignore[no-untyped-def]
    reponse = admin_client.get("/admin/organisation/centre/")
    assert reponse.status_code == 200
    page = reponse.content.decode()
    assert '<html lang="fr"' in page
    assert "Sélectionnez l’objet centre d&#x27;examen à changer" in page
