"""Attribution des sujets E5B aux passages (règle 9 du format de planification) et journal d'attribution :
complet (candidat, sujet, commission, date, qui), consultable pour une réclamation, réutilisable pour la
session suivante ; simulation par défaut en ligne de commande ; la planification prend la banque diffusée."""

from __future__ import annotations

from collections import Counter

import pytest
from fabriques_planification import CentreDeTest, centre_de_test
from fabriques_sujets import CentreSujets, centre_sujets, paris, remplir_banque

from examens.apps.historique.models import Trace
from examens.apps.organisation.models import Academie, ExamSession
from examens.apps.planification.models import Passage
from examens.apps.planification.selectors import instance_du_centre
from examens.apps.planification.services import composer_commissions
from examens.apps.sujets.erreurs import AttributionImpossible
from examens.apps.sujets.models import AttributionSujet
from examens.apps.sujets.selectors import journal_attributions, sujets_utilises
from examens.apps.sujets.services import attribuer_sujets, consulter_sujet, diffuser_banque
from examens.cli.main import main
from examens.planning.formats import Sujet, Support
from examens.planning.sujets import Demande, repartir_sujets

pytestmark = pytest.mark.django_db


@pytest.fixture
def cs(session: ExamSession, clermont: Academie) -> CentreSujets:
    c = centre_sujets(session, clermont)
    remplir_banque(session, wordpress=2, prestashop=2)
    diffuser_banque(session=session, par="pilote", notifier_academies=False)
    return c


def _regle_9(cs: CentreSujets) -> None:
    passages = list(Passage.objects.filter(version=cs.version, epreuve="E5B").select_related("commission"))
    par_jour = Counter((p.commission.code, p.debut.date(), p.sujet) for p in passages)
    assert all(n == 1 for n in par_jour.values()), par_jour
    supports = Counter(p.sujet[:2] for p in passages)
    assert abs(supports["WP"] - supports["PS"]) <= 1, supports


def test_sans_banque_diffusee_l_attribution_est_refusee(session: ExamSession, clermont: Academie) -> None:
    centre_sujets(session, clermont)
    with pytest.raises(AttributionImpossible, match="n'est pas diffusée"):
        attribuer_sujets(session=session, par="pilote")


def test_simulation_par_defaut_rien_n_est_ecrit(cs: CentreSujets) -> None:
    rapport = attribuer_sujets(session=cs.session, par="pilote", maintenant=paris(1, 9))
    assert not rapport.applique
    assert [x.etat for x in rapport.centres[0].lignes] == ["nouvelle"] * 6
    assert not AttributionSujet.objects.exists()
    assert set(Passage.objects.filter(epreuve="E5B").values_list("sujet", flat=True)) == {""}
    assert "Simulation" in rapport.resume()


def test_attribution_selon_la_regle_9_et_journal_complet(cs: CentreSujets) -> None:
    rapport = attribuer_sujets(session=cs.session, par="pilote", appliquer=True, maintenant=paris(1, 9))
    assert rapport.centres[0].compte("nouvelle") == 6
    _regle_9(cs)
    journal = journal_attributions(session=cs.session)
    assert len(journal) == 6
    premier = journal[0]
    p1 = cs.passages["E5B-1"]
    p1.refresh_from_db()
    assert (premier.candidat_numero, premier.sujet, premier.commission, premier.debut, premier.attribue_par) == (
        cs.candidats["C1"].numero,
        p1.sujet,
        "K05",
        p1.debut,
        "pilote",
    )
    assert premier.attribue_le == paris(1, 9)
    assert premier.debut_local.hour == 8
    assert premier.candidat_nom == "NOM-1 Camille"
    trace = Trace.objects.get(objet_type="sujets.attribution")
    assert trace.apres == {"attribues": 6, "remplaces": 0, "wordpress": 3, "prestashop": 3}
    # Une réclamation : le journal d'un candidat.
    (ligne,) = journal_attributions(session=cs.session, candidat=cs.candidats["C4"])
    assert ligne.commission == "K05"
    # La session suivante : quels sujets ont servi, où.
    usage = {u.code: u for u in sujets_utilises(session=cs.session)}
    assert sum(u.passages for u in usage.values()) == 6
    assert all(u.centres == (cs.centre.code,) for u in usage.values() if u.passages)


def test_rejouer_ne_change_rien_et_un_sujet_lu_reste_fige(cs: CentreSujets) -> None:
    attribuer_sujets(session=cs.session, par="pilote", appliquer=True, maintenant=paris(1, 9))
    rapport = attribuer_sujets(session=cs.session, par="pilote", appliquer=True, maintenant=paris(1, 10))
    assert rapport.centres[0].compte("inchangee") == 6
    assert AttributionSujet.objects.count() == 6
    # Le 30 mai à 8 h 05, X1 lit le sujet de C1 : il ne change plus, même si on réattribue.
    p1 = Passage.objects.get(pk=cs.passages["E5B-1"].pk)
    consulter_sujet(utilisateur=cs.utilisateurs["x1"], passage=p1, maintenant=paris(30, 8, 5))
    rapport = attribuer_sujets(session=cs.session, par="pilote", appliquer=True, maintenant=paris(30, 8, 10))
    etats = {x.candidat_numero: x.etat for x in rapport.centres[0].lignes}
    assert etats[cs.candidats["C1"].numero] == "figee"
    assert etats[cs.candidats["C5"].numero] == "figee"  # passage commencé (K06, 8 h 00)
    p1.refresh_from_db()
    assert journal_attributions(session=cs.session, candidat=cs.candidats["C1"], actives=True)[0].sujet == p1.sujet


def test_pas_assez_de_sujets_bloque_tout_et_liste_chaque_passage(session: ExamSession, clermont: Academie) -> None:
    cs = centre_sujets(session, clermont)
    remplir_banque(session, wordpress=1, prestashop=1)
    diffuser_banque(session=session, par="pilote", notifier_academies=False)
    # K05 interroge trois candidats le 30 mai, avec deux sujets : le troisième n'en a pas.
    rapport = attribuer_sujets(session=session, par="pilote", maintenant=paris(1, 9))
    assert rapport.centres[0].compte("sans_sujet") == 1
    with pytest.raises(AttributionImpossible, match=cs.candidats["C3"].numero):
        attribuer_sujets(session=session, par="pilote", appliquer=True, maintenant=paris(1, 9))
    assert not AttributionSujet.objects.exists()


def test_repartir_garde_les_sujets_imposes_et_equilibre_le_reste() -> None:
    sujets = [Sujet("WP-01", Support.WORDPRESS), Sujet("WP-02", Support.WORDPRESS), Sujet("PS-01", Support.PRESTASHOP)]
    demandes = [Demande(i, "K1", "2022-05-30", 480 + 50 * i) for i in range(3)]
    resultat = repartir_sujets(demandes, sujets, imposes={2: "WP-02"})
    assert resultat[2] == "WP-02"
    assert len(set(resultat.values())) == 3  # jamais deux fois le même sujet par la commission ce jour-là
    assert Counter(v[:2] for v in resultat.values()) == {"WP": 2, "PS": 1}


def test_cli_attribuer_sujets_simule_puis_applique(cs: CentreSujets, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["attribuer-sujets", "--session", cs.session.code, "--centre", cs.centre.code]) == 0
    sortie = capsys.readouterr().out
    assert "Simulation" in sortie
    assert "6 passage(s) E5B" in sortie
    assert not AttributionSujet.objects.exists()
    assert main(["attribuer-sujets", "--session", cs.session.code, "--appliquer", "--acteur", "dec"]) == 0
    assert AttributionSujet.objects.filter(attribue_par="dec").count() == 6
    assert main(["journal-sujets", "--session", cs.session.code]) == 0
    assert cs.candidats["C1"].numero in capsys.readouterr().out
    assert main(["attribuer-sujets", "--session", "inconnue"]) == 2


def test_la_planification_prend_les_sujets_de_la_banque_diffusee(session: ExamSession, clermont: Academie) -> None:
    ct: CentreDeTest = centre_de_test(session, clermont)
    composer_commissions(session=session, centre=ct.centre, par="test")
    assert instance_du_centre(ct.centre, session=session)["sujets"][0]["id"] == "WP-01"  # par défaut
    remplir_banque(session, wordpress=2, prestashop=2)
    diffuser_banque(session=session, par="pilote", notifier_academies=False)
    sujets = instance_du_centre(ct.centre, session=session)["sujets"]
    assert sujets == [
        {"id": "PS-01", "support": "prestashop"},
        {"id": "PS-02", "support": "prestashop"},
        {"id": "WP-01", "support": "wordpress"},
        {"id": "WP-02", "support": "wordpress"},
    ]
