"""Dans un vrai navigateur, la présidente du jury délibère : simulation puis décisions, livret scolaire examiné
(mention PIX), points de jury motivés, verrouillage, procès-verbal anonyme émis puis téléchargé, publication.
Aucune violation d'accessibilité grave (axe-core, WCAG A et AA) ni de la politique de sécurité du contenu ;
captures dans docs/captures/web/ (EXAMENS_CAPTURES=1)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from csp import violation_csp
from navigateur.test_parcours_navigateur import ouvrir_session, violations_graves

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


@pytest.fixture
def jury_pret(monde_garni: Any) -> dict[str, str]:
    """Hugo (confié au jury) a fourni un livret et a 6 partout : ajourné, mais pas avant l'examen du livret.
    Écrit avant le lancement du navigateur (voir navigateur/conftest.py). Rend les adresses et son anonymat."""
    from examens.apps.candidats.models import Candidat
    from examens.apps.jury.anonymat import numero_anonyme
    from examens.apps.notes.models import Resultat

    m = monde_garni
    Candidat.objects.filter(pk=m.hugo.pk).update(livret_scolaire=True)
    Resultat.objects.bulk_create(
        Resultat(candidat=m.hugo, epreuve=e, note_examinateur=Decimal(6))
        for e in ("E1", "E2", "E3", "E4", "E5A", "E5B", "E6")
    )
    Resultat.objects.update(suspendue=False)
    return {
        "jury": f"/deliberation/jurys/{m.jury.pk}/",
        "hugo": f"/deliberation/jurys/{m.jury.pk}/candidats/{m.hugo.pk}/",
        "lea": f"/deliberation/jurys/{m.jury.pk}/candidats/{m.lea.pk}/",
        "anonyme": numero_anonyme(m.session.code, m.hugo.numero),
    }


def test_la_presidente_delibere_verrouille_edite_et_publie(
    jury_pret: dict[str, str], navigateur: Any, live_server: Any, monde: Any, captures: Path
) -> None:
    page = ouvrir_session(navigateur, live_server, "presidente", monde.mot_de_passe, accept_downloads=True)
    erreurs_csp: list[str] = []
    page.on("console", lambda m: erreurs_csp.append(m.text) if violation_csp(m) else None)

    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Délibération").click()
    page.wait_for_url("**/deliberation/")
    page.get_by_role("link", name="Jury — Clermont-Ferrand").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Délibération — Jury — Clermont-Ferrand"

    page.get_by_role("button", name="Simuler la délibération").click()
    assert page.get_by_role("heading", name="Simulation : rien n'est enregistré").is_visible()
    page.get_by_role("button", name="Délibérer et enregistrer les décisions").click()
    assert "Délibération enregistrée" in page.get_by_role("alert").first.inner_text()

    # Le livret d'Hugo n'est pas examiné : il est « en attente », pas ajourné (§4.8).
    page.get_by_label("Décision en vigueur").select_option("livret_a_examiner")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_url("**decision=livret_a_examiner*")
    lignes = page.locator("#candidats-jury tbody tr")
    assert lignes.count() == 1
    assert "en attente" in lignes.first.inner_text().lower()
    page.get_by_role("link", name=jury_pret["anonyme"]).click()
    assert page.get_by_role("heading", level=1).inner_text() == f"Candidat {jury_pret['anonyme']}"
    assert "BERNARD" not in page.content()
    page.get_by_label("Mention PIX portée au livret").select_option("certifie")
    page.get_by_label("Observations du jury").fill("Assiduité et progrès constants.")
    page.get_by_role("button", name="Livret examiné").click()
    assert "Livret scolaire examiné" in page.get_by_role("alert").first.inner_text()
    assert page.get_by_text("certification PIX obtenue").is_visible()

    page.get_by_label("Épreuve", exact=True).select_option("E3")
    page.get_by_label("Note après jury").fill("7")
    page.get_by_label("Motif des points de jury").fill("Harmonisation avec la commission.")
    page.get_by_role("button", name="Enregistrer les points de jury").click()
    assert "E3 : note après jury enregistrée" in page.get_by_role("alert").first.inner_text()
    page.screenshot(path=str(captures / "deliberation-candidat.png"), full_page=True)

    page.goto(jury_pret["jury"])
    page.get_by_role("button", name="Délibérer et enregistrer les décisions").click()
    page.get_by_role("button", name="Verrouiller la délibération").click()
    assert "Délibération verrouillée" in page.get_by_role("alert").first.inner_text()
    page.get_by_role("button", name="Éditer le procès-verbal anonyme").click()
    alertes = " ".join(page.get_by_role("alert").all_inner_texts())
    assert "Avant de signer" in alertes  # un enseignant, aucun professionnel : rappel, pas blocage
    assert "Procès-verbal anonyme : nouvelle version émise." in alertes
    with page.expect_download() as telechargement:
        page.get_by_role("button", name="Télécharger Procès-verbal anonyme").click()
    fichier = telechargement.value
    assert fichier.suggested_filename.startswith("pv-deliberation-jury-")
    assert Path(fichier.path()).read_bytes().startswith(b"%PDF")
    page.get_by_role("button", name="Publier de nouveau les résultats").click()
    assert "Résultats publiés" in page.get_by_role("alert").first.inner_text()
    page.screenshot(path=str(captures / "deliberation-jury.png"), full_page=True)

    # Verrouillée : la page du candidat est en consultation seule.
    page.goto(jury_pret["hugo"])
    assert page.get_by_text("consultation seule").is_visible()
    assert page.get_by_role("button", name="Enregistrer les points de jury").count() == 0
    assert erreurs_csp == []
    page.context.close()


def test_aucune_violation_grave_d_accessibilite(
    jury_pret: dict[str, str], navigateur: Any, live_server: Any, monde: Any
) -> None:
    page = ouvrir_session(navigateur, live_server, "presidente", monde.mot_de_passe, bypass_csp=True)
    constats = {}
    for adresse in ("/deliberation/", jury_pret["jury"], jury_pret["hugo"], jury_pret["lea"]):
        page.goto(adresse)
        constats[adresse] = violations_graves(page)
    page.get_by_role("button", name="Délibérer et enregistrer les décisions").count()  # page chargée
    page.goto(jury_pret["jury"])
    page.get_by_role("button", name="Simuler la délibération").click()
    constats["simulation"] = violations_graves(page)
    assert {k: v for k, v in constats.items() if v} == {}
    page.context.close()
