"""Dans Chromium, les lots de copies des écrits : la gestionnaire pilote entre par « Épreuves écrites » du menu
principal, ouvre les lots de E1, simule puis constitue les lots du centre de correction C1, voit refuser un
correcteur du lycée Blaise-Pascal sur un lot qui contient des candidats de ce lycée (message du service), puis
confie le lot à un autre correcteur. Aucune violation d'accessibilité grave (axe-core, WCAG A et AA) ni de la
politique de sécurité du contenu ; capture dans docs/captures/web/ (EXAMENS_CAPTURES=1)."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import pytest

from navigateur.test_ecrits import Controle
from navigateur.test_parcours_navigateur import ouvrir_session

FABRIQUES = str(Path(__file__).resolve().parents[1] / "apps")
if FABRIQUES not in sys.path:
    sys.path.append(FABRIQUES)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


@pytest.fixture
def lots(monde_garni: Any) -> dict[str, Any]:
    """Écrit avant le lancement du navigateur (voir navigateur/conftest.py). E1 au calendrier, les trois centres
    répartis, tous présents, aucune copie anonymisée. En C1 : Léa et 13 candidats du lycée Blaise-Pascal, 7 du
    CFA. Correcteurs : X0001 (persona « examinateur », sans établissement), X0002 (du lycée)."""
    from fabriques_ecrits import calendrier, correcteur, salles, tous_presents

    from examens.apps.ecrits import services
    from examens.apps.ecrits.models import Place

    m = monde_garni
    e1 = calendrier(m.session, "E1")["E1"]
    salles(m.c1, ("A12", "ecrit", 30))
    salles(m.c2, ("B04", "ecrit", 30))
    salles(m.l1, ("C01", "ecrit", 10))
    for centre in (m.c1, m.c2, m.l1):
        services.repartir_centre(session=m.session, centre=centre, acteur="dec", appliquer=True)
    tous_presents(e1)
    correcteur(m.session, "X0002", m.clermont, m.lycee)
    return {"c1": m.c1.nom, "copies_c1": Place.objects.filter(epreuve=e1, salle__centre=m.c1).count()}


@pytest.fixture(params=["csp", "axe"])
def ouvrir(request: Any, navigateur: Any, live_server: Any, monde: Any) -> Any:
    axe = request.param == "axe"

    def connexion(identifiant: str) -> Controle:
        page = ouvrir_session(navigateur, live_server, identifiant, monde.mot_de_passe, bypass_csp=axe)
        return Controle(page, axe=axe)

    return connexion


def _message(page: Any) -> str:
    page.wait_for_load_state()
    return page.get_by_role("alert").first.inner_text()


def test_la_gestionnaire_constitue_les_lots_et_les_confie(lots: dict[str, Any], ouvrir: Any, captures: Path) -> None:
    assert lots["copies_c1"] == 21
    controle = ouvrir("gestionnaire-pilote")
    page = controle.page
    page.goto("/")
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Épreuves écrites").click()
    page.wait_for_url("**/ecrits/")
    assert page.get_by_role("heading", level=1).inner_text() == "Épreuves écrites"
    controle.accessibilite("accueil des écrits")

    page.get_by_role("link", name="Lots et correcteurs de E1").click()
    page.wait_for_url("**/lots/")
    assert page.get_by_role("heading", level=1).inner_text() == "Lots de copies — E1"
    ligne = page.locator("#centres-de-correction tbody tr", has_text=lots["c1"])
    assert ligne.locator("td").first.inner_text() == "21"  # copies à ranger
    controle.accessibilite("lots de E1")

    ligne.get_by_role("link", name=f"Constituer et confier les lots de {lots['c1']}").click()
    page.wait_for_url(re.compile(r".*/centres/\d+/lots/$"))
    assert page.get_by_role("heading", level=1).inner_text() == f"Lots de copies — E1, {lots['c1']}"
    controle.accessibilite("lots de C1")

    # Simulation d'abord : rien n'est enregistré, la page dit ce qui serait fait.
    page.get_by_label("Copies par lot (au plus)").fill("10")
    page.get_by_role("button", name="Simuler la constitution").click()
    page.wait_for_load_state()
    simulation = page.locator("#simulation")
    assert "21 copie(s) à anonymiser ; 21 copie(s) à ranger en 3 nouveau(x) lot(s) d'au plus 10 copies." in (
        simulation.inner_text()
    )
    assert page.locator("#lots tbody tr").inner_text() == "Aucun lot constitué pour l'instant."
    controle.accessibilite("simulation")
    simulation.get_by_role("button", name="Constituer ces 3 lot(s)").click()
    assert "21 copie(s) anonymisée(s), 21 copie(s) rangée(s) en 3 nouveau(x) lot(s) (E1-L001 à E1-L003)." in (
        _message(page)
    )
    assert page.locator("#lots tbody th[scope=row]").all_inner_texts() == ["E1-L001", "E1-L002", "E1-L003"]
    controle.accessibilite("lots constitués")

    # E1-L001 : des candidats du lycée Blaise-Pascal ; X0002 y exerce : refusé par le service, rien ne change.
    page.get_by_role("link", name="Confier ce lot : lot E1-L001").click()
    page.wait_for_url(re.compile(r".*\?lot=\d+#affecter$"))
    assert page.locator("#id_lot option:checked").inner_text().startswith("E1-L001")
    page.locator("#id_correcteur").select_option(label="Alex CORRECTEURX0002 (X0002) — Lycée Blaise-Pascal")
    page.get_by_role("button", name="Confier le lot").click()
    assert _message(page) == (
        "Lot E1-L001 : il contient la copie d'un candidat de l'établissement de Alex CORRECTEURX0002 (X0002) ; "
        "confiez-le à un autre correcteur. Rien n'est enregistré."
    )
    assert "sans correcteur" in page.locator("#lots tbody tr", has_text="E1-L001").inner_text().lower()
    assert page.locator("#id_lot option:checked").inner_text().startswith("E1-L001")  # la saisie reste
    controle.accessibilite("affectation refusée")

    page.locator("#id_correcteur").select_option(label="Paul LEROY (X0001)")
    page.get_by_role("button", name="Confier le lot").click()
    assert _message(page) == "Lot E1-L001 confié à Paul LEROY (X0001)."
    assert "Paul LEROY (X0001)" in page.locator("#lots tbody tr", has_text="E1-L001").inner_text()
    controle.accessibilite("lot confié")
    page.screenshot(path=str(captures / "ecrits-lots.png"), full_page=True)
    controle.bilan()
