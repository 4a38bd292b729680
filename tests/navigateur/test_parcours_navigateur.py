"""Dans un vrai navigateur : se connecter, lire le tableau de bord, chercher un candidat, ouvrir sa fiche ;
aucune violation d'accessibilité grave (axe-core, RGAA/WCAG A et AA) ; aucune violation de la politique de
sécurité du contenu ; les captures des pages principales vont dans docs/captures/web/."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from csp import violation_csp
from navigateur.conftest import AXE

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

LARGEUR, HAUTEUR = 1280, 900


def ouvrir_session(navigateur: Any, live_server: Any, identifiant: str, mot_de_passe: str, **options: Any) -> Any:
    contexte = navigateur.new_context(
        viewport={"width": LARGEUR, "height": HAUTEUR}, locale="fr-FR", base_url=live_server.url, **options
    )
    page = contexte.new_page()
    page.goto("/connexion/")
    page.get_by_label("Identifiant", exact=True).fill(identifiant)
    page.get_by_label("Mot de passe", exact=True).fill(mot_de_passe)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{live_server.url}/")
    return page


def violations_graves(page: Any) -> list[str]:
    """Les violations « serious » et « critical » d'axe-core (règles WCAG 2.1 A et AA)."""
    page.add_script_tag(path=str(AXE))
    resultat = page.evaluate(
        """async () => {
            const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
            return r.violations.map(v => ({id: v.id, impact: v.impact, aide: v.help,
                                          cibles: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
        }"""
    )
    return [
        f"{v['id']} ({v['impact']}) : {v['aide']} — {v['cibles']}"
        for v in resultat
        if v["impact"] in ("serious", "critical")
    ]


def test_connexion_tableau_de_bord_recherche_et_fiche(
    navigateur: Any, live_server: Any, monde: Any, captures: Path
) -> None:
    contexte = navigateur.new_context(viewport={"width": LARGEUR, "height": HAUTEUR}, locale="fr-FR")
    page = contexte.new_page()
    erreurs_csp: list[str] = []
    page.on(
        "console",
        lambda m: erreurs_csp.append(m.text) if violation_csp(m) else None,
    )
    page.goto(f"{live_server.url}/tableau-de-bord/")
    assert "/connexion/" in page.url  # sans connexion : la page de connexion
    page.screenshot(path=str(captures / "connexion.png"), full_page=True)

    page.get_by_label("Identifiant", exact=True).fill("gestionnaire-pilote")
    page.get_by_label("Mot de passe", exact=True).fill(monde.mot_de_passe)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{live_server.url}/tableau-de-bord/")
    assert page.get_by_role("heading", level=1).inner_text() == "Tableau de bord"
    assert page.get_by_role("img", name="Taux d'admission par catégorie").is_visible()
    assert page.get_by_role("heading", name="note(s) suspendue(s)").count() == 1
    page.screenshot(path=str(captures / "tableau-de-bord.png"), full_page=True)

    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Candidats").click()
    page.get_by_label("Nom, prénom ou numéro").fill("martin")
    page.get_by_role("button", name="Rechercher").click()
    page.wait_for_url("**/candidats/?*texte=martin*")
    lignes = page.locator("#resultats tbody tr")
    assert lignes.count() == 1
    assert "22-000001" in lignes.first.inner_text()
    page.get_by_role("link", name="MARTIN Léa").click()
    page.wait_for_url(f"{live_server.url}/candidats/{monde.lea.pk}/")
    assert "MARTIN Léa" in page.get_by_role("heading", level=1).inner_text()
    chronologie = page.locator("ol.chronologie > li")
    assert chronologie.first.inner_text().count("Inscription à la session") == 1
    assert "Décision du jury : admis" in chronologie.last.inner_text()
    page.screenshot(path=str(captures / "fiche-candidat.png"), full_page=True)

    page.goto(f"{live_server.url}/candidats/")
    page.screenshot(path=str(captures / "candidats.png"), full_page=True)
    assert erreurs_csp == []
    contexte.close()


@pytest.mark.parametrize(
    ("persona", "pages"),
    [
        pytest.param(
            "gestionnaire-pilote",
            ["/", "/tableau-de-bord/", "/candidats/", "/candidats/?texte=zzz", "/candidats/{lea}/"],
            id="gestionnaire",
        ),
        pytest.param("candidat", ["/", "/candidats/{lea}/", "/mot-de-passe/changer/"], id="candidat"),
    ],
)
def test_aucune_violation_grave_d_accessibilite(
    navigateur: Any, live_server: Any, monde: Any, persona: str, pages: list[str]
) -> None:
    # axe-core est injecté par un script en ligne : ce contexte-ci contourne la CSP (le précédent la vérifie).
    anonyme = navigateur.new_context(base_url=live_server.url, bypass_csp=True)
    connexion = anonyme.new_page()
    connexion.goto("/connexion/")
    constats = {"/connexion/": violations_graves(connexion)}
    anonyme.close()
    page = ouvrir_session(navigateur, live_server, persona, monde.mot_de_passe, bypass_csp=True)
    for chemin in pages:
        adresse = chemin.format(lea=monde.lea.pk)
        page.goto(adresse)
        constats[adresse] = violations_graves(page)
    assert {k: v for k, v in constats.items() if v} == {}


def test_un_candidat_ne_voit_pas_la_fiche_d_un_autre(navigateur: Any, live_server: Any, monde: Any) -> None:
    page = ouvrir_session(navigateur, live_server, "candidat", monde.mot_de_passe)
    page.get_by_role("link", name="Mon dossier d'examen").first.click()
    assert "MARTIN Léa" in page.get_by_role("heading", level=1).inner_text()
    reponse = page.goto(f"/candidats/{monde.hugo.pk}/")
    assert reponse.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "Page introuvable"


def test_le_lien_d_evitement_mene_au_contenu(navigateur: Any, live_server: Any, monde: Any) -> None:
    page = ouvrir_session(navigateur, live_server, "chef-de-centre", monde.mot_de_passe)
    page.keyboard.press("Tab")
    lien = page.locator(":focus")
    assert lien.inner_text() == "Contenu"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "contenu"


def test_menu_mobile(navigateur: Any, live_server: Any, monde: Any, captures: Path) -> None:
    contexte = navigateur.new_context(viewport={"width": 390, "height": 844}, base_url=live_server.url)
    page = contexte.new_page()
    page.goto("/connexion/")
    page.get_by_label("Identifiant", exact=True).fill("presidente")
    page.get_by_label("Mot de passe", exact=True).fill(monde.mot_de_passe)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{live_server.url}/")
    menu = page.get_by_role("navigation", name="Menu principal")
    assert not menu.is_visible()
    page.get_by_role("button", name="Menu").click()
    menu.get_by_role("link", name="Tableau de bord").wait_for(state="visible")
    page.screenshot(path=str(captures / "menu-mobile.png"))
    menu.get_by_role("link", name="Tableau de bord").click()
    page.wait_for_url(f"{live_server.url}/tableau-de-bord/")
    contexte.close()
