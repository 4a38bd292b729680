"""Les pages web des écrits : matrice des permissions (page × persona → code HTTP), saisies par formulaire.

Personas du monde de `tests/conftest.py` : le chef du centre C1 n'ouvre pas le centre C2 (404) ; le correcteur
(persona « examinateur », X0001) saisit son lot, pas celui d'un autre (404), et ne voit jamais la table de
correspondance (403) ; la gestionnaire de Lyon ne voit dans la correspondance que les candidats de Lyon.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from fabriques_deliberation import candidat
from fabriques_ecrits import calendrier, corriger, salles, tous_presents

from examens.apps.ecrits import services
from examens.apps.ecrits.models import Copie, Lot, Place
from examens.apps.organisation.models import Centre, Salle
from personas import cas_de_la_matrice, verifier_acces

pytestmark = pytest.mark.django_db


@pytest.fixture
def ecrits(monde: Any) -> Any:
    """E1 dans les trois centres (Léa en C1, Hugo en C2, Inès à Lyon), tous présents ; un lot par centre ;
    le lot de C1 confié au correcteur X0001."""
    e1 = calendrier(monde.session, "E1")["E1"]
    for centre in (monde.c1, monde.c2, monde.l1):
        salles(centre, ("A", "ecrit", 10))
        services.repartir_centre(session=monde.session, centre=centre, acteur="dec", appliquer=True)
    tous_presents(e1)
    services.constituer_lots(epreuve=e1, acteur="dec", appliquer=True)
    lot_c1 = Lot.objects.get(centre_correction=monde.c1)
    services.affecter_lot(lot=lot_c1, correcteur=monde.examinateur_x, acteur="dec")
    monde.e1 = e1
    monde.lot_c1 = lot_c1
    monde.lot_c2 = Lot.objects.get(centre_correction=monde.c2)
    monde.salle_c1 = Salle.objects.get(centre=monde.c1)
    monde.salle_c2 = Salle.objects.get(centre=monde.c2)
    return monde


PAGES = {
    "répartition de C1": lambda m: f"/ecrits/centres/{m.c1.pk}/repartition/",
    "répartition de C2": lambda m: f"/ecrits/centres/{m.c2.pk}/repartition/",
    "répartition de Lyon": lambda m: f"/ecrits/centres/{m.l1.pk}/repartition/",
    "présences de C1": lambda m: f"/ecrits/centres/{m.c1.pk}/epreuves/{m.e1.pk}/salles/{m.salle_c1.pk}/presences/",
    "présences de C2": lambda m: f"/ecrits/centres/{m.c2.pk}/epreuves/{m.e1.pk}/salles/{m.salle_c2.pk}/presences/",
    "salle de C2 sous C1": lambda m: f"/ecrits/centres/{m.c1.pk}/epreuves/{m.e1.pk}/salles/{m.salle_c2.pk}/presences/",
    "mes lots": lambda m: "/ecrits/lots/",
    "saisie du lot confié": lambda m: f"/ecrits/lots/{m.lot_c1.pk}/saisie-1/",
    "saisie d'un lot d'un autre": lambda m: f"/ecrits/lots/{m.lot_c2.pk}/saisie-2/",
    "harmonisation E1": lambda m: f"/ecrits/epreuves/{m.e1.pk}/harmonisation/",
    "correspondance E1": lambda m: f"/ecrits/epreuves/{m.e1.pk}/correspondance/",
}

# Colonnes dans l'ordre de PERSONAS :
#   anonyme, sans habilitation, pilote, Lyon, chef de centre (C1), examinateur, présidente, établissement, candidat
MATRICE: dict[str, tuple[int, ...]] = {
    "répartition de C1": (302, 403, 200, 404, 200, 403, 403, 403, 403),
    "répartition de C2": (302, 403, 200, 404, 404, 403, 403, 403, 403),
    "répartition de Lyon": (302, 403, 200, 200, 404, 403, 403, 403, 403),
    "présences de C1": (302, 403, 200, 404, 200, 403, 403, 403, 403),
    "présences de C2": (302, 403, 200, 404, 404, 403, 403, 403, 403),
    "salle de C2 sous C1": (302, 403, 404, 404, 404, 403, 403, 403, 403),
    "mes lots": (302, 403, 403, 403, 403, 200, 403, 403, 403),
    "saisie du lot confié": (302, 403, 403, 403, 403, 200, 403, 403, 403),
    "saisie d'un lot d'un autre": (302, 403, 403, 403, 403, 404, 403, 403, 403),
    "harmonisation E1": (302, 403, 200, 200, 403, 403, 403, 403, 403),
    "correspondance E1": (302, 403, 200, 200, 403, 403, 403, 403, 403),
}

CAS = cas_de_la_matrice(MATRICE)


def test_la_matrice_couvre_toutes_les_pages() -> None:
    assert set(MATRICE) == set(PAGES)


@pytest.mark.parametrize(("page", "persona", "attendu"), CAS)
def test_matrice_des_permissions(ecrits: Any, client: Client, page: str, persona: str, attendu: int) -> None:
    verifier_acces(client, ecrits.utilisateur(persona), PAGES[page](ecrits), attendu)


def test_le_correcteur_ne_voit_que_des_numeros_d_anonymat(ecrits: Any, client: Client) -> None:
    client.force_login(ecrits.utilisateur("examinateur"))
    page = client.get(f"/ecrits/lots/{ecrits.lot_c1.pk}/saisie-1/").content.decode()
    (numero,) = Copie.objects.filter(lot=ecrits.lot_c1).values_list("numero", flat=True)
    assert numero in page
    assert ecrits.lea.numero not in page
    assert ecrits.lea.nom not in page
    liste = client.get("/ecrits/lots/").content.decode()
    assert ecrits.lot_c1.code in liste
    assert ecrits.lot_c2.code not in liste
    assert client.get(f"/ecrits/epreuves/{ecrits.e1.pk}/correspondance/").status_code == 403


def test_double_saisie_par_formulaire(ecrits: Any, client: Client) -> None:
    client.force_login(ecrits.utilisateur("examinateur"))
    (numero,) = Copie.objects.filter(lot=ecrits.lot_c1).values_list("numero", flat=True)
    client.post(f"/ecrits/lots/{ecrits.lot_c1.pk}/saisie-1/", {f"note-{numero}": "12,5"})
    # La seconde saisie ne montre pas la première (saisies indépendantes).
    assert 'value="12,5"' not in client.get(f"/ecrits/lots/{ecrits.lot_c1.pk}/saisie-2/").content.decode()
    reponse = client.post(f"/ecrits/lots/{ecrits.lot_c1.pk}/saisie-2/", {f"note-{numero}": "13"}, follow=True)
    assert "1 écart(s) entre les deux saisies" in reponse.content.decode()
    assert Copie.objects.get(numero=numero, lot=ecrits.lot_c1).note_initiale is None
    reponse = client.post(f"/ecrits/lots/{ecrits.lot_c1.pk}/saisie-2/", {f"note-{numero}": "12.5"}, follow=True)
    assert "1 note(s) validée(s)" in reponse.content.decode()
    reponse = client.post(f"/ecrits/lots/{ecrits.lot_c1.pk}/saisie-1/", {f"note-{numero}": "25"}, follow=True)
    assert "dépasse 20" in reponse.content.decode()


def test_saisie_des_presences_par_le_chef_de_centre(ecrits: Any, client: Client) -> None:
    client.force_login(ecrits.utilisateur("chef_de_centre"))
    adresse = f"/ecrits/centres/{ecrits.c1.pk}/epreuves/{ecrits.e1.pk}/salles/{ecrits.salle_c1.pk}/presences/"
    page = client.get(adresse).content.decode()
    assert ecrits.lea.nom in page
    assert "Début lundi 16 mai 2022 à 14 h 00" in page
    # Léa a déjà une copie anonymisée : elle ne devient plus absente ; le refus est dit en français.
    reponse = client.post(adresse, {f"presence-{ecrits.lea.pk}": "absent"}, follow=True)
    assert "déjà anonymisée" in reponse.content.decode()
    assert Place.objects.get(candidat=ecrits.lea).presence == Place.Presence.PRESENT


def test_la_correspondance_de_lyon_ne_montre_que_lyon(ecrits: Any, client: Client) -> None:
    client.force_login(ecrits.utilisateur("gestionnaire_lyon"))
    page = client.get(f"/ecrits/epreuves/{ecrits.e1.pk}/correspondance/").content.decode()
    assert ecrits.ines.numero in page
    assert ecrits.lea.numero not in page
    client.force_login(ecrits.utilisateur("gestionnaire_pilote"))
    page = client.get(f"/ecrits/epreuves/{ecrits.e1.pk}/correspondance/").content.decode()
    assert all(c.numero in page for c in (ecrits.lea, ecrits.hugo, ecrits.ines))


def test_la_page_d_harmonisation_a_ses_graphiques(ecrits: Any, client: Client) -> None:
    corriger(ecrits.lot_c1, defaut="14,5")
    client.force_login(ecrits.utilisateur("gestionnaire_pilote"))
    page = client.get(f"/ecrits/epreuves/{ecrits.e1.pk}/harmonisation/").content.decode()
    assert page.count("<svg") == 2
    assert 'aria-labelledby="distribution-titre distribution-desc"' in page
    assert "Paul LEROY (X0001)" in page
    assert "14,50" in page
    assert ecrits.lea.nom not in page


def test_les_heures_d_un_centre_de_mayotte_sont_a_l_heure_de_mayotte(ecrits: Any, client: Client) -> None:
    mamoudzou = Centre.objects.create(
        academie=ecrits.clermont, code="9760370Y", nom="Lycée des Lagons", fuseau="Indian/Mayotte"
    )
    salles(mamoudzou, ("B1", "ecrit", 5))
    candidat(ecrits.session, centre=mamoudzou, numero="22-976001")
    services.repartir_centre(session=ecrits.session, centre=mamoudzou, acteur="dec", appliquer=True)
    client.force_login(ecrits.utilisateur("gestionnaire_pilote"))
    page = client.get(f"/ecrits/centres/{mamoudzou.pk}/repartition/").content.decode()
    assert "Début lundi 16 mai 2022 à 15 h 00" in page  # 14 h 00 à Paris, le même instant
    assert "Fin au tiers temps 20 h 20" in page
    assert "Sortie possible dès 16 h 00" in page
