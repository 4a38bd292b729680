"""Dans Chromium : la double saisie d'une note d'oral au clavier, un écart signalé puis corrigé, une page
périmée refusée avec un message ; l'espace examinateur ; aucune violation grave d'accessibilité (axe-core) ni de
la politique de sécurité du contenu. Captures : saisie-*.png, espace-examinateur.png."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from csp import violation_csp
from navigateur.test_parcours_navigateur import ouvrir_session, violations_graves
from web.oraux import JOUR, Oraux, oraux_publies

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


@pytest.fixture
def oraux(monde: Any) -> Oraux:
    """Écrit avant le lancement du navigateur (voir `navigateur` dans conftest) : à lister avant lui."""
    return oraux_publies(monde)


def espionner_csp(page: Any) -> list[str]:
    erreurs: list[str] = []
    page.on("console", lambda m: erreurs.append(m.text) if violation_csp(m) else None)
    return erreurs


def saisir_au_clavier(page: Any, candidat: str, valeur: str) -> None:
    """Remplit la case du candidat (libellé accessible) et valide par Entrée, sans la souris."""
    case = page.get_by_label(f"Note de {candidat}", exact=False)
    case.focus()
    case.fill(valeur)
    case.press("Enter")
    page.wait_for_load_state()


def test_double_saisie_avec_ecart_puis_correction(
    oraux: Oraux, navigateur: Any, live_server: Any, monde: Any, captures: Path
) -> None:
    url = f"/saisie/commissions/{oraux.commissions['K1'].pk}/{JOUR.isoformat()}/"

    # 1. Premier membre (X0001) : depuis le menu, la grille de K1 ; il saisit 8 au lieu de 13 (erreur de report).
    x = ouvrir_session(navigateur, live_server, "examinateur", monde.mot_de_passe)
    csp_x = espionner_csp(x)
    x.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Saisie des notes").click()
    x.get_by_role("link", name="Commission K1").click()
    x.wait_for_url(f"**{url}")
    assert x.get_by_role("heading", level=1).inner_text().startswith("Commission K1")
    saisir_au_clavier(x, "CANDIDATA Camille", "8")
    assert "1 en attente de la seconde saisie" in x.get_by_role("alert").first.inner_text()
    assert x.get_by_label("Note de CANDIDATA Camille", exact=False).input_value() == "8"

    # 2. Second membre (Y0002), indépendamment : il ne voit pas la saisie de X ; il saisit 13 → écart signalé.
    y = ouvrir_session(navigateur, live_server, "examinateur-y", monde.mot_de_passe)
    y.goto(url)
    assert y.get_by_label("Note de CANDIDATA Camille", exact=False).input_value() == ""
    saisir_au_clavier(y, "CANDIDATA Camille", "13")
    ligne = y.get_by_role("row", name="CANDIDATA Camille")
    assert "écart entre les deux saisies" in ligne.text_content()
    y.screenshot(path=str(captures / "saisie-ecart.png"), full_page=True)

    # 3. X revoit la fiche signée et corrige dans un onglet ; un autre onglet, resté ouvert, est périmé.
    x.goto(url)
    assert "écart entre les deux saisies" in x.get_by_role("row", name="CANDIDATA Camille").text_content()
    perime = x.context.new_page()
    perime.goto(url)
    saisir_au_clavier(x, "CANDIDATA Camille", "13")
    assert "validée : 13" in x.get_by_role("row", name="CANDIDATA Camille").text_content()
    assert "1 résultat(s) validé(s)" in x.get_by_role("alert").first.inner_text()
    x.screenshot(path=str(captures / "saisie-validee.png"), full_page=True)

    saisir_au_clavier(perime, "CANDIDATA Camille", "9")
    alerte = perime.get_by_role("alert").first.inner_text()
    assert "la page était périmée" in alerte
    assert "rien n'a été enregistré" in alerte
    assert "validée : 13" in perime.get_by_role("row", name="CANDIDATA Camille").text_content()
    perime.screenshot(path=str(captures / "saisie-perimee.png"), full_page=True)

    # 4. Une erreur de saisie : le message nomme la case ; le récapitulatif mène à la case.
    saisir_au_clavier(x, "CANDIDATB Camille", "25")
    case = x.get_by_label("Note de CANDIDATB Camille", exact=False)
    assert case.get_attribute("aria-invalid") == "true"
    assert case.input_value() == "25"
    x.get_by_role("link", name="dépasse 20").click()
    assert x.url.endswith(f"#{case.get_attribute('id')}")
    x.screenshot(path=str(captures / "saisie-erreur.png"), full_page=True)
    assert csp_x == []


def test_espace_examinateur_et_accessibilite(
    oraux: Oraux, navigateur: Any, live_server: Any, monde: Any, captures: Path
) -> None:
    grille = f"/saisie/commissions/{oraux.commissions['K1'].pk}/{JOUR.isoformat()}/"
    page = ouvrir_session(navigateur, live_server, "examinateur", monde.mot_de_passe, bypass_csp=True)
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Espace examinateur").click()
    assert "Espace examinateur" in page.get_by_role("heading", level=1).inner_text()
    assert page.get_by_role("link", name="Télécharger mon agenda (iCalendar)").is_visible()
    page.screenshot(path=str(captures / "espace-examinateur.png"), full_page=True)
    constats = {"/examinateur/": violations_graves(page)}
    for chemin in (
        "/saisie/",
        grille,
        f"/examinateur/passages/{oraux.passages['ENG-1'].pk}/engagement/",
    ):
        page.goto(chemin)
        constats[chemin] = violations_graves(page)
    # La grille en erreur aussi (case invalide, récapitulatif des erreurs).
    page.goto(grille)
    saisir_au_clavier(page, "CANDIDATA Camille", "douze")
    constats["grille en erreur"] = violations_graves(page)
    assert {k: v for k, v in constats.items() if v} == {}

    chef = ouvrir_session(navigateur, live_server, "chef-de-centre", monde.mot_de_passe, bypass_csp=True)
    chef.goto(f"/saisie/commissions/{oraux.commissions['K3'].pk}/{JOUR.isoformat()}/")
    assert (
        "en attente de la saisie de l'examinateur" in chef.get_by_role("row", name="CANDIDATC Camille").text_content()
    )
    assert violations_graves(chef) == []
