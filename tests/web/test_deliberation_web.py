"""La délibération d'un jury, lue et conduite comme la présidente le fait : candidats par numéro d'anonymat,
calcul exact, points de jury motivés, décisions simulées puis appliquées, livret (§4.8), contrôle et seconde
délibération, verrouillage, réouverture motivée, publication, procès-verbal émis puis téléchargé (journalisé)."""

from __future__ import annotations

from decimal import Decimal
from html import unescape
from typing import Any

import pytest
from django.test import Client

from examens.apps.editions.models import Envoi, Version
from examens.apps.historique.models import Trace
from examens.apps.jury.anonymat import numero_anonyme
from examens.apps.jury.models import DecisionJury, ExamenLivret
from examens.apps.notes.models import NoteControle, Resultat
from examens.apps.planification.models import ChoixControle

pytestmark = pytest.mark.django_db


def noter(c: Any, **notes: str) -> None:
    for epreuve, note in notes.items():
        Resultat.objects.create(candidat=c, epreuve=epreuve, note_examinateur=Decimal(note))


def partout(valeur: str, **autres: str) -> dict[str, str]:
    notes = dict.fromkeys(("E1", "E2", "E3", "E4", "E5A", "E5B", "E6"), valeur)
    notes.update(autres)
    return notes


@pytest.fixture
def presidente(monde: Any, client: Client) -> Client:
    noter(monde.hugo, **partout("10", E1="6", E2="6", E3="8"))  # admissible au contrôle
    client.force_login(monde.utilisateur("presidente"))
    return client


def url(monde: Any, suite: str = "") -> str:
    return f"/deliberation/jurys/{monde.jury.pk}/{suite}"


def texte(reponse: Any) -> str:
    """Le texte de la page, entités HTML décodées (« l'examinateur » et non « l'examinateur »)."""
    return unescape(reponse.content.decode())


def test_la_liste_des_jurys(monde: Any, presidente: Client) -> None:
    html = texte(presidente.get("/deliberation/"))
    assert "Jury — Clermont-Ferrand" in html
    assert "rouverte après publication" in html
    assert "1 enseignant(s) pour 0 professionnel(s)" in html  # composition : un avertissement
    assert "<td>2</td>" in html  # Léa (centre C1) et Hugo (confié nommément)


def test_la_page_du_candidat_montre_le_calcul_exact(monde: Any, presidente: Client) -> None:
    html = texte(presidente.get(url(monde, f"candidats/{monde.lea.pk}/")))
    # 3·12 + 3·14 + 3·11 + 5·15 + 2·9 + 2·13 + 3·16 = 278 points sur 21.
    assert "<dt>Points</dt><dd>278,00</dd>" in html
    assert "<dt>Diviseur</dt><dd>21</dd>" in html
    assert "278/21 = 13,238095…" in html
    assert "13,24" in html
    # Professionnelle : (5·15 + 2·9 + 2·13 + 3·16) / 12 = 167/12.
    assert "167,00 / 12 = 167/12 ≈ 13,92" in html
    assert "Unités obtenues</dt><dd>U1, U2, U3, U4, U5, U6" in html


def test_simuler_n_ecrit_rien_puis_appliquer_enregistre(monde: Any, presidente: Client) -> None:
    avant = DecisionJury.objects.count()
    html = texte(presidente.post(url(monde, "deliberer/"), {"appliquer": "0"}))
    assert "Simulation : rien n'est enregistré" in html
    assert "2 candidats délibérés ; 2 décisions nouvelles ou différentes" in html
    assert numero_anonyme(monde.session.code, monde.hugo.numero) in html
    assert monde.hugo.numero not in html
    assert DecisionJury.objects.count() == avant
    reponse = presidente.post(url(monde, "deliberer/"), {"appliquer": "1"}, follow=True)
    assert "Délibération enregistrée : 2 décision(s)" in texte(reponse)
    assert DecisionJury.objects.en_vigueur().get(candidat=monde.hugo).decision == "controle"
    assert DecisionJury.objects.en_vigueur().get(candidat=monde.lea).moyenne == "13.24"


def test_points_de_jury_motives(monde: Any, presidente: Client) -> None:
    page = url(monde, f"candidats/{monde.hugo.pk}/")
    reponse = presidente.post(f"{page}points-jury/", {"epreuve": "E3", "note": "9", "motif": "  "})
    assert reponse.status_code == 400
    assert "Indiquez le motif des points de jury." in texte(reponse)
    assert Resultat.objects.get(candidat=monde.hugo, epreuve="E3").note_jury is None
    reponse = presidente.post(f"{page}points-jury/", {"epreuve": "E3", "note": "7", "motif": "x"}, follow=True)
    assert "inférieure à la note de l'examinateur" in texte(reponse)
    assert monde.hugo.numero not in texte(reponse)  # le message du service est anonymisé
    reponse = presidente.post(
        f"{page}points-jury/", {"epreuve": "E3", "note": "9,5", "motif": "progrès constants"}, follow=True
    )
    assert "E3 : note après jury enregistrée" in texte(reponse)
    resultat = Resultat.objects.get(candidat=monde.hugo, epreuve="E3")
    assert (resultat.note_examinateur, resultat.note_jury, resultat.motif_jury) == (8, 9.5, "progrès constants")
    assert '9,5 <span class="fr-text--sm">— progrès constants</span>' in texte(reponse)


def test_livret_a_examiner_puis_examine_avec_la_mention_pix(monde: Any, presidente: Client) -> None:
    type(monde.hugo).objects.filter(pk=monde.hugo.pk).update(livret_scolaire=True)
    Resultat.objects.filter(candidat=monde.hugo).update(note_examinateur=Decimal(6))  # moyenne 6 : ajourné
    presidente.post(url(monde, "deliberer/"), {"appliquer": "1"})
    decision = DecisionJury.objects.en_vigueur().get(candidat=monde.hugo)
    assert (decision.decision, decision.motif) == ("en_attente", "livret_non_examine")
    html = texte(presidente.get(url(monde)))
    assert "1 livret scolaire fourni pas encore examiné" in html
    html = texte(presidente.get(url(monde, "?decision=livret_a_examiner")))
    assert numero_anonyme(monde.session.code, monde.hugo.numero) in html
    assert numero_anonyme(monde.session.code, monde.lea.numero) not in html
    page = url(monde, f"candidats/{monde.hugo.pk}/")
    assert "Livret fourni, pas encore examiné" in texte(presidente.get(page))
    reponse = presidente.post(f"{page}livret/", {"mention_pix": "certifie", "observations": "sérieux"}, follow=True)
    assert "Livret scolaire examiné" in texte(reponse)
    assert "certification PIX obtenue" in texte(reponse)
    assert ExamenLivret.objects.get(candidat=monde.hugo).jury == monde.jury
    presidente.post(url(monde, "deliberer/"), {"appliquer": "1"})
    assert DecisionJury.objects.en_vigueur().get(candidat=monde.hugo).decision == "ajourne"


def test_controle_puis_seconde_deliberation(monde: Any, presidente: Client) -> None:
    presidente.post(url(monde, "deliberer/"), {"appliquer": "1"})
    page = url(monde, f"candidats/{monde.hugo.pk}/")
    html = texte(presidente.get(page))
    assert "Épreuves choisies par le candidat (2)" in html
    presidente.post(f"{page}controle/choix/", {"epreuves": ["E1", "E2"]})
    assert ChoixControle.objects.get(candidat=monde.hugo).epreuves == ["E1", "E2"]
    reponse = presidente.post(f"{page}controle/note/", {"epreuve": "E1", "valeur": "21"}, follow=True)
    anonyme = numero_anonyme(monde.session.code, monde.hugo.numero)
    assert f"Candidat {anonyme}, contrôle E1 : la note « 21 » dépasse 20." in texte(reponse)
    assert not NoteControle.objects.exists()
    presidente.post(f"{page}controle/note/", {"epreuve": "E1", "valeur": "16"})
    presidente.post(f"{page}controle/note/", {"epreuve": "E2", "valeur": "AB"})
    presidente.post(url(monde, "deliberer/"), {"appliquer": "1"})
    decision = DecisionJury.objects.en_vigueur().get(candidat=monde.hugo)
    # 3·16 + 3·6 + 3·8 + 5·10 + 2·10 + 2·10 + 3·10 = 210 / 21 = 10 : admis après contrôle.
    assert (decision.decision, decision.apres_controle, decision.moyenne) == ("admis", True, "10.00")
    html = texte(presidente.get(page))
    assert "Moyenne du premier groupe" in html


def test_verrouiller_publier_rouvrir_et_le_proces_verbal(monde: Any, presidente: Client) -> None:
    reponse = presidente.post(url(monde, "verrouiller/"), follow=True)
    assert "ne sont pas à jour" in texte(reponse)
    presidente.post(url(monde, "deliberer/"), {"appliquer": "1"})
    # Avant le verrouillage, pas de procès-verbal.
    reponse = presidente.post(url(monde, "pv/"), {"variante": "anonyme"}, follow=True)
    assert "Verrouillez la délibération avant d'éditer le procès-verbal" in texte(reponse)
    reponse = presidente.post(url(monde, "verrouiller/"), follow=True)
    assert "Délibération verrouillée" in texte(reponse)
    # Verrouillée : les écritures sont refusées, en français, sans numéro de candidat.
    page = url(monde, f"candidats/{monde.hugo.pk}/")
    reponse = presidente.post(f"{page}points-jury/", {"epreuve": "E3", "note": "9", "motif": "x"}, follow=True)
    assert "La délibération du jury « Jury — Clermont-Ferrand » est verrouillée" in texte(reponse)
    assert Resultat.objects.get(candidat=monde.hugo, epreuve="E3").note_jury is None
    assert "Enregistrer les points de jury" not in texte(reponse)  # plus de formulaire
    # Le procès-verbal : la composition est rappelée, pas bloquante.
    reponse = presidente.post(url(monde, "pv/"), {"variante": "anonyme"}, follow=True)
    html = texte(reponse)
    assert "Avant de signer : Jury — Clermont-Ferrand : 1 enseignant(s) pour 0 professionnel(s)" in html
    assert "Procès-verbal anonyme : nouvelle version émise." in html
    version = Version.objects.get(document__jury=monde.jury, document__modele="pv-deliberation")
    reponse = presidente.post(url(monde, f"pv/{version.pk}/telecharger/"))
    assert reponse.status_code == 200
    assert reponse["Content-Type"] == "application/pdf"
    assert reponse["Content-Disposition"] == f'attachment; filename="{version.nom_fichier}"'
    assert reponse.content.startswith(b"%PDF")
    envoi = Envoi.objects.get(version=version)
    assert (envoi.canal, envoi.destinataire) == ("telechargement", "presidente")
    # Publication, puis réouverture motivée.
    reponse = presidente.post(url(monde, "publier/"), follow=True)
    assert "Résultats publiés" in texte(reponse)
    reponse = presidente.post(url(monde, "rouvrir/"), {"motif": " "})
    assert reponse.status_code == 400
    assert "Indiquez le motif de la réouverture." in texte(reponse)
    reponse = presidente.post(url(monde, "rouvrir/"), {"motif": "erreur de report en E3"}, follow=True)
    assert "Délibération rouverte" in texte(reponse)
    assert "motif : erreur de report en E3" in texte(reponse)
    assert Trace.objects.filter(objet_type="jury.etatdeliberation", motif="erreur de report en E3").count() == 1


def test_la_mention_pix_declaree_au_depot_du_livret_est_montree_et_proposee(monde: Any, presidente: Client) -> None:
    from examens.apps.dossiers.models import Piece

    type(monde.hugo).objects.filter(pk=monde.hugo.pk).update(livret_scolaire=True)
    Piece.objects.create(
        candidat=monde.hugo,
        nature=Piece.Nature.LIVRET_SCOLAIRE,
        nom_fichier="livret.pdf",
        contenu=b"%PDF-1.7",
        taille=8,
        pages=1,
        empreinte="0" * 64,
        mention_pix="non_certifie",
        deposee_par="lycee",
    )
    html = texte(presidente.get(url(monde, f"candidats/{monde.hugo.pk}/")))
    assert "mention PIX déclarée par l'établissement : pas de certification PIX" in html
    assert '<option value="non_certifie" selected>' in html
