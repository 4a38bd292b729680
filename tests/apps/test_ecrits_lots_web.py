"""Les lots de copies à l'écran : l'accueil des écrits du gestionnaire, les centres de correction d'une épreuve,
la constitution des lots d'un centre de correction (simulation, puis enregistrement, par le service de
`examens lots`) et l'affectation des lots aux correcteurs — jamais un correcteur sur les copies de son
établissement (refus du service, en français) ; l'entrée « Épreuves écrites » du menu selon le rôle, les liens
« mes absences » des espaces candidat et établissement.

Le monde de `tests/conftest.py`, plus E1 au calendrier, les trois centres répartis et tous présents :

| centre | candidats (établissement)                                  |
|--------|------------------------------------------------------------|
| C1     | Léa, Noé ROUX (lycée Blaise-Pascal), Zoé FAURE (CFA de Lyon) |
| C2     | Hugo (lycée)                                               |
| L1     | Inès (CFA)                                                 |

Correcteurs de l'académie de Clermont : X0001 (persona « examinateur », sans établissement) et X0002 (du lycée
Blaise-Pascal : jamais un lot avec Léa, Noé ou Hugo) ; X0009 est de Lyon (pas proposé pour C1).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from fabriques_deliberation import candidat
from fabriques_ecrits import calendrier, correcteur, salles, tous_presents

from examens.apps.ecrits import services
from examens.apps.ecrits.models import Acheminement, Copie, Lot
from examens.apps.historique.models import Trace
from personas import cas_de_la_matrice, verifier_acces

pytestmark = pytest.mark.django_db


@pytest.fixture
def lots(monde: Any) -> Any:
    m = monde
    m.e1 = calendrier(m.session, "E1")["E1"]
    m.noe = candidat(m.session, numero="22-000102", centre=m.c1, etablissement=m.lycee, nom="ROUX", prenoms="Noé")
    m.zoe = candidat(m.session, numero="22-000103", centre=m.c1, etablissement=m.cfa, nom="FAURE", prenoms="Zoé")
    for c in (m.c1, m.c2, m.l1):
        salles(c, ("A", "ecrit", 30))
        services.repartir_centre(session=m.session, centre=c, acteur="dec", appliquer=True)
    tous_presents(m.e1)
    m.x1 = m.examinateur_x
    m.x2 = correcteur(m.session, "X0002", m.clermont, m.lycee)
    m.x9 = correcteur(m.session, "X0009", m.lyon)
    return m


def _client(m: Any, persona: str) -> Client:
    client = Client()
    client.force_login(m.utilisateur(persona))
    return client


def url_centre(m: Any, centre: Any) -> str:
    return f"/ecrits/epreuves/{m.e1.pk}/centres/{centre.pk}/lots/"


def _constituer_c1(m: Any, taille: int = 2) -> tuple[Lot, Lot]:
    """Deux lots en C1 (taille 2) : Léa et Noé (lycée) ensemble, Zoé (CFA) seule."""
    services.constituer_lots(epreuve=m.e1, acteur="dec", taille=taille, appliquer=True, centre_correction=m.c1)
    lycee = Lot.objects.get(centre_correction=m.c1, copies__correspondance__candidat=m.lea)
    cfa = Lot.objects.get(centre_correction=m.c1, copies__correspondance__candidat=m.zoe)
    return lycee, cfa


def texte(reponse: Any) -> str:
    return reponse.content.decode()


# --- Qui ouvre quoi ----------------------------------------------------------------------------------------------

PAGES = {
    "accueil des écrits": lambda m: "/ecrits/",
    "lots de E1": lambda m: f"/ecrits/epreuves/{m.e1.pk}/lots/",
    "lots de E1 en C1": lambda m: url_centre(m, m.c1),
    "lots de E1 à Lyon": lambda m: url_centre(m, m.l1),
}

# Colonnes dans l'ordre de PERSONAS :
#   anonyme, sans habilitation, pilote, Lyon, chef de centre (C1), examinateur, présidente, établissement, candidat
# L'accueil conduit le chef de centre à la répartition de son centre, le correcteur à ses lots (302).
MATRICE: dict[str, tuple[int, ...]] = {
    "accueil des écrits": (302, 403, 200, 200, 302, 302, 403, 403, 403),
    "lots de E1": (302, 403, 200, 200, 403, 403, 403, 403, 403),
    "lots de E1 en C1": (302, 403, 200, 404, 403, 403, 403, 403, 403),
    "lots de E1 à Lyon": (302, 403, 200, 200, 403, 403, 403, 403, 403),
}

CAS = cas_de_la_matrice(MATRICE)


def test_la_matrice_couvre_toutes_les_pages() -> None:
    assert set(MATRICE) == set(PAGES)


@pytest.mark.parametrize(("page", "persona", "attendu"), CAS)
def test_matrice_des_permissions(lots: Any, client: Client, page: str, persona: str, attendu: int) -> None:
    verifier_acces(client, lots.utilisateur(persona), PAGES[page](lots), attendu)


def test_l_accueil_conduit_chaque_role_a_sa_page(lots: Any) -> None:
    reponse = _client(lots, "chef_de_centre").get("/ecrits/")
    assert reponse["Location"] == f"/ecrits/centres/{lots.c1.pk}/repartition/?session=bts-ndrc-2022"
    assert _client(lots, "examinateur").get("/ecrits/")["Location"] == "/ecrits/lots/"


@pytest.mark.parametrize("persona", ["chef_de_centre", "examinateur", "candidat", "etablissement", "gestionnaire_lyon"])
@pytest.mark.parametrize("action", ["constituer", "affecter", "repartir"])
def test_les_autres_ne_changent_rien(lots: Any, persona: str, action: str) -> None:
    """Le chef de centre, le correcteur, le candidat, l'établissement : 403 ; la gestionnaire de Lyon sur C1 :
    404. Rien n'est écrit."""
    if action == "constituer":
        donnees: dict[str, Any] = {"action": "constituer", "taille": "1"}
    else:
        lycee, _ = _constituer_c1(lots)
        donnees = {"action": action, "lot": lycee.pk, "correcteur": lots.x1.pk, "correcteurs": [lots.x1.pk]}
    avant = (Copie.objects.count(), Lot.objects.count(), Trace.objects.count())
    reponse = _client(lots, persona).post(url_centre(lots, lots.c1), donnees)
    assert reponse.status_code == (404 if persona == "gestionnaire_lyon" else 403)
    assert (Copie.objects.count(), Lot.objects.count(), Trace.objects.count()) == avant
    assert not Lot.objects.filter(correcteur__isnull=False).exists()


# --- Constituer les lots d'un centre de correction ---------------------------------------------------------------


def test_simuler_puis_constituer_les_lots_de_c1_seulement(lots: Any) -> None:
    client = _client(lots, "gestionnaire_pilote")
    page = texte(client.get(url_centre(lots, lots.c1)))
    assert "3 copie(s) à anonymiser" in page
    assert "Aucun lot constitué pour l'instant." in page

    # Simulation : rien n'est écrit, la page dit ce qui serait fait et propose de confirmer.
    page = texte(client.post(url_centre(lots, lots.c1), {"action": "simuler", "taille": "2"}))
    assert "Simulation : rien n'est encore enregistré" in page
    assert "3 copie(s) à anonymiser ; 3 copie(s) à ranger en 2 nouveau(x) lot(s) d'au plus 2 copies." in page
    assert 'name="taille" value="2"' in page
    assert "Constituer ces 2 lot(s)" in page
    assert not Copie.objects.exists()
    assert not Lot.objects.exists()
    assert not Trace.objects.filter(objet_type__in=["ecrits.anonymat", "ecrits.lots"]).exists()

    reponse = client.post(url_centre(lots, lots.c1), {"action": "constituer", "taille": "2"}, follow=True)
    page = texte(reponse)
    assert reponse.redirect_chain == [(url_centre(lots, lots.c1), 302)]
    assert (
        "E1, centre de correction Lycée Sidoine-Apollinaire : 3 copie(s) anonymisée(s), 3 copie(s) rangée(s) en 2 "
        "nouveau(x) lot(s) (E1-L001 à E1-L002)." in page
    )
    # Les copies de C1 seulement : C2 et Lyon gardent leurs copies à anonymiser.
    assert Copie.objects.filter(centre=lots.c1).count() == 3
    assert not Copie.objects.exclude(centre=lots.c1).exists()
    assert sorted(Lot.objects.values_list("centre_correction__code", "numero")) == [
        (lots.c1.code, 1),
        (lots.c1.code, 2),
    ]
    lycee, cfa = Lot.objects.get(copies__correspondance__candidat=lots.lea), Lot.objects.get(numero=2)
    assert set(Copie.objects.filter(lot=lycee).values_list("correspondance__candidat", flat=True)) == {
        lots.lea.pk,
        lots.noe.pk,
    }
    assert Copie.objects.get(lot=cfa).correspondance.candidat == lots.zoe
    trace = Trace.objects.get(objet_type="ecrits.lots")
    assert trace.acteur == "gestionnaire-pilote"
    assert trace.apres == {
        "taille": 2,
        "centre_correction": lots.c1.code,
        "lots": ["E1-L001 : 2 copie(s)", "E1-L002 : 1 copie(s)"],
    }
    assert Trace.objects.get(objet_type="ecrits.anonymat").apres == {"copies_anonymisees": 3}
    # La page des lots ne montre que des numéros : aucun nom de candidat.
    assert all(c.nom not in page for c in (lots.lea, lots.noe, lots.zoe))

    # Relancer ne refait rien.
    reponse = client.post(url_centre(lots, lots.c1), {"action": "constituer", "taille": "2"}, follow=True)
    assert "aucune copie à ranger en lots. Rien n&#x27;est enregistré." in texte(reponse)
    assert Lot.objects.count() == 2


def test_le_centre_de_correction_recoit_les_copies_acheminees(lots: Any) -> None:
    """C2 achemine ses copies vers C1 : la constitution de C1 les range aussi ; la page de C2 le dit."""
    Acheminement.objects.create(session=lots.session, centre=lots.c2, centre_correction=lots.c1)
    client = _client(lots, "gestionnaire_pilote")
    page = texte(client.get(f"/ecrits/epreuves/{lots.e1.pk}/lots/"))
    ligne_c1 = page[page.index("Lycée Sidoine-Apollinaire") :].split("</tr>", 1)[0]
    assert "reçoit aussi : Lycée Banville" in ligne_c1
    assert "<td>4</td>" in ligne_c1  # quatre copies à ranger : trois de C1, une de C2
    assert "Lycée Banville <span" not in page  # C2 n'est pas un centre de correction
    assert "corrigées à Lycée Sidoine-Apollinaire" in texte(client.get(url_centre(lots, lots.c2)))
    client.post(url_centre(lots, lots.c1), {"action": "constituer", "taille": "50"})
    (lot,) = Lot.objects.all()
    assert lot.centre_correction == lots.c1
    assert set(Copie.objects.filter(lot=lot).values_list("centre__code", flat=True)) == {lots.c1.code, lots.c2.code}
    assert not Copie.objects.filter(centre=lots.l1).exists()


@pytest.mark.parametrize(
    ("taille", "message"),
    [
        pytest.param("0", "Un lot contient au moins une copie.", id="zéro"),
        pytest.param("abc", "Indiquez un nombre entier de copies, par exemple 50.", id="illisible"),
        pytest.param("", "Indiquez le nombre de copies par lot, par exemple 50.", id="vide"),
        pytest.param("501", "Un lot contient au plus 500 copies.", id="trop"),
    ],
)
def test_constitution_invalide_rien_ne_change(lots: Any, taille: str, message: str) -> None:
    reponse = _client(lots, "gestionnaire_pilote").post(
        url_centre(lots, lots.c1), {"action": "constituer", "taille": taille}
    )
    page = texte(reponse)
    assert reponse.status_code == 200
    assert message in page
    assert "Le formulaire contient des erreurs. Rien n&#x27;est enregistré." in page
    assert not Copie.objects.exists()
    assert not Lot.objects.exists()
    assert not Trace.objects.filter(objet_type__in=["ecrits.anonymat", "ecrits.lots"]).exists()


def test_constitution_refusee_par_le_service_une_fois_verrouillee(lots: Any) -> None:
    from examens.apps.ecrits.models import CommissionHarmonisation

    CommissionHarmonisation.objects.create(epreuve=lots.e1, statut=CommissionHarmonisation.Statut.VERROUILLEE)
    reponse = _client(lots, "gestionnaire_pilote").post(
        url_centre(lots, lots.c1), {"action": "constituer", "taille": "2"}, follow=True
    )
    assert "E1 : l&#x27;harmonisation est verrouillée. Rien n&#x27;est enregistré." in texte(reponse)
    assert not Lot.objects.exists()
    assert not Copie.objects.exists()


# --- Confier un lot ------------------------------------------------------------------------------------------------


def test_jamais_un_correcteur_sur_les_copies_de_son_etablissement(lots: Any) -> None:
    lycee, _ = _constituer_c1(lots)
    client = _client(lots, "gestionnaire_pilote")
    page = texte(client.get(url_centre(lots, lots.c1)))
    # Le lycée de X0002 est affiché pour aider à choisir ; X0009 (Lyon) n'est pas proposé.
    assert "Alex CORRECTEURX0002 (X0002) — Lycée Blaise-Pascal" in page
    assert "X0009" not in page
    avant = Trace.objects.count()
    reponse = client.post(url_centre(lots, lots.c1), {"action": "affecter", "lot": lycee.pk, "correcteur": lots.x2.pk})
    page = texte(reponse)
    assert reponse.status_code == 200
    assert (
        "Lot E1-L001 : il contient la copie d&#x27;un candidat de l&#x27;établissement de Alex CORRECTEURX0002 "
        "(X0002) ; confiez-le à un autre correcteur. Rien n&#x27;est enregistré." in page
    )
    assert Lot.objects.get(pk=lycee.pk).correcteur_id is None
    assert Trace.objects.count() == avant

    reponse = client.post(
        url_centre(lots, lots.c1), {"action": "affecter", "lot": lycee.pk, "correcteur": lots.x1.pk}, follow=True
    )
    assert "Lot E1-L001 confié à Paul LEROY (X0001)." in texte(reponse)
    assert Lot.objects.get(pk=lycee.pk).correcteur == lots.x1
    trace = Trace.objects.get(objet_type="ecrits.lot", objet_id=str(lycee.pk))
    assert (trace.acteur, trace.avant, trace.apres) == (
        "gestionnaire-pilote",
        {"correcteur": None},
        {"correcteur": "X0001"},
    )
    # Le lot apparaît chez son correcteur.
    assert "E1-L001" in texte(_client(lots, "examinateur").get("/ecrits/lots/"))


def test_le_correcteur_ne_change_plus_apres_une_saisie(lots: Any) -> None:
    _, cfa = _constituer_c1(lots)
    services.affecter_lot(lot=cfa, correcteur=lots.x1, acteur="dec")
    numero = Copie.objects.get(lot=cfa).numero
    services.saisir_notes(lot=cfa, rang=1, notes={numero: "12"}, acteur="examinateur")
    client = _client(lots, "gestionnaire_pilote")
    page = texte(client.get(url_centre(lots, lots.c1)))
    assert 'Changer de correcteur<span class="fr-sr-only"> : lot E1-L002' not in page
    page = texte(
        client.post(url_centre(lots, lots.c1), {"action": "affecter", "lot": cfa.pk, "correcteur": lots.x2.pk})
    )
    assert (
        "Lot E1-L002 : des notes sont déjà saisies, le correcteur ne change plus. Rien n&#x27;est enregistré." in page
    )
    assert Lot.objects.get(pk=cfa.pk).correcteur == lots.x1


@pytest.mark.parametrize(
    ("donnees", "message"),
    [
        pytest.param({}, "Choisissez le lot à confier.", id="sans lot"),
        pytest.param({"lot": "lycee"}, "Choisissez le correcteur à qui confier le lot.", id="sans correcteur"),
        pytest.param(
            {"lot": "lyon", "correcteur": "x1"},
            "Ce lot n&#x27;est pas un lot de ce centre de correction : choisissez-en un dans la liste.",
            id="lot d'un autre centre",
        ),
        pytest.param(
            {"lot": "lycee", "correcteur": "x9"},
            "Ce correcteur n&#x27;est pas proposé pour ce centre de correction : choisissez-en un dans la liste.",
            id="correcteur d'une autre académie",
        ),
        pytest.param(
            {"lot": "lycee", "correcteur": "999999"},
            "Ce correcteur n&#x27;est pas proposé pour ce centre de correction",
            id="correcteur inconnu",
        ),
    ],
)
def test_affectation_invalide_rien_ne_change(lots: Any, donnees: dict[str, str], message: str) -> None:
    lycee, _ = _constituer_c1(lots)
    services.constituer_lots(epreuve=lots.e1, acteur="dec", appliquer=True, centre_correction=lots.l1)
    valeurs = {
        "lycee": lycee.pk,
        "lyon": Lot.objects.get(centre_correction=lots.l1).pk,
        "x1": lots.x1.pk,
        "x9": lots.x9.pk,
    }
    avant = Trace.objects.count()
    post = {"action": "affecter", **{k: valeurs.get(v, v) for k, v in donnees.items()}}
    reponse = _client(lots, "gestionnaire_pilote").post(url_centre(lots, lots.c1), post)
    page = texte(reponse)
    assert reponse.status_code == 200
    assert message in page
    assert "Le formulaire contient des erreurs. Rien n&#x27;est enregistré." in page
    assert not Lot.objects.filter(correcteur__isnull=False).exists()
    assert Trace.objects.count() == avant


def test_repartir_les_lots_sans_correcteur(lots: Any) -> None:
    """X0002 (lycée) ne peut prendre que le lot de Zoé (CFA) ; X0001 prend celui de Léa et Noé."""
    lycee, cfa = _constituer_c1(lots)
    client = _client(lots, "gestionnaire_pilote")
    reponse = client.post(
        url_centre(lots, lots.c1), {"action": "repartir", "correcteurs": [lots.x1.pk, lots.x2.pk]}, follow=True
    )
    assert "2 lot(s) confié(s) : E1-L001 → X0001, E1-L002 → X0002." in texte(reponse)
    assert (Lot.objects.get(pk=lycee.pk).correcteur, Lot.objects.get(pk=cfa.pk).correcteur) == (lots.x1, lots.x2)
    assert Trace.objects.filter(objet_type="ecrits.lot", acteur="gestionnaire-pilote").count() == 2


def test_repartition_impossible_rien_ne_change(lots: Any) -> None:
    _constituer_c1(lots)
    client = _client(lots, "gestionnaire_pilote")
    page = texte(client.post(url_centre(lots, lots.c1), {"action": "repartir", "correcteurs": [lots.x2.pk]}))
    assert (
        "Lot E1-L001 : chaque correcteur proposé a un candidat de son établissement dans ce lot ; ajoutez un "
        "correcteur d&#x27;un autre établissement. Rien n&#x27;est enregistré." in page
    )
    assert not Lot.objects.filter(correcteur__isnull=False).exists()
    page = texte(client.post(url_centre(lots, lots.c1), {"action": "repartir"}))
    assert "Cochez au moins un correcteur." in page


def _requetes(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as requetes:
        reponse = client.get(url)
    assert reponse.status_code == 200, url
    return len(requetes)


def test_la_page_d_un_centre_lit_en_un_nombre_constant_de_requetes(lots: Any) -> None:
    """2 lots, puis 12 (22 candidats de plus en C1), certains confiés : même nombre de requêtes."""
    client = _client(lots, "gestionnaire_pilote")
    lycee, _ = _constituer_c1(lots)
    services.affecter_lot(lot=lycee, correcteur=lots.x1, acteur="dec")
    peu = _requetes(client, url_centre(lots, lots.c1))
    e3 = calendrier(lots.session, "E3")["E3"]
    for k in range(22):
        candidat(lots.session, numero=f"22-7{k:05d}", centre=lots.c1, etablissement=lots.lycee if k % 2 else lots.cfa)
    services.repartir_centre(session=lots.session, centre=lots.c1, acteur="dec", appliquer=True)
    tous_presents(e3)
    rapport = services.constituer_lots(epreuve=e3, acteur="dec", taille=2, appliquer=True, centre_correction=lots.c1)
    assert len(rapport.lots_crees) > 10
    for k, lot in enumerate(rapport.lots_crees[:4]):
        services.affecter_lot(lot=lot, correcteur=correcteur(lots.session, f"Y{k:04d}", lots.clermont), acteur="d")
    beaucoup = _requetes(client, f"/ecrits/epreuves/{e3.pk}/centres/{lots.c1.pk}/lots/")
    assert peu == beaucoup
    assert beaucoup <= 17


# --- L'accueil des écrits ------------------------------------------------------------------------------------------


def test_l_accueil_du_gestionnaire_mene_aux_pages_des_ecrits(lots: Any) -> None:
    _constituer_c1(lots)
    page = texte(_client(lots, "gestionnaire_pilote").get("/ecrits/"))
    ligne = page[page.index('<th scope="row">E1') :].split("</tr>", 1)[0]
    assert "lundi 16 mai 2022 à 14 h 00" in ligne
    assert "5 place(s) : 5 présent(s), 0 absent(s)" in ligne
    assert "3 anonyme(s), 0 note(s) validée(s)" in ligne
    assert "2 lot(s)" in ligne
    assert "2 sans correcteur" in ligne
    assert "commission non composée" in ligne
    for adresse in ("lots", "suivi", "harmonisation", "commission"):
        assert f"/ecrits/epreuves/{lots.e1.pk}/{adresse}/" in ligne
    assert "/ecrits/absences/?session=bts-ndrc-2022" in page
    for c in (lots.c1, lots.c2, lots.l1):
        assert f"/ecrits/centres/{c.pk}/repartition/?session=bts-ndrc-2022" in page
        assert f"/ecrits/centres/{c.pk}/documents/?session=bts-ndrc-2022" in page
    # Lyon : ses centres seulement, ses présences seulement.
    page = texte(_client(lots, "gestionnaire_lyon").get("/ecrits/"))
    assert "1 place(s) : 1 présent(s)" in page
    assert f"/ecrits/centres/{lots.l1.pk}/repartition/" in page
    assert f"/ecrits/centres/{lots.c1.pk}/repartition/" not in page


def test_l_accueil_lit_en_un_nombre_constant_de_requetes(lots: Any) -> None:
    from fabriques_ecrits import centre

    client = _client(lots, "gestionnaire_pilote")
    peu = _requetes(client, "/ecrits/")
    calendrier(lots.session, "E3", "E5A")
    for k in range(6):
        centre(lots.clermont, f"063090{k}")
    assert _requetes(client, "/ecrits/") == peu


# --- Le menu et les liens ------------------------------------------------------------------------------------------

ENTREE = {
    "gestionnaire_pilote": lambda m: "/ecrits/",
    "gestionnaire_lyon": lambda m: "/ecrits/",
    "chef_de_centre": lambda m: f"/ecrits/centres/{m.c1.pk}/repartition/?session=bts-ndrc-2022",
    "examinateur": lambda m: "/ecrits/lots/",
    "presidente": lambda m: None,
    "etablissement": lambda m: None,
    "candidat": lambda m: None,
}


@pytest.mark.parametrize("persona", list(ENTREE))
def test_l_entree_epreuves_ecrites_du_menu_selon_le_role(lots: Any, persona: str) -> None:
    page = texte(_client(lots, persona).get("/"))
    menu = page[page.index('id="navigation-principale"') :].split("</nav>", 1)[0]
    attendu = ENTREE[persona](lots)
    if attendu is None:
        assert "Épreuves écrites" not in menu
    else:
        assert f'href="{attendu}" target="_self">Épreuves écrites</a>' in menu


def test_l_entree_est_signalee_sur_les_pages_des_ecrits(lots: Any) -> None:
    page = texte(_client(lots, "gestionnaire_pilote").get(f"/ecrits/epreuves/{lots.e1.pk}/lots/"))
    assert 'href="/ecrits/" target="_self" aria-current="page">Épreuves écrites</a>' in page


def test_les_espaces_candidat_et_etablissement_menent_a_mes_absences(lots: Any) -> None:
    assert 'href="/ecrits/mes-absences/"' in texte(_client(lots, "candidat").get("/mon-espace/"))
    assert 'href="/ecrits/mes-absences/"' in texte(_client(lots, "etablissement").get("/etablissement/"))


def test_qui_cumule_les_roles_a_un_sous_menu_des_ecrits(lots: Any) -> None:
    from examens.apps.comptes.models import Role
    from examens.apps.comptes.services import habiliter

    chef = lots.utilisateur("chef_de_centre")
    habiliter(utilisateur=chef, role=Role.EXAMINATEUR, session=lots.session, perimetre=lots.x2, acteur="test")
    page = texte(_client(lots, "chef_de_centre").get("/"))
    menu = page[page.index('id="navigation-principale"') :].split("</nav>", 1)[0]
    assert 'aria-controls="menu-ecrits">Épreuves écrites</button>' in menu
    sous_menu = menu[menu.index('id="menu-ecrits"') :].split("</div>", 1)[0]
    assert f'href="/ecrits/centres/{lots.c1.pk}/repartition/?session=bts-ndrc-2022"' in sous_menu
    assert "Répartition et salles — Lycée Sidoine-Apollinaire</a>" in sous_menu
    assert 'href="/ecrits/lots/" target="_self">Mes lots de copies</a>' in sous_menu
