"""Planification en base : instance d'un centre construite depuis la base, versions et passages enregistrés et
relus par le vérificateur, replanification qui bouge peu, épreuves de contrôle, session en tâches de fond."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from fabriques_planification import CentreDeTest, candidat, centre_de_test, examinateur

from examens.apps.candidats.models import NoteConservee
from examens.apps.examinateurs.models import Examinateur
from examens.apps.historique.models import Trace
from examens.apps.jury.models import DecisionJury
from examens.apps.notes.models import Resultat
from examens.apps.organisation.models import Academie, ExamSession, Salle
from examens.apps.planification.erreurs import PlanificationImpossible
from examens.apps.planification.models import Commission, EtapeCampagne, Passage, VersionPlanning
from examens.apps.planification.selectors import (
    instance_du_centre,
    instance_enregistree,
    passages_de_l_examinateur,
    passages_du_candidat,
    passages_du_centre,
    progression_campagne,
)
from examens.apps.planification.services import (
    choisir_epreuves_controle,
    composer_commissions,
    desister_examinateur,
    planifier_centre,
    planifier_controle,
    planifier_session,
    publier_planning,
    replanifier_centre,
    retirer_disponibilites,
)
from examens.planning.formats import Passage as PassageFormat
from examens.planning.formats import Planning, lire_instance, lire_planning
from examens.planning.verificateur import verifier

pytestmark = pytest.mark.django_db


@pytest.fixture
def ct(session: ExamSession, clermont: Academie) -> CentreDeTest:
    return centre_de_test(session, clermont)


def _par_numero(donnees: dict[str, object]) -> dict[str, dict[str, object]]:
    return {c["id"]: c for c in donnees["candidats"]}  # type: ignore[index, union-attr]


def _planning_relu_de_la_base(version: VersionPlanning) -> Planning:
    """Les passages enregistrés (UTC) remis en heures locales du centre, dans le format `@1`."""
    fuseau = ZoneInfo(version.centre.fuseau)

    def minutes(instant: dt.datetime) -> int:
        local = instant.astimezone(fuseau)
        return local.hour * 60 + local.minute

    passages = []
    for p in Passage.objects.filter(version=version).select_related("candidat", "commission", "salle", "loge"):
        passages.append(
            PassageFormat(
                candidat=p.candidat.numero,
                epreuve=p.epreuve,
                commission=p.commission.code,
                date=p.debut.astimezone(fuseau).date().isoformat(),
                debut=minutes(p.debut),
                fin=minutes(p.fin),
                preparation=minutes(p.debut_preparation) if p.debut_preparation else None,
                loge=p.loge.nom if p.loge else None,
                sujet=p.sujet or None,
                salle=p.salle.nom if p.salle else None,
            )
        )
    non_planifies = lire_planning(version.resultat).non_planifies
    return Planning(tuple(passages), non_planifies)


def _reverifier(version: VersionPlanning) -> None:
    instance = lire_instance(instance_enregistree(version))
    rapport = verifier(instance, _planning_relu_de_la_base(version))
    assert rapport.valide, [str(v) for v in rapport.violations]
    assert rapport.statistiques.non_planifies == version.non_planifies
    assert rapport.statistiques.attente_minutes == version.attente_minutes
    assert rapport.statistiques.changements == version.changements


# --------------------------------------------------------------------------- instance


def test_instance_du_centre_reflete_la_base(ct: CentreDeTest) -> None:
    c = ct.candidats
    NoteConservee.objects.create(candidat=c["C4"], epreuve="E6", note="12", annee=2021, origine="benefice")
    Resultat.objects.create(candidat=c["C3"], epreuve="E4", etat="NV")  # dossier non conforme : pas interrogé
    composer_commissions(session=ct.session, centre=ct.centre, par="test")
    donnees = instance_du_centre(ct.centre, session=ct.session)
    instance = lire_instance(donnees)  # le format l'accepte
    candidats = _par_numero(donnees)
    assert c["D1"].numero not in candidats  # désisté
    assert candidats["22-900001"]["epreuves"] == ["E2", "E4", "E5B", "E6", "LV2"]
    assert candidats["22-900001"]["langues"] == {"E2": "anglais", "LV2": "espagnol"}
    assert candidats["22-900002"]["epreuves"] == ["E2", "E4", "E5B", "E6", "ENGAGEMENT"]
    assert candidats["22-900003"]["epreuves"] == ["E2", "E5B", "E6"]  # E4 non valide
    assert candidats["22-900003"]["majoration"] is True
    assert candidats["22-900004"]["epreuves"] == ["E2", "E4", "E5B"]  # E6 conservée
    assert candidats["22-900004"]["etablissement"] is None
    # catégorie A : E2, E4, E6 en CCF ; l'engagement suit l'E6 dans l'établissement
    assert candidats["22-900005"]["epreuves"] == ["E5B", "LV2"]
    assert candidats["22-900006"]["epreuves"] == ["E5B"]
    # conflits d'établissement : l'établissement des candidats et celui des examinateurs
    assert candidats["22-900001"]["etablissement"] == ct.etablissement_c.uai
    examinateurs = {x.id: x.etablissement for x in instance.examinateurs}
    assert examinateurs["X01"] == ct.etablissement_c.uai
    assert instance.regles.conflit_etablissement is True
    assert instance.epreuves["E4"].preparation == 40
    assert instance.epreuves["E4"].duree == 60
    assert instance.epreuves["ENGAGEMENT"].suit == "E6"
    assert [(lo.id, lo.places) for lo in instance.loges] == [("Loge 1", 3)]
    assert instance.postes == 4
    assert [j.date for j in instance.jours] == ["2022-05-30", "2022-05-31"]
    langues = sorted((k.langue, k.membres) for k in instance.commissions if k.langue)
    assert langues == [("anglais", ("X09",)), ("espagnol", ("X10",))]
    e4 = [k for k in instance.commissions if k.epreuves == ("E4",)]
    assert len(e4) == 2
    assert all(len(k.membres) == 2 for k in e4)
    assert all(k.salle is not None for k in instance.commissions)


def test_instance_sans_loge_refusee_en_francais(ct: CentreDeTest) -> None:
    Salle.objects.filter(centre=ct.centre, type=Salle.Type.LOGE).delete()
    composer_commissions(session=ct.session, centre=ct.centre, par="test")
    with pytest.raises(PlanificationImpossible, match="aucune loge"):
        instance_du_centre(ct.centre, session=ct.session)


# --------------------------------------------------------------------------- planifier, enregistrer, relire


def test_planifier_centre_enregistre_une_version_verifiee(ct: CentreDeTest) -> None:
    r = planifier_centre(ct.centre, session=ct.session, par="dec.clermont", solveur="glouton")
    v = r.version
    assert (v.numero, v.statut, v.solveur, v.statut_solveur) == (1, "brouillon", "glouton", "GLOUTON")
    assert r.non_planifies == ()
    assert v.passages.count() == r.passages == v.passages_planifies == 21
    assert v.bornes["jours_candidats"] <= v.jours_candidats
    _reverifier(v)
    # E4 : 40 min de préparation en loge puis 1 h ; E5B en salle informatique avec un sujet
    e4 = Passage.objects.filter(version=v, epreuve="E4").select_related("loge").first()
    assert e4 is not None
    assert e4.loge is not None
    assert e4.loge.nom == "Loge 1"
    assert e4.debut - e4.debut_preparation == dt.timedelta(minutes=40)  # type: ignore[operator]
    assert e4.fin - e4.debut == dt.timedelta(hours=1)
    e5b = Passage.objects.filter(version=v, epreuve="E5B").select_related("salle").first()
    assert e5b is not None
    assert e5b.sujet
    assert e5b.salle is not None
    assert e5b.salle.type == Salle.Type.INFORMATIQUE
    # l'examinateur X01 n'interroge aucun candidat de son établissement
    assert not Passage.objects.filter(
        version=v, commission__membres__code="X01", candidat__etablissement=ct.etablissement_c
    )
    assert Trace.objects.filter(objet_type="planification.versionplanning", objet_id=str(v.pk)).exists()


def test_passages_pour_les_convocations_en_requetes_constantes(
    ct: CentreDeTest, django_assert_num_queries: object
) -> None:
    v = planifier_centre(ct.centre, session=ct.session, par="test", solveur="glouton").version
    assert passages_du_centre(ct.centre) == []  # rien de publié
    assert len(passages_du_centre(ct.centre, brouillons=True)) == v.passages_planifies
    publier_planning(v, par="test")
    with django_assert_num_queries(3):  # type: ignore[operator]
        lignes = passages_du_centre(ct.centre)
    assert len(lignes) == v.passages_planifies
    assert lignes == sorted(lignes, key=lambda x: x.debut)
    c1 = ct.candidats["C1"]
    with django_assert_num_queries(3):  # type: ignore[operator]
        siennes = passages_du_candidat(c1)
    assert sorted(x.epreuve for x in siennes) == ["E2", "E4", "E5B", "E6", "LV2"]
    e4 = next(x for x in siennes if x.epreuve == "E4")
    assert e4.loge == "Loge 1"
    assert e4.salle
    assert e4.commission.startswith("K")
    assert len(e4.examinateurs) == 2
    assert e4.fin_preparation == e4.debut
    assert e4.debut.tzinfo is not None
    assert 8 <= e4.local(e4.debut_preparation).hour < 18  # type: ignore[arg-type]
    x09 = Examinateur.objects.get(session=ct.session, code="X09")
    with django_assert_num_queries(3):  # type: ignore[operator]
        interrogations = passages_de_l_examinateur(x09)
    assert {x.epreuve for x in interrogations} == {"E2"}
    assert all(x.examinateurs == ("X09",) for x in interrogations)


# --------------------------------------------------------------------------- replanifier


def test_desistement_avec_remplacant_ne_bouge_rien(ct: CentreDeTest, clermont: Academie) -> None:
    v1 = planifier_centre(ct.centre, session=ct.session, par="test", solveur="glouton", publier=True).version
    sortant = Examinateur.objects.get(session=ct.session, code="X02")
    remplacant = examinateur(ct.session, clermont, "X15", Examinateur.Qualite.ENSEIGNANT, bloc=1)
    rapport = desister_examinateur(sortant, par="dec.clermont", motif="maladie")
    assert [(k, r) for _, k, r in rapport.remplacements]
    assert rapport.remplacements[0][2] == remplacant.code
    r = replanifier_centre(ct.centre, session=ct.session, par="test", motif="désistement X02", solveur="glouton")
    assert r.version.reference == v1
    assert r.version.numero == 2
    assert r.changements == 0
    assert r.non_planifies == ()
    assert sortant.code not in {m for k in r.version.instance["commissions"] for m in k["membres"]}
    _reverifier(r.version)


def test_desistement_sans_remplacant_deplace_peu_et_n_utilise_plus_l_examinateur(ct: CentreDeTest) -> None:
    v1 = planifier_centre(ct.centre, session=ct.session, par="test", solveur="glouton").version
    sortant = Examinateur.objects.get(session=ct.session, code="X13")
    commission = Commission.objects.get(membres=sortant, active=True)
    touches = Passage.objects.filter(version=v1, commission=commission).count()
    rapport = desister_examinateur(sortant, par="dec.clermont")
    assert rapport.dissoutes == ((ct.centre.code, commission.code),)
    r = replanifier_centre(ct.centre, session=ct.session, par="test", motif="désistement X13", solveur="glouton")
    assert r.non_planifies == ()
    assert r.changements is not None
    assert r.changements <= touches
    assert not Passage.objects.filter(version=r.version, commission__membres=sortant).exists()
    assert not Passage.objects.filter(version=r.version, commission=commission).exists()
    _reverifier(r.version)
    with pytest.raises(PlanificationImpossible, match="déjà désisté"):
        desister_examinateur(sortant, par="dec.clermont")


def test_examinateur_indisponible_un_jour_seuls_ses_passages_de_ce_jour_bougent(ct: CentreDeTest) -> None:
    v1 = planifier_centre(ct.centre, session=ct.session, par="test", solveur="glouton").version
    x10 = Examinateur.objects.get(session=ct.session, code="X10")
    jour = dt.date(2022, 5, 30)
    fuseau = ZoneInfo("Europe/Paris")
    ce_jour = [
        p
        for p in Passage.objects.filter(version=v1, commission__membres=x10)
        if p.debut.astimezone(fuseau).date() == jour
    ]
    assert ce_jour  # le glouton remplit le premier jour
    assert retirer_disponibilites(x10, dates=[jour], par="test", motif="convocation au rectorat") == (ct.centre,)
    r = replanifier_centre(ct.centre, session=ct.session, par="test", motif="X10 indisponible", solveur="glouton")
    assert r.non_planifies == ()
    assert r.changements is not None
    assert 0 < r.changements <= len(ce_jour)
    assert all(
        p.debut.astimezone(fuseau).date() != jour
        for p in Passage.objects.filter(version=r.version, commission__membres=x10)
    )
    _reverifier(r.version)
    with pytest.raises(PlanificationImpossible, match="rien à retirer"):
        retirer_disponibilites(x10, dates=[jour], par="test")


def test_candidat_ajoute_place_sans_deplacer_les_autres(ct: CentreDeTest) -> None:
    v1 = planifier_centre(ct.centre, session=ct.session, par="test", solveur="glouton").version
    candidat(ct.session, ct.centre, "22-900099", etablissement=None, mode_preparation="individuel")
    r = replanifier_centre(ct.centre, session=ct.session, par="test", motif="candidat ajouté", solveur="glouton")
    assert r.changements == 0
    assert r.passages == v1.passages_planifies + 4
    _reverifier(r.version)


def test_replanifier_sans_planning_refuse(ct: CentreDeTest) -> None:
    with pytest.raises(PlanificationImpossible, match="aucun planning à replanifier"):
        replanifier_centre(ct.centre, session=ct.session, par="test", motif="x", solveur="glouton")


def test_cpsat_avec_echeance_courte(ct: CentreDeTest) -> None:
    r = planifier_centre(ct.centre, session=ct.session, par="test", solveur="cpsat", duree_max=4, workers=1, graine=1)
    assert r.version.solveur == "cpsat"
    assert r.non_planifies == ()
    _reverifier(r.version)


# --------------------------------------------------------------------------- épreuves de contrôle


def _controle(candidat: object, possibles: list[str], nombre: int = 2) -> DecisionJury:
    return DecisionJury.objects.create(
        candidat=candidat,
        decision="controle",
        epreuves_controle_possibles=possibles,
        nombre_epreuves_controle=nombre,
        decidee_par="jury",
    )


def test_controle_vingt_minutes_de_preparation_et_vingt_d_oral(ct: CentreDeTest) -> None:
    c = ct.candidats
    _controle(c["C1"], ["E1", "E2", "E3"])
    _controle(c["C2"], ["E2", "E3"])
    _controle(c["A1"], ["E1", "E2", "E3"])  # pas de choix saisi : écarté
    choisir_epreuves_controle(c["C1"], epreuves=["E1", "E2"], par="dec.clermont")
    with pytest.raises(PlanificationImpossible, match="choisissez 2"):
        choisir_epreuves_controle(c["C2"], epreuves=["E2"], par="dec.clermont")
    x = {code: Examinateur.objects.get(session=ct.session, code=code) for code in ("X02", "X05")}
    r = planifier_controle(
        session=ct.session,
        centre=ct.centre,
        dates=[dt.date(2022, 7, 4)],
        par="dec.clermont",
        examinateurs={"E1": [x["X02"]], "E3": [x["X05"]]},
        solveur="glouton",
    )
    assert r.version.nature == "controle"
    assert r.non_planifies == ()
    assert r.ecartes == (("22-900005", "choix des épreuves de contrôle non saisi"),)
    passages = list(Passage.objects.filter(version=r.version).select_related("candidat", "commission"))
    assert sorted((p.candidat.numero, p.epreuve) for p in passages) == [
        ("22-900001", "CTRL_E1"),
        ("22-900001", "CTRL_E2"),
        ("22-900002", "CTRL_E2"),
        ("22-900002", "CTRL_E3"),
    ]
    for p in passages:
        assert p.debut - p.debut_preparation == dt.timedelta(minutes=20)  # type: ignore[operator]
        assert p.fin - p.debut == dt.timedelta(minutes=20)
        assert p.debut.astimezone(ZoneInfo("Europe/Paris")).date() == dt.date(2022, 7, 4)
    assert {p.commission.code for p in passages if p.epreuve == "CTRL_E2"} == {"C-E2-X09"}
    assert r.version.instance["epreuves"]["CTRL_E2"] == {"preparation": 20, "duree": 20, "langue": True}
    _reverifier(r.version)
    # les passages de contrôle s'ajoutent aux convocations du candidat
    publier_planning(r.version, par="test")
    assert {x.epreuve for x in passages_du_candidat(c["C1"])} == {"CTRL_E1", "CTRL_E2"}


# --------------------------------------------------------------------------- session en tâches de fond


def test_session_planifiee_en_taches_par_un_vrai_worker(ct: CentreDeTest, worker_dans_le_test: None) -> None:
    from django_tasks_db.models import DBTaskResult

    campagne = planifier_session(session=ct.session, par="dec.clermont", solveur="glouton", en_tache=True)
    avancement = progression_campagne(campagne)
    assert (avancement.total, avancement.en_attente, avancement.finie) == (1, 1, False)
    etape = EtapeCampagne.objects.get(campagne=campagne)
    tache = DBTaskResult.objects.get(id=etape.tache)
    assert tache.queue_name == "planification"
    assert tache.status == "READY"
    call_command(
        "db_worker", "--batch", "--queue-name", "planification", "--no-startup-delay", "--interval", "0", verbosity=0
    )
    avancement = progression_campagne(campagne)
    assert avancement.finie
    assert avancement.terminees == 1, EtapeCampagne.objects.get(pk=etape.pk).message
    etape.refresh_from_db()
    assert etape.version is not None
    assert etape.version.passages_planifies > 0
    tache.refresh_from_db()
    assert tache.status == "SUCCESSFUL"
    _reverifier(etape.version)


def test_session_planifiee_sur_place_avec_progression(ct: CentreDeTest) -> None:
    lignes: list[str] = []
    campagne = planifier_session(
        session=ct.session, par="test", solveur="glouton", en_tache=False, publier=True,
        progression=lambda avancement, etape: lignes.append(avancement.ligne()),
    )  # fmt: skip
    assert progression_campagne(campagne).terminees == 1
    assert lignes == ["1/1 centres traités : 1 planifiés, 0 en échec, 0 en cours, 0 en attente"]
    assert VersionPlanning.objects.get(centre=ct.centre).statut == "publie"


def test_candidat_d_une_nouvelle_langue_fait_composer_sa_commission(ct: CentreDeTest, clermont: Academie) -> None:
    planifier_centre(ct.centre, session=ct.session, par="test", solveur="glouton")
    candidat(ct.session, ct.centre, "22-900098", mode_preparation="individuel", langue_e2="italien")
    examinateur(ct.session, clermont, "X16", Examinateur.Qualite.ENSEIGNANT, langue="italien")
    r = replanifier_centre(ct.centre, session=ct.session, par="test", motif="candidat ajouté", solveur="glouton")
    italien = Commission.objects.get(centre=ct.centre, langue="italien")
    assert [x.code for x in italien.membres.all()] == ["X16"]
    assert italien.code == "K08"  # à la suite des commissions existantes
    assert r.non_planifies == ()
    assert r.changements == 0
    assert Passage.objects.filter(version=r.version, candidat__numero="22-900098", commission=italien).exists()


def test_administration_en_lecture_seule(ct: CentreDeTest, admin_client: object) -> None:
    v = planifier_centre(ct.centre, session=ct.session, par="test", solveur="glouton").version
    planifier_session(session=ct.session, par="test", solveur="glouton", en_tache=False)
    for url in (
        "/admin/planification/versionplanning/",
        f"/admin/planification/versionplanning/{v.pk}/change/",
        "/admin/planification/passage/",
        "/admin/planification/commission/",
        "/admin/planification/campagne/",
        f"/admin/planification/campagne/{EtapeCampagne.objects.get().campagne_id}/change/",
    ):
        reponse = admin_client.get(url)  # type: ignore[attr-defined]
        assert reponse.status_code == 200, url
    page = admin_client.get(f"/admin/planification/versionplanning/{v.pk}/change/").content.decode()  # type: ignore[attr-defined]
    assert "Loge 1" in page
    assert "22-900001" in page
    assert admin_client.get("/admin/planification/passage/add/").status_code == 403  # type: ignore[attr-defined]


def test_or_tools_charge_seulement_par_le_solveur_cpsat() -> None:
    """OR-Tools coûte 2,5 s à importer : ni l'application, ni sa CLI, ni le glouton ne le chargent."""
    import subprocess
    import sys

    code = (
        "import os, sys\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'examens.config.settings')\n"
        "import django; django.setup()\n"
        "import examens.apps.planification.services, examens.apps.planification.tasks\n"
        "import examens.apps.planification.admin, examens.cli.planification\n"
        "print(any(m.split('.')[0] == 'ortools' for m in sys.modules))"
    )
    sortie = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert sortie.strip() == "False"
