"""Pages des sujets ajoutées à la banque et aux pièces : dépôt de la fiche d'engagement (candidat, établissement,
gestionnaire), préparation des postes E5B (chef de centre), attribution des sujets et son journal (académie),
préparation des centres et fiches-sujets manquantes, et les alertes du tableau de bord. Pour chaque page : qui
l'ouvre (200), qui n'en a pas le rôle (403), ce qui est hors du périmètre (404)."""

from __future__ import annotations

import datetime as dt
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
from examens.apps.sujets.selectors import bilan_fiches_manquantes, pieces_du_candidat
from examens.apps.sujets.services import (
    declarer_postes,
    deposer_fiche_engagement,
    diffuser_banque,
    editer_fiche_sujet,
    publier_contexte_numerique,
    rediger_fiche_sujet,
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
    assert "Postes E5B" not in page
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
