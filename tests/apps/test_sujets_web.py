"""Pages des sujets : banque E5B (académie pilote seulement), fiche-sujet E4 (la commission du candidat), pièces
du candidat (rôles de pilotage de son périmètre), PDF d'un sujet (commission pendant le passage, journalisé)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from fabriques_sujets import CentreSujets, centre_sujets, paris, pdf, remplir_banque

from examens.apps.organisation.models import Academie, ExamSession
from examens.apps.sujets.models import Consultation, FicheSujet, Sujet
from examens.apps.sujets.services import attribuer_sujets, diffuser_banque

pytestmark = pytest.mark.django_db


@pytest.fixture
def cs(session: ExamSession, clermont: Academie) -> CentreSujets:
    return centre_sujets(session, clermont)


def _client(cs: CentreSujets, persona: str | None) -> Client:
    client = Client()
    if persona is not None:
        client.force_login(cs.utilisateurs[persona])
    return client


@pytest.mark.parametrize(
    ("persona", "statut"),
    [(None, 302), ("chef", 403), ("x1", 403), ("candidat", 403), ("etablissement", 403), ("pilote", 200)],
)
def test_la_banque_est_reservee_a_l_academie_pilote(cs: CentreSujets, persona: str | None, statut: int) -> None:
    assert _client(cs, persona).get(reverse("sujets:banque")).status_code == statut


def test_depot_et_indicateur_d_equilibre(cs: CentreSujets) -> None:
    client = _client(cs, "pilote")
    url = reverse("sujets:banque") + f"?session={cs.session.code}"
    reponse = client.post(
        url,
        {
            "code": "WP-01",
            "support": "wordpress",
            "titre": "Blog de la boutique",
            "sujet": SimpleUploadedFile("wp01.pdf", pdf("wp01"), content_type="application/pdf"),
            "grille": SimpleUploadedFile("g.pdf", pdf("grille"), content_type="application/pdf"),
        },
    )
    assert reponse.status_code == 302
    assert Sujet.objects.get().code == "WP-01"
    page = client.get(url).content.decode()
    assert "Non diffusable" in page
    assert "1 sujet WordPress, 0 sujet PrestaShop" in page
    # Un faux PDF est refusé avec le message du domaine.
    reponse = client.post(
        url,
        {
            "code": "PS-01",
            "support": "prestashop",
            "sujet": SimpleUploadedFile("x.pdf", b"<html>", content_type="application/pdf"),
        },
    )
    assert reponse.status_code == 200
    assert "n&#x27;est pas un PDF" in reponse.content.decode()
    # La diffusion d'une banque déséquilibrée est refusée, avec un message.
    reponse = client.post(reverse("sujets:diffuser") + f"?session={cs.session.code}", follow=True)
    assert "Diffusion refusée" in reponse.content.decode()


@pytest.mark.parametrize(("persona", "statut"), [("x5", 200), ("x1", 403), ("chef", 403), ("candidat", 403)])
def test_la_fiche_sujet_est_ecrite_par_la_commission_du_candidat(cs: CentreSujets, persona: str, statut: int) -> None:
    url = reverse("sujets:fiche_sujet", args=[cs.candidats["C1"].pk])
    assert _client(cs, persona).get(url).status_code == statut


def test_la_commission_redige_puis_valide_la_fiche(cs: CentreSujets) -> None:
    client = _client(cs, "x5")
    c1 = cs.candidats["C1"]
    url = reverse("sujets:fiche_sujet", args=[c1.pk])
    activite = c1.dossiers.get(epreuve="E4").fiches.order_by("pk").first()
    donnees = {
        "activite": activite.pk,
        "contexte": "",
        "parametres": "Budget réduit\nSalon avancé",
        "role_commission": "Le directeur",
        "action": "valider",
    }
    assert client.post(url, donnees).status_code == 302
    fiche = FicheSujet.objects.get(candidat=c1)
    assert (fiche.statut, fiche.parametres_modifies, fiche.redigee_par) == (
        "prete",
        ["Budget réduit", "Salon avancé"],
        "x5",
    )
    page = client.get(url).content.decode()
    assert "Rouvrir pour la corriger" in page
    assert client.post(url, {"action": "rouvrir"}).status_code == 302
    fiche.refresh_from_db()
    assert fiche.statut == "brouillon"


@pytest.mark.parametrize(
    ("persona", "statut"),
    [("pilote", 200), ("chef", 200), ("x1", 403), ("candidat", 403), ("etablissement", 403)],
)
def test_les_pieces_du_candidat_pour_le_pilotage(cs: CentreSujets, persona: str, statut: int) -> None:
    url = reverse("sujets:pieces", args=[cs.candidats["C1"].pk])
    reponse = _client(cs, persona).get(url)
    assert reponse.status_code == statut
    if statut == 200:
        assert "Sujet E5B reçu" in reponse.content.decode()


def test_le_pdf_du_sujet_se_lit_pendant_le_passage_seulement(cs: CentreSujets, settings: object) -> None:
    remplir_banque(cs.session, wordpress=3, prestashop=3)
    diffuser_banque(session=cs.session, par="pilote", notifier_academies=False)
    attribuer_sujets(session=cs.session, par="pilote", appliquer=True, maintenant=paris(1, 9))
    url = reverse("sujets:sujet_du_passage", args=[cs.passages["E5B-1"].pk])
    assert _client(cs, "x1").get(url).status_code == 403  # hors du passage (aujourd'hui)
    assert _client(cs, "x3").get(url).status_code == 403  # autre commission
    reponse = _client(cs, "pilote").get(url)
    assert reponse.status_code == 200
    assert reponse["Content-Type"] == "application/pdf"
    assert reponse["Cache-Control"] == "no-store"
    assert reponse.content.startswith(b"%PDF-")
    assert list(Consultation.objects.values_list("acteur", "role")) == [("pilote", "gestionnaire")]
    page = _client(cs, "chef").get(reverse("sujets:pieces", args=[cs.candidats["C1"].pk])).content.decode()
    cs.passages["E5B-1"].refresh_from_db()
    assert f"{cs.passages['E5B-1'].sujet} (version 1)" in page
    assert "lu par pilote (gestionnaire)" in page
