"""La matrice des permissions des écrans « contrôle de conformité » et « planning d'un centre » : chaque page ×
chaque persona → le code HTTP attendu, et chaque action (POST) × persona.

Le gestionnaire pilote voit toute la session ; celui de Lyon, son académie (le centre L1, Inès) ; le chef du
centre C1, son centre (Léa) et ne décide pas de la conformité ni ne publie ; la présidente de jury,
l'examinateur, l'établissement et le candidat n'ont pas ces écrans (403). Un dossier, un centre, une version ou un
passage hors du périmètre est introuvable (404). Personas : `tests/conftest.py` ; plannings : `planning_monde.py`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from examens.apps.dossiers.models import DecisionConformite
from examens.apps.notes.models import Resultat
from examens.apps.planification.models import VersionPlanning
from personas import PERSONAS
from web.planning_monde import PlanningEcrit, planning_ecrit

pytestmark = pytest.mark.django_db


Adresse = Callable[[Any, PlanningEcrit], str]
PAGES: dict[str, Adresse] = {
    "file de conformité": lambda m, p: "/conformite/",
    "file filtrée (non conformes, E4, Lyon)": lambda m, p: (
        f"/conformite/?statut=non_conforme&epreuve=E4&academie={m.lyon.pk}"
    ),
    "file d'une autre session": lambda m, p: f"/conformite/?session={m.autre_session.code}",
    "dossier E4 de Léa (C1)": lambda m, p: f"/conformite/dossiers/{p.dossier_lea.pk}/",
    "dossier E4 d'Hugo (C2)": lambda m, p: f"/conformite/dossiers/{p.dossier_hugo.pk}/",
    "dossier E6 d'Inès (Lyon)": lambda m, p: f"/conformite/dossiers/{p.dossier_ines.pk}/",
    "dossier inexistant": lambda m, p: "/conformite/dossiers/999999/",
    "plannings des centres": lambda m, p: "/planning/",
    "plannings d'une autre session": lambda m, p: f"/planning/?session={m.autre_session.code}",
    "planning du centre C1": lambda m, p: f"/planning/centres/{m.c1.pk}/",
    "planning de C1 par salle": lambda m, p: f"/planning/centres/{m.c1.pk}/?vue=salle&version={p.version_c1.pk}",
    "planning du centre L1 (Lyon)": lambda m, p: f"/planning/centres/{m.l1.pk}/",
    "planning de C1 avec la version de L1": lambda m, p: f"/planning/centres/{m.c1.pk}/?version={p.version_l1.pk}",
    "centre inexistant": lambda m, p: "/planning/centres/999999/",
    "passage de Léa (C1)": lambda m, p: f"/planning/passages/{p.passage_lea.pk}/",
    "passage d'Inès (L1)": lambda m, p: f"/planning/passages/{p.passage_ines.pk}/",
    "passage inexistant": lambda m, p: "/planning/passages/999999/",
}

# Colonnes dans l'ordre de PERSONAS :
#   anonyme, sans habilitation, pilote, Lyon, chef de centre, examinateur, présidente, établissement, candidat
MATRICE: dict[str, tuple[int, ...]] = {
    "file de conformité": (302, 403, 200, 200, 200, 403, 403, 403, 403),
    "file filtrée (non conformes, E4, Lyon)": (302, 403, 200, 200, 200, 403, 403, 403, 403),
    "file d'une autre session": (302, 403, 404, 404, 404, 404, 404, 404, 404),
    "dossier E4 de Léa (C1)": (302, 403, 200, 404, 200, 403, 403, 403, 403),
    "dossier E4 d'Hugo (C2)": (302, 403, 200, 404, 404, 403, 403, 403, 403),
    "dossier E6 d'Inès (Lyon)": (302, 403, 200, 200, 404, 403, 403, 403, 403),
    "dossier inexistant": (302, 403, 404, 404, 404, 403, 403, 403, 403),
    "plannings des centres": (302, 403, 200, 200, 200, 403, 403, 403, 403),
    "plannings d'une autre session": (302, 403, 404, 404, 404, 404, 404, 404, 404),
    "planning du centre C1": (302, 403, 200, 404, 200, 403, 403, 403, 403),
    "planning de C1 par salle": (302, 403, 200, 404, 200, 403, 403, 403, 403),
    "planning du centre L1 (Lyon)": (302, 403, 200, 200, 404, 403, 403, 403, 403),
    "planning de C1 avec la version de L1": (302, 403, 404, 404, 404, 403, 403, 403, 403),
    "centre inexistant": (302, 403, 404, 404, 404, 403, 403, 403, 403),
    "passage de Léa (C1)": (302, 403, 200, 404, 200, 403, 403, 403, 403),
    "passage d'Inès (L1)": (302, 403, 200, 200, 404, 403, 403, 403, 403),
    "passage inexistant": (302, 403, 404, 404, 404, 403, 403, 403, 403),
}


def _cas(matrice: dict[str, tuple[int, ...]]) -> list[Any]:
    return [
        pytest.param(page, persona, attendu, id=f"{page} — {persona}")
        for page, codes in matrice.items()
        for persona, attendu in zip(PERSONAS, codes, strict=True)
    ]


def test_la_matrice_couvre_toutes_les_pages() -> None:
    assert set(MATRICE) == set(PAGES)
    assert set(MATRICE_ACTIONS) == set(ACTIONS)


def _client(monde: Any, client: Client, persona: str) -> Client:
    utilisateur = monde.utilisateur(persona)
    if utilisateur is not None:
        client.force_login(utilisateur)
    return client


@pytest.mark.parametrize(("page", "persona", "attendu"), _cas(MATRICE))
def test_matrice_des_pages(monde: Any, client: Client, page: str, persona: str, attendu: int) -> None:
    plannings = planning_ecrit(monde)
    reponse = _client(monde, client, persona).get(PAGES[page](monde, plannings))
    assert reponse.status_code == attendu
    if attendu == 302:
        assert reponse["Location"].startswith("/connexion/?next=")


# --------------------------------------------------------------------------- les actions


def _decider(m: Any, p: PlanningEcrit) -> tuple[str, dict[str, Any]]:
    return f"/conformite/dossiers/{p.dossier_lea.pk}/decider/", {"decision": "conforme", "motifs": ""}


def _decider_ines(m: Any, p: PlanningEcrit) -> tuple[str, dict[str, Any]]:
    return f"/conformite/dossiers/{p.dossier_ines.pk}/decider/", {
        "decision": "non_conforme",
        "causes": ["depot_tardif"],
        "motifs": "Dossier déposé après la date limite.",
    }


def _lever_doute(m: Any, p: PlanningEcrit) -> tuple[str, dict[str, Any]]:
    Resultat.objects.filter(candidat=m.lea, epreuve="E4").update(suspendue=True)
    return f"/conformite/dossiers/{p.dossier_lea.pk}/lever-le-doute/", {"issue": "retablie", "motif": "vérifié"}


def _deplacer(m: Any, p: PlanningEcrit) -> tuple[str, dict[str, Any]]:
    return f"/planning/passages/{p.passage_lea.pk}/", {
        "commission": "K01",
        "date": "2022-05-30",
        "heure": "09:00",
        "motif": "convenance du candidat",
    }


def _deplacer_ines(m: Any, p: PlanningEcrit) -> tuple[str, dict[str, Any]]:
    _, donnees = _deplacer(m, p)
    return f"/planning/passages/{p.passage_ines.pk}/", donnees


def _publier(m: Any, p: PlanningEcrit) -> tuple[str, dict[str, Any]]:
    return f"/planning/versions/{p.version_c1.pk}/publier/", {}


def _publier_l1(m: Any, p: PlanningEcrit) -> tuple[str, dict[str, Any]]:
    return f"/planning/versions/{p.version_l1.pk}/publier/", {}


def _replanifier(m: Any, p: PlanningEcrit) -> tuple[str, dict[str, Any]]:
    # Le centre C1 du monde n'a ni loge ni disponibilités : la replanification échoue, la page le dit (200).
    return f"/planning/centres/{m.c1.pk}/replanifier/", {"examinateur": "", "motif": "essai"}


ACTIONS: dict[str, Callable[[Any, PlanningEcrit], tuple[str, dict[str, Any]]]] = {
    "décider du dossier de Léa": _decider,
    "décider du dossier d'Inès": _decider_ines,
    "lever le doute (Léa, E4)": _lever_doute,
    "déplacer le passage de Léa": _deplacer,
    "déplacer le passage d'Inès": _deplacer_ines,
    "publier le planning de C1": _publier,
    "publier le planning de L1": _publier_l1,
    "replanifier C1": _replanifier,
}
MATRICE_ACTIONS: dict[str, tuple[int, ...]] = {
    "décider du dossier de Léa": (302, 403, 302, 404, 403, 403, 403, 403, 403),
    "décider du dossier d'Inès": (302, 403, 302, 302, 403, 403, 403, 403, 403),
    "lever le doute (Léa, E4)": (302, 403, 302, 404, 403, 403, 403, 403, 403),
    "déplacer le passage de Léa": (302, 403, 302, 404, 302, 403, 403, 403, 403),
    "déplacer le passage d'Inès": (302, 403, 302, 302, 404, 403, 403, 403, 403),
    "publier le planning de C1": (302, 403, 302, 404, 403, 403, 403, 403, 403),
    "publier le planning de L1": (302, 403, 302, 302, 403, 403, 403, 403, 403),
    "replanifier C1": (302, 403, 200, 404, 403, 403, 403, 403, 403),
}


@pytest.mark.parametrize(("action", "persona", "attendu"), _cas(MATRICE_ACTIONS))
def test_matrice_des_actions(
    monde: Any, client: Client, action: str, persona: str, attendu: int, django_capture_on_commit_callbacks: Any
) -> None:
    plannings = planning_ecrit(monde)
    url, donnees = ACTIONS[action](monde, plannings)
    decisions, versions = DecisionConformite.objects.count(), VersionPlanning.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        reponse = _client(monde, client, persona).post(url, donnees)
    assert reponse.status_code == attendu
    ecrit = (DecisionConformite.objects.count(), VersionPlanning.objects.count()) != (decisions, versions)
    publie = VersionPlanning.objects.filter(statut="publie").exists()
    if attendu == 302 and persona != "anonyme":
        assert ecrit or publie, "l'action a réussi : elle a écrit"
        assert not reponse["Location"].startswith("/connexion/")
    else:
        assert not ecrit, "refusée : rien n'est écrit"
        assert not publie


def test_les_pages_d_action_refusent_get(monde: Any, client: Client) -> None:
    plannings = planning_ecrit(monde)
    client.force_login(monde.utilisateur("gestionnaire_pilote"))
    for action in (_decider, _lever_doute, _publier, _replanifier):
        url, _ = action(monde, plannings)
        assert client.get(url).status_code == 405


def test_un_centre_hors_perimetre_dans_les_filtres_est_refuse(monde: Any, client: Client) -> None:
    """Le chef du centre C1 qui écrit l'identifiant du centre de Lyon dans les filtres : choix refusé."""
    planning_ecrit(monde)
    client.force_login(monde.utilisateur("chef_de_centre"))
    contenu = client.get(f"/conformite/?centre={monde.l1.pk}&academie={monde.lyon.pk}").content.decode()
    assert "Sélectionnez un choix valide" in contenu
    assert monde.ines.numero not in contenu
    assert monde.lea.numero in contenu  # le filtre invalide est ignoré : la file de son périmètre


def test_le_chef_de_centre_lit_sans_decider_ni_publier(monde: Any, client: Client) -> None:
    plannings = planning_ecrit(monde)
    client.force_login(monde.utilisateur("chef_de_centre"))
    dossier = client.get(f"/conformite/dossiers/{plannings.dossier_lea.pk}/").content.decode()
    assert "Enregistrer la décision" not in dossier
    planning = client.get(f"/planning/centres/{monde.c1.pk}/").content.decode()
    assert "Publier la version" not in planning
    assert "Enregistrer et replanifier" not in planning
    passage = client.get(f"/planning/passages/{plannings.passage_lea.pk}/").content.decode()
    assert "Vérifier et déplacer" in passage  # il aménage le planning de son centre


def test_le_menu_ouvre_conformite_et_plannings_aux_seuls_roles_concernes(monde: Any, client: Client) -> None:
    for persona, voit in (("gestionnaire_pilote", True), ("chef_de_centre", True), ("presidente", False)):
        client.force_login(monde.utilisateur(persona))
        menu = client.get("/").content.decode()
        assert ('href="/conformite/"' in menu) is voit
        assert ('href="/planning/"' in menu) is voit
