"""Dans Chromium, le jour J et les absences des écrits : le chef du centre C1 ouvre la loge où compose Camille
DURAND au tiers temps (heures locales, fin majorée, sortie après le temps de loge), y affecte un surveillant (le
même est refusé dans une autre salle), puis rédige un procès-verbal de suspicion de fraude depuis la ligne de la
candidate ; la gestionnaire lit les absents, dépose le justificatif de Léa et reconnaît la force majeure (ABJ).
Aucune violation d'accessibilité grave (axe-core, WCAG A et AA) ni de la politique de sécurité du contenu ;
captures dans docs/captures/web/ (EXAMENS_CAPTURES=1)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from navigateur.test_ecrits import Controle
from navigateur.test_parcours_navigateur import ouvrir_session

# Les fabriques des écrits (tests/apps, sans __init__.py) s'importent par leur nom (voir test_ecrits.py).
FABRIQUES = str(Path(__file__).resolve().parents[1] / "apps")
if FABRIQUES not in sys.path:
    sys.path.append(FABRIQUES)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture
def jour_j(monde_garni: Any) -> dict[str, Any]:
    """Écrit avant le lancement du navigateur (voir navigateur/conftest.py). E1 au calendrier, le centre C1 réparti
    (une salle d'écrit A12 et une loge L1, où compose Camille DURAND au tiers temps) ; présences saisies, Léa
    absente (AB, sans justificatif)."""
    from fabriques_deliberation import candidat
    from fabriques_ecrits import calendrier, salles, tous_presents

    from examens.apps.ecrits import services
    from examens.apps.ecrits.models import Place

    m = monde_garni
    e1 = calendrier(m.session, "E1")["E1"]
    candidat(
        m.session,
        numero="22-000901",
        centre=m.c1,
        etablissement=m.lycee,
        nom="DURAND",
        prenoms="Camille",
        temps_majore=True,
    )
    s = salles(m.c1, ("A12", "ecrit", 30), ("L1", "loge", 3))
    services.repartir_centre(session=m.session, centre=m.c1, acteur="dec", appliquer=True)
    tous_presents(e1, absents=(m.lea,))
    assert Place.objects.get(epreuve=e1, candidat__numero="22-000901").salle == s["L1"]
    return {
        "loge": f"/ecrits/centres/{m.c1.pk}/epreuves/{e1.pk}/salles/{s['L1'].pk}/",
        "a12": f"/ecrits/centres/{m.c1.pk}/epreuves/{e1.pk}/salles/{s['A12'].pk}/",
        "lea": f"{m.lea.nom} {m.lea.prenoms}",
        "numero_lea": m.lea.numero,
    }


@pytest.fixture(params=["csp", "axe"])
def ouvrir(request: Any, navigateur: Any, live_server: Any, monde: Any) -> Any:
    axe = request.param == "axe"

    def connexion(identifiant: str) -> Controle:
        return Controle(
            ouvrir_session(navigateur, live_server, identifiant, monde.mot_de_passe, bypass_csp=axe), axe=axe
        )

    return connexion


def test_le_chef_de_centre_affecte_un_surveillant_et_redige_un_proces_verbal(
    jour_j: dict[str, Any], ouvrir: Any, captures: Path
) -> None:
    controle = ouvrir("chef-de-centre")
    page = controle.page
    page.goto(jour_j["loge"])
    assert page.get_by_role("heading", level=1).inner_text() == "Salle L1 — E1"
    # E1 à 14 h 00 (Paris), 4 heures, 1 heure de loge : fin 18 h 00, 19 h 20 au tiers temps, sortie dès 15 h 00.
    horaires = page.locator("#horaires tbody tr").all_inner_texts()
    assert horaires[0] == "Début\tlundi 16 mai 2022 à 14 h 00"
    assert horaires[2].startswith("Fin au tiers temps\t19 h 20 (1 candidat")
    assert horaires[3].startswith("Sortie autorisée dès\t15 h 00")
    assert "19 h 20 (tiers temps)" in page.locator("#candidats tbody tr", has_text="DURAND Camille").inner_text()
    controle.accessibilite("salle")

    page.get_by_label("Examinateur de la session", exact=True).select_option(label="Paul LEROY (X0001)")
    page.get_by_role("button", name="Affecter le surveillant").click()
    page.wait_for_load_state()
    assert "Paul LEROY surveille la salle L1 en E1." in page.get_by_role("alert").first.inner_text()
    assert page.locator("#surveillants").inner_text().startswith("Paul LEROY")
    controle.accessibilite("surveillant affecté")

    # Le même surveillant, au même moment, dans une autre salle : refusé, en français.
    page.goto(jour_j["a12"])
    page.get_by_label("Examinateur de la session", exact=True).select_option(label="Paul LEROY (X0001)")
    page.get_by_role("button", name="Affecter le surveillant").click()
    page.wait_for_load_state()
    assert "Paul LEROY surveille déjà la salle « L1 » en E1" in page.get_by_role("alert").first.inner_text()
    assert page.locator("#surveillants").count() == 0
    controle.accessibilite("surveillant refusé")

    page.goto(jour_j["loge"])
    page.get_by_role("link", name="Rédiger un procès-verbal pour DURAND Camille").click()
    page.wait_for_url("**/incident/?candidat=*")
    assert page.get_by_label("Candidat concerné").input_value() != ""
    page.get_by_label("Nature").select_option(label="suspicion de fraude")
    page.get_by_label("Survenu le (heure locale du centre)").fill("2022-05-16T14:35")
    page.get_by_label("Faits constatés").fill("Téléphone allumé sous la table.")
    controle.accessibilite("procès-verbal")
    page.get_by_role("button", name="Enregistrer le procès-verbal").click()
    page.wait_for_url(f"**{jour_j['loge']}")
    assert "enregistré (suspicion de fraude" in page.get_by_role("alert").first.inner_text()
    ligne = page.locator("#proces-verbaux tbody tr").first.inner_text()
    assert "16/05/2022 14 h 35" in ligne
    assert "DURAND Camille" in ligne
    controle.accessibilite("procès-verbal enregistré")
    page.screenshot(path=str(captures / "ecrits-salle-jour-j.png"), full_page=True)
    controle.bilan()


def test_la_gestionnaire_recoit_le_justificatif_et_reconnait_la_force_majeure(
    jour_j: dict[str, Any], ouvrir: Any, captures: Path
) -> None:
    controle = ouvrir("gestionnaire-pilote")
    page = controle.page
    page.goto("/ecrits/absences/")
    assert page.get_by_role("heading", level=1).inner_text() == "Absences aux épreuves écrites"
    ligne = page.locator("#absences tbody tr", has_text=jour_j["numero_lea"])
    assert "AB — non statuée" in ligne.text_content()  # le badge est en capitales à l'écran (CSS)
    controle.accessibilite("absences")
    ligne.get_by_role("link", name=f"{jour_j['lea']} : absence en E1").click()
    page.wait_for_url("**/ecrits/absences/*/")
    controle.accessibilite("absence")

    page.get_by_label("Pièce justificative").set_input_files(
        files=[{"name": "bulletin.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="Déposer la pièce").click()
    page.wait_for_load_state()
    assert "Justificatif déposé : « bulletin.pdf »" in page.get_by_role("alert").first.inner_text()
    assert page.get_by_role("link", name="bulletin.pdf").is_visible()

    page.get_by_role("radio", name="Force majeure reconnue").check(force=True)  # le libellé DSFR recouvre le bouton
    page.get_by_label("Motif").fill("Hospitalisation attestée par le bulletin.")
    page.get_by_role("button", name="Enregistrer la décision").click()
    page.wait_for_load_state()
    assert "force majeure reconnue (ABJ)" in page.get_by_role("alert").first.inner_text()
    assert "ABJ — force majeure reconnue" in page.locator("#absence").text_content()
    assert "Hospitalisation attestée" in page.locator("#decisions").inner_text()
    controle.accessibilite("absence statuée")
    page.screenshot(path=str(captures / "ecrits-absence.png"), full_page=True)
    controle.bilan()
