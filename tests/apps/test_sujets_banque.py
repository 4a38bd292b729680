"""Banque nationale E5B : dépôt de vrais PDF, équilibre WordPress = PrestaShop avant diffusion, diffusion tracée ;
confidentialité : le sujet d'un passage ne se lit que par sa commission, pendant le passage, ou par un
gestionnaire, et chaque lecture est journalisée."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from fabriques_sujets import CentreSujets, centre_sujets, paris, pdf, remplir_banque

from examens.apps.historique.models import Trace
from examens.apps.organisation.models import Academie, ExamSession
from examens.apps.sujets.erreurs import AccesRefuse, BanqueRefusee, PieceRefusee
from examens.apps.sujets.models import Consultation, DiffusionBanque, JournalInalterable, ReglagesSujets, Sujet
from examens.apps.sujets.selectors import banque, equilibre_banque, sujets_pour_planification
from examens.apps.sujets.services import attribuer_sujets, consulter_sujet, deposer_sujet, diffuser_banque

pytestmark = pytest.mark.django_db


@pytest.fixture
def cs(session: ExamSession, clermont: Academie) -> CentreSujets:
    return centre_sujets(session, clermont)


# --------------------------------------------------------------------------- dépôt


@pytest.mark.parametrize(
    ("contenu", "message"),
    [
        pytest.param(b"", "le fichier est vide", id="vide"),
        pytest.param(b"PK\x03\x04 un zip renomme en .pdf %%EOF", "n'est pas un PDF", id="zip-renomme"),
        pytest.param(b"%PDF-1.4 tronque sans fin", "n'est pas un PDF", id="pdf-tronque"),
        pytest.param(pdf(taille=10 * 1024 * 1024 + 1), "au-delà de 10 Mo", id="trop-lourd"),
    ],
)
def test_seul_un_vrai_pdf_de_10_mo_au_plus_est_accepte(session: ExamSession, contenu: bytes, message: str) -> None:
    with pytest.raises(PieceRefusee, match=message):
        deposer_sujet(session=session, code="WP-01", support="wordpress", contenu=contenu, par="pilote")
    assert not Sujet.objects.exists()


def test_un_pdf_de_10_mo_exactement_passe(session: ExamSession) -> None:
    s = deposer_sujet(
        session=session, code="wp-01", support="wordpress", contenu=pdf(taille=10 * 1024 * 1024), par="pilote"
    )
    assert (s.code, s.taille, s.version) == ("WP-01", 10 * 1024 * 1024, 1)


def test_le_code_suit_le_support_et_une_nouvelle_version_est_tracee(session: ExamSession) -> None:
    with pytest.raises(BanqueRefusee, match="commence par PS"):
        deposer_sujet(session=session, code="WP-01", support="prestashop", contenu=pdf(), par="pilote")
    s = deposer_sujet(session=session, code="WP-01", support="wordpress", contenu=pdf("v1"), par="pilote")
    s = deposer_sujet(session=session, code="WP-01", support="wordpress", contenu=pdf("v2"), par="pilote")
    assert s.version == 2
    traces = Trace.objects.pour("sujets.sujet", s.pk)
    assert [t.action for t in traces] == ["creation", "modification"]
    assert "v2" not in str(traces.last().apres)  # l'empreinte, jamais le contenu


# --------------------------------------------------------------------------- équilibre et diffusion


def test_diffusion_refusee_si_la_banque_n_est_pas_equilibree(session: ExamSession) -> None:
    remplir_banque(session, wordpress=3, prestashop=2)
    assert not equilibre_banque(session).equilibree
    with pytest.raises(BanqueRefusee, match=r"3 sujet\(s\) WordPress et 2 sujet\(s\) PrestaShop"):
        diffuser_banque(session=session, par="pilote")
    assert not DiffusionBanque.objects.exists()
    assert sujets_pour_planification(session) == []


def test_diffusion_refusee_sans_grille(session: ExamSession) -> None:
    remplir_banque(session, wordpress=1, prestashop=1, grilles=False)
    with pytest.raises(BanqueRefusee, match="sans grille d'aide à l'évaluation : PS-01, WP-01"):
        diffuser_banque(session=session, par="pilote")


def test_diffusion_equilibree_tracee_et_annoncee_aux_academies(cs: CentreSujets) -> None:
    remplir_banque(cs.session, wordpress=2, prestashop=2)
    d = diffuser_banque(session=cs.session, par="pilote")
    assert d.numero == 1
    assert [a.code for a in d.academies.all()] == ["clermont-ferrand"]
    assert [s["code"] for s in d.sujets] == ["PS-01", "PS-02", "WP-01", "WP-02"]
    trace = Trace.objects.pour("sujets.diffusionbanque", d.pk).get()
    assert trace.apres["wordpress"] == trace.apres["prestashop"] == 2
    assert [m.to for m in mail.outbox] == [["pilote@exemple.fr"]]  # le gestionnaire de l'académie
    assert all(x.diffuse for x in banque(cs.session))
    assert sujets_pour_planification(cs.session)[0] == {"id": "PS-01", "support": "prestashop"}
    # Après diffusion, un sujet ne change qu'avec un motif (erratum).
    with pytest.raises(BanqueRefusee, match="demande un motif"):
        deposer_sujet(session=cs.session, code="WP-01", support="wordpress", contenu=pdf("v2"), par="pilote")
    deposer_sujet(
        session=cs.session, code="WP-01", support="wordpress", contenu=pdf("v2"), par="pilote", motif="erratum"
    )
    assert [x.diffuse for x in banque(cs.session) if x.code == "WP-01"] == [False]  # à rediffuser


# --------------------------------------------------------------------------- confidentialité


@pytest.fixture
def attribue(cs: CentreSujets) -> CentreSujets:
    remplir_banque(cs.session, wordpress=3, prestashop=3)
    diffuser_banque(session=cs.session, par="pilote", notifier_academies=False)
    attribuer_sujets(session=cs.session, par="pilote", appliquer=True, maintenant=paris(1, 9))
    return cs


def test_la_commission_lit_son_sujet_pendant_le_passage_seulement(attribue: CentreSujets) -> None:
    cs = attribue
    p = cs.passages["E5B-1"]  # K05 (X1, X2), 30 mai 08:00–08:40, heure de Paris
    x1 = cs.utilisateurs["x1"]
    with pytest.raises(AccesRefuse, match="du 30/05/2022 à 8 h 00 au 30/05/2022 à 8 h 40"):
        consulter_sujet(utilisateur=x1, passage=p, maintenant=paris(30, 7, 59))
    with pytest.raises(AccesRefuse):
        consulter_sujet(utilisateur=x1, passage=p, maintenant=paris(30, 8, 41))
    lu = consulter_sujet(utilisateur=x1, passage=p, maintenant=paris(30, 8, 5))
    assert lu.contenu.startswith(b"%PDF-")
    assert lu.nom_fichier.startswith("sujet-")
    grille = consulter_sujet(utilisateur=x1, passage=p, maintenant=paris(30, 8, 40), piece="grille_e5b")
    assert b"grille" in grille.contenu
    lectures = list(Consultation.objects.order_by("quand"))
    assert [(c.acteur, c.role, c.piece, c.passage_id, c.commission) for c in lectures] == [
        ("x1", "examinateur", "sujet_e5b", p.pk, "K05"),
        ("x1", "examinateur", "grille_e5b", p.pk, "K05"),
    ]
    assert lectures[0].quand == paris(30, 8, 5)


def test_un_examinateur_ne_voit_pas_le_sujet_d_un_passage_qui_n_est_pas_le_sien(attribue: CentreSujets) -> None:
    cs = attribue
    with pytest.raises(AccesRefuse, match="ne siégez pas dans la commission"):
        consulter_sujet(utilisateur=cs.utilisateurs["x3"], passage=cs.passages["E5B-1"], maintenant=paris(30, 8, 5))
    for persona in ("chef", "candidat", "etablissement", "x5"):
        with pytest.raises(PermissionDenied):
            consulter_sujet(
                utilisateur=cs.utilisateurs[persona], passage=cs.passages["E5B-1"], maintenant=paris(30, 8, 5)
            )
    assert not Consultation.objects.exists()  # un refus n'est pas une lecture


def test_le_delai_de_consultation_est_un_reglage_de_la_session(attribue: CentreSujets) -> None:
    cs = attribue
    ReglagesSujets.objects.create(session=cs.session, consultation_avant_minutes=15)
    consulter_sujet(utilisateur=cs.utilisateurs["x1"], passage=cs.passages["E5B-1"], maintenant=paris(30, 7, 45))
    with pytest.raises(AccesRefuse):
        consulter_sujet(utilisateur=cs.utilisateurs["x1"], passage=cs.passages["E5B-1"], maintenant=paris(30, 7, 44))


def test_un_planning_non_publie_ne_donne_pas_acces(attribue: CentreSujets) -> None:
    cs = attribue
    cs.version.statut = "remplace"
    cs.version.save()
    with pytest.raises(AccesRefuse, match="planning publié"):
        consulter_sujet(utilisateur=cs.utilisateurs["x1"], passage=cs.passages["E5B-1"], maintenant=paris(30, 8, 5))


def test_le_gestionnaire_lit_a_tout_moment_et_c_est_journalise(attribue: CentreSujets) -> None:
    cs = attribue
    avant = paris(20, 10)
    consulter_sujet(utilisateur=cs.utilisateurs["pilote"], passage=cs.passages["E5B-5"], maintenant=avant)
    c = Consultation.objects.get()
    assert (c.acteur, c.role, c.candidat_numero, c.commission, c.quand) == (
        "pilote",
        "gestionnaire",
        cs.candidats["C5"].numero,
        "K06",
        avant,
    )
    with pytest.raises(JournalInalterable):
        c.save()
    with pytest.raises(JournalInalterable):
        Consultation.objects.all().delete()


def test_le_journal_des_lectures_garde_l_heure_exacte(attribue: CentreSujets) -> None:
    cs = attribue
    moment = paris(30, 8, 0) + dt.timedelta(seconds=17)
    consulter_sujet(utilisateur=cs.utilisateurs["x1"], passage=cs.passages["E5B-1"], maintenant=moment)
    assert Consultation.objects.get().quand == moment
