"""Dans Chromium, les pages des sujets (`apps/sujets`, docs/sujets.md) : le gestionnaire de l'académie pilote
tient la banque E5B (indicateur d'équilibre WordPress/PrestaShop, dépôt d'un vrai PDF, diffusion) ; un membre
de la commission E4 rédige la fiche-sujet d'un candidat et la marque prête ; le gestionnaire lit les pièces
d'un candidat (sujet E5B reçu, fiche-sujet, lectures journalisées) ; un examinateur hors de la commission est
refusé ; l'établissement dépose la fiche d'engagement étudiant d'un candidat (faux PDF refusé, état « manquante »
puis « déposée »). Aucune violation d'accessibilité grave (axe-core) ni de la politique de sécurité du contenu ;
captures sujets-*.png dans docs/captures/web/ (EXAMENS_CAPTURES=1)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from apps.fabriques_sujets import CentreSujets, centre_sujets, paris, remplir_banque
from csp import violation_csp
from navigateur.test_parcours_navigateur import ouvrir_session, violations_graves
from web.outils_espaces import pdf_reel

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

# Les personas du centre des sujets (tests/apps/fabriques_sujets.py) qui se connectent par le formulaire.
CONNECTES = ("pilote", "chef", "x1", "x3", "x5", "etablissement")


def surveiller_csp(page: Any) -> list[str]:
    erreurs: list[str] = []
    page.on("console", lambda m: erreurs.append(m.text) if violation_csp(m) else None)
    return erreurs


@pytest.fixture
def centre(monde: Any) -> CentreSujets:
    """Le centre d'oraux des tests des sujets (planning publié, commissions E5B K05/K06, E4 K01), posé sur la
    session et l'académie pilote du monde des tests. Écrit avant le lancement du navigateur (voir
    navigateur/conftest.py) : à lister avant lui dans les arguments des tests.

    La fabrique crée ses propres comptes « candidat » et « établissement » : ceux du monde sont renommés
    (ces tests ne s'y connectent pas). Les comptes qui se connectent reçoivent le mot de passe du monde."""
    from django.contrib.auth import get_user_model

    modele = get_user_model()
    for nom in ("candidat", "etablissement"):
        modele.objects.filter(username=nom).update(username=f"{nom}-monde")
    cs = centre_sujets(monde.session, monde.clermont)
    for persona in CONNECTES:
        utilisateur = cs.utilisateurs[persona]
        utilisateur.set_password(monde.mot_de_passe)
        utilisateur.save(update_fields=["password"])
    return cs


@pytest.fixture
def banque_partielle(centre: CentreSujets) -> CentreSujets:
    """Deux sujets WordPress, un PrestaShop, avec leurs grilles : la banque n'est pas encore diffusable."""
    remplir_banque(centre.session, wordpress=2, prestashop=1)
    return centre


@pytest.fixture
def pieces_pretes(centre: CentreSujets) -> CentreSujets:
    """La banque complète diffusée et attribuée (comme tests/apps/test_sujets_web.py) ; le sujet du passage E5B
    de C1 lu par la gestionnaire pilote, puis par X1 pendant le passage ; la fiche-sujet E4 de C1 prête (X5)."""
    from examens.apps.sujets.services import (
        attribuer_sujets,
        consulter_sujet,
        diffuser_banque,
        rediger_fiche_sujet,
        valider_fiche_sujet,
    )

    cs = centre
    remplir_banque(cs.session, wordpress=3, prestashop=3)
    diffuser_banque(session=cs.session, par="pilote", notifier_academies=False)
    attribuer_sujets(session=cs.session, par="pilote", appliquer=True, maintenant=paris(1, 9))
    passage = cs.passages["E5B-1"]
    consulter_sujet(utilisateur=cs.utilisateurs["pilote"], passage=passage, maintenant=paris(29, 18))
    consulter_sujet(utilisateur=cs.utilisateurs["x1"], passage=passage, maintenant=paris(30, 8, 5))
    c1 = cs.candidats["C1"]
    activite = c1.dossiers.get(epreuve="E4").fiches.order_by("pk").last()
    fiche = rediger_fiche_sujet(
        candidat=c1,
        activite=activite,
        parametres_modifies=["Budget réduit de moitié"],
        role_commission="Le directeur du magasin",
        par="x5",
    )
    valider_fiche_sujet(fiche=fiche, par="x5")
    return cs


# --------------------------------------------------------------------------- parcours


def test_le_gestionnaire_pilote_depose_un_sujet_et_equilibre_la_banque(
    banque_partielle: CentreSujets, navigateur: Any, live_server: Any, monde: Any, captures: Path
) -> None:
    page = ouvrir_session(navigateur, live_server, "pilote", monde.mot_de_passe)
    erreurs_csp = surveiller_csp(page)
    page.goto("/sujets/banque/")
    assert page.get_by_role("heading", level=1).inner_text() == "Banque nationale de sujets E5B"
    equilibre = page.locator("section", has=page.get_by_role("heading", name="Équilibre de la banque"))
    assert equilibre.locator(".fr-badge").text_content() == "Non diffusable"
    assert "2 sujets WordPress, 1 sujet PrestaShop." in equilibre.inner_text()
    assert page.get_by_role("button", name="Diffuser la banque aux académies").is_disabled()

    page.get_by_label("Code du sujet").fill("PS-02")
    page.get_by_label("Support").select_option("prestashop")
    page.get_by_label("Titre").fill("Boutique de thés en ligne")
    page.get_by_label(re.compile(r"^Sujet\b")).set_input_files(
        files=[{"name": "PS-02.pdf", "mimeType": "application/pdf", "buffer": pdf_reel("Sujet PS-02", pages=2)}]
    )
    page.get_by_label("Grille d'aide à l'évaluation").set_input_files(
        files=[{"name": "grille PS-02.pdf", "mimeType": "application/pdf", "buffer": pdf_reel("Grille PS-02")}]
    )
    page.get_by_role("button", name="Déposer", exact=True).click()
    page.wait_for_url(f"{live_server.url}/sujets/banque/?session={monde.session.code}")
    assert "Sujet PS-02 déposé (version 1)." in page.locator(".fr-alert--success").inner_text()
    equilibre = page.locator("section", has=page.get_by_role("heading", name="Équilibre de la banque"))
    assert equilibre.locator(".fr-badge").text_content() == "Équilibrée"
    assert "2 sujets WordPress, 2 sujets PrestaShop." in equilibre.inner_text()
    ligne = page.get_by_role("table", name="Sujets de la banque (4)").locator("tbody tr", has_text="PS-02")
    cellules = ligne.get_by_role("cell").all_inner_texts()
    assert cellules[:5] == ["PS-02", "PrestaShop (site de e-commerce)", "Boutique de thés en ligne", "1", "oui"]
    assert "par pilote" in cellules[5]
    page.screenshot(path=str(captures / "sujets-banque.png"), full_page=True)

    # Un faux PDF est refusé, avec le message du domaine.
    page.get_by_label("Code du sujet").fill("PS-03")
    page.get_by_label("Support").select_option("prestashop")
    page.get_by_label(re.compile(r"^Sujet\b")).set_input_files(
        files=[{"name": "scan.pdf", "mimeType": "application/pdf", "buffer": b"<html>pas un PDF</html>"}]
    )
    page.get_by_role("button", name="Déposer", exact=True).click()
    assert "n'est pas un PDF" in page.locator("form .fr-alert--error").inner_text()

    # Équilibrée et complète (grilles) : la banque se diffuse.
    page.get_by_role("button", name="Diffuser la banque aux académies").click()
    page.wait_for_url(f"{live_server.url}/sujets/banque/?session={monde.session.code}")
    assert "Banque diffusée aux académies (diffusion n° 1)." in page.locator(".fr-alert--success").inner_text()
    assert "Dernière diffusion : n° 1" in page.locator("main").inner_text()
    assert erreurs_csp == []
    page.context.close()


def test_la_commission_e4_redige_la_fiche_sujet_et_la_marque_prete(
    centre: CentreSujets, navigateur: Any, live_server: Any, monde: Any, captures: Path
) -> None:
    c1 = centre.candidats["C1"]
    page = ouvrir_session(navigateur, live_server, "x5", monde.mot_de_passe)
    erreurs_csp = surveiller_csp(page)
    page.goto("/examinateur/")
    page.get_by_role("link", name="Fiche-sujet E4 de NOM-1 Camille").click()
    page.wait_for_url(f"{live_server.url}/sujets/fiches-sujets/{c1.pk}/")
    assert page.get_by_role("heading", level=1).inner_text() == f"Fiche-sujet E4 — candidat {c1.numero}"
    assert page.locator(".fr-badge").first.text_content() == "à rédiger"

    page.get_by_label("Activité choisie").select_option(label="Vente de cuisines (C1)")
    page.get_by_label("Situation de départ").fill("Un client revient après un premier devis.")
    page.get_by_label("Paramètres modifiés").fill("Budget réduit de moitié\nLivraison sous quinze jours")
    page.get_by_label("Rôle tenu par la commission").fill("Le client, puis le responsable du magasin")
    page.get_by_role("button", name="Enregistrer et marquer prête").click()
    page.wait_for_url(f"{live_server.url}/sujets/fiches-sujets/{c1.pk}/")
    assert "Fiche-sujet enregistrée et prête." in page.locator(".fr-alert--success").inner_text()
    assert page.locator(".fr-badge").first.text_content() == "prête"
    assert "rédigée par x5" in page.locator("main").inner_text()
    fiche = page.locator("dl.fiche__liste").inner_text()
    assert "Vente de cuisines (C1)" in fiche
    assert "Livraison sous quinze jours" in fiche
    assert "Le client, puis le responsable du magasin" in fiche
    assert page.get_by_role("button", name="Rouvrir pour la corriger").is_visible()
    page.screenshot(path=str(captures / "sujets-fiche-sujet.png"), full_page=True)

    # L'espace examinateur la dit prête.
    page.goto("/examinateur/")
    ligne = page.get_by_role("row", name=re.compile("NOM-1 Camille.*Fiche-sujet E4"))
    assert ligne.locator(".fr-badge--success").text_content() == "prête"
    assert erreurs_csp == []
    page.context.close()


def test_le_gestionnaire_lit_les_pieces_du_candidat(
    pieces_pretes: CentreSujets, navigateur: Any, live_server: Any, monde: Any, captures: Path
) -> None:
    cs = pieces_pretes
    c1 = cs.candidats["C1"]
    page = ouvrir_session(navigateur, live_server, "pilote", monde.mot_de_passe)
    erreurs_csp = surveiller_csp(page)
    reponse = page.goto(f"/sujets/candidats/{c1.pk}/pieces/")
    assert reponse.status == 200
    assert page.get_by_role("heading", level=1).inner_text().startswith("Pièces d'épreuve")

    e5b = page.locator("section", has=page.get_by_role("heading", name="Sujet E5B reçu")).inner_text()
    assert re.search(r"(WP|PS)-0\d \(version 1\)", e5b), e5b
    assert "commission K05" in e5b
    assert "le 30 mai 2022 à 08:00" in e5b
    assert "par pilote" in e5b
    assert "Sujet E5B lu par pilote (gestionnaire) le 29 mai 2022 à 18:00" in e5b
    assert "Sujet E5B lu par x1 (examinateur) le 30 mai 2022 à 08:05" in e5b

    e4 = page.locator("section", has=page.get_by_role("heading", name="Fiche-sujet E4")).inner_text()
    assert "Vente de cuisines (C1) (commission K01)" in e4
    assert "par x5" in e4
    assert "Prête" in e4
    page.screenshot(path=str(captures / "sujets-pieces.png"), full_page=True)
    assert erreurs_csp == []
    page.context.close()


def test_un_examinateur_hors_de_la_commission_est_refuse(
    pieces_pretes: CentreSujets, navigateur: Any, live_server: Any, monde: Any
) -> None:
    cs = pieces_pretes
    # X1 siège en K05 (E5B), pas dans la commission E4 de C1 : pas de fiche-sujet.
    x1 = ouvrir_session(navigateur, live_server, "x1", monde.mot_de_passe)
    reponse = x1.goto(f"/sujets/fiches-sujets/{cs.candidats['C1'].pk}/")
    assert reponse.status == 403
    assert x1.get_by_role("button", name="Enregistrer et marquer prête").count() == 0
    assert x1.goto(f"/sujets/candidats/{cs.candidats['C1'].pk}/pieces/").status == 403
    x1.context.close()

    # X3 siège en K06 : le sujet du passage de C1 (K05) lui est refusé, et rien n'est journalisé pour lui.
    x3 = ouvrir_session(navigateur, live_server, "x3", monde.mot_de_passe)
    reponse = x3.goto(f"/sujets/passages/{cs.passages['E5B-1'].pk}/sujet/")
    assert reponse.status == 403
    assert reponse.headers["content-type"].startswith("text/html")
    assert x3.goto("/sujets/banque/").status == 403
    x3.context.close()

    # La gestionnaire pilote voit toujours deux lectures seulement (celles des données) : pas celle de X3.
    page = ouvrir_session(navigateur, live_server, "pilote", monde.mot_de_passe)
    page.goto(f"/sujets/candidats/{cs.candidats['C1'].pk}/pieces/")
    e5b = page.locator("section", has=page.get_by_role("heading", name="Sujet E5B reçu")).inner_text()
    assert e5b.count(" lu par ") == 2
    assert "x3" not in e5b
    page.context.close()


def test_l_etablissement_depose_la_fiche_d_engagement_d_un_candidat(
    centre: CentreSujets, navigateur: Any, live_server: Any, monde: Any, captures: Path
) -> None:
    c8 = centre.candidats["C8"]  # inscrit à l'engagement étudiant, sans fiche
    page = ouvrir_session(navigateur, live_server, "etablissement", monde.mot_de_passe)
    erreurs_csp = surveiller_csp(page)
    page.goto(f"/etablissement/candidats/{c8.pk}/")
    page.get_by_role("link", name="Fiche d'engagement étudiant : état et dépôt").click()
    page.wait_for_url(f"{live_server.url}/sujets/candidats/{c8.pk}/engagement/?session={monde.session.code}")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Fiche d'engagement étudiant")
    etat = page.locator("section", has=page.get_by_role("heading", name="État de la fiche"))
    assert etat.locator(".fr-badge").text_content() == "manquante"
    assert page.get_by_role("heading", name="Sans fiche, l'épreuve ne peut pas se dérouler").is_visible()

    # Un fichier qui n'est pas un PDF est refusé, le message est relié au champ.
    champ = page.get_by_label(re.compile(r"^Fiche d'engagement étudiant"))
    champ.set_input_files(files=[{"name": "fiche.pdf", "mimeType": "application/pdf", "buffer": b"PK\x03\x04docx"}])
    page.get_by_role("button", name="Déposer la fiche").click()
    erreur = page.locator(".fr-error-text")
    assert "ce fichier n'est pas un PDF" in erreur.inner_text()
    assert champ.get_attribute("aria-invalid") == "true"
    assert erreur.get_attribute("id") in (champ.get_attribute("aria-describedby") or "")

    # Le vrai PDF est déposé : l'état passe à « déposée », l'avertissement disparaît.
    champ = page.get_by_label(re.compile(r"^Fiche d'engagement étudiant"))
    champ.set_input_files(
        files=[{"name": "engagement.pdf", "mimeType": "application/pdf", "buffer": pdf_reel("Fiche d'engagement")}]
    )
    page.get_by_role("button", name="Déposer la fiche").click()
    page.wait_for_url(f"{live_server.url}/sujets/candidats/{c8.pk}/engagement/?session={monde.session.code}")
    assert "Fiche d'engagement étudiant déposée (version 1)" in page.locator(".fr-alert--success").inner_text()
    etat = page.locator("section", has=page.get_by_role("heading", name="État de la fiche"))
    assert etat.locator(".fr-badge").text_content() == "déposée"
    assert "par etablissement (l'établissement de formation)" in etat.inner_text()
    assert page.get_by_role("heading", name="Sans fiche, l'épreuve ne peut pas se dérouler").count() == 0
    assert page.get_by_role("button", name="Déposer la fiche").is_visible()  # remplacer reste possible
    page.screenshot(path=str(captures / "sujets-engagement.png"), full_page=True)
    assert erreurs_csp == []
    page.context.close()

    # Accessibilité : la page vide, en erreur, puis remplie.
    page = ouvrir_session(navigateur, live_server, "etablissement", monde.mot_de_passe, bypass_csp=True)
    page.goto(f"/sujets/candidats/{c8.pk}/engagement/")
    constats = {"déposée": violations_graves(page)}
    page.get_by_label(re.compile(r"^Fiche d'engagement étudiant")).set_input_files(
        files=[{"name": "x.pdf", "mimeType": "application/pdf", "buffer": b"GIF89a"}]
    )
    page.get_by_role("button", name="Déposer la fiche").click()
    assert "n'est pas un PDF" in page.locator(".fr-error-text").inner_text()
    constats["faux PDF"] = violations_graves(page)
    assert {k: v for k, v in constats.items() if v} == {}
    page.context.close()


# --------------------------------------------------------------------------- accessibilité


@pytest.mark.parametrize(
    ("persona", "pages"),
    [
        pytest.param(
            "pilote",
            [
                "/sujets/banque/",
                "/sujets/candidats/{c1}/pieces/",
                "/sujets/attribution/?simuler=1",
                "/sujets/attribution/journal/",
            ],
            id="gestionnaire pilote",
        ),
        pytest.param(
            "chef",
            [
                "/sujets/candidats/{c1}/pieces/",
                "/sujets/candidats/{c8}/pieces/",
                "/sujets/centres/",
                "/sujets/centres/{centre}/postes/",
                "/sujets/centres/{centre}/fiches-sujets/",
            ],
            id="chef",
        ),
        pytest.param("x5", ["/sujets/fiches-sujets/{c7}/", "/sujets/fiches-sujets/{c1}/"], id="commission E4"),
    ],
)
def test_aucune_violation_grave_d_accessibilite_dans_les_sujets(
    pieces_pretes: CentreSujets, navigateur: Any, live_server: Any, monde: Any, persona: str, pages: list[str]
) -> None:
    # axe-core est injecté par un script en ligne : ce contexte contourne la CSP (les parcours ci-dessus la vérifient).
    cs = pieces_pretes
    ids = {
        "c1": cs.candidats["C1"].pk,
        "c7": cs.candidats["C7"].pk,
        "c8": cs.candidats["C8"].pk,
        "centre": cs.centre.pk,
    }
    page = ouvrir_session(navigateur, live_server, persona, monde.mot_de_passe, bypass_csp=True)
    constats = {}
    for chemin in pages:
        adresse = chemin.format(**ids)
        reponse = page.goto(adresse)
        assert reponse.status == 200, adresse
        constats[adresse] = violations_graves(page)
    # Les formulaires en erreur aussi (les champs obligatoires vides, le navigateur les arrête avant l'envoi).
    if persona == "pilote":
        page.goto("/sujets/banque/")
        page.get_by_label("Code du sujet").fill("WP-09")
        page.get_by_label(re.compile(r"^Sujet\b")).set_input_files(
            files=[{"name": "scan.pdf", "mimeType": "application/pdf", "buffer": b"GIF89a"}]
        )
        page.get_by_role("button", name="Déposer", exact=True).click()
        assert "n'est pas un PDF" in page.locator("form .fr-alert--error").inner_text()
        constats["faux PDF"] = violations_graves(page)
    if persona == "x5":
        page.goto(f"/sujets/fiches-sujets/{ids['c7']}/")
        page.get_by_role("button", name="Enregistrer et marquer prête").click()
        assert page.get_by_role("alert").count() >= 1
        constats["fiche incomplète"] = violations_graves(page)
    assert {k: v for k, v in constats.items() if v} == {}
    page.context.close()
