"""Les pages de l'espace examinateur et de la double saisie, par le client de test : ce qu'elles montrent (heure du
centre, pièces à préparer, état des cases sans la saisie de l'autre), ce que la grille écrit (par le service de
double saisie), le refus d'une page périmée (409, rien d'écrasé), la seconde saisie du chef de centre, l'agenda
iCalendar, la fiche d'évaluation de l'engagement ; et un nombre de requêtes SQL qui ne dépend pas du nombre de
passages."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from examens.apps.historique.models import Trace
from examens.apps.notes.models import Resultat, Saisie
from examens.apps.sujets.models import EvaluationEngagement
from web.oraux import JOUR, Oraux, ajouter_e4, oraux_publies

pytestmark = pytest.mark.django_db


@pytest.fixture
def oraux(monde: Any) -> Oraux:
    return oraux_publies(monde)


def grille(o: Oraux, commission: str = "K1") -> str:
    return f"/saisie/commissions/{o.commissions[commission].pk}/{JOUR.isoformat()}/"


def formulaire(page: str) -> dict[str, str]:
    """Les champs du formulaire de la grille tels que le navigateur les enverrait (sans rien changer)."""
    champs: dict[str, str] = {}
    for balise in re.findall(r"<input[^>]*>", page, flags=re.S):
        nom = re.search(r'name="([^"]+)"', balise)
        if nom is None:
            continue
        valeur = re.search(r'value="([^"]*)"', balise)
        if 'type="checkbox"' in balise:
            if "checked" in balise:
                champs[nom.group(1)] = "on"
            continue
        champs[nom.group(1)] = valeur.group(1) if valeur else ""
    return champs


def test_l_espace_montre_les_passages_a_l_heure_du_centre_et_les_pieces(
    monde: Any, oraux: Oraux, client: Client
) -> None:
    client.force_login(monde.utilisateur("examinateur"))
    page = client.get("/examinateur/").content.decode()
    assert "Espace examinateur" in page
    assert "Paul LEROY (X0001)" in page
    assert "08:00 – 09:00" in page  # E4 de C1A : 8 h, heure de Paris (stocké 6 h UTC)
    assert f"/sujets/fiches-sujets/{oraux.candidats['C1A'].pk}/" in page
    assert "à rédiger avant l'épreuve" in page
    assert f"/examinateur/passages/{oraux.passages['ENG-1'].pk}/engagement/fiche.pdf" in page
    assert "22-000200" not in page  # le candidat d'une commission de C2
    assert "/examinateur/agenda.ics" in page
    assert f"/saisie/commissions/{oraux.commissions['K1'].pk}/2022-05-30/" in page


def test_l_heure_suit_le_fuseau_du_centre(monde: Any, oraux: Oraux, client: Client) -> None:
    monde.c1.fuseau = "Indian/Reunion"  # UTC+4
    monde.c1.save(update_fields=["fuseau"])
    client.force_login(monde.utilisateur("examinateur"))
    assert "10:00 – 11:00" in client.get("/examinateur/").content.decode()
    assert ">10:00<" in client.get(grille(oraux)).content.decode()


def test_l_agenda_icalendar(monde: Any, oraux: Oraux, client: Client) -> None:
    client.force_login(monde.utilisateur("examinateur"))
    reponse = client.get("/examinateur/agenda.ics")
    assert reponse["Content-Type"] == "text/calendar; charset=utf-8"
    texte = reponse.content.decode()
    assert texte.startswith("BEGIN:VCALENDAR\r\n")
    assert texte.count("BEGIN:VEVENT") == 5  # E4 ×2, E2, E6, engagement ; pas le brouillon
    assert "DTSTART:20220530T060000Z" in texte
    assert "22-000200" not in texte


def test_saisie_puis_seconde_saisie_concordante(monde: Any, oraux: Oraux, client: Client) -> None:
    p = oraux.passages["E4-1"]
    client.force_login(monde.utilisateur("examinateur"))
    page = client.get(grille(oraux)).content.decode()
    assert f'<label class="fr-label" for="valeur-{p.pk}">Note<span class="fr-sr-only"> de CANDIDATA Camille' in page
    champs = formulaire(page)
    champs[f"valeur-{p.pk}"] = "13,5"
    reponse = client.post(grille(oraux), champs, follow=True)
    assert "1 saisie(s) enregistrée(s) : 1 en attente de la seconde saisie." in reponse.content.decode()
    assert Saisie.objects.get().note == Decimal("13.50")

    client.force_login(oraux.utilisateurs["examinateur_y"])
    page = client.get(grille(oraux)).content.decode()
    assert "13,5" not in page  # la saisie de l'autre membre n'est pas montrée
    assert "une saisie faite, en attente de la vôtre" in page
    champs = formulaire(page)
    champs[f"valeur-{p.pk}"] = "13.5"
    reponse = client.post(grille(oraux), champs, follow=True)
    assert "1 résultat(s) validé(s)" in reponse.content.decode()
    r = Resultat.objects.get(candidat=p.candidat, epreuve="E4")
    assert r.note_examinateur == Decimal("13.50")
    assert Trace.objects.filter(objet_type="notes.resultat", objet_id=str(r.pk)).exists()


def test_un_ecart_est_signale_puis_corrige(monde: Any, oraux: Oraux, client: Client) -> None:
    p = oraux.passages["E4-1"]
    for qui, valeur in (("examinateur", "8"), ("examinateur_y", "13")):
        client.force_login(oraux.utilisateurs[qui])
        champs = formulaire(client.get(grille(oraux)).content.decode())
        champs[f"valeur-{p.pk}"] = valeur
        client.post(grille(oraux), champs)
    page = client.get(grille(oraux)).content.decode()
    assert "écart entre les deux saisies" in page
    assert not Resultat.objects.filter(candidat=p.candidat, epreuve="E4").exists()
    client.force_login(oraux.utilisateurs["examinateur"])
    champs = formulaire(client.get(grille(oraux)).content.decode())
    assert champs[f"valeur-{p.pk}"] == "8"
    assert champs[f"version-{p.pk}"] == "1"
    champs[f"valeur-{p.pk}"] = "13"
    client.post(grille(oraux), champs)
    assert Resultat.objects.get(candidat=p.candidat, epreuve="E4").note_examinateur == Decimal("13.00")


def test_une_page_perimee_est_refusee_avec_un_message_et_rien_n_est_ecrase(
    monde: Any, oraux: Oraux, client: Client
) -> None:
    """Deux onglets sur la même grille : le second à enregistrer a lu une version périmée de la case."""
    p, q = oraux.passages["E4-1"], oraux.passages["E4-2"]
    client.force_login(monde.utilisateur("examinateur"))
    onglet_a = formulaire(client.get(grille(oraux)).content.decode())
    onglet_b = dict(onglet_a)
    onglet_a[f"valeur-{p.pk}"] = "11"
    assert client.post(grille(oraux), onglet_a).status_code == 302
    onglet_b[f"valeur-{p.pk}"] = "15"
    onglet_b[f"valeur-{q.pk}"] = "9"  # une autre case, elle, à jour
    reponse = client.post(grille(oraux), onglet_b)
    assert reponse.status_code == 409
    page = reponse.content.decode()
    assert "Saisie refusée : la page était périmée pour 1 case" in page
    assert "votre saisie a changé depuis l&#x27;affichage de la page (version 1, « 11 »" in page
    assert f'href="#valeur-{p.pk}"' in page
    assert 'aria-invalid="true"' in page
    assert {s.passage_id: s.note for s in Saisie.objects.all()} == {p.pk: Decimal("11.00"), q.pk: Decimal("9.00")}
    # Renvoyer la page corrigée, en connaissance de cause : la case est à jour, la saisie passe.
    champs = formulaire(page)
    assert champs[f"valeur-{p.pk}"] == "15"
    assert champs[f"version-{p.pk}"] == "1"
    assert client.post(grille(oraux), champs).status_code == 302
    assert Saisie.objects.get(passage=p).note == Decimal("15.00")


@pytest.mark.parametrize(
    ("valeur", "message"),
    [
        pytest.param("ABJ", "division des examens", id="ABJ"),
        pytest.param("NV", "commission de conformité", id="NV"),
        pytest.param("25", "dépasse 20", id="25"),
    ],
)
def test_les_erreurs_nomment_la_case(monde: Any, oraux: Oraux, client: Client, valeur: str, message: str) -> None:
    p = oraux.passages["E4-1"]
    client.force_login(monde.utilisateur("examinateur"))
    champs = formulaire(client.get(grille(oraux)).content.decode())
    champs[f"valeur-{p.pk}"] = valeur
    reponse = client.post(grille(oraux), champs)
    assert reponse.status_code == 200
    page = reponse.content.decode()
    assert f'<p class="fr-error-text" id="erreur-{p.pk}">Candidat 22-000100 (CANDIDATA Camille), E4 : ' in page
    assert message in page
    assert f'value="{valeur}"' in page  # ce qui a été tapé reste dans la case
    assert not Saisie.objects.exists()


def test_le_chef_de_centre_fait_la_seconde_saisie_d_une_commission_d_un_membre(
    monde: Any, oraux: Oraux, client: Client
) -> None:
    p = oraux.passages["E2-1"]
    client.force_login(monde.utilisateur("chef_de_centre"))
    page = client.get(grille(oraux, "K3")).content.decode()
    assert "en attente de la saisie de l&#x27;examinateur" in page
    assert f'name="valeur-{p.pk}"' not in page
    assert f'name="valeur-{oraux.passages["E4-1"].pk}"' not in client.get(grille(oraux)).content.decode()
    client.force_login(monde.utilisateur("examinateur"))
    champs = formulaire(client.get(grille(oraux, "K3")).content.decode())
    champs[f"valeur-{p.pk}"] = "AB"
    client.post(grille(oraux, "K3"), champs)
    client.force_login(monde.utilisateur("chef_de_centre"))
    champs = formulaire(client.get(grille(oraux, "K3")).content.decode())
    champs[f"valeur-{p.pk}"] = "ab"
    client.post(grille(oraux, "K3"), champs)
    r = Resultat.objects.get(candidat=p.candidat, epreuve="E2")
    assert (r.etat, r.note_examinateur) == ("AB", None)
    assert Saisie.objects.get(rang=2).qualite == Saisie.Qualite.CENTRE


def test_le_doute_sur_le_dossier_suspend_la_note(monde: Any, oraux: Oraux, client: Client) -> None:
    p = oraux.passages["E4-1"]
    for qui in ("examinateur", "examinateur_y"):
        client.force_login(oraux.utilisateurs[qui])
        champs = formulaire(client.get(grille(oraux)).content.decode())
        champs[f"valeur-{p.pk}"] = "14"
        champs[f"doute-{p.pk}"] = "on"
        client.post(grille(oraux), champs)
    r = Resultat.objects.get(candidat=p.candidat, epreuve="E4")
    assert (r.note_examinateur, r.suspendue) == (Decimal("14.00"), True)


def test_la_fiche_d_evaluation_de_l_engagement(monde: Any, oraux: Oraux, client: Client) -> None:
    url = f"/examinateur/passages/{oraux.passages['ENG-1'].pk}/engagement/"
    client.force_login(monde.utilisateur("examinateur"))
    page = client.get(url).content.decode()
    assert "Présentation du contexte" in page
    incomplet = client.post(url, {"note": "14"})
    assert "Renseignez le critère « Présentation du contexte »." in incomplet.content.decode()
    donnees = {f"critere_{i}": f"Appréciation {i}" for i in range(6)} | {"note": "14,5", "appreciation": "Bien."}
    reponse = client.post(url, donnees)
    assert reponse.status_code == 302
    e = EvaluationEngagement.objects.get(candidat=oraux.candidats["C1A"])
    assert e.note == Decimal("14.5")
    assert e.fiche_evaluation["Présentation du contexte"] == "Appréciation 0"
    assert client.post(url, donnees | {"note": "22"}).status_code == 200  # note refusée par le service


def test_la_fiche_d_engagement_se_lit_et_la_lecture_est_journalisee(monde: Any, oraux: Oraux, client: Client) -> None:
    from examens.apps.sujets.models import Consultation

    client.force_login(monde.utilisateur("examinateur"))
    reponse = client.get(f"/examinateur/passages/{oraux.passages['ENG-1'].pk}/engagement/fiche.pdf")
    assert reponse.content.startswith(b"%PDF")
    assert reponse["Cache-Control"] == "no-store"
    assert Consultation.objects.filter(candidat=oraux.candidats["C1A"], acteur="examinateur").count() == 1


# --------------------------------------------------------------------------- nombre de requêtes


def requetes(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as capture:
        reponse = client.get(url)
    assert reponse.status_code == 200, url
    return len(capture)


@pytest.mark.parametrize("persona", ["examinateur", "chef_de_centre"])
def test_les_pages_ne_dependent_pas_du_nombre_de_passages(monde: Any, client: Client, persona: str) -> None:
    """5 ou 50 passages dans la grille (la moitié déjà saisis) : le même nombre de requêtes."""
    from examens.apps.notes.services import saisir_note_orale

    o = oraux_publies(monde, e4=5)

    def saisir_la_moitie(passages: list[Any]) -> None:
        for p in passages[::2]:
            saisir_note_orale(passage=p, utilisateur=o.utilisateurs["examinateur"], valeur="12", version=0)

    def mesurer() -> dict[str, int]:
        client.force_login(monde.utilisateur(persona))
        pages = [grille(o), "/saisie/"] + (["/examinateur/"] if persona == "examinateur" else [])
        return {url: requetes(client, url) for url in pages}

    saisir_la_moitie([x for k, x in o.passages.items() if k.startswith("E4-") and k != "E4-brouillon"])
    avec_5 = mesurer()
    saisir_la_moitie(ajouter_e4(monde, o, 45))
    assert len(client.get(grille(o)).context["lignes"]) == 50
    assert mesurer() == avec_5
    assert max(avec_5.values()) <= 16


def test_une_case_validee_entre_temps_n_est_pas_ignoree_en_silence(monde: Any, oraux: Oraux, client: Client) -> None:
    """Une page restée ouverte pendant que la case était validée : la modification est refusée, et on le dit."""
    p = oraux.passages["E4-1"]
    client.force_login(monde.utilisateur("examinateur"))
    ouverte = formulaire(client.get(grille(oraux)).content.decode())
    from examens.apps.notes.services import saisir_note_orale

    saisir_note_orale(passage=p, utilisateur=monde.utilisateur("examinateur"), valeur="12", version=0)
    saisir_note_orale(passage=p, utilisateur=oraux.utilisateurs["examinateur_y"], valeur="12", version=0)
    ouverte[f"valeur-{p.pk}"] = "16"
    reponse = client.post(grille(oraux), ouverte)
    assert reponse.status_code == 409
    page = reponse.content.decode()
    assert (
        "E4 : la case a changé depuis l&#x27;affichage de la page (résultat validé) ; rien n&#x27;a été enregistré"
        in page
    )
    assert f'href="#ligne-{p.pk}"' in page
    assert Resultat.objects.get(candidat=p.candidat, epreuve="E4").note_examinateur == Decimal("12.00")
