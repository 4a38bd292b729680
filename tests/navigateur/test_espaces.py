"""Dans Chromium : l'établissement dépose la pièce manquante d'un candidat et transmet ses notes de CCF ; le
candidat consulte son résultat, télécharge sa convocation et dépose une réclamation ; aucune violation
d'accessibilité grave (axe-core) ni de la politique de sécurité du contenu. Captures dans docs/captures/web/
(avec EXAMENS_CAPTURES=1)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from csp import violation_csp
from navigateur.test_parcours_navigateur import ouvrir_session, violations_graves
from web.outils_espaces import garnir, pdf_reel

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


@pytest.fixture
def espaces(monde: Any) -> Any:
    """Écrit avant le lancement du navigateur (l'ORM ne s'appelle pas pendant que Playwright tourne) : pièces,
    documents, réclamations ; résultats publiés."""
    return garnir(monde)


@pytest.fixture
def espaces_avant_publication(monde: Any) -> Any:
    """Les mêmes données, avant la publication des résultats : les notes de CCF se transmettent encore."""
    from examens.apps.organisation.models import ExamSession

    donnees = garnir(monde)
    ExamSession.objects.filter(pk=monde.session.pk).update(date_resultats=None, date_limite_ccf=date(2999, 5, 31))
    return donnees


def surveiller_csp(page: Any) -> list[str]:
    erreurs: list[str] = []
    page.on("console", lambda m: erreurs.append(m.text) if violation_csp(m) else None)
    return erreurs


def test_l_etablissement_depose_une_piece_manquante(
    espaces_avant_publication: Any, navigateur: Any, live_server: Any, monde: Any, captures: Path
) -> None:
    page = ouvrir_session(navigateur, live_server, "etablissement", monde.mot_de_passe)
    erreurs_csp = surveiller_csp(page)
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Mon établissement").click()
    page.wait_for_url(f"{live_server.url}/etablissement/")
    assert page.get_by_role("heading", level=1).inner_text() == "Mon établissement"
    ligne_hugo = page.locator("#candidats-etablissement tbody tr", has_text="22-000002")
    assert "dossier E4" in ligne_hugo.inner_text()
    page.screenshot(path=str(captures / "espace-etablissement.png"), full_page=True)

    ligne_hugo.get_by_role("link", name="BERNARD Hugo").click()
    page.wait_for_url(f"{live_server.url}/etablissement/candidats/{monde.hugo.pk}/")
    page.get_by_label("Pièce", exact=True).select_option("dossier_e4")
    page.get_by_label("Fichier").set_input_files(
        files=[{"name": "Dossier E4 Hugo.pdf", "mimeType": "application/pdf", "buffer": pdf_reel(pages=2)}]
    )
    page.get_by_role("button", name="Déposer la pièce").click()
    page.wait_for_url(f"{live_server.url}/etablissement/candidats/{monde.hugo.pk}/")
    alerte = page.locator(".fr-alert--success")
    assert "Dossier E4 déposé(e) : « Dossier_E4_Hugo.pdf », 2 page(s), version 1." in alerte.inner_text()
    assert page.get_by_role("link", name="Dossier_E4_Hugo.pdf").is_visible()
    page.screenshot(path=str(captures / "espace-etablissement-candidat.png"), full_page=True)

    # Un faux PDF : refusé, le message nomme le fichier et se lit à côté du champ.
    page.get_by_label("Fichier").set_input_files(
        files=[{"name": "scan.pdf", "mimeType": "application/pdf", "buffer": b"GIF89a une image renommee"}]
    )
    page.get_by_role("button", name="Déposer la pièce").click()
    erreur = page.locator("#id_fichier-erreurs")
    assert "« scan.pdf » : ce fichier n'est pas un PDF" in erreur.inner_text()
    assert page.get_by_label("Fichier").get_attribute("aria-invalid") == "true"

    # Les notes de CCF de Hugo (catégorie A) : E6, une situation.
    page.goto(f"/etablissement/candidats/{monde.hugo.pk}/ccf/")
    page.get_by_label("E6 — situation unique").fill("13,5")
    page.get_by_role("button", name="Transmettre les notes de E6").click()
    assert "note de l'épreuve 13,5/20" in page.locator(".fr-alert--success").inner_text()
    page.screenshot(path=str(captures / "espace-etablissement-ccf.png"), full_page=True)

    page.goto("/etablissement/")
    ligne_hugo = page.locator("#candidats-etablissement tbody tr", has_text="22-000002")
    assert "E4 : déposé le" in ligne_hugo.inner_text()
    assert "notes de CCF E6" not in ligne_hugo.inner_text()
    assert erreurs_csp == []


def test_le_candidat_consulte_son_resultat_et_depose_une_reclamation(
    espaces: Any, navigateur: Any, live_server: Any, monde: Any, captures: Path
) -> None:
    page = ouvrir_session(navigateur, live_server, "candidat", monde.mot_de_passe)
    erreurs_csp = surveiller_csp(page)
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Mon espace").click()
    page.wait_for_url(f"{live_server.url}/mon-espace/")
    resultat = page.locator("section", has=page.get_by_role("heading", name="Mon résultat"))
    assert "moyenne 12,86/20" in resultat.inner_text()
    assert page.get_by_role("table", name="Notes par épreuve").is_visible()

    with page.expect_download() as telechargement:
        page.get_by_role("link", name="Convocation").click()
    assert telechargement.value.suggested_filename.endswith("-v2.pdf")
    page.reload()
    assert (
        "téléchargée le" in page.locator("section", has=page.get_by_role("heading", name="Mes documents")).inner_text()
    )
    page.screenshot(path=str(captures / "espace-candidat.png"), full_page=True)

    page.get_by_role("link", name="Déposer une réclamation").click()
    page.get_by_label("Épreuve", exact=True).select_option("E4")
    page.get_by_role("button", name="Afficher le détail").click()
    assert "Relation client et négociation-vente" in page.locator("dl.fiche__liste").inner_text()
    page.get_by_label("Objet de la réclamation").select_option("E6")
    page.get_by_label("Motif").fill("Je demande la vérification de ma note d'E6 : une erreur de report est possible.")
    page.get_by_role("button", name="Déposer la réclamation").click()
    page.wait_for_url(f"{live_server.url}/mon-espace/reclamations/*/")
    assert page.get_by_role("heading", level=1).inner_text() == "Réclamation sur l'épreuve E6"
    assert page.locator(".fr-badge").first.text_content() == "déposée"
    page.screenshot(path=str(captures / "espace-candidat-reclamation.png"), full_page=True)
    assert erreurs_csp == []


@pytest.mark.parametrize(
    ("persona", "pages"),
    [
        pytest.param(
            "etablissement",
            [
                "/",
                "/etablissement/",
                "/etablissement/?incomplets=1",
                "/etablissement/candidats/{lea}/",
                "/etablissement/candidats/{hugo}/ccf/",
            ],
            id="établissement",
        ),
        pytest.param(
            "candidat",
            [
                "/mon-espace/",
                "/mon-espace/reclamations/nouvelle/?epreuve=E4",
                "/mon-espace/reclamations/{reclamation}/",
            ],
            id="candidat",
        ),
        pytest.param(
            "gestionnaire-pilote", ["/reclamations/", "/reclamations/{reclamation}/"], id="gestionnaire (réclamations)"
        ),
    ],
)
def test_aucune_violation_grave_d_accessibilite_dans_les_espaces(
    espaces: Any, navigateur: Any, live_server: Any, monde: Any, persona: str, pages: list[str]
) -> None:
    # axe-core est injecté par un script en ligne : ce contexte contourne la CSP (les parcours ci-dessus la vérifient).
    page = ouvrir_session(navigateur, live_server, persona, monde.mot_de_passe, bypass_csp=True)
    constats = {}
    for chemin in pages:
        adresse = chemin.format(lea=monde.lea.pk, hugo=monde.hugo.pk, reclamation=espaces.reclamation_lea.pk)
        reponse = page.goto(adresse)
        assert reponse.status == 200, adresse
        constats[adresse] = violations_graves(page)
    # Un formulaire en erreur aussi : erreurs reliées aux champs.
    if persona == "etablissement":
        page.goto(f"/etablissement/candidats/{monde.hugo.pk}/")
        page.get_by_role("button", name="Déposer la pièce").click()
        constats["dépôt en erreur"] = violations_graves(page)
    assert {k: v for k, v in constats.items() if v} == {}
    page.context.close()
