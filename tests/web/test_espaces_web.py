"""Les espaces établissement et candidat et l'instruction des réclamations, lus et utilisés comme une personne
le fait : pièces manquantes et dates limites, dépôts contrôlés (vrai PDF, taille, nom nettoyé), livret et
mention PIX, notes de CCF (demi-points, arrondi supérieur, traces), documents téléchargés et journalisés,
résultats seulement publiés, réclamation déposée puis instruite."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from html import unescape
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from examens.apps.candidats.models import Candidat, PeriodeStage
from examens.apps.comptes.permissions import oublier_habilitations
from examens.apps.dossiers.models import Dossier, Piece
from examens.apps.editions.models import Envoi
from examens.apps.historique.models import Trace
from examens.apps.jury.models import ExamenLivret
from examens.apps.notes.models import Resultat, SituationCCF
from examens.apps.organisation.models import ExamSession
from examens.apps.reclamations.models import Reclamation
from web.outils_espaces import garnir, pdf_reel

pytestmark = pytest.mark.django_db


@pytest.fixture
def espaces(monde: Any) -> Any:
    return garnir(monde)


def page(client: Client, url: str) -> str:
    reponse = client.get(url)
    assert reponse.status_code == 200, url
    return reponse.content.decode()


def texte(html: str) -> str:
    """Le texte d'une page, sans balises ni espaces multiples (pour lire les messages)."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def resultats_publies_plus_tard(monde: Any, *, limite_ccf: date | None = date(2022, 5, 31)) -> None:
    ExamSession.objects.filter(pk=monde.session.pk).update(date_resultats=date(2999, 7, 6), date_limite_ccf=limite_ccf)
    for u in monde.utilisateurs.values():
        if u is not None:
            oublier_habilitations(u)


# --- Espace établissement : le suivi ---------------------------------------------------------------------


def test_l_etablissement_voit_ses_candidats_les_pieces_manquantes_et_les_dates_limites(
    monde: Any, espaces: Any, client: Client
) -> None:
    client.force_login(monde.utilisateur("etablissement"))
    html = texte(page(client, "/etablissement/"))
    assert "22-000001" in html
    assert "22-000002" in html
    assert "22-000003" not in html  # Inès : CFA de Lyon
    assert "31 mars 2022" in html
    assert "31 mai 2022" in html
    # Léa : dossiers conformes ; il lui manque l'attestation de sa période de stage et son livret scolaire.
    assert "attestation de stage — Décathlon Clermont (du 03/05/2021 au 25/06/2021)" in html
    assert "date limite passée (31/03/2022)" in html
    assert "livret scolaire avec la mention PIX" in html
    # Hugo : rien de déposé, pas de note de CCF.
    assert "E4 : non déposé" in html
    for manque in ("dossier E4", "dossier E6", "notes de CCF E2", "notes de CCF E4", "notes de CCF E6"):
        assert manque in html
    assert "2 candidats inscrits" in html


def test_le_filtre_des_dossiers_incomplets(monde: Any, espaces: Any, client: Client) -> None:
    client.force_login(monde.utilisateur("etablissement"))
    PeriodeStage.objects.filter(pk=espaces.periode_lea.pk).update(piece_fournie=True)
    Candidat.objects.filter(pk=monde.lea.pk).update(livret_scolaire=True)
    html = page(client, "/etablissement/?incomplets=1")
    assert "22-000002" in html
    assert "22-000001" not in html  # Léa est complète
    assert "22-000001" in page(client, "/etablissement/")


# --- Dépôts contrôlés ---------------------------------------------------------------------------------------


def deposer(client: Client, candidat: Any, nom: str, contenu: bytes, **champs: str) -> Any:
    donnees = {"nature": "dossier_e4", **champs, "fichier": SimpleUploadedFile(nom, contenu, "application/pdf")}
    return client.post(f"/etablissement/candidats/{candidat.pk}/pieces/", donnees, follow=True)


def test_deposer_le_dossier_e4_le_marque_depose_et_le_trace(monde: Any, espaces: Any, client: Client) -> None:
    client.force_login(monde.utilisateur("etablissement"))
    contenu = pdf_reel(pages=3)
    reponse = deposer(client, monde.hugo, "../Dossier E4 (version finale) é.PDF", contenu)
    html = texte(reponse.content.decode())
    assert "Dossier E4 déposé(e) : « Dossier_E4_version_finale_e.pdf », 3 page(s), version 1." in html
    piece = Piece.objects.get(candidat=monde.hugo, nature="dossier_e4")
    assert (bytes(piece.contenu), piece.pages, piece.nom_fichier) == (contenu, 3, "Dossier_E4_version_finale_e.pdf")
    dossier = Dossier.objects.get(candidat=monde.hugo, epreuve="E4")
    assert dossier.depose_le is not None
    types = set(Trace.objects.filter(acteur="etablissement").values_list("objet_type", flat=True))
    assert types == {"dossiers.dossier", "dossiers.piece"}
    # Une seconde version ne change pas la date du premier dépôt.
    deposer(client, monde.hugo, "dossier.pdf", pdf_reel("v2"))
    assert Piece.objects.filter(candidat=monde.hugo, nature="dossier_e4").count() == 2
    assert Dossier.objects.get(pk=dossier.pk).depose_le == dossier.depose_le
    # Téléchargement par l'établissement : le fichier tel qu'il a été déposé.
    reponse = client.get(f"/etablissement/pieces/{piece.pk}/")
    assert b"".join(reponse.streaming_content) == contenu
    assert 'filename="Dossier_E4_version_finale_e.pdf"' in reponse["Content-Disposition"]


@pytest.mark.parametrize(
    ("nom", "contenu", "message"),
    [
        pytest.param(
            "dossier.pdf", b"MZ\x90\x00 un executable", "« dossier.pdf » : ce fichier n'est pas un PDF", id="faux PDF"
        ),
        pytest.param(
            "rapport.pdf",
            b"<html><body>page web</body></html>",
            "« rapport.pdf » : ce fichier n'est pas un PDF",
            id="page web renommée",
        ),
        pytest.param(
            "abime.pdf",
            b"%PDF-1.7\n" + b"x" * 300 + b"\n%%EOF\n",
            "« abime.pdf » : ce PDF est illisible ou endommagé",
            id="en-tête de PDF, contenu illisible",
        ),
        pytest.param("vide.pdf", b"", "« vide.pdf » : le fichier est vide", id="vide"),
    ],
)
def test_un_fichier_qui_n_est_pas_un_vrai_pdf_est_refuse_en_le_nommant(
    monde: Any, espaces: Any, client: Client, nom: str, contenu: bytes, message: str
) -> None:
    client.force_login(monde.utilisateur("etablissement"))
    reponse = deposer(client, monde.hugo, nom, contenu)
    assert reponse.status_code == 200
    html = reponse.content.decode()
    assert message in texte(html)
    assert 'aria-invalid="true"' in html
    assert not Piece.objects.filter(candidat=monde.hugo).exists()
    assert not Dossier.objects.filter(candidat=monde.hugo).exists()


def test_un_fichier_trop_lourd_est_refuse_sans_etre_lu(monde: Any, espaces: Any, client: Client, settings: Any) -> None:
    settings.EXAMENS_SUJETS_TAILLE_MAX = 2 * 1024 * 1024
    client.force_login(monde.utilisateur("etablissement"))
    gros = pdf_reel()[:-6] + b" " * (3 * 1024 * 1024) + b"%%EOF\n"
    reponse = deposer(client, monde.hugo, "gros dossier.pdf", gros)
    assert "« gros dossier.pdf » : le fichier pèse 3 Mo, au-delà de 2 Mo ; allégez le PDF." in texte(
        reponse.content.decode()
    )
    assert not Piece.objects.filter(candidat=monde.hugo).exists()


def test_une_attestation_pour_une_periode_declaree_ou_nouvelle(monde: Any, espaces: Any, client: Client) -> None:
    client.force_login(monde.utilisateur("etablissement"))
    deposer(
        client,
        monde.lea,
        "attestation.pdf",
        pdf_reel(),
        nature="attestation_stage",
        periode=str(espaces.periode_lea.pk),
    )
    espaces.periode_lea.refresh_from_db()
    assert espaces.periode_lea.piece_fournie
    assert Piece.objects.get(periode=espaces.periode_lea).nature == "attestation_stage"
    assert "Décathlon" not in texte(page(client, "/etablissement/"))  # plus manquante
    # Sans période choisie : l'entreprise et les dates sont demandées…
    reponse = deposer(client, monde.hugo, "attestation.pdf", pdf_reel(), nature="attestation_stage")
    assert "Indiquez l'entreprise." in texte(reponse.content.decode())
    # … et une nouvelle période est déclarée avec sa pièce.
    deposer(
        client,
        monde.hugo,
        "attestation.pdf",
        pdf_reel(),
        nature="attestation_stage",
        entreprise="Leroy Merlin",
        debut="2021-05-03",
        fin="2021-08-20",
    )
    periode = PeriodeStage.objects.get(candidat=monde.hugo)
    assert (periode.entreprise, periode.piece_fournie) == ("Leroy Merlin", True)
    # La période d'un autre candidat n'est pas proposée.
    reponse = deposer(
        client, monde.hugo, "a.pdf", pdf_reel(), nature="attestation_stage", periode=str(espaces.periode_lea.pk)
    )
    assert "Sélectionnez un choix valide" in texte(reponse.content.decode())


def test_le_livret_scolaire_et_sa_mention_pix(monde: Any, espaces: Any, client: Client) -> None:
    client.force_login(monde.utilisateur("etablissement"))
    url = f"/etablissement/candidats/{monde.lea.pk}/livret/"
    sans_mention = client.post(url, {"livret": SimpleUploadedFile("livret.pdf", pdf_reel())})
    assert "Ce champ est obligatoire." in texte(sans_mention.content.decode())
    reponse = client.post(
        url, {"livret": SimpleUploadedFile("livret.pdf", pdf_reel()), "mention_pix": "certifie"}, follow=True
    )
    assert "mention PIX : certification PIX obtenue" in texte(reponse.content.decode())
    monde.lea.refresh_from_db()
    assert monde.lea.livret_scolaire
    assert Piece.objects.get(candidat=monde.lea, nature="livret_scolaire").mention_pix == "certifie"
    from examens.apps.web.selectors_espaces import mention_pix_deposee

    assert mention_pix_deposee(monde.lea) == "certifie"
    # Le jury l'a examiné : il ne se remplace plus.
    ExamenLivret.objects.create(candidat=monde.lea, examine_par="jury")
    refus = client.post(url, {"livret": SimpleUploadedFile("livret.pdf", pdf_reel()), "mention_pix": "non_certifie"})
    assert "Le jury a examiné le livret scolaire : il ne se remplace plus ici" in texte(refus.content.decode())
    assert Piece.objects.filter(candidat=monde.lea, nature="livret_scolaire").count() == 1


# --- Notes de CCF -------------------------------------------------------------------------------------------


def ccf_ouvert(monde: Any) -> None:
    """Résultats pas encore publiés, date limite de transmission des notes de CCF à venir."""
    resultats_publies_plus_tard(monde, limite_ccf=date(2999, 5, 31))


def transmettre(client: Client, candidat: Any, epreuve: str, *notes: str) -> Any:
    donnees = {"epreuve": epreuve} | {f"{epreuve.lower()}-situation_{k}": n for k, n in enumerate(notes, 1)}
    return client.post(f"/etablissement/candidats/{candidat.pk}/ccf/", donnees, follow=True)


def test_les_notes_de_ccf_transmises_font_la_note_arrondie_au_demi_point_superieur(
    monde: Any, espaces: Any, client: Client
) -> None:
    ccf_ouvert(monde)
    client.force_login(monde.utilisateur("etablissement"))
    html = page(client, f"/etablissement/candidats/{monde.hugo.pk}/ccf/")
    assert "E2 — situation 1" in html
    assert "E6 — situation unique" in html
    reponse = transmettre(client, monde.hugo, "E4", "12,5", "13")
    assert "E4 : notes de CCF transmises ; note de l'épreuve 13/20" in texte(reponse.content.decode())
    resultat = Resultat.objects.get(candidat=monde.hugo, epreuve="E4")
    assert resultat.note_examinateur == Decimal("13.00")  # (12,5 + 13) / 2 = 12,75 → 13
    assert resultat.origine == "session"
    assert list(SituationCCF.objects.filter(resultat=resultat).order_by("numero").values_list("note", flat=True)) == [
        Decimal("12.50"),
        Decimal("13.00"),
    ]
    trace = Trace.objects.get(objet_type="notes.resultat", objet_id=str(resultat.pk))
    assert trace.apres == {"etat": "note", "note_examinateur": "13.00", "situations": ["12.50", "13.00"]}
    assert trace.acteur == "etablissement"
    # Correction : tracée avec l'avant et l'après.
    transmettre(client, monde.hugo, "E4", "11", "12")
    resultat.refresh_from_db()
    assert resultat.note_examinateur == Decimal("11.50")
    derniere = Trace.objects.filter(objet_type="notes.resultat", objet_id=str(resultat.pk)).order_by("-id").first()
    assert derniere.avant["note_examinateur"] == "13.00"
    assert derniere.apres["note_examinateur"] == "11.50"


@pytest.mark.parametrize(
    ("notes", "message"),
    [
        pytest.param(
            ("12,3", "13"), "situation 1 : la note « 12,3 » n'est pas un multiple de 0,5", id="hors demi-point"
        ),
        pytest.param(("21", "13"), "situation 1 : la note « 21 » dépasse 20", id="au-delà de 20"),
        pytest.param(("12", "-1"), "situation 2 : la note « -1 » est négative", id="négative"),
        pytest.param(("douze", "13"), "« douze » n'est ni une note ni un code reconnu", id="illisible"),
    ],
)
def test_une_note_de_ccf_invalide_est_refusee(
    monde: Any, espaces: Any, client: Client, notes: tuple[str, str], message: str
) -> None:
    ccf_ouvert(monde)
    client.force_login(monde.utilisateur("etablissement"))
    reponse = transmettre(client, monde.hugo, "E4", *notes)
    assert message in texte(reponse.content.decode())
    assert not Resultat.objects.filter(candidat=monde.hugo).exists()


def test_les_notes_de_ccf_ne_se_transmettent_plus_apres_la_date_limite_ni_apres_publication(
    monde: Any, espaces: Any, client: Client
) -> None:
    client.force_login(monde.utilisateur("etablissement"))
    publiees = transmettre(client, monde.hugo, "E4", "12", "13")
    assert "Les résultats de la session sont publiés depuis le 06/07/2022" in texte(publiees.content.decode())
    resultats_publies_plus_tard(monde)  # la date limite du 31 mai 2022 est passée
    hors_delai = transmettre(client, monde.hugo, "E4", "12", "13")
    assert "La date limite de transmission des notes de CCF (31/05/2022) est passée" in texte(
        hors_delai.content.decode()
    )
    assert not Resultat.objects.filter(candidat=monde.hugo).exists()


# --- Espace candidat ------------------------------------------------------------------------------------------


def test_le_candidat_telecharge_sa_convocation_et_le_telechargement_est_journalise(
    monde: Any, espaces: Any, client: Client
) -> None:
    client.force_login(monde.utilisateur("candidat"))
    html = page(client, "/mon-espace/")
    assert f"/mon-espace/documents/{espaces.convocation_lea.pk}/" in html
    assert f"/mon-espace/documents/{espaces.releve_lea.pk}/" in html  # résultats publiés
    reponse = client.get(f"/mon-espace/documents/{espaces.convocation_lea.pk}/")
    contenu = reponse.content
    assert contenu.startswith(b"%PDF-")
    assert reponse["Content-Disposition"].endswith('-v2.pdf"')  # la version en vigueur
    envoi = Envoi.objects.get()
    assert (envoi.canal, envoi.destinataire, envoi.version.numero) == ("telechargement", "candidat", 2)
    assert envoi.version.document == espaces.convocation_lea
    assert envoi.accuse_le is not None
    assert "téléchargée le" in page(client, "/mon-espace/")


def test_avant_la_publication_ni_notes_ni_releve(monde: Any, espaces: Any, client: Client) -> None:
    resultats_publies_plus_tard(monde)
    client.force_login(monde.utilisateur("candidat"))
    html = texte(page(client, "/mon-espace/"))
    assert "Les résultats seront consultables ici après leur publication, le 6 juillet 2999." in html
    assert "Mes notes" not in html
    assert f"/mon-espace/documents/{espaces.releve_lea.pk}/" not in html
    assert client.get(f"/mon-espace/documents/{espaces.releve_lea.pk}/").status_code == 404
    assert client.get("/mon-espace/reclamations/nouvelle/").status_code == 302
    assert not Envoi.objects.exists()


def test_le_candidat_voit_son_dossier_et_son_resultat(monde: Any, espaces: Any, client: Client) -> None:
    client.force_login(monde.utilisateur("candidat"))
    html = texte(page(client, "/mon-espace/"))
    assert "Admis" in html or "admis" in html
    assert "moyenne 12,86/20" in html
    assert "E4 : déposé le 01/04/2022" in html
    assert "Pièces et notes attendues" not in html  # résultats publiés : le dossier est clos
    resultats_publies_plus_tard(monde)
    html = texte(page(client, "/mon-espace/"))
    assert "livret scolaire avec la mention PIX" in html
    assert "Votre établissement de formation dépose ces pièces" in html


# --- Réclamations -----------------------------------------------------------------------------------------


def test_reclamation_deposee_par_le_candidat_puis_instruite_par_l_academie(
    monde: Any, espaces: Any, client: Client
) -> None:
    Candidat.objects.filter(pk=monde.lea.pk).update(courriel="lea.martin@exemple.fr")
    Reclamation.objects.filter(pk=espaces.reclamation_lea.pk).update(statut="non_fondee", reponse="Note confirmée.")
    client.force_login(monde.utilisateur("candidat"))
    html = texte(page(client, "/mon-espace/reclamations/nouvelle/?epreuve=E6"))
    assert "E6 — Relation client et animation de réseaux" in html
    reponse = client.post(
        "/mon-espace/reclamations/nouvelle/", {"epreuve": "E6", "motif": "Je demande la vérification du report."}
    )
    reclamation = Reclamation.objects.get(candidat=monde.lea, epreuve="E6")
    assert reponse.status_code == 302
    assert reponse["Location"] == f"/mon-espace/reclamations/{reclamation.pk}/"
    assert reclamation.statut == "deposee"
    trace = Trace.objects.get(objet_type="reclamations.reclamation", objet_id=str(reclamation.pk))
    assert trace.apres == {"epreuve": "E6", "statut": "deposee"}
    assert "vérification" not in str(trace.apres)
    assert not trace.motif
    # Une seconde réclamation ouverte sur la même épreuve : refusée.
    double = client.post("/mon-espace/reclamations/nouvelle/", {"epreuve": "E6", "motif": "Encore."})
    assert "Une réclamation sur l'épreuve E6 est déjà en cours d'instruction" in texte(double.content.decode())

    client.force_login(monde.utilisateur("gestionnaire_pilote"))
    liste = page(client, "/reclamations/")
    assert f"/reclamations/{reclamation.pk}/" in liste
    assert f"/reclamations/{espaces.reclamation_lea.pk}/" not in liste  # close : hors des « à instruire »
    assert f"/reclamations/{espaces.reclamation_lea.pk}/" in page(client, "/reclamations/?statut=toutes")
    url = f"/reclamations/{reclamation.pk}/"
    assert "Je demande la vérification du report." in page(client, url)
    sans_reponse = client.post(url, {"statut": "fondee", "reponse": ""})
    assert "Rédigez la réponse au candidat avant de clore la réclamation." in texte(sans_reponse.content.decode())
    client.post(url, {"statut": "en_instruction", "reponse": ""})
    with django_capture_on_commit():
        client.post(url, {"statut": "fondee", "reponse": "Erreur de report : la note est corrigée par le jury."})
    reclamation.refresh_from_db()
    assert (reclamation.statut, reclamation.traitee_par) == ("fondee", "gestionnaire-pilote")
    assert [
        t.action for t in Trace.objects.filter(objet_type="reclamations.reclamation", objet_id=str(reclamation.pk))
    ] == [
        "creation",
        "modification",
        "decision",
    ]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["lea.martin@exemple.fr"]
    assert "fondée : correction décidée" in mail.outbox[0].body
    assert "Instruire" not in page(client, url)  # close : plus de formulaire

    client.force_login(monde.utilisateur("candidat"))
    html = texte(page(client, url.replace("/reclamations/", "/mon-espace/reclamations/")))
    assert "Erreur de report : la note est corrigée par le jury." in html


def django_capture_on_commit() -> Any:
    """Les courriels partent à la validation de la transaction (`on_commit`) : dans un test, on l'exécute."""
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)


def test_la_fiche_d_evaluation_de_l_engagement_est_communiquee_sans_la_grille(
    monde: Any, espaces: Any, client: Client
) -> None:
    client.force_login(monde.utilisateur("candidat"))
    html = texte(page(client, "/mon-espace/reclamations/nouvelle/?epreuve=ENGAGEMENT"))
    # ENGAGEMENT n'a pas de note au relevé de Léa : le détail n'est pas proposé…
    assert "Fiche d'évaluation" not in html
    from examens.apps.notes.models import Resultat as R

    R.objects.create(candidat=monde.lea, epreuve="ENGAGEMENT", note_examinateur=Decimal("15.5"))
    html = texte(page(client, "/mon-espace/reclamations/nouvelle/?epreuve=ENGAGEMENT"))
    assert "Fiche d'évaluation de l'engagement étudiant" in html
    assert "claire et structurée" in html
    assert "Engagement associatif solide." in html
    assert "secret" not in html
    assert "non communicables" not in html


def test_le_detail_d_une_note_de_ccf_montre_ses_situations(monde: Any, espaces: Any, client: Client) -> None:
    resultat = Resultat.objects.get(candidat=monde.lea, epreuve="E4")
    SituationCCF.objects.bulk_create(
        [
            SituationCCF(resultat=resultat, numero=1, note=Decimal("14.5")),
            SituationCCF(resultat=resultat, numero=2, note=Decimal("15")),
        ]
    )
    client.force_login(monde.utilisateur("gestionnaire_pilote"))
    html = texte(page(client, f"/reclamations/{espaces.reclamation_lea.pk}/"))
    assert "situation 1 : 14,5/20 ; situation 2 : 15/20" in html
    assert "Note 15/20" in html
