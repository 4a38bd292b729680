"""Dans Chromium, le suivi des copies des écrits : la gestionnaire pilote compose la commission d'harmonisation de
E3, voit refuser un ajustement sans motif, ajuste un lot (+1), verrouille, lève l'anonymat, puis suit une copie
jusqu'à sa note harmonisée (chronologie : qui a fait quoi) et affiche son candidat (lecture tracée) ; le chef du
centre C1 édite les plans de salle et en télécharge un ; le correcteur est refusé (403) sur le suivi. Aucune
violation d'accessibilité grave (axe-core, WCAG A et AA) ni de la politique de sécurité du contenu ; captures
dans docs/captures/web/ (EXAMENS_CAPTURES=1)."""

from __future__ import annotations

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
def suivi(monde_garni: Any) -> dict[str, Any]:
    """Écrit avant le lancement du navigateur (voir navigateur/conftest.py). E3 au calendrier, les trois centres
    répartis, tous présents, un lot par centre confié à un correcteur et corrigé (11 partout)."""
    from fabriques_ecrits import calendrier, correcteur, corriger, salles, tous_presents

    from examens.apps.ecrits import services
    from examens.apps.ecrits.models import Copie, Correspondance, Lot

    m = monde_garni
    e3 = calendrier(m.session, "E3")["E3"]
    salles(m.c1, ("A12", "ecrit", 30))
    salles(m.c2, ("B04", "ecrit", 30))
    salles(m.l1, ("C01", "ecrit", 10))
    for centre in (m.c1, m.c2, m.l1):
        services.repartir_centre(session=m.session, centre=centre, acteur="dec", appliquer=True)
    tous_presents(e3)
    services.constituer_lots(epreuve=e3, acteur="dec", appliquer=True)
    for k, lot in enumerate(Lot.objects.filter(epreuve=e3).order_by("numero")):
        services.affecter_lot(lot=lot, correcteur=correcteur(m.session, f"X{k + 2:04d}", m.clermont), acteur="dec")
        corriger(lot, defaut="11")
    lot_c1 = Lot.objects.get(epreuve=e3, centre_correction=m.c1)
    copie = Copie.objects.get(epreuve=e3, correspondance__candidat=m.lea)
    return {
        "commission": f"/ecrits/epreuves/{e3.pk}/commission/",
        "suivi": f"/ecrits/epreuves/{e3.pk}/suivi/",
        "documents": f"/ecrits/centres/{m.c1.pk}/documents/",
        "lot": lot_c1.code,
        "copies_du_lot": Copie.objects.filter(lot=lot_c1).count(),
        "numero": copie.numero,
        "numeros": list(Copie.objects.filter(epreuve=e3).values_list("numero", flat=True)),
        "noms": list(Correspondance.objects.filter(epreuve=e3).values_list("candidat__nom", flat=True)),
    }


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


def test_la_gestionnaire_harmonise_verrouille_leve_l_anonymat_et_suit_une_copie(
    suivi: dict[str, Any], ouvrir: Any, captures: Path
) -> None:
    controle = ouvrir("gestionnaire-pilote")
    page = controle.page
    page.goto(suivi["commission"])
    assert page.get_by_role("heading", level=1).inner_text() == "Commission d'harmonisation — E3"
    controle.accessibilite("commission")
    page.get_by_label("Président(e) de la commission").fill("Mme DURAND, IA-IPR")
    page.get_by_role("button", name="Enregistrer la composition").click()
    assert "composition enregistrée" in _message(page)

    # Sans motif : refusé, l'erreur est reliée au champ, rien n'est enregistré.
    page.get_by_label("Lot", exact=True).select_option(label=suivi["lot"])
    page.get_by_label("Points à ajouter").fill("+1")
    page.get_by_role("button", name="Ajuster le lot").click()
    page.wait_for_load_state()
    assert "Motivez l'ajustement" in page.locator(".fr-error-text").inner_text()
    controle.accessibilite("ajustement refusé")
    page.get_by_label("Motif de l'ajustement").fill("correcteur sévère")
    page.get_by_role("button", name="Ajuster le lot").click()
    assert f"Lot {suivi['lot']} : {suivi['copies_du_lot']} copie(s) ajustée(s) de +1,00 point(s)" in _message(page)
    lot = page.locator("table", has_text="moyennes avant et après").locator("tbody tr", has_text=suivi["lot"])
    assert lot.locator("td").all_inner_texts()[-3:] == ["11,00", "12,00", "1"]
    # Le lot : ses copies, les notes retenues et harmonisées, un champ par copie pour l'ajustement note à note.
    lot.get_by_role("link").click()
    page.wait_for_url("**/lots/**")
    assert page.get_by_role("heading", level=1).inner_text() == f"Lot {suivi['lot']} — suivi"
    assert page.get_by_label(f"Nouvelle note de la copie {suivi['numero']}").input_value() == ""
    controle.accessibilite("lot")
    page.go_back()

    page.get_by_role("button", name="Verrouiller l'harmonisation").click()
    assert "Harmonisation de E3 verrouillée" in _message(page)
    page.get_by_role("button", name="Lever l'anonymat").click()
    assert "Anonymat de E3 levé" in _message(page)
    controle.accessibilite("anonymat levé")
    page.screenshot(path=str(captures / "ecrits-commission.png"), full_page=True)

    # Le suivi des copies, par numéro d'anonymat ; puis la copie de Léa, jusqu'à sa note harmonisée.
    page.get_by_role("link", name="Suivi des copies").first.click()
    page.wait_for_url("**/suivi/")
    assert page.get_by_role("heading", level=1).inner_text() == "Suivi des copies — E3"
    texte = page.content()
    assert [nom for nom in suivi["noms"] if nom in texte] == []
    controle.accessibilite("suivi des copies")
    page.screenshot(path=str(captures / "ecrits-suivi-copies.png"), full_page=True)
    page.get_by_role("link", name=f"{suivi['numero']} : chronologie de la copie").click()
    page.wait_for_url("**/copies/**")
    chronologie = page.locator("table", has_text="Historique de la copie")
    assert "note harmonisée : 11,00 → 12,00 — correcteur sévère" in chronologie.inner_text()
    ligne = chronologie.locator("tbody tr", has_text="Levée d'anonymat — E3")
    assert ligne.locator("td").first.inner_text() == "gestionnaire-pilote"
    controle.accessibilite("copie")
    page.get_by_role("link", name="Afficher le candidat").click()
    page.wait_for_load_state()
    candidat = page.locator("section", has=page.get_by_role("heading", level=2, name="Candidat", exact=True))
    assert "MARTIN Léa" in candidat.inner_text()
    controle.accessibilite("copie et candidat")
    page.screenshot(path=str(captures / "ecrits-suivi-copie.png"), full_page=True)
    controle.bilan()


def test_le_chef_de_centre_edite_un_plan_de_salle_et_le_correcteur_est_refuse(
    suivi: dict[str, Any], ouvrir: Any
) -> None:
    controle = ouvrir("chef-de-centre")
    page = controle.page
    page.goto(suivi["documents"])
    assert (
        page.get_by_role("heading", level=1).inner_text().startswith("Documents des écrits — Lycée Sidoine-Apollinaire")
    )
    page.get_by_role("button", name="Éditer les plans de salle").click()
    assert "1 nouvelle(s) version(s)" in _message(page)
    assert page.locator("tbody tr", has_text="Plan de salle E3").count() == 1
    controle.accessibilite("plans de salle")
    with page.expect_download() as telechargement:
        page.get_by_role("button", name="Télécharger Plan de salle E3").click()
    assert telechargement.value.suggested_filename.endswith("-v1.pdf")
    controle.bilan()

    controle = ouvrir("examinateur")
    reponse = controle.page.goto(suivi["suivi"])
    assert reponse is not None
    assert reponse.status == 403
    texte = controle.page.content()
    assert [n for n in suivi["numeros"] if n in texte] == []
    controle.accessibilite("suivi refusé au correcteur")
    controle.bilan()
