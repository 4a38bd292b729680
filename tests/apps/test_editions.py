"""Édition tracée, envois et travaux de fond (issue « Documents et envois », points 2 à 4).

Les documents sont relus (texte extrait du PDF) : l'heure locale d'un centre de Mayotte, l'identité du
candidat. Une réédition ajoute une version et garde l'ancienne ; une édition interrompue reprend sans
doublon ; un envoi déjà reçu n'est pas renvoyé ; l'accusé de réception est enregistré par un POST.
"""

from __future__ import annotations

import io
from datetime import date, time, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pypdf import PdfReader

from examens.apps.candidats.models import Candidat
from examens.apps.editions import donnees, services
from examens.apps.editions.models import Document, Envoi, Travail, Version
from examens.apps.editions.travaux import executer
from examens.apps.organisation.models import Academie, Centre, EpreuveEcrite, ExamSession
from examens.cli.main import main
from examens.core.calendrier import debut_national

pytestmark = pytest.mark.django_db


@pytest.fixture
def mayotte(session: ExamSession) -> Centre:
    EpreuveEcrite.objects.create(
        session=session, epreuve="E1", debut=debut_national(date(2022, 5, 16), time(14, 0)), duree_minutes=240,
        temps_de_loge_minutes=60,
    )  # fmt: skip
    EpreuveEcrite.objects.create(
        session=session, epreuve="E3", debut=debut_national(date(2022, 5, 17), time(9, 0)), duree_minutes=180,
        temps_de_loge_minutes=60,
    )  # fmt: skip
    academie = Academie.objects.create(code="mayotte", nom="Mayotte", fuseau="Indian/Mayotte")
    return Centre.objects.create(
        academie=academie, code="9760001A", nom="Lycée Younoussa-Bamana", ville="Mamoudzou", fuseau="Indian/Mayotte"
    )


def _candidats(session: ExamSession, centre: Centre, n: int) -> list[Candidat]:
    return [
        Candidat.objects.create(
            session=session,
            numero=f"22-{i:05d}",
            nom=f"ATTOUMANI{i}",
            prenoms="Zaïnaba",
            courriel=f"c{i}@exemple.fr",
            date_naissance=date(2003, 2, 1),
            mode_preparation="individuel",
            centre=centre,
            langue_e2="anglais",
        )
        for i in range(1, n + 1)
    ]


def _editer(session: ExamSession, centre: Centre, **autres: object) -> Travail:
    travail = services.creer_travail(
        session=session, nature="editer:convocation-candidat", parametres={"centre": centre.code, **autres}, par="dec"
    )
    executer(travail, processus=1)
    travail.refresh_from_db()
    return travail


def _texte(version: Version) -> str:
    lecteur = PdfReader(io.BytesIO(bytes(version.fichier.contenu)))
    return "\n".join(p.extract_text() for p in lecteur.pages)


def test_les_convocations_d_un_centre_de_mayotte_sont_a_l_heure_de_mayotte(session, mayotte) -> None:
    _candidats(session, mayotte, 3)
    travail = _editer(session, mayotte)
    assert (travail.statut, travail.total, travail.fait, travail.nouveaux) == ("termine", 3, 3, 3)
    version = Version.objects.get(document__cle="candidat:22-00002")
    texte = _texte(version)
    assert "ATTOUMANI2" in texte
    assert "22-00002" in texte
    # E1 : 14 h 00 à Paris (UTC+2 en mai) = 12 h 00 UTC = 15 h 00 à Mayotte (UTC+3)
    assert "15 h 00" in texte
    assert "14 h 00" not in texte
    assert version.fichier.empreinte == services.empreinte(bytes(version.fichier.contenu))
    assert len(PdfReader(io.BytesIO(bytes(version.fichier.contenu))).pages) == 1


def test_une_reedition_ajoute_une_version_et_garde_l_ancienne(session, mayotte) -> None:
    (c,) = _candidats(session, mayotte, 1)
    _editer(session, mayotte)
    v1 = Version.objects.get()
    contenu_v1 = bytes(v1.fichier.contenu)

    # Rien n'a changé : aucune nouvelle version.
    travail = _editer(session, mayotte)
    assert (travail.nouveaux, travail.inchanges) == (0, 1)
    assert Version.objects.count() == 1

    # Le candidat obtient le temps majoré : nouvelle version, l'ancienne reste intacte.
    Candidat.objects.filter(pk=c.pk).update(temps_majore=True)
    _editer(session, mayotte)
    v1.refresh_from_db()
    v2 = Version.objects.get(numero=2)
    assert bytes(v1.fichier.contenu) == contenu_v1
    assert v2.fichier_id != v1.fichier_id
    assert "tiers temps" in _texte(v2)
    assert Document.objects.get().derniere_version == 2

    # Une réédition forcée exige un motif, puis crée la version 3.
    with pytest.raises(ValueError, match="motif"):
        _editer(session, mayotte, forcer=True)
    _editer(session, mayotte, forcer=True, motif="papier abîmé")
    assert list(Version.objects.order_by("numero").values_list("numero", "motif")) == [
        (1, ""), (2, ""), (3, "papier abîmé"),
    ]  # fmt: skip


def test_une_edition_interrompue_reprend_sans_doublon(session, mayotte, monkeypatch) -> None:
    _candidats(session, mayotte, 7)
    monkeypatch.setattr(services, "TAILLE_LOT", 3)
    reel = services._emettre_lot
    appels = {"n": 0}

    def en_panne(*args, **kwargs):  # le worker tombe au troisième lot
        appels["n"] += 1
        if appels["n"] == 3:
            raise RuntimeError("worker arrêté")
        return reel(*args, **kwargs)

    monkeypatch.setattr(services, "_emettre_lot", en_panne)
    travail = services.creer_travail(
        session=session, nature="editer:convocation-candidat", parametres={"centre": mayotte.code}, par="dec"
    )
    with pytest.raises(RuntimeError):
        executer(travail, processus=1)
    travail.refresh_from_db()
    assert (travail.statut, travail.fait) == ("echec", 6)
    assert Version.objects.count() == 6

    monkeypatch.setattr(services, "_emettre_lot", reel)
    executer(travail, processus=1)
    travail.refresh_from_db()
    assert (travail.statut, travail.fait, travail.nouveaux, travail.inchanges) == ("termine", 7, 1, 6)
    assert Version.objects.count() == 7
    assert Document.objects.filter(derniere_version=1).count() == 7


def test_le_nombre_de_requetes_ne_depend_pas_du_nombre_de_candidats(session, mayotte) -> None:
    def requetes(n: int) -> int:
        Candidat.objects.all().delete() if not Version.objects.exists() else None
        _candidats(session, mayotte, n)
        travail = services.creer_travail(
            session=session, nature="editer:convocation-candidat", parametres={"centre": mayotte.code}, par="dec"
        )
        with CaptureQueriesContext(connection) as contexte:
            executer(travail, processus=1)
        return len(contexte.captured_queries)

    petit = requetes(4)
    Version.objects.all().delete()
    Document.objects.all().delete()
    Candidat.objects.all().delete()
    assert requetes(40) == petit


def test_envoi_journalise_sans_doublon_accuse_et_relance(session, mayotte, client) -> None:
    _candidats(session, mayotte, 3)
    _editer(session, mayotte)
    parametres = {"centre": mayotte.code}

    simulation = donnees.a_envoyer(session, "convocation-candidat", parametres)
    bilan = services.envoyer_versions(
        versions=simulation.versions, objet=simulation.objet, corps=simulation.corps, par="dec", appliquer=False
    )
    assert (bilan.a_envoyer, bilan.envoyes, len(mail.outbox)) == (3, 0, 0)

    travail = services.creer_travail(
        session=session, nature="envoyer:convocation-candidat", parametres=parametres, par="dec"
    )
    executer(travail)
    assert len(mail.outbox) == 3
    message = mail.outbox[0]
    assert message.to == ["c1@exemple.fr"]
    assert message.attachments[0][0].endswith(".pdf")
    envoi = Envoi.objects.get(destinataire="c1@exemple.fr")
    assert f"/accuse-reception/{envoi.jeton}/" in message.body

    # Un second envoi ne renvoie rien : chacun a déjà reçu cette version.
    executer(services.creer_travail(session=session, nature="envoyer:convocation-candidat", parametres=parametres,
                                    par="dec"))  # fmt: skip
    assert len(mail.outbox) == 3

    # Un GET (aperçu de messagerie, antivirus) n'accuse pas réception ; le POST du bouton, si.
    assert client.get(f"/accuse-reception/{envoi.jeton}/").status_code == 200
    envoi.refresh_from_db()
    assert envoi.accuse_le is None
    reponse = client.post(f"/accuse-reception/{envoi.jeton}/")
    assert "Réception confirmée" in reponse.content.decode()
    envoi.refresh_from_db()
    assert envoi.accuse_le is not None
    assert client.get("/accuse-reception/inconnu/").status_code == 404

    # Relance : seuls les deux autres, et seulement après le délai.
    Envoi.objects.update(envoye_le=timezone.now() - timedelta(days=4))
    relances = services.relancer(
        envois=Envoi.objects.all(), corps="", par="dec", appliquer=True, delai=timedelta(days=3)
    )
    assert relances == 2
    assert len(mail.outbox) == 5
    assert mail.outbox[-1].subject.startswith("Rappel")
    assert services.relancer(
        envois=Envoi.objects.all(), corps="", par="dec", appliquer=True, delai=timedelta(days=3)
    ) == 0  # fmt: skip


def test_une_nouvelle_version_est_renvoyee(session, mayotte) -> None:
    (c,) = _candidats(session, mayotte, 1)
    _editer(session, mayotte)
    parametres = {"centre": mayotte.code}
    executer(services.creer_travail(session=session, nature="envoyer:convocation-candidat", parametres=parametres,
                                    par="dec"))  # fmt: skip
    Candidat.objects.filter(pk=c.pk).update(salle_a_part=True)
    _editer(session, mayotte)
    executer(services.creer_travail(session=session, nature="envoyer:convocation-candidat", parametres=parametres,
                                    par="dec"))  # fmt: skip
    assert list(Envoi.objects.order_by("version__numero").values_list("version__numero", flat=True)) == [1, 2]
    assert len(mail.outbox) == 2


def test_cli_editer_convocations_d_un_centre(session, mayotte, tmp_path, capsys) -> None:
    _candidats(session, mayotte, 2)
    code = main(["editer", "convocations", "--session", session.code, "--centre", mayotte.code,
                 "--sortie", str(tmp_path), "--processus", "1"])  # fmt: skip
    sortie = capsys.readouterr()
    assert code == 0, sortie.err
    assert "2 nouvelle(s) version(s)" in sortie.out
    fichiers = sorted(p.name for p in tmp_path.iterdir())
    assert fichiers == [
        "convocation-candidat-candidat-22-00001-v1.pdf",
        "convocation-candidat-candidat-22-00002-v1.pdf",
    ]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--centre", "0000000Z"], "centre « 0000000Z » inconnu"),
        ([], "précisez le centre"),
        (["--centre", "9760001A", "--reediter"], "--reediter demande un --motif"),
    ],
)
def test_cli_editer_erreurs_en_francais(session, mayotte, capsys, arguments, message) -> None:
    assert main(["editer", "convocations", "--session", session.code, *arguments]) == 2
    assert message in capsys.readouterr().err
    assert not Travail.objects.exists()


def test_cli_session_inconnue(capsys) -> None:
    assert main(["editer", "convocations", "--session", "bts-inconnu", "--centre", "X"]) == 2
    assert "session « bts-inconnu » inconnue" in capsys.readouterr().err


def test_cli_envoyer_simule_par_defaut(session, mayotte, capsys) -> None:
    _candidats(session, mayotte, 2)
    _editer(session, mayotte)
    assert main(["envoyer", "convocations", "--session", session.code, "--centre", mayotte.code]) == 0
    assert "2 courriel(s) à envoyer (simulation" in capsys.readouterr().out
    assert len(mail.outbox) == 0
    assert main(["envoyer", "convocations", "--session", session.code, "--centre", mayotte.code, "--appliquer"]) == 0
    assert len(mail.outbox) == 2


def test_un_worker_en_base_execute_le_travail_confie(session, mayotte, worker_dans_le_test) -> None:
    """Le travail est mis en file (django-tasks-db) puis exécuté par `db_worker`, comme sur une autre machine."""
    from django.core.management import call_command

    from examens.apps.editions.taches import lancer_en_tache

    _candidats(session, mayotte, 2)
    travail = services.creer_travail(
        session=session, nature="editer:convocation-candidat", parametres={"centre": mayotte.code}, par="dec"
    )
    lancer_en_tache(travail)
    travail.refresh_from_db()
    assert travail.statut == "en_attente"
    assert travail.tache
    call_command("db_worker", "--batch", "--queue-name", "documents", "--no-startup-delay", "--no-reload",
                 verbosity=0)  # fmt: skip
    travail.refresh_from_db()
    assert (travail.statut, travail.fait, travail.total) == ("termine", 2, 2)
    assert Version.objects.count() == 2
