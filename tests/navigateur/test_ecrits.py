"""Dans Chromium, les pages des épreuves écrites : le chef du centre C1 lit la répartition de son centre (salles,
places, heures locales avec la fin au tiers temps et la sortie possible) puis saisit les présents et absents
d'une salle ; le correcteur ouvre son lot et fait la première saisie par numéro d'anonymat, sans jamais voir un
nom ; la gestionnaire lit l'harmonisation et ses graphiques SVG ; le correcteur est refusé (403) sur la table de
correspondance. Aucune violation d'accessibilité grave (axe-core, WCAG A et AA) ni de la politique de sécurité
du contenu ; captures dans docs/captures/web/ (EXAMENS_CAPTURES=1)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from csp import violation_csp
from navigateur.test_parcours_navigateur import ouvrir_session, violations_graves

# Les fabriques des écrits (tests/apps, sans __init__.py) s'importent par leur nom, comme dans tests/apps : ce
# dossier n'est sur le chemin que si pytest y a collecté un test. On l'ajoute pour lancer ce fichier seul.
FABRIQUES = str(Path(__file__).resolve().parents[1] / "apps")
if FABRIQUES not in sys.path:
    sys.path.append(FABRIQUES)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


@pytest.fixture
def ecrits(monde_garni: Any) -> dict[str, Any]:
    """Écrit avant le lancement du navigateur (voir navigateur/conftest.py). E1 et E3 au calendrier, les trois
    centres répartis (C1 : une salle d'écrit et une loge, où compose Camille DURAND au tiers temps). E1 : aucune
    présence saisie. E3 : tous présents, copies anonymisées en lots ; le lot de C1 confié au correcteur X0001
    (persona « examinateur »), sans saisie ; le lot de C2 confié à X0002 et corrigé (14,5 partout)."""
    from fabriques_deliberation import candidat
    from fabriques_ecrits import calendrier, correcteur, corriger, salles, tous_presents

    from examens.apps.candidats.models import Candidat
    from examens.apps.ecrits import services
    from examens.apps.ecrits.models import Copie, Correspondance, Lot, Place
    from examens.apps.organisation.models import Salle

    m = monde_garni
    epreuves = calendrier(m.session, "E1", "E3")
    candidat(
        m.session,
        numero="22-000901",
        centre=m.c1,
        etablissement=m.lycee,
        nom="DURAND",
        prenoms="Camille",
        temps_majore=True,
    )
    salles(m.c1, ("A12", "ecrit", 30), ("L1", "loge", 3))
    salles(m.c2, ("B04", "ecrit", 30))
    salles(m.l1, ("C01", "ecrit", 10))
    for centre in (m.c1, m.c2, m.l1):
        services.repartir_centre(session=m.session, centre=centre, acteur="dec", appliquer=True)
    e1, e3 = epreuves["E1"], epreuves["E3"]
    tous_presents(e3)
    services.constituer_lots(epreuve=e3, acteur="dec", appliquer=True)
    lot_c1 = Lot.objects.get(epreuve=e3, centre_correction=m.c1)
    services.affecter_lot(lot=lot_c1, correcteur=m.examinateur_x, acteur="dec")
    lot_c2 = Lot.objects.get(epreuve=e3, centre_correction=m.c2)
    services.affecter_lot(lot=lot_c2, correcteur=correcteur(m.session, "X0002", m.clermont), acteur="dec")
    corriger(lot_c2, defaut="14,5")

    a12 = Salle.objects.get(centre=m.c1, nom="A12")
    places_a12 = list(Place.objects.filter(epreuve=e1, salle=a12).select_related("candidat").order_by("numero"))
    candidats_lot = Candidat.objects.filter(
        pk__in=Correspondance.objects.filter(copie__lot=lot_c1).values("candidat_id")
    )
    absent = places_a12[0].candidat
    return {
        "repartition": f"/ecrits/centres/{m.c1.pk}/repartition/",
        "presences_a12": f"/ecrits/centres/{m.c1.pk}/epreuves/{e1.pk}/salles/{a12.pk}/presences/",
        "effectif_a12": len(places_a12),
        "absent": f"{absent.nom} {absent.prenoms}",
        "lot": lot_c1.code,
        "saisie_1": f"/ecrits/lots/{lot_c1.pk}/saisie-1/",
        "saisie_2": f"/ecrits/lots/{lot_c1.pk}/saisie-2/",
        "numeros": sorted(Copie.objects.filter(lot=lot_c1).values_list("numero", flat=True)),
        "noms_du_lot": [(c.nom, c.numero) for c in candidats_lot],
        "harmonisation": f"/ecrits/epreuves/{e3.pk}/harmonisation/",
        "correspondance": f"/ecrits/epreuves/{e3.pk}/correspondance/",
    }


class Controle:
    """Chaque parcours est joué deux fois : sous la politique de sécurité du contenu, dont aucune violation ne
    doit paraître dans la console ; puis sans elle (`bypass_csp`, comme test_deliberation), pour injecter
    axe-core à chaque étape, formulaires envoyés compris."""

    def __init__(self, page: Any, *, axe: bool) -> None:
        self.page = page
        self.axe = axe
        self.erreurs_csp: list[str] = []
        self.violations: dict[str, list[str]] = {}
        page.on("console", lambda m: self.erreurs_csp.append(m.text) if violation_csp(m) else None)

    def accessibilite(self, etape: str) -> None:
        if self.axe:
            self.violations[etape] = violations_graves(self.page)

    def bilan(self) -> None:
        assert {k: v for k, v in self.violations.items() if v} == {}
        assert self.erreurs_csp == []
        self.page.context.close()


@pytest.fixture(params=["csp", "axe"])
def ouvrir(request: Any, navigateur: Any, live_server: Any, monde: Any) -> Any:
    axe = request.param == "axe"

    def connexion(identifiant: str) -> Controle:
        page = ouvrir_session(navigateur, live_server, identifiant, monde.mot_de_passe, bypass_csp=axe)
        return Controle(page, axe=axe)

    return connexion


def test_le_chef_de_centre_lit_la_repartition_et_saisit_les_presences(
    ecrits: dict[str, Any], ouvrir: Any, captures: Path
) -> None:
    controle = ouvrir("chef-de-centre")
    page = controle.page
    page.goto(ecrits["repartition"])
    assert page.get_by_role("heading", level=1).inner_text().startswith("Épreuves écrites — Lycée Sidoine-Apollinaire")
    e1 = page.locator("section", has=page.get_by_role("heading", level=2, name="E1"))
    # E1 à 14 h 00 (heure de Paris), 4 heures, 1 heure de loge : fin 18 h 00, 19 h 20 au tiers temps, sortie 15 h 00.
    assert e1.locator(".fr-tag").all_inner_texts() == [
        "Début lundi 16 mai 2022 à 14 h 00",
        "Fin 18 h 00",
        "Fin au tiers temps 19 h 20",
        "Sortie possible dès 15 h 00",
    ]
    lignes = e1.locator("tbody tr")
    assert lignes.count() == 2
    assert {lignes.nth(i).get_by_role("rowheader").inner_text().split()[0] for i in range(2)} == {"A12", "L1"}
    colonnes = e1.locator("tbody tr", has_text="A12").locator("td")
    # Places, candidats, présents, absents.
    assert colonnes.all_inner_texts()[:4] == ["30", str(ecrits["effectif_a12"]), "0", "0"]
    controle.accessibilite("répartition")
    page.screenshot(path=str(captures / "ecrits-repartition.png"), full_page=True)

    # La loge : Camille DURAND compose au tiers temps.
    e1.get_by_role("link", name="Saisir les présences de la salle L1 en E1").click()
    page.wait_for_url("**/presences/")
    assert "tiers temps" in page.locator("tbody tr", has_text="DURAND Camille").inner_text()
    heures = page.get_by_text("Début lundi 16 mai 2022 à 14 h 00").inner_text()
    assert "fin 18 h 00, 19 h 20 au tiers temps ; sortie possible dès 15 h 00" in heures
    controle.accessibilite("présences L1")

    page.goto(ecrits["presences_a12"])
    assert page.get_by_role("heading", level=1).inner_text() == "Présences — E1, salle A12"
    tables = page.locator("tbody tr td:first-child").all_inner_texts()
    assert len(tables) == ecrits["effectif_a12"]
    assert len(set(tables)) == len(tables)  # une table par candidat
    controle.accessibilite("présences A12")
    for bouton in page.get_by_role("radio", name="présent", exact=True).all():
        bouton.check(force=True)  # le libellé DSFR recouvre le bouton radio (comme test_conformite_planning)
    absent = page.get_by_role("group", name=ecrits["absent"]).get_by_role("radio", name="absent", exact=True)
    absent.check(force=True)
    page.get_by_role("button", name="Enregistrer les présences").click()
    page.wait_for_load_state()
    message = page.get_by_role("alert").first.inner_text()
    assert f"{ecrits['effectif_a12'] - 1} présent(s), 1 absent(s), 0 à saisir" in message
    assert absent.is_checked()
    controle.accessibilite("présences A12 enregistrées")
    page.screenshot(path=str(captures / "ecrits-presences.png"), full_page=True)

    page.get_by_role("link", name="Répartition du centre Lycée Sidoine-Apollinaire").click()
    page.wait_for_url("**/repartition/*")
    assert colonnes.all_inner_texts()[2:4] == [str(ecrits["effectif_a12"] - 1), "1"]
    controle.bilan()


def test_le_correcteur_saisit_son_lot_par_numero_d_anonymat(
    ecrits: dict[str, Any], ouvrir: Any, captures: Path
) -> None:
    controle = ouvrir("examinateur")
    page = controle.page
    lot, numeros = ecrits["lot"], ecrits["numeros"]
    page.goto("/ecrits/lots/")
    assert page.get_by_role("heading", level=1).inner_text() == "Mes lots de copies"
    lignes = page.locator("tbody tr")
    assert lignes.count() == 1  # le lot de C2, confié à un autre correcteur, n'y est pas
    assert lignes.first.get_by_role("rowheader").inner_text() == lot
    controle.accessibilite("mes lots")
    page.get_by_role("link", name=f"Saisie 1 du lot {lot}").click()
    page.wait_for_url(f"**{ecrits['saisie_1']}")
    assert page.get_by_role("heading", level=1).inner_text() == f"Lot {lot} — saisie 1"
    assert sorted(page.locator("tbody th[scope=row]").all_inner_texts()) == numeros
    controle.accessibilite("saisie 1")

    notes = {numero: ("12,5" if k % 2 else "9") for k, numero in enumerate(numeros)}
    for numero, valeur in notes.items():
        page.get_by_label(numero, exact=True).fill(valeur)
    relues = {numero: ("12,50" if k % 2 else "9,00") for k, numero in enumerate(numeros)}  # au centième
    page.get_by_role("button", name="Enregistrer la saisie 1").click()
    page.wait_for_load_state()
    message = page.get_by_role("alert").first.inner_text()
    assert f"{len(numeros)} saisie(s) enregistrée(s), 0 note(s) validée(s)" in message
    assert {n: page.get_by_label(n, exact=True).input_value() for n in numeros} == relues
    controle.accessibilite("saisie 1 enregistrée")
    page.screenshot(path=str(captures / "ecrits-saisie-lot.png"), full_page=True)

    # Numéros d'anonymat seulement : ni nom ni numéro de candidat. La seconde saisie ne montre pas la première.
    texte = page.content()
    assert len(ecrits["noms_du_lot"]) == len(numeros)
    assert [(nom, numero) for nom, numero in ecrits["noms_du_lot"] if nom in texte or numero in texte] == []
    page.goto(ecrits["saisie_2"])
    assert [page.get_by_label(n, exact=True).input_value() for n in numeros] == [""] * len(numeros)
    controle.bilan()


def test_la_gestionnaire_lit_l_harmonisation_et_ses_graphiques(
    ecrits: dict[str, Any], ouvrir: Any, captures: Path
) -> None:
    controle = ouvrir("gestionnaire-pilote")
    page = controle.page
    page.goto(ecrits["harmonisation"])
    assert page.get_by_role("heading", level=1).inner_text() == "Harmonisation — E3"
    for titre in ("Distribution des notes de E3 (après harmonisation)", "Moyenne par correcteur (avant harmonisation)"):
        graphique = page.get_by_role("img", name=titre)
        assert graphique.is_visible()
        assert graphique.evaluate("e => e.tagName") == "svg"
    assert page.locator("svg.graphique").count() == 2
    par_correcteur = page.locator("table", has_text="Statistiques des notes par correcteur")
    assert "14,50" in par_correcteur.locator("tbody tr", has_text="X0002").inner_text()
    assert ecrits["lot"] in page.locator("table", has_text="Lots de l'épreuve E3").inner_text()
    controle.accessibilite("harmonisation")
    page.screenshot(path=str(captures / "ecrits-harmonisation.png"), full_page=True)
    controle.bilan()


def test_le_correcteur_est_refuse_sur_la_correspondance(ecrits: dict[str, Any], ouvrir: Any) -> None:
    controle = ouvrir("examinateur")
    page = controle.page
    reponse = page.goto(ecrits["correspondance"])
    assert reponse is not None
    assert reponse.status == 403
    texte = page.content()
    assert [n for n in ecrits["numeros"] if n in texte] == []
    controle.accessibilite("correspondance refusée")
    controle.bilan()
