"""Pages des sujets ajoutées à la banque et aux pièces : dépôt de la fiche d'engagement (candidat, établissement,
gestionnaire), préparation des postes E5B (chef de centre), attribution des sujets et son journal (académie),
préparation des centres et fiches-sujets manquantes, les alertes du tableau de bord, la fiche-sujet E4 lue hors de
sa commission (journalisée, dans « qui a vu »), les accords des compteurs et l'entrée « Sujets et pièces » du menu
selon la persona. Pour chaque page : qui l'ouvre (200), qui n'en a pas le rôle (403), ce qui est hors du périmètre
(404)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from fabriques_sujets import CentreSujets, centre_sujets, paris, pdf, remplir_banque, uai

from examens.apps.comptes.services import habiliter
from examens.apps.historique.models import Trace
from examens.apps.jury.anonymat import numero_anonyme
from examens.apps.jury.models import Jury
from examens.apps.organisation.models import Academie, Centre, ExamSession, Salle
from examens.apps.sujets.models import (
    AttributionSujet,
    Consultation,
    ContexteNumerique,
    FicheEngagement,
    PosteE5B,
    ReglagesSujets,
    SignaturePostes,
)
from examens.apps.sujets.selectors import bilan_fiches_manquantes, delai_fiche_sujet, pieces_du_candidat
from examens.apps.sujets.services import (
    consulter_fiche_sujet,
    declarer_postes,
    deposer_fiche_engagement,
    diffuser_banque,
    editer_fiche_sujet,
    publier_contexte_numerique,
    rediger_fiche_sujet,
    remettre_fiche_sujet,
    signer_preparation_postes,
    valider_fiche_sujet,
    verifier_poste,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def cs(session: ExamSession, clermont: Academie) -> CentreSujets:
    """Le centre des sujets, plus : le compte du candidat C8 (inscrit à l'engagement étudiant), un gestionnaire
    de l'académie de Lyon (hors du périmètre du centre) et un second centre de l'académie pilote."""
    cs = centre_sujets(session, clermont)
    modele = get_user_model()
    lyon = Academie.objects.create(code="lyon", nom="Lyon")
    cs.utilisateurs["candidat8"] = modele.objects.create_user("candidat8", "c8@exemple.fr", None)
    habiliter(
        utilisateur=cs.utilisateurs["candidat8"],
        role="candidat",
        session=session,
        perimetre=cs.candidats["C8"],
        acteur="test",
    )
    cs.utilisateurs["lyon"] = modele.objects.create_user("dec-lyon", "lyon@exemple.fr", None)
    habiliter(utilisateur=cs.utilisateurs["lyon"], role="gestionnaire", session=session, perimetre=lyon, acteur="t")
    Centre.objects.create(academie=clermont, code=uai(2), nom="Lycée Blaise-Pascal", ville="Clermont-Ferrand")
    return cs


def client(cs: CentreSujets, persona: str | None) -> Client:
    c = Client()
    if persona is not None:
        c.force_login(cs.utilisateurs[persona])
    return c


def adresse(nom: str, cs: CentreSujets, *args: Any) -> str:
    return f"{reverse(nom, args=args)}?session={cs.session.code}"


def autre_centre() -> Centre:
    return Centre.objects.get(nom="Lycée Blaise-Pascal")


PERSONAS = (None, "pilote", "lyon", "chef", "x1", "x7", "candidat", "candidat8", "etablissement")

# Une ligne par page ; colonnes dans l'ordre de PERSONAS :
#   anonyme, pilote, Lyon, chef de centre, X1 (K05), X7 (K02, engagement), candidat C1, candidat C8, établissement
MATRICE: dict[str, tuple[Any, tuple[int, ...]]] = {
    "fiche d'engagement de C8": (
        lambda cs: adresse("sujets:engagement", cs, cs.candidats["C8"].pk),
        (302, 200, 404, 403, 404, 403, 404, 200, 200),
    ),
    "attribution des sujets": (
        lambda cs: adresse("sujets:attribution", cs),
        (302, 200, 403, 403, 403, 403, 403, 403, 403),
    ),
    "journal d'attribution": (
        lambda cs: adresse("sujets:journal", cs),
        (302, 200, 200, 403, 403, 403, 403, 403, 403),
    ),
    "préparation des centres": (
        lambda cs: adresse("sujets:centres", cs),
        (302, 200, 200, 200, 403, 403, 403, 403, 403),
    ),
    "postes E5B du centre": (
        lambda cs: adresse("sujets:postes", cs, cs.centre.pk),
        (302, 200, 404, 200, 403, 403, 403, 403, 403),
    ),
    "postes E5B d'un autre centre": (
        lambda cs: adresse("sujets:postes", cs, autre_centre().pk),
        (302, 200, 404, 404, 403, 403, 403, 403, 403),
    ),
    "fiches-sujets manquantes du centre": (
        lambda cs: adresse("sujets:fiches_manquantes", cs, cs.centre.pk),
        (302, 200, 404, 200, 403, 403, 403, 403, 403),
    ),
}


@pytest.mark.parametrize(
    ("page", "persona", "attendu"),
    [
        pytest.param(page, persona, code, id=f"{page} — {persona or 'anonyme'}")
        for page, (_, codes) in MATRICE.items()
        for persona, code in zip(PERSONAS, codes, strict=True)
    ],
)
def test_qui_ouvre_les_pages(cs: CentreSujets, page: str, persona: str | None, attendu: int) -> None:
    url = MATRICE[page][0](cs)
    assert client(cs, persona).get(url).status_code == attendu


# --------------------------------------------------------------------------- fiche d'engagement


def test_l_etablissement_depose_la_fiche_d_engagement(cs: CentreSujets) -> None:
    c8 = cs.candidats["C8"]
    etab = client(cs, "etablissement")
    url = adresse("sujets:engagement", cs, c8.pk)
    page = etab.get(url).content.decode()
    assert "manquante" in page
    assert "Sans fiche, l'épreuve ne peut pas se dérouler" in page
    assert "non fixée par l'académie" in page
    # Un fichier qui n'est pas un PDF est refusé, avec le message du domaine, et rien n'est déposé.
    reponse = etab.post(url, {"fiche": SimpleUploadedFile("fiche.pdf", b"PK\x03\x04 docx", "application/pdf")})
    assert reponse.status_code == 200
    assert "Fiche d&#x27;engagement étudiant : ce fichier n&#x27;est pas un PDF" in reponse.content.decode()
    assert not FicheEngagement.objects.exists()
    assert "Choisissez le fichier PDF" in etab.post(url, {}).content.decode()
    # Un vrai PDF : déposé au nom de l'établissement, tracé.
    reponse = etab.post(url, {"fiche": SimpleUploadedFile("fiche.pdf", pdf("engagement"), "application/pdf")})
    assert reponse.status_code == 302
    fiche = FicheEngagement.objects.get()
    assert (fiche.candidat_id, fiche.deposant, fiche.deposee_par, fiche.version) == (
        c8.pk,
        "etablissement",
        "etablissement",
        1,
    )
    assert Trace.objects.pour("sujets.ficheengagement", fiche.pk).count() == 1
    page = etab.get(url).content.decode()
    assert "déposée" in page
    assert "version 1" in page
    assert "Sans fiche" not in page
    assert "Remplacer la fiche" in page
    # L'établissement relit la fiche déposée : la lecture est journalisée.
    lu = etab.get(adresse("sujets:fiche_engagement", cs, c8.pk))
    assert lu.content.startswith(b"%PDF-")
    assert lu["Cache-Control"] == "no-store"
    assert list(Consultation.objects.values_list("acteur", "role", "piece")) == [
        ("etablissement", "etablissement", "fiche_engagement")
    ]


def test_le_candidat_depose_sa_fiche_et_la_date_limite_ferme_le_depot(cs: CentreSujets) -> None:
    c8 = cs.candidats["C8"]
    moi = client(cs, "candidat8")
    url = adresse("sujets:engagement", cs, c8.pk)
    assert moi.post(url, {"fiche": SimpleUploadedFile("f.pdf", pdf(), "application/pdf")}).status_code == 302
    assert FicheEngagement.objects.get().deposant == "candidat"
    ReglagesSujets.objects.create(session=cs.session, limite_fiches_engagement=dt.date(2022, 4, 30))
    page = moi.get(url).content.decode()
    assert "30 avril 2022 (passée)" in page
    assert "La date limite de dépôt est passée" in page
    assert "Déposer la fiche" not in page
    reponse = moi.post(url, {"fiche": SimpleUploadedFile("f.pdf", pdf("v2"), "application/pdf")})
    assert "(30/04/2022) est passée" in reponse.content.decode()
    assert FicheEngagement.objects.count() == 1
    # Le gestionnaire dépose encore après la date limite.
    pilote = client(cs, "pilote")
    assert pilote.post(url, {"fiche": SimpleUploadedFile("f.pdf", pdf("v2"), "application/pdf")}).status_code == 302
    assert list(FicheEngagement.objects.order_by("version").values_list("version", "deposant")) == [
        (1, "candidat"),
        (2, "gestionnaire"),
    ]


def test_un_candidat_non_inscrit_n_a_pas_de_fiche_a_deposer(cs: CentreSujets) -> None:
    page = client(cs, "candidat").get(adresse("sujets:engagement", cs, cs.candidats["C1"].pk)).content.decode()
    assert "n'est pas inscrit à l'épreuve facultative" in page
    assert "<form" not in page.split("<main", 1)[1]


def test_les_espaces_menent_au_depot_de_la_fiche(cs: CentreSujets) -> None:
    c1, c8 = cs.candidats["C1"], cs.candidats["C8"]
    lien_c8 = reverse("sujets:engagement", args=[c8.pk])
    espace = client(cs, "candidat8").get(reverse("web:espace_candidat")).content.decode()
    assert lien_c8 in espace
    assert "Ma fiche d'engagement étudiant" in espace
    assert "engagement" not in client(cs, "candidat").get(reverse("web:espace_candidat")).content.decode()
    etab = client(cs, "etablissement")
    assert lien_c8 in etab.get(reverse("web:etablissement_candidat", args=[c8.pk])).content.decode()
    assert "/engagement/" not in etab.get(reverse("web:etablissement_candidat", args=[c1.pk])).content.decode()


# --------------------------------------------------------------------------- postes E5B


def test_le_chef_de_centre_prepare_verifie_et_signe_les_postes(cs: CentreSujets) -> None:
    chef = client(cs, "chef")
    url = adresse("sujets:postes", cs, cs.centre.pk)
    salle = Salle.objects.get(centre=cs.centre, type=Salle.Type.INFORMATIQUE)
    assert "Aucun poste E5B déclaré" in chef.get(url).content.decode()
    reponse = chef.post(url, {"action": "declarer", "noms": "Info1-P01\n\nInfo1-P02\n", "salle": salle.pk})
    assert reponse.status_code == 302
    postes = {p.nom: p for p in PosteE5B.objects.filter(centre=cs.centre)}
    assert sorted(postes) == ["Info1-P01", "Info1-P02"]
    assert (
        "Donnez le nom d&#x27;au moins un poste" in chef.post(url, {"action": "declarer", "noms": " "}).content.decode()
    )
    # Sans contexte national publié, il n'y a rien à vérifier : message, rien n'est écrit.
    reponse = chef.post(url, {"action": "verifier", "poste": postes["Info1-P01"].pk, "wordpress": "on"}, follow=True)
    assert "contexte numérique national de l&#x27;E5B n&#x27;est pas publié" in reponse.content.decode()
    # L'académie pilote publie le contexte depuis la page de la banque.
    pilote = client(cs, "pilote")
    donnees = {"version": "2022.1", "wordpress": "wp-2022.zip", "prestashop": "ps-2022.zip"}
    assert pilote.post(adresse("sujets:contexte", cs), donnees).status_code == 302
    assert ContexteNumerique.objects.get().version == "2022.1"
    assert client(cs, "chef").post(adresse("sujets:contexte", cs), donnees).status_code == 403

    p1, p2 = postes["Info1-P01"], postes["Info1-P02"]
    chef.post(url, {"action": "verifier", "poste": p1.pk, "wordpress": "on", "prestashop": "on"})
    chef.post(
        url, {"action": "verifier", "poste": p2.pk, "wordpress": "on", "observations": "PrestaShop ne démarre pas"}
    )
    p1.refresh_from_db()
    p2.refresh_from_db()
    assert (p1.etat, p1.contexte_version, p1.verifie_par) == ("pret", "2022.1", "chef")
    assert (p2.etat, p2.prestashop_ok, p2.observations) == ("en_panne", False, "PrestaShop ne démarre pas")
    reponse = chef.post(url, {"action": "signer"}, follow=True)
    assert "Liste de contrôle signée : 1 poste(s) prêt(s) sur 2 déclaré(s)." in reponse.content.decode()
    page = reponse.content.decode()
    assert "1 poste(s) sur 2 pas prêt(s)" in page
    assert "PrestaShop ne démarre pas" in page
    assert SignaturePostes.objects.get().signee_par == "chef"
    # Un poste d'un autre centre ne se vérifie pas d'ici.
    (ailleurs,) = declarer_postes(session=cs.session, centre=autre_centre(), noms=["Z1"], par="pilote")
    assert chef.post(url, {"action": "verifier", "poste": ailleurs.pk, "wordpress": "on"}).status_code == 404
    assert chef.post(url, {"action": "verifier", "poste": "P1'--"}).status_code == 404

    # Le gestionnaire lit la page, sans formulaire ; il n'écrit pas.
    lecture = pilote.get(url).content.decode()
    assert "Info1-P02" in lecture
    assert "Enregistrer la vérification" not in lecture
    assert "Signer la liste de contrôle" not in lecture
    assert pilote.post(url, {"action": "signer"}).status_code == 403
    assert SignaturePostes.objects.count() == 1


# --------------------------------------------------------------------------- attribution et journal


def test_simulation_puis_attribution_puis_journal(cs: CentreSujets) -> None:
    remplir_banque(cs.session, wordpress=3, prestashop=3)
    pilote = client(cs, "pilote")
    url = adresse("sujets:attribution", cs)
    page = pilote.get(url).content.decode()
    assert "La banque n'est pas diffusée" in page
    assert "Simulation" not in page
    assert "Attribution refusée" not in page
    reponse = pilote.get(url + "&simuler=1", follow=True)
    assert "n&#x27;est pas diffusée : diffusez-la d&#x27;abord" in reponse.content.decode()
    diffuser_banque(session=cs.session, par="pilote", notifier_academies=False)

    simulation = pilote.get(url + f"&simuler=1&centre={cs.centre.pk}").content.decode()
    assert "Simulation — Lycée Jean-Zay" in simulation
    assert simulation.count("nouvelle</span>") == 6
    assert "30/05/2022 08:00" in simulation  # heure du centre
    assert "Appliquer l'attribution" in simulation
    assert not AttributionSujet.objects.exists()  # une simulation n'écrit rien

    reponse = pilote.post(url, {"centre": cs.centre.pk})
    assert reponse.status_code == 302
    assert reponse["Location"] == adresse("sujets:journal", cs) + f"&centre={cs.centre.pk}"
    assert AttributionSujet.objects.filter(remplacee_le__isnull=True).count() == 6
    assert Trace.objects.filter(objet_type="sujets.attribution").count() == 1

    journal = pilote.get(reponse["Location"]).content.decode()
    assert "Attributions (6)" in journal
    assert journal.count("en vigueur</span>") == 6
    assert "par pilote" in journal
    c1 = cs.candidats["C1"]
    filtre = pilote.get(adresse("sujets:journal", cs) + f"&candidat={c1.numero}").content.decode()
    assert "Attributions (1)" in filtre
    assert reverse("sujets:pieces", args=[c1.pk]) in filtre
    inconnu = pilote.get(adresse("sujets:journal", cs) + "&candidat=99-999999").content.decode()
    assert "Aucun candidat n° 99-999999 dans votre périmètre." in inconnu
    assert "Attributions (0)" in inconnu
    # L'usage des sujets (session suivante) : pour l'académie pilote.
    assert "Usage des sujets de la banque" in journal
    # Une académie ne voit que les attributions de ses centres.
    lyon = client(cs, "lyon").get(adresse("sujets:journal", cs)).content.decode()
    assert "Attributions (0)" in lyon
    assert "Usage des sujets" not in lyon


def test_le_journal_se_lit_en_un_nombre_constant_de_requetes(cs: CentreSujets) -> None:
    from examens.apps.sujets.services import attribuer_sujets

    pilote = client(cs, "pilote")
    url = adresse("sujets:journal", cs)

    def requetes() -> int:
        with CaptureQueriesContext(connection) as capture:
            assert pilote.get(url).status_code == 200
        return len(capture)

    remplir_banque(cs.session, wordpress=3, prestashop=3)
    diffuser_banque(session=cs.session, par="pilote", notifier_academies=False)
    attribuer_sujets(session=cs.session, par="pilote", appliquer=True, maintenant=paris(1, 9))
    avec_6 = requetes()
    # Des attributions anciennes (remplacées) restent au journal : 30 lignes de plus, pas une requête de plus.
    anciennes = []
    for a in AttributionSujet.objects.all():
        for k in range(5):
            a.pk, a.remplacee_le = None, paris(1, 9) + dt.timedelta(minutes=k)
            anciennes.append(AttributionSujet(**{f.attname: getattr(a, f.attname) for f in a._meta.concrete_fields}))
    AttributionSujet.objects.bulk_create(anciennes)
    assert AttributionSujet.objects.count() == 36
    assert requetes() == avec_6


# --------------------------------------------------------------------------- centres, fiches-sujets, tableau de bord


def _passages_e4_a_venir(cs: CentreSujets) -> None:
    """Les deux passages E4 (C1, C7) placés autour de maintenant : celui de C1 a commencé il y a deux heures (sa
    fiche devait être prête la veille : en retard), celui de C7 a lieu dans dix jours."""
    maintenant = timezone.now()
    for cle, debut in (("E4-1", maintenant - dt.timedelta(hours=2)), ("E4-2", maintenant + dt.timedelta(days=10))):
        p = cs.passages[cle]
        p.debut_preparation, p.debut, p.fin = debut - dt.timedelta(minutes=40), debut, debut + dt.timedelta(days=1)
        p.save()


def test_bilan_des_fiches_sujets_manquantes(cs: CentreSujets) -> None:
    centres = Centre.objects.all()
    avant = bilan_fiches_manquantes(session=cs.session, centres=centres, maintenant=paris(20, 9))
    assert (avant.manquantes, avant.en_retard, avant.centres) == (2, 0, (cs.centre.pk,))
    veille = bilan_fiches_manquantes(session=cs.session, centres=centres, maintenant=paris(29, 23))
    assert (veille.manquantes, veille.en_retard) == (2, 0)  # prêtes au plus tard la veille : encore à l'heure
    jour = bilan_fiches_manquantes(session=cs.session, centres=centres, maintenant=paris(30, 7))
    assert (jour.manquantes, jour.en_retard) == (2, 2)
    fiche = rediger_fiche_sujet(
        candidat=cs.candidats["C1"],
        activite=cs.candidats["C1"].dossiers.get(epreuve="E4").fiches.first(),
        parametres_modifies=["Budget réduit"],
        role_commission="Le client",
        par="x5",
    )
    assert bilan_fiches_manquantes(session=cs.session, centres=centres, maintenant=paris(30, 7)).manquantes == 2
    valider_fiche_sujet(fiche=fiche, par="x5")
    assert bilan_fiches_manquantes(session=cs.session, centres=centres, maintenant=paris(30, 7)).manquantes == 1
    apres = bilan_fiches_manquantes(session=cs.session, centres=centres, maintenant=paris(31, 9))
    assert apres.manquantes == 0  # passages finis
    ReglagesSujets.objects.create(session=cs.session, fiche_sujet_jours_avant=3)
    reglee = bilan_fiches_manquantes(session=cs.session, centres=centres, maintenant=paris(28, 9))
    assert (reglee.manquantes, reglee.en_retard, reglee.jours_avant) == (1, 1, 3)
    ailleurs = bilan_fiches_manquantes(
        session=cs.session, centres=Centre.objects.exclude(pk=cs.centre.pk), maintenant=paris(28, 9)
    )
    assert ailleurs.manquantes == 0


def test_les_alertes_du_tableau_de_bord(cs: CentreSujets) -> None:
    _passages_e4_a_venir(cs)
    for persona in ("pilote", "chef"):
        page = client(cs, persona).get(reverse("web:tableau_de_bord")).content.decode()
        assert "Postes E5B pas prêts : Lycée Jean-Zay" in page, persona
        assert f"Lycée Jean-Zay ({cs.centre.code}) : aucun poste E5B déclaré" in page
        assert adresse("sujets:postes", cs, cs.centre.pk) in page.replace("&amp;", "&")
        assert "2 candidat(s) convoqué(s) à l&#x27;E4 sans fiche-sujet prête" in page
        assert "pour 1 d&#x27;entre eux, elle devait être prête la veille de l&#x27;épreuve au plus tard" in page
        assert adresse("sujets:fiches_manquantes", cs, cs.centre.pk) in page.replace("&amp;", "&")
    # Ni l'établissement ni un gestionnaire d'une autre académie n'ont ces alertes.
    for persona in ("etablissement", "lyon"):
        page = client(cs, persona).get(reverse("web:tableau_de_bord")).content.decode()
        assert "Postes E5B" not in page, persona
        assert "fiche-sujet" not in page, persona

    # Postes prêts et liste signée, fiches prêtes : plus d'alerte.
    publier_contexte_numerique(session=cs.session, version="1", wordpress="wp", prestashop="ps", par="pilote")
    for p in declarer_postes(session=cs.session, centre=cs.centre, noms=["P1"], par="chef"):
        verifier_poste(poste=p, wordpress_ok=True, prestashop_ok=True, par="chef")
    signer_preparation_postes(session=cs.session, centre=cs.centre, par="chef")
    for c in ("C1", "C7"):
        candidat = cs.candidats[c]
        fiche = rediger_fiche_sujet(
            candidat=candidat,
            activite=candidat.dossiers.get(epreuve="E4").fiches.first(),
            parametres_modifies=["Budget réduit"],
            role_commission="Le client",
            par="x5",
        )
        valider_fiche_sujet(fiche=fiche, par="x5")
    page = client(cs, "chef").get(reverse("web:tableau_de_bord")).content.decode()
    assert "Postes E5B pas prêts" not in page  # (le menu garde son entrée « Postes E5B du centre »)
    assert "sans fiche-sujet prête" not in page


def test_la_preparation_des_centres_et_les_fiches_manquantes(cs: CentreSujets) -> None:
    _passages_e4_a_venir(cs)
    page = client(cs, "pilote").get(adresse("sujets:centres", cs)).content.decode()
    assert "Lycée Jean-Zay" in page
    assert "Lycée Blaise-Pascal" not in page  # aucun candidat n'y compose
    assert "aucun poste E5B déclaré" in page
    assert "2 candidats" in page
    fiches = client(cs, "chef").get(adresse("sujets:fiches_manquantes", cs, cs.centre.pk)).content.decode()
    assert cs.candidats["C1"].numero in fiches
    assert cs.candidats["C7"].numero in fiches
    assert fiches.count("en retard</span>") == 1
    assert "Aucune fiche-sujet" in fiches


# --------------------------------------------------------------------------- pièces du candidat


def test_les_pieces_disent_qui_a_vu_chaque_piece(cs: CentreSujets) -> None:
    from examens.apps.editions.services import enregistrer_telechargement
    from examens.apps.sujets.services import consulter_fiche_engagement

    c1, c8 = cs.candidats["C1"], cs.candidats["C8"]
    fiche = rediger_fiche_sujet(
        candidat=c1,
        activite=c1.dossiers.get(epreuve="E4").fiches.first(),
        parametres_modifies=["Budget réduit"],
        role_commission="Le client",
        par="x5",
    )
    version = editer_fiche_sujet(fiche=valider_fiche_sujet(fiche=fiche, par="x5"), par="x5")
    enregistrer_telechargement(version=version, par="chef")
    (lecture,) = pieces_du_candidat(c1).fiche_sujet_e4.lectures  # type: ignore[union-attr]
    assert (lecture.acteur, lecture.role, lecture.piece) == (
        "chef",
        "téléchargement",
        "fiche-sujet E4 (PDF, version 1)",
    )
    page = client(cs, "pilote").get(adresse("sujets:pieces", cs, c1.pk)).content.decode()
    assert "Fiche-sujet E4 (PDF, version 1) — téléchargement à chef le" in page

    deposer_fiche_engagement(candidat=c8, contenu=pdf(), par="etablissement", deposant="etablissement")
    consulter_fiche_engagement(utilisateur=cs.utilisateurs["x7"], candidat=c8, maintenant=paris(31, 10))
    pilote = client(cs, "pilote").get(adresse("sujets:pieces", cs, c8.pk)).content.decode()
    assert "Fiche d&#x27;engagement étudiant lue par x7 (examinateur) le 31 mai 2022" in pilote
    assert reverse("sujets:fiche_engagement", args=[c8.pk]) in pilote  # le gestionnaire la lit (journalisé)
    assert reverse("sujets:engagement", args=[c8.pk]) in pilote
    chef = client(cs, "chef").get(adresse("sujets:pieces", cs, c8.pk)).content.decode()
    assert "lue par x7" in chef
    assert reverse("sujets:fiche_engagement", args=[c8.pk]) not in chef  # le chef de centre ne la lit pas


def test_postes_et_centres_se_lisent_en_un_nombre_constant_de_requetes(cs: CentreSujets) -> None:
    chef = client(cs, "chef")
    pages = [adresse("sujets:postes", cs, cs.centre.pk), adresse("sujets:centres", cs)]

    def requetes() -> list[int]:
        comptes = []
        for url in pages:
            with CaptureQueriesContext(connection) as capture:
                assert chef.get(url).status_code == 200
            comptes.append(len(capture))
        return comptes

    publier_contexte_numerique(session=cs.session, version="1", wordpress="wp", prestashop="ps", par="pilote")
    declarer_postes(session=cs.session, centre=cs.centre, noms=["P1"], par="chef")
    avec_1 = requetes()
    for p in declarer_postes(session=cs.session, centre=cs.centre, noms=[f"P{k}" for k in range(2, 21)], par="chef"):
        verifier_poste(poste=p, wordpress_ok=True, prestashop_ok=int(p.nom[1:]) % 2 == 0, par="chef")
    signer_preparation_postes(session=cs.session, centre=cs.centre, par="chef")
    assert PosteE5B.objects.count() == 20
    assert requetes() == avec_1


# --------------------------------------------------------------------------- fiche-sujet E4 lue hors de sa commission


def _fiche_prete(cs: CentreSujets, c: str = "C1") -> Any:
    candidat = cs.candidats[c]
    fiche = rediger_fiche_sujet(
        candidat=candidat,
        activite=candidat.dossiers.get(epreuve="E4").fiches.first(),
        parametres_modifies=["Le budget du salon est réduit de 30 %"],
        role_commission="Le jury joue la directrice du magasin.",
        par="x5",
    )
    return valider_fiche_sujet(fiche=fiche, par="x5")


def _presidente(cs: CentreSujets) -> Any:
    """La présidente du jury qui délibère les candidats du centre."""
    jury = Jury.objects.create(session=cs.session, nom="Jury 1 — Clermont-Ferrand", president="Mme DURAND")
    jury.centres.set([cs.centre])
    u = get_user_model().objects.create_user("presidente", "presidente@exemple.fr", None)
    habiliter(utilisateur=u, role="president_jury", session=cs.session, perimetre=jury, acteur="test")
    cs.utilisateurs["presidente"] = u
    return u


@pytest.mark.parametrize(
    ("persona", "attendu"),
    [
        (None, 302),
        ("pilote", 200),
        ("lyon", 404),  # un gestionnaire hors du périmètre du candidat
        ("chef", 200),
        ("presidente", 200),
        ("x5", 403),  # la commission qui la rédige : par sa page de rédaction, sans journal
        ("x1", 403),  # une autre commission
        ("candidat", 403),  # le candidat la reçoit sur papier, en loge
        ("etablissement", 403),
    ],
)
def test_qui_lit_la_fiche_sujet_a_l_ecran(cs: CentreSujets, persona: str | None, attendu: int) -> None:
    _presidente(cs)
    remettre_fiche_sujet(fiche=_fiche_prete(cs), par="x5")  # même remise en loge, le candidat ne la lit pas ici
    reponse = client(cs, persona).get(adresse("sujets:lecture_fiche_sujet", cs, cs.candidats["C1"].pk))
    assert reponse.status_code == attendu
    lectures = list(Consultation.objects.values_list("acteur", "piece"))
    if attendu == 200:
        assert "Le budget du salon est réduit de 30 %" in reponse.content.decode()
        assert reponse["Cache-Control"] == "no-store"
        assert lectures == [(cs.utilisateurs[persona].get_username(), "fiche_sujet_e4")]
    else:
        assert "réduit de 30" not in reponse.content.decode()
        assert lectures == []  # un refus ne journalise rien


def test_la_lecture_de_la_fiche_sujet_est_journalisee_et_montree_dans_qui_a_vu(cs: CentreSujets) -> None:
    presidente = _presidente(cs)
    c1 = cs.candidats["C1"]
    _fiche_prete(cs)
    # La commission rédige et relit sa fiche sans laisser de lecture au journal.
    assert client(cs, "x5").get(reverse("sujets:fiche_sujet", args=[c1.pk])).status_code == 200
    assert consulter_fiche_sujet(utilisateur=cs.utilisateurs["x5"], candidat=c1).candidat_id == c1.pk
    assert not Consultation.objects.exists()
    # La page des pièces ne montre pas le contenu : elle mène à la lecture journalisée.
    pieces = client(cs, "chef").get(adresse("sujets:pieces", cs, c1.pk)).content.decode()
    assert reverse("sujets:lecture_fiche_sujet", args=[c1.pk]) in pieces
    assert "réduit de 30" not in pieces
    assert not Consultation.objects.exists()

    client(cs, "chef").get(adresse("sujets:lecture_fiche_sujet", cs, c1.pk))
    consulter_fiche_sujet(utilisateur=presidente, candidat=c1, maintenant=paris(30, 12, 5))
    client(cs, "pilote").get(adresse("sujets:lecture_fiche_sujet", cs, c1.pk))
    lignes = list(
        Consultation.objects.order_by("id").values_list(
            "acteur", "role", "piece", "candidat_numero", "commission", "passage_id", "sujet_id"
        )
    )
    e4 = cs.passages["E4-1"].pk
    assert lignes == [
        ("chef", "chef_de_centre", "fiche_sujet_e4", c1.numero, "K01", e4, None),
        ("presidente", "president_jury", "fiche_sujet_e4", c1.numero, "K01", e4, None),
        ("pilote", "gestionnaire", "fiche_sujet_e4", c1.numero, "K01", e4, None),
    ]
    # « Qui a vu » de la page des pièces, dans l'ordre des lectures (celle de la présidente, datée du 30 mai 2022,
    # vient avant les deux autres, faites maintenant).
    consultations = pieces_du_candidat(c1).fiche_sujet_e4.consultations  # type: ignore[union-attr]
    assert [(x.acteur, x.qualite, x.piece) for x in consultations] == [
        ("presidente", "président de jury", "fiche-sujet E4"),
        ("chef", "chef de centre", "fiche-sujet E4"),
        ("pilote", "gestionnaire", "fiche-sujet E4"),
    ]
    page = client(cs, "presidente").get(adresse("sujets:pieces", cs, c1.pk)).content.decode()
    assert "Fiche-sujet E4 lue par presidente (président de jury) le 30 mai 2022 à 12:05:00" in page
    # Le jury délibère sur des numéros d'anonymat : ni nom, ni numéro d'inscription pour la présidente.
    assert f"candidat anonyme {numero_anonyme(cs.session.code, c1.numero)}" in page
    assert c1.nom not in page
    assert c1.numero not in page
    lecture = client(cs, "presidente").get(adresse("sujets:lecture_fiche_sujet", cs, c1.pk)).content.decode()
    assert c1.nom not in lecture
    assert c1.numero not in lecture
    assert c1.nom in client(cs, "chef").get(adresse("sujets:pieces", cs, c1.pk)).content.decode()
    assert "Fiche-sujet E4 lue par chef (chef de centre) le" in page
    assert "Fiche-sujet E4 lue par pilote (gestionnaire) le" in page
    # Sans fiche rédigée (C7) : rien à lire, rien de journalisé.
    assert client(cs, "chef").get(adresse("sujets:lecture_fiche_sujet", cs, cs.candidats["C7"].pk)).status_code == 404
    assert Consultation.objects.count() == 4  # les trois lectures ci-dessus et la seconde de la présidente


# --------------------------------------------------------------------------- accords et délais


def test_les_compteurs_des_postes_s_accordent_des_zero_et_un(cs: CentreSujets) -> None:
    chef = client(cs, "chef")
    url = adresse("sujets:postes", cs, cs.centre.pk)
    assert "0 poste prêt sur 0 déclaré." in chef.get(url).content.decode()
    publier_contexte_numerique(session=cs.session, version="1", wordpress="wp", prestashop="ps", par="pilote")
    (p1,) = declarer_postes(session=cs.session, centre=cs.centre, noms=["P1"], par="chef")
    assert "0 poste prêt sur 1 déclaré." in chef.get(url).content.decode()
    verifier_poste(poste=p1, wordpress_ok=True, prestashop_ok=True, par="chef")
    signer_preparation_postes(session=cs.session, centre=cs.centre, par="chef")
    page = chef.get(url).content.decode()
    assert "1 poste prêt sur 1 déclaré." in page
    assert "par chef : 1 poste prêt sur 1" in page
    for p in declarer_postes(session=cs.session, centre=cs.centre, noms=["P2"], par="chef"):
        verifier_poste(poste=p, wordpress_ok=True, prestashop_ok=True, par="chef")
    signer_preparation_postes(session=cs.session, centre=cs.centre, par="chef")
    page = chef.get(url).content.decode()
    assert "2 postes prêts sur 2 déclarés." in page
    assert "par chef : 2 postes prêts sur 2" in page
    assert "postes prêt " not in page
    assert "poste prêts" not in page


@pytest.mark.parametrize(
    ("jours", "attendu"),
    [(0, "le jour de l'épreuve"), (1, "la veille de l'épreuve"), (2, "2 jours avant l'épreuve")],
)
def test_le_delai_des_fiches_sujets_se_dit_en_francais(cs: CentreSujets, jours: int, attendu: str) -> None:
    assert delai_fiche_sujet(jours) == attendu
    ReglagesSujets.objects.create(session=cs.session, fiche_sujet_jours_avant=jours)
    page = client(cs, "chef").get(adresse("sujets:fiches_manquantes", cs, cs.centre.pk)).content.decode()
    assert f"Une fiche est prête au plus tard {attendu}.".replace("'", "&#x27;") in page
    assert "jours avant de l" not in page


# --------------------------------------------------------------------------- le menu « Sujets et pièces »

# Pour chaque persona du monde des tests web (tests/personas.py) : les pages du sous-menu, dans l'ordre.
MENU_SUJETS: dict[str, Any] = {
    "anonyme": lambda m: None,
    "sans_habilitation": lambda m: None,
    "gestionnaire_pilote": lambda m: [
        "/sujets/banque/",
        "/sujets/attribution/",
        "/sujets/attribution/journal/",
        "/sujets/centres/",
    ],
    "gestionnaire_lyon": lambda m: ["/sujets/centres/", "/sujets/attribution/journal/"],
    "chef_de_centre": lambda m: [f"/sujets/centres/{m.c1.pk}/postes/", f"/sujets/centres/{m.c1.pk}/fiches-sujets/"],
    "examinateur": lambda m: None,  # ses fiches-sujets et sujets : depuis son espace
    "presidente": lambda m: None,
    "etablissement": lambda m: None,
    "candidat": lambda m: None,
}


def _menu(page: str) -> str:
    if 'id="navigation-principale"' not in page:
        return ""
    return page[page.index('id="navigation-principale"') :].split("</nav>", 1)[0]


def test_le_menu_sujets_couvre_toutes_les_personas() -> None:
    from personas import PERSONAS as DU_MONDE

    assert tuple(MENU_SUJETS) == DU_MONDE


@pytest.mark.parametrize("persona", list(MENU_SUJETS))
def test_l_entree_sujets_et_pieces_du_menu_selon_le_role(monde: Any, persona: str) -> None:
    navigateur = Client()
    if monde.utilisateur(persona) is not None:
        navigateur.force_login(monde.utilisateur(persona))
    menu = _menu(navigateur.get("/", follow=True).content.decode())
    attendu = MENU_SUJETS[persona](monde)
    if attendu is None:
        assert "Sujets et pièces" not in menu
        assert "/sujets/" not in menu
        return
    assert 'aria-controls="menu-sujets">Sujets et pièces</button>' in menu
    sous_menu = menu.split('id="menu-sujets"', 1)[1].split("</div>", 1)[0]
    liens = re.findall(r'href="([^"]+)"', sous_menu)
    assert [lien.split("?", 1)[0] for lien in liens] == attendu
    for lien in liens:
        assert lien.endswith(f"?session={monde.session.code}")
        assert navigateur.get(lien.replace("&amp;", "&")).status_code == 200, lien


def test_le_menu_signale_la_page_des_sujets_ouverte(monde: Any) -> None:
    navigateur = Client()
    navigateur.force_login(monde.utilisateur("gestionnaire_pilote"))
    menu = _menu(navigateur.get(f"/sujets/attribution/journal/?session={monde.session.code}").content.decode())
    assert 'aria-controls="menu-sujets" aria-current="true">Sujets et pièces</button>' in menu
    assert (
        f'href="/sujets/attribution/journal/?session={monde.session.code}" target="_self" aria-current="page">' in menu
    )
    assert menu.count('aria-current="page"') == 1
    assert 'aria-current="true"' not in _menu(navigateur.get("/").content.decode())


def test_l_examinateur_ouvre_ses_fiches_sujets_depuis_son_espace(monde: Any) -> None:
    """Pas de page « mes fiches-sujets » : l'espace examinateur mène à la fiche-sujet de chaque passage E4."""
    from web.oraux import oraux_publies

    o = oraux_publies(monde)
    navigateur = Client()
    navigateur.force_login(monde.utilisateur("examinateur"))
    espace = navigateur.get("/examinateur/").content.decode()
    for cle in ("E4-1", "E4-2"):
        lien = reverse("sujets:fiche_sujet", args=[o.passages[cle].candidat_id])
        assert f'href="{lien}"' in espace
        assert navigateur.get(lien).status_code == 200


def test_l_entree_sujets_du_menu_ne_coute_aucune_requete(monde: Any, django_assert_num_queries: Any) -> None:
    """Le menu est sur chaque page : l'entrée se lit sur les habilitations déjà chargées pour la requête."""
    from django.test import RequestFactory

    from examens.apps.comptes.permissions import habilitations_de
    from examens.apps.web.templatetags.web import _entree_sujets

    for persona, liens in (("gestionnaire_pilote", 4), ("gestionnaire_lyon", 2), ("chef_de_centre", 2)):
        requete = RequestFactory().get("/", {"session": monde.session.code})
        requete.user = monde.utilisateur(persona)
        habilitations_de(requete.user)  # chargées une fois par requête HTTP (le reste du menu les lit aussi)
        with django_assert_num_queries(0):
            entree = _entree_sujets(requete)
        assert entree is not None
        assert len(entree["liens"]) == liens
