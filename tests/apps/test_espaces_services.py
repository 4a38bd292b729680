"""Les services des espaces personnels, sans le web : contrôle des fichiers déposés (vrai PDF, taille, nom
nettoyé), dépôt des pièces, transmission des notes de CCF (règlement §2–§3 : demi-points, arrondi au pas
supérieur), réclamations (après publication, une ouverte par objet, réponse pour clore)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from examens.apps.candidats.models import Candidat, NoteConservee
from examens.apps.dossiers.models import Piece
from examens.apps.dossiers.pieces import DepotRefuse, deposer_piece, nettoyer_nom, verifier_televersement
from examens.apps.historique.models import Trace
from examens.apps.jury.models import EtatDeliberation, ExamenLivret
from examens.apps.jury.services import DeliberationVerrouillee
from examens.apps.notes.ccf import TransmissionCCFImpossible, epreuves_ccf, transmettre_notes_ccf
from examens.apps.notes.models import Resultat
from examens.apps.organisation.models import ExamSession
from examens.apps.reclamations.models import Reclamation
from examens.apps.reclamations.services import ReclamationRefusee, deposer_reclamation, instruire_reclamation
from examens.apps.sujets.erreurs import PieceRefusee
from web.outils_espaces import pdf_reel

pytestmark = pytest.mark.django_db


# --- Fichiers ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("nom", "attendu"),
    [
        pytest.param("dossier.pdf", "dossier.pdf", id="déjà propre"),
        pytest.param("Dossier E4 (final).PDF", "Dossier_E4_final.pdf", id="espaces et parenthèses"),
        pytest.param("../../etc/passwd", "passwd.pdf", id="chemin relatif"),
        pytest.param("C:\\Users\\Léa\\Mon dossier é.pdf", "Mon_dossier_e.pdf", id="chemin Windows et accents"),
        pytest.param("<script>alert(1)</script>.pdf", "script.pdf", id="balises"),
        pytest.param("...pdf", "piece.pdf", id="rien de lisible"),
        pytest.param("a" * 300 + ".pdf", "a" * 96 + ".pdf", id="trop long"),
    ],
)
def test_le_nom_d_un_fichier_depose_est_nettoye(nom: str, attendu: str) -> None:
    assert nettoyer_nom(nom) == attendu


def test_un_vrai_pdf_est_accepte_et_ses_pages_comptees() -> None:
    pdf = verifier_televersement(nom="dossier.pdf", contenu=pdf_reel(pages=4))
    assert (pdf.pages, pdf.nom, len(pdf.empreinte)) == (4, "dossier.pdf", 64)


@pytest.mark.parametrize(
    ("contenu", "message"),
    [
        pytest.param(b"", "« x.pdf » : le fichier est vide", id="vide"),
        pytest.param(b"PK\x03\x04 docx", "« x.pdf » : ce fichier n'est pas un PDF", id="document Word renommé"),
        pytest.param(b"%PDF-1.4 tronque sans fin", "« x.pdf » : ce fichier n'est pas un PDF", id="tronqué"),
        pytest.param(b"%PDF-1.4\n%%EOF\n", "« x.pdf » : ce PDF est illisible ou endommagé", id="sans objet"),
    ],
)
def test_un_faux_pdf_est_refuse_en_nommant_le_fichier(contenu: bytes, message: str) -> None:
    with pytest.raises(PieceRefusee) as erreur:
        verifier_televersement(nom="x.pdf", contenu=contenu)
    assert erreur.value.message.startswith(message)


def test_un_fichier_trop_lourd_n_est_pas_lu(settings: Any) -> None:
    settings.EXAMENS_SUJETS_TAILLE_MAX = 1024 * 1024

    class Televerse:
        size = 5 * 1024 * 1024
        lu = False

        def read(self, *args: Any) -> bytes:
            self.lu = True
            return b""

    fichier = Televerse()
    with pytest.raises(PieceRefusee, match=r"« gros\.pdf » : le fichier pèse 5 Mo, au-delà de 1 Mo"):
        verifier_televersement(nom="gros.pdf", fichier=fichier)
    assert not fichier.lu


# --- Dépôts -----------------------------------------------------------------------------------------------


def test_le_livret_demande_sa_mention_pix_et_ne_se_remplace_plus_apres_l_examen_du_jury(monde: Any) -> None:
    pdf = verifier_televersement(nom="livret.pdf", contenu=pdf_reel())
    with pytest.raises(DepotRefuse, match="Indiquez la mention PIX"):
        deposer_piece(candidat=monde.lea, nature=Piece.Nature.LIVRET_SCOLAIRE, pdf=pdf, par="lycee")
    piece = deposer_piece(
        candidat=monde.lea, nature=Piece.Nature.LIVRET_SCOLAIRE, pdf=pdf, par="lycee", mention_pix="non_certifie"
    )
    assert (piece.version, piece.mention_pix) == (1, "non_certifie")
    assert Trace.objects.get(objet_type="dossiers.piece").apres["mention_pix"] == "non_certifie"
    assert Candidat.objects.get(pk=monde.lea.pk).livret_scolaire
    ExamenLivret.objects.create(candidat=monde.lea, examine_par="jury")
    with pytest.raises(DepotRefuse, match="le jury a déjà examiné son livret scolaire"):
        deposer_piece(
            candidat=monde.lea, nature=Piece.Nature.LIVRET_SCOLAIRE, pdf=pdf, par="lycee", mention_pix="certifie"
        )


def test_un_candidat_desiste_n_attend_plus_de_piece(monde: Any) -> None:
    Candidat.objects.filter(pk=monde.hugo.pk).update(desiste_le=date(2022, 3, 1))
    pdf = verifier_televersement(nom="d.pdf", contenu=pdf_reel())
    with pytest.raises(DepotRefuse, match="désisté le 01/03/2022"):
        deposer_piece(candidat=monde.hugo, nature=Piece.Nature.DOSSIER_E6, pdf=pdf, par="lycee")


# --- Notes de CCF -----------------------------------------------------------------------------------------


@pytest.fixture
def ccf_ouvert(monde: Any) -> Any:
    ExamSession.objects.filter(pk=monde.session.pk).update(date_resultats=None, date_limite_ccf=date(2022, 5, 31))
    monde.session.refresh_from_db()
    return monde


AVANT_LIMITE = datetime(2022, 5, 2, 10, tzinfo=UTC)


@pytest.mark.parametrize(
    ("notes", "attendue"),
    [
        pytest.param(("12", "13"), "12.50", id="moyenne au demi-point"),
        pytest.param(("12,5", "13"), "13.00", id="12,75 arrondi au demi-point supérieur"),
        pytest.param(("0", "0,5"), "0.50", id="0,25 → 0,5"),
        pytest.param(("19,5", "20"), "20.00", id="19,75 → 20"),
        pytest.param(("20", "20"), "20.00", id="maximum"),
    ],
)
def test_la_note_de_ccf_est_la_moyenne_arrondie_au_demi_point_superieur(
    ccf_ouvert: Any, notes: tuple[str, str], attendue: str
) -> None:
    r = transmettre_notes_ccf(candidat=ccf_ouvert.hugo, epreuve="E2", notes=notes, par="lycee", maintenant=AVANT_LIMITE)
    assert r.note_examinateur == Decimal(attendue)
    assert isinstance(r.note_examinateur, Decimal)


def test_les_epreuves_en_ccf_dependent_de_la_categorie(ccf_ouvert: Any) -> None:
    assert [(e.code, e.situations) for e in epreuves_ccf(ccf_ouvert.hugo)] == [("E2", 2), ("E4", 2), ("E6", 1)]
    Candidat.objects.filter(pk=ccf_ouvert.hugo.pk).update(mode_preparation="individuel", etablissement=None)
    individuel = Candidat.objects.get(pk=ccf_ouvert.hugo.pk)
    assert epreuves_ccf(individuel) == []
    with pytest.raises(TransmissionCCFImpossible, match="n'est pas évaluée en CCF pour lui \\(catégorie C\\)"):
        transmettre_notes_ccf(candidat=individuel, epreuve="E4", notes=["12", "12"], par="x", maintenant=AVANT_LIMITE)


@pytest.mark.parametrize(
    ("preparer", "message"),
    [
        pytest.param(
            lambda m: Resultat.objects.create(candidat=m.hugo, epreuve="E6", etat="NV"),
            "l'épreuve est en NV, décidé par l'académie",
            id="NV",
        ),
        pytest.param(
            lambda m: Resultat.objects.create(candidat=m.hugo, epreuve="E6", note_examinateur=11, suspendue=True),
            "la note est suspendue ou déjà revue par le jury",
            id="suspendue",
        ),
        pytest.param(
            lambda m: Resultat.objects.create(
                candidat=m.hugo, epreuve="E6", note_examinateur=14, origine="benefice", annee=2021
            ),
            r"une note conservée \(bénéfice\) tient lieu de note",
            id="note conservée",
        ),
    ],
)
def test_un_resultat_decide_ailleurs_ne_se_remplace_pas(ccf_ouvert: Any, preparer: Any, message: str) -> None:
    preparer(ccf_ouvert)
    with pytest.raises(TransmissionCCFImpossible, match=message):
        transmettre_notes_ccf(candidat=ccf_ouvert.hugo, epreuve="E6", notes=["12"], par="x", maintenant=AVANT_LIMITE)


def test_le_nombre_de_situations_et_la_date_limite(ccf_ouvert: Any) -> None:
    with pytest.raises(
        TransmissionCCFImpossible, match="2 situation\\(s\\) de CCF attendue\\(s\\), 1 note\\(s\\) reçue"
    ):
        transmettre_notes_ccf(candidat=ccf_ouvert.hugo, epreuve="E4", notes=["12"], par="x", maintenant=AVANT_LIMITE)
    apres = datetime(2022, 6, 2, 10, tzinfo=UTC)
    with pytest.raises(TransmissionCCFImpossible, match="date limite de transmission des notes de CCF"):
        transmettre_notes_ccf(candidat=ccf_ouvert.hugo, epreuve="E6", notes=["12"], par="x", maintenant=apres)
    # Le gestionnaire de l'académie transmet encore après la date limite.
    r = transmettre_notes_ccf(
        candidat=ccf_ouvert.hugo, epreuve="E6", notes=["12"], par="dec", maintenant=apres, hors_delai_permis=True
    )
    assert r.note_examinateur == Decimal("12.00")


def test_une_transmission_identique_n_ecrit_rien(ccf_ouvert: Any) -> None:
    transmettre_notes_ccf(candidat=ccf_ouvert.hugo, epreuve="E6", notes=["12"], par="x", maintenant=AVANT_LIMITE)
    traces = Trace.objects.count()
    transmettre_notes_ccf(candidat=ccf_ouvert.hugo, epreuve="E6", notes=["12,0"], par="x", maintenant=AVANT_LIMITE)
    assert Trace.objects.count() == traces


def test_une_deliberation_verrouillee_refuse_les_notes_de_ccf(ccf_ouvert: Any) -> None:
    EtatDeliberation.objects.update_or_create(
        jury=ccf_ouvert.jury, defaults={"verrouillee_le": timezone.now(), "verrouillee_par": "jury"}
    )
    with pytest.raises(DeliberationVerrouillee):
        transmettre_notes_ccf(candidat=ccf_ouvert.hugo, epreuve="E6", notes=["12"], par="x", maintenant=AVANT_LIMITE)
    assert not Resultat.objects.filter(candidat=ccf_ouvert.hugo).exists()


def test_une_note_conservee_du_candidat_ne_compte_pas_comme_manquante(ccf_ouvert: Any) -> None:
    from examens.apps.web.selectors_espaces import suivi_du_candidat

    NoteConservee.objects.create(
        candidat=ccf_ouvert.hugo, epreuve="E4", note=Decimal(14), annee=2021, origine="benefice"
    )
    libelles = [m.libelle for m in suivi_du_candidat(candidat=ccf_ouvert.hugo).manquantes]
    assert "notes de CCF E4" not in libelles
    assert "dossier E4" not in libelles
    assert "notes de CCF E2" in libelles
    assert "dossier E6" in libelles


# --- Réclamations -------------------------------------------------------------------------------------------


def test_une_reclamation_se_depose_apres_la_publication(monde: Any) -> None:
    ExamSession.objects.filter(pk=monde.session.pk).update(date_resultats=date(2999, 1, 1))
    monde.lea.session.refresh_from_db()
    with pytest.raises(ReclamationRefusee, match="Les résultats ne sont pas encore publiés"):
        deposer_reclamation(candidat=monde.lea, epreuve="E4", motif="x", par="lea")


@pytest.mark.parametrize(
    ("epreuve", "motif", "message"),
    [
        pytest.param("E9", "x", "« E9 » n'est pas une épreuve de la session", id="épreuve inconnue"),
        pytest.param("E4", "   ", "Indiquez le motif de votre réclamation", id="motif vide"),
        pytest.param("E4", "x" * 5001, "Le motif compte 5001 caractères", id="motif trop long"),
    ],
)
def test_une_reclamation_mal_formee_est_refusee(monde: Any, epreuve: str, motif: str, message: str) -> None:
    with pytest.raises(ReclamationRefusee, match=message):
        deposer_reclamation(candidat=monde.lea, epreuve=epreuve, motif=motif, par="lea")
    assert not Reclamation.objects.exists()


def test_une_reclamation_close_ne_change_plus_et_une_nouvelle_peut_suivre(monde: Any) -> None:
    r = deposer_reclamation(candidat=monde.lea, epreuve="", motif="Décision contestée.", par="lea")
    assert r.objet == "la décision du jury"
    with pytest.raises(ReclamationRefusee, match="ne revient pas à l'état « déposée »"):
        instruire_reclamation(reclamation=r, statut="deposee", reponse="", par="dec")
    instruire_reclamation(reclamation=r, statut="non_fondee", reponse="Décision confirmée.", par="dec")
    with pytest.raises(ReclamationRefusee, match="Cette réclamation est close"):
        instruire_reclamation(reclamation=r, statut="fondee", reponse="Finalement…", par="dec")
    nouvelle = deposer_reclamation(candidat=monde.lea, epreuve="", motif="Élément nouveau.", par="lea")
    assert nouvelle.pk != r.pk
    assert nouvelle.ouverte


def test_la_purge_rgpd_efface_les_pieces_et_le_texte_des_reclamations(monde: Any) -> None:
    from examens.apps.candidats.services import PURGE, purger_donnees_personnelles

    pdf = verifier_televersement(nom="d.pdf", contenu=pdf_reel())
    deposer_piece(candidat=monde.lea, nature=Piece.Nature.DOSSIER_E4, pdf=pdf, par="lycee")
    deposer_reclamation(candidat=monde.lea, epreuve="E4", motif="Léa MARTIN conteste sa note.", par="lea")
    purger_donnees_personnelles(session=monde.session, aujourd_hui=date(2030, 1, 1), acteur="dec", appliquer=True)
    assert not Piece.objects.exists()
    assert list(Reclamation.objects.values_list("motif", "statut")) == [(PURGE, "deposee")]
