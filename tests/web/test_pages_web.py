"""Les pages lues comme une personne les lit : tableau de bord (avancement, alertes, graphiques accessibles),
recherche de candidats, fiche et chronologie, règles de publication des résultats, en-têtes de sécurité."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.test import Client

from examens.apps.comptes.permissions import oublier_habilitations
from examens.apps.notes.models import Resultat
from examens.apps.organisation.models import ExamSession
from web.outils import ajouter_candidats

pytestmark = pytest.mark.django_db


def page(client: Client, url: str) -> str:
    reponse = client.get(url)
    assert reponse.status_code == 200, url
    return reponse.content.decode()


def numeros(html: str) -> list[str]:
    return re.findall(r"<td>(22-\d{6})</td>", html)


def publier_plus_tard(monde: Any) -> None:
    ExamSession.objects.filter(pk=monde.session.pk).update(date_resultats=date(2999, 7, 6))
    for u in monde.utilisateurs.values():
        if u is not None:
            oublier_habilitations(u)


# --- Tableau de bord ------------------------------------------------------------------------------


def test_le_tableau_de_bord_montre_avancement_alertes_et_statistiques(monde: Any, client: Client) -> None:
    Resultat.objects.filter(candidat=monde.lea, epreuve="E4").update(suspendue=True)
    client.force_login(monde.utilisateur("gestionnaire_pilote"))
    html = page(client, "/tableau-de-bord/")
    for libelle in (
        "Dossiers E4 et E6 reçus",
        "Conformité des dossiers contrôlée",
        "Notes saisies (épreuves obligatoires)",
        "Candidats délibérés",
    ):
        assert libelle in html
    assert "3 candidat(s) inscrit(s)" in html
    assert "1 note(s) suspendue(s)" in html
    assert "situation=note_suspendue" in html
    # Le jury n'a qu'un enseignant : composition déséquilibrée (CE D643-31).
    assert "Jury — Clermont-Ferrand : jury incomplet" in html
    assert "1 enseignant(s) pour 0 professionnel(s)" in html


def test_une_commission_incomplete_est_signalee_a_qui_suit_le_centre(monde: Any, client: Client) -> None:
    from examens.apps.planification.models import Commission

    k01 = Commission.objects.create(session=monde.session, centre=monde.c1, code="K01", epreuves=["E4", "E6"])
    k01.membres.set([monde.examinateur_x])  # E4 et E6 demandent deux membres (règlement)
    Commission.objects.create(
        session=monde.session, centre=monde.l1, code="K09", epreuves=["E2"], alerte="salle à attribuer"
    )
    Commission.objects.create(session=monde.session, centre=monde.c1, code="K02", epreuves=["E4"], active=False)
    client.force_login(monde.utilisateur("chef_de_centre"))
    html = page(client, "/tableau-de-bord/")
    assert "1 commission(s) d&#x27;interrogation incomplète(s)" in html
    assert f"K01 ({monde.c1.code}) : 1 membre(s) sur 2." in html
    client.force_login(monde.utilisateur("gestionnaire_pilote"))
    html = page(client, "/tableau-de-bord/")
    assert "2 commission(s) d&#x27;interrogation incomplète(s)" in html
    assert f"K09 ({monde.l1.code}) : salle à attribuer" in html
    client.force_login(monde.utilisateur("etablissement"))
    assert "commission(s) d&#x27;interrogation" not in page(client, "/tableau-de-bord/")


def test_les_graphiques_sont_accessibles_et_doubles_d_un_tableau(monde: Any, client: Client) -> None:
    client.force_login(monde.utilisateur("gestionnaire_pilote"))
    html = page(client, "/tableau-de-bord/")
    svgs = re.findall(r"<svg .*?</svg>", html, flags=re.S)
    assert len(svgs) >= 4  # catégorie, académie, centre, une épreuve au moins
    for svg in svgs:
        identifiant = re.search(r'aria-labelledby="([\w-]+)-titre \1-desc"', svg)
        assert identifiant, svg[:200]
        assert 'role="img"' in svg
        assert f'<title id="{identifiant.group(1)}-titre">' in svg
        assert f'<desc id="{identifiant.group(1)}-desc">' in svg
        # Des coordonnées entières, jamais localisées (« 12,5 » casserait le dessin).
        assert not re.search(r'(x|y|width|height)="[^"]*,', svg)
    for legende in (
        "Taux d&#x27;admission par catégorie : effectifs",
        "Taux d&#x27;admission par académie : effectifs",
        "Taux d&#x27;admission par centre d&#x27;examen : effectifs",
        "Répartition des notes par épreuve : effectifs par tranche de 2 points",
    ):
        assert f"<caption>{legende}</caption>" in html
    # Léa, seule délibérée, est admise : 100 % dans la catégorie A.
    assert "100,0\u202f%" in html


def test_avant_publication_l_etablissement_ne_voit_ni_decisions_ni_statistiques(monde: Any, client: Client) -> None:
    publier_plus_tard(monde)
    client.force_login(monde.utilisateur("etablissement"))
    html = page(client, "/tableau-de-bord/")
    assert "Candidats délibérés" not in html
    assert "<svg" not in html
    assert "seront consultables après leur publication" in html
    liste = page(client, "/candidats/")
    assert "Décision du jury" not in liste
    assert 'name="decision"' not in liste
    # Les rôles de pilotage voient les résultats avant publication.
    client.force_login(monde.utilisateur("chef_de_centre"))
    assert "Candidats délibérés" in page(client, "/tableau-de-bord/")


# --- Recherche --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("criteres", "attendus"),
    [
        pytest.param("", ["22-000001", "22-000002", "22-000003"], id="sans critère : tout le périmètre"),
        pytest.param("texte=martin", ["22-000001"], id="nom, sans casse"),
        pytest.param("texte=L%C3%A9a+MARTIN", ["22-000001"], id="prénom et nom"),
        pytest.param("texte=22-000002", ["22-000002"], id="numéro"),
        pytest.param("etablissement=CFA", ["22-000003"], id="établissement par son nom"),
        pytest.param("decision=admis", ["22-000001"], id="décision"),
        pytest.param("decision=aucune", ["22-000002", "22-000003"], id="sans décision"),
        pytest.param("situation=dossier_non_depose", [], id="situation : aucun dossier en souffrance"),
    ],
)
def test_rechercher_des_candidats(monde: Any, client: Client, criteres: str, attendus: list[str]) -> None:
    client.force_login(monde.utilisateur("gestionnaire_pilote"))
    assert numeros(page(client, f"/candidats/?{criteres}")) == attendus


def test_recherche_par_centre_et_uai(monde: Any, client: Client) -> None:
    client.force_login(monde.utilisateur("gestionnaire_pilote"))
    assert numeros(page(client, f"/candidats/?centre={monde.c2.pk}")) == ["22-000002"]
    assert numeros(page(client, f"/candidats/?etablissement={monde.lycee.uai}")) == ["22-000001", "22-000002"]


def test_la_pagination_garde_les_criteres(monde: Any, client: Client) -> None:
    ajouter_candidats(monde, 70)
    client.force_login(monde.utilisateur("gestionnaire_pilote"))
    html = page(client, "/candidats/?texte=NOM")
    assert len(numeros(html)) == 50
    assert "70 candidats trouvés — page 1 sur 2" in html
    assert 'href="?texte=NOM&amp;page=2"' in html
    assert len(numeros(page(client, "/candidats/?texte=NOM&page=2"))) == 20


def test_les_champs_de_recherche_sont_etiquetes(monde: Any, client: Client) -> None:
    client.force_login(monde.utilisateur("gestionnaire_pilote"))
    html = page(client, "/candidats/")
    for champ in ("texte", "centre", "etablissement", "decision", "situation"):
        assert f'<label class="fr-label" for="id_{champ}">' in html
        assert f'id="id_{champ}"' in html
    assert "<caption>Candidats trouvés" in html


# --- Fiche et chronologie ---------------------------------------------------------------------------


def test_la_chronologie_suit_la_session_dans_l_ordre(monde: Any, client: Client) -> None:
    client.force_login(monde.utilisateur("gestionnaire_pilote"))
    html = page(client, f"/candidats/{monde.lea.pk}/")
    etapes = [
        "Inscription à la session",
        "Dossier E4 déposé",
        "Dossier E4 : conforme",
        "Modification : E6",
        "Décision du jury : admis",
    ]
    positions = [html.index(e) for e in etapes]
    assert positions == sorted(positions)
    assert "note de l&#x27;examinateur : 15,00 → 16,00 — erreur de report corrigée" in html
    assert "par dec-clermont" in html  # les rôles de pilotage voient qui a fait quoi
    assert "Heures du centre d'examen (Europe/Paris)" in html
    assert "<caption>Notes par épreuve</caption>" in html


def test_le_candidat_voit_sa_fiche_sans_les_acteurs(monde: Any, client: Client) -> None:
    client.force_login(monde.utilisateur("candidat"))
    html = page(client, f"/candidats/{monde.lea.pk}/")
    assert "Décision du jury : admis" in html
    assert "par dec-clermont" not in html
    assert "par jury clermont" not in html


def test_avant_publication_le_candidat_ne_voit_pas_ses_notes(monde: Any, client: Client) -> None:
    publier_plus_tard(monde)
    client.force_login(monde.utilisateur("candidat"))
    html = page(client, f"/candidats/{monde.lea.pk}/")
    assert "Les résultats seront consultables après leur publication" in html
    assert "Notes par épreuve" not in html
    assert "Décision du jury : admis" not in html
    assert "16,00" not in html
    assert "Dossier E4 : conforme" in html  # la conformité n'est pas un résultat


def test_un_desistement_apparait_dans_la_chronologie(monde: Any, client: Client) -> None:
    from examens.apps.candidats.services import desister

    desister(candidat=monde.hugo, le=date(2022, 5, 2), acteur="dec-clermont", motif="raisons personnelles")
    client.force_login(monde.utilisateur("gestionnaire_pilote"))
    html = page(client, f"/candidats/{monde.hugo.pk}/")
    assert "Désisté le 2 mai 2022" in html
    assert "Modification : désistement" in html
    assert "raisons personnelles" in html


# --- Sécurité ---------------------------------------------------------------------------------------


def test_en_tetes_de_securite(monde: Any, client: Client) -> None:
    client.force_login(monde.utilisateur("gestionnaire_pilote"))
    reponse = client.get("/tableau-de-bord/")
    csp = reponse["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert reponse["X-Frame-Options"] == "DENY"
    assert reponse["X-Content-Type-Options"] == "nosniff"
    html = reponse.content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)", html), "aucun script en ligne"
    assert " style=" not in html, "aucun style en ligne"


def test_cookies_securises_hors_debug(settings: Any) -> None:
    assert not settings.DEBUG
    assert settings.SESSION_COOKIE_SECURE
    assert settings.CSRF_COOKIE_SECURE
    assert settings.SESSION_COOKIE_HTTPONLY


def test_les_pages_d_erreur_sont_en_francais(monde: Any, client: Client) -> None:
    client.force_login(monde.utilisateur("examinateur"))
    interdit = client.get("/candidats/")
    assert interdit.status_code == 403
    assert "Votre rôle ne donne pas accès à cette page." in interdit.content.decode()
    client.force_login(monde.utilisateur("sans_habilitation"))
    assert "aucune habilitation" in client.get("/").content.decode()
    client.force_login(monde.utilisateur("gestionnaire_lyon"))
    introuvable = client.get(f"/candidats/{monde.lea.pk}/")
    assert introuvable.status_code == 404
    assert "hors de votre périmètre" in introuvable.content.decode()
