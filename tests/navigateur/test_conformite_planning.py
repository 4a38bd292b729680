"""Dans un vrai navigateur : le contrôle de conformité (file filtrée, dossier, décision notifiée) et le planning
d'un centre (grille, déplacement refusé puis accepté, publication, désistement et replanification) ; aucune
violation de la politique de sécurité du contenu, aucune violation d'accessibilité grave (axe-core, WCAG A et AA).
Les captures vont dans le dossier `captures` (docs/captures/web/ avec EXAMENS_CAPTURES=1)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction

from csp import violation_csp
from navigateur.test_parcours_navigateur import ouvrir_session, violations_graves

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]
PARIS = ZoneInfo("Europe/Paris")


def _erreurs_csp(page: Any) -> list[str]:
    erreurs: list[str] = []
    page.on("console", lambda m: erreurs.append(m.text) if violation_csp(m) else None)
    return erreurs


# --------------------------------------------------------------------------- contrôle de conformité


@dataclass
class Conformite:
    dossier_e4: int
    dossier_e6: int


@pytest.fixture
def conformite(monde_garni: Any) -> Conformite:
    """Écrit avant le lancement du navigateur : Léa a fait 16 semaines de stage attestées, et sa note E6 est
    suspendue (un doute à lever)."""
    from examens.apps.candidats.models import PeriodeStage
    from examens.apps.dossiers.models import Dossier
    from examens.apps.notes.models import Resultat

    PeriodeStage.objects.create(
        candidat=monde_garni.lea, entreprise="Michelin", debut=dt.date(2021, 1, 4), fin=dt.date(2021, 4, 25)
    )
    Resultat.objects.filter(candidat=monde_garni.lea, epreuve="E6").update(suspendue=True)
    return Conformite(
        Dossier.objects.get(candidat=monde_garni.lea, epreuve="E4").pk,
        Dossier.objects.get(candidat=monde_garni.lea, epreuve="E6").pk,
    )


def test_controle_de_conformite(
    conformite: Conformite, navigateur: Any, live_server: Any, monde: Any, captures: Path
) -> None:
    page = ouvrir_session(navigateur, live_server, "gestionnaire-pilote", monde.mot_de_passe)
    erreurs_csp = _erreurs_csp(page)
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Conformité").click()
    page.wait_for_url(f"{live_server.url}/conformite/")
    assert page.get_by_role("heading", level=1).inner_text() == "Contrôle de conformité des dossiers"
    page.get_by_label("Statut").select_option("non_conforme")
    page.get_by_label("Épreuve").select_option("E4")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_url("**/conformite/?*statut=non_conforme*")
    lignes = page.locator("#file-dossiers tbody tr")
    assert lignes.count() > 0
    assert all("non conforme" in t.lower() and "E4" in t for t in lignes.all_inner_texts())  # badges en capitales
    page.screenshot(path=str(captures / "conformite-file.png"), full_page=True)

    # Le dossier E4 de Léa : déclaré non conforme (dépôt tardif) ; l'établissement est notifié.
    page.goto(f"/conformite/dossiers/{conformite.dossier_e4}/")
    assert "Dossier E4 — MARTIN Léa" in page.get_by_role("heading", level=1).inner_text()
    assert (
        "112 jours, soit 16 semaines"
        in page.get_by_role("table", name="Périodes de stage ou d'emploi et leurs pièces").inner_text()
    )
    assert page.get_by_label("Dossier conforme", exact=True).is_checked()  # ce que le règlement conclut
    # Les boutons du DSFR masquent l'élément natif sous son libellé : on coche au travers (force).
    page.get_by_label("Dossier non conforme").check(force=True)
    page.get_by_label("dépôt après la date limite").check(force=True)
    page.get_by_label("Motifs").fill("Dossier déposé le 1er avril, après la date limite.")
    page.get_by_role("button", name="Enregistrer la décision").click()
    page.wait_for_url(f"{live_server.url}/conformite/dossiers/{conformite.dossier_e4}/")
    alerte = page.locator(".fr-alert--success").inner_text()
    assert "dossier E4 non conforme" in alerte
    assert "Épreuve(s) mise(s) en NV : E4." in alerte
    assert "Notification envoyée à 1 destinataire(s)" in alerte
    page.reload()  # l'envoi part après l'enregistrement : le journal le montre
    envois = page.get_by_role("table", name="Courriels au candidat et à son établissement (journal des envois)")
    assert "etablissement@exemple.fr" in envois.inner_text()
    page.screenshot(path=str(captures / "conformite-dossier.png"), full_page=True)

    # Le doute sur le dossier E6 : vérifié, la note est rétablie.
    page.goto(f"/conformite/dossiers/{conformite.dossier_e6}/")
    assert page.get_by_role("heading", name="Note suspendue : un doute sur le dossier est à lever").is_visible()
    page.get_by_label("Dossier conforme : la note est rétablie").check(force=True)
    page.get_by_label("Ce que la vérification a établi").fill("Attestations signées et visées, produites.")
    page.get_by_role("button", name="Enregistrer la levée de doute").click()
    page.wait_for_url(f"{live_server.url}/conformite/dossiers/{conformite.dossier_e6}/")
    assert "la note suspendue est rétablie" in page.locator(".fr-alert--success").inner_text()
    assert page.get_by_role("button", name="Enregistrer la levée de doute").count() == 0
    assert erreurs_csp == []
    page.context.close()

    constats = _accessibilite(
        navigateur,
        live_server,
        monde,
        "gestionnaire-pilote",
        ["/conformite/", "/conformite/?statut=zzz", f"/conformite/dossiers/{conformite.dossier_e6}/"],
    )
    constats |= _accessibilite(
        navigateur, live_server, monde, "chef-de-centre", [f"/conformite/dossiers/{conformite.dossier_e4}/"]
    )
    assert {k: v for k, v in constats.items() if v} == {}


def _accessibilite(navigateur: Any, live_server: Any, monde: Any, persona: str, pages: list[str]) -> dict[str, Any]:
    """axe-core est injecté par un script en ligne : ce contexte contourne la CSP (les parcours la vérifient)."""
    page = ouvrir_session(navigateur, live_server, persona, monde.mot_de_passe, bypass_csp=True)
    constats = {}
    for chemin in pages:
        page.goto(chemin)
        constats[f"{persona} {chemin}"] = violations_graves(page)
    page.context.close()
    return constats


# --------------------------------------------------------------------------- planning d'un centre


@dataclass
class Planning:
    centre: int
    version: int
    passage: int  # un E4, déplacé
    conflit: tuple[str, str]  # (jour, heure) d'un autre passage de sa commission
    libre: tuple[str, str]  # un créneau que le vérificateur accepte


@pytest.fixture
def planning(monde_garni: Any) -> Planning:
    """C1 planifié par le glouton ; un créneau en conflit et un créneau libre pour un passage E4, trouvés avant le
    lancement du navigateur (essais annulés : rien n'est gardé)."""
    from examens.apps.planification.erreurs import DeplacementRefuse
    from examens.apps.planification.models import Passage
    from examens.apps.planification.services import deplacer_passage, planifier_centre
    from web.planning_monde import centre_planifiable

    monde = monde_garni
    centre_planifiable(monde)
    version = planifier_centre(monde.c1, session=monde.session, par="dec-clermont", solveur="glouton").version
    e4 = Passage.objects.filter(version=version, epreuve="E4").select_related("commission", "candidat").first()
    autre = Passage.objects.filter(version=version, commission=e4.commission).exclude(pk=e4.pk).first()
    local = autre.debut.astimezone(PARIS)
    conflit = (local.date().isoformat(), f"{local:%H:%M}")

    class Annule(Exception):
        pass

    libre = None
    for jour in ("2022-05-31", "2022-05-30"):
        for minutes in range(17 * 60, 13 * 60, -5):
            heure = dt.time(minutes // 60, minutes % 60)
            try:
                with transaction.atomic():
                    deplacer_passage(
                        passage=e4,
                        commission=e4.commission.code,
                        date=dt.date.fromisoformat(jour),
                        debut=heure,
                        par="essai",
                        motif="essai",
                    )
                    raise Annule
            except DeplacementRefuse:
                continue
            except Annule:
                libre = (jour, f"{heure:%H:%M}")
                break
        if libre:
            break
    assert libre is not None
    return Planning(monde.c1.pk, version.pk, e4.pk, conflit, libre)


def test_planning_d_un_centre(
    planning: Planning, navigateur: Any, live_server: Any, monde: Any, captures: Path
) -> None:
    page = ouvrir_session(navigateur, live_server, "gestionnaire-pilote", monde.mot_de_passe)
    erreurs_csp = _erreurs_csp(page)
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Plannings").click()
    page.wait_for_url(f"{live_server.url}/planning/")
    page.get_by_role("link", name="Lycée Sidoine-Apollinaire (0630001J)").click()
    page.wait_for_url(f"{live_server.url}/planning/centres/{planning.centre}/*")
    assert "Planning des oraux — Lycée Sidoine-Apollinaire" in page.get_by_role("heading", level=1).inner_text()
    assert page.locator("table caption", has_text="Lundi 30 mai 2022").count() == 1
    assert page.get_by_role("heading", name="Attente (minutes)").is_visible()
    page.screenshot(path=str(captures / "planning-centre.png"), full_page=True)

    # Un passage E4 : déplacé sur le créneau d'un autre passage de sa commission → refusé, règle nommée.
    page.goto(f"/planning/passages/{planning.passage}/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Passage E4")
    page.get_by_label("Jour").select_option(planning.conflit[0])
    page.get_by_label("Début de l'épreuve").fill(planning.conflit[1])
    page.get_by_label("Motif du déplacement").fill("Demande du candidat")
    page.get_by_role("button", name="Vérifier et déplacer").click()
    refus = page.locator("#refus-deplacement")
    refus.wait_for()
    assert "règle 4 : commission et examinateur jamais à deux endroits" in refus.inner_text()
    page.screenshot(path=str(captures / "planning-deplacement-refuse.png"), full_page=True)

    # Sur un créneau libre → version 2, brouillon, relue par le vérificateur ; puis publiée.
    page.get_by_label("Jour").select_option(planning.libre[0])
    page.get_by_label("Début de l'épreuve").fill(planning.libre[1])
    page.get_by_label("Motif du déplacement").fill("Demande du candidat")
    page.get_by_role("button", name="Vérifier et déplacer").click()
    page.wait_for_url(f"{live_server.url}/planning/centres/{planning.centre}/*version=*")
    assert "Passage déplacé : version 2 enregistrée" in page.locator(".fr-alert--success").inner_text()
    page.get_by_role("button", name="Publier la version 2").click()
    page.wait_for_url(f"{live_server.url}/planning/centres/{planning.centre}/*")
    assert "Version 2 publiée" in page.locator(".fr-alert--success").inner_text()

    # Désistement de l'examinateur d'anglais, puis replanification : le nombre de passages déplacés s'affiche.
    page.get_by_label("Examinateur qui se désiste").select_option(label="Alex NOM-P07 (P07)")
    page.get_by_label("Motif", exact=True).fill("Hospitalisé")
    page.get_by_role("button", name="Enregistrer et replanifier").click()
    page.wait_for_url(f"{live_server.url}/planning/centres/{planning.centre}/*version=*")
    succes = page.locator(".fr-alert--success").inner_text()
    assert "Version 3 enregistrée (brouillon)" in succes
    assert "passage(s) déplacé(s) par rapport à la version 2" in succes
    assert page.locator("table caption", has_text="Passages non planifiés et leur raison").count() == 1
    page.screenshot(path=str(captures / "planning-replanifie.png"), full_page=True)
    page.get_by_role("link", name="Par salle").click()
    page.wait_for_url("**vue=salle*")
    assert page.locator("th[scope=row]", has_text="Informatique 1").count() >= 1
    assert erreurs_csp == []
    page.context.close()

    constats = _accessibilite(
        navigateur,
        live_server,
        monde,
        "gestionnaire-pilote",
        [
            "/planning/",
            f"/planning/centres/{planning.centre}/",
            f"/planning/centres/{planning.centre}/?vue=salle",
            f"/planning/passages/{planning.passage}/",
        ],
    )
    constats |= _accessibilite(
        navigateur, live_server, monde, "chef-de-centre", [f"/planning/centres/{planning.centre}/"]
    )
    assert {k: v for k, v in constats.items() if v} == {}
