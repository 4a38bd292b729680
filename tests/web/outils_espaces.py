"""Outils des tests des espaces établissement et candidat : un vrai PDF, des documents émis, des pièces et des
réclamations posés sur le monde des tests (`tests/conftest.py`), de quoi changer les identifiants des adresses."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction

from examens.apps.candidats.models import PeriodeStage
from examens.apps.dossiers.models import Piece
from examens.apps.dossiers.pieces import deposer_piece, verifier_televersement
from examens.apps.editions.models import Document, Fichier, Version
from examens.apps.organisation.models import ExamSession
from examens.apps.reclamations.models import Reclamation
from examens.apps.sujets.models import EvaluationEngagement


def pdf_reel(texte: str = "Dossier E4", pages: int = 1) -> bytes:
    """Un PDF lisible (ReportLab), de `pages` pages."""
    from reportlab.pdfgen import canvas

    tampon = io.BytesIO()
    feuille = canvas.Canvas(tampon)
    for k in range(pages):
        feuille.drawString(72, 720, f"{texte} — page {k + 1}")
        feuille.showPage()
    feuille.save()
    return tampon.getvalue()


def document(session: Any, candidat: Any, modele: str, *, versions: int = 1) -> Document:
    """Un document émis pour le candidat, avec `versions` versions (la dernière est en vigueur)."""
    doc = Document.objects.create(
        session=session,
        modele=modele,
        cle=f"candidat:{candidat.numero}",
        intitule=f"{modele} de {candidat.numero}",
        candidat=candidat,
        derniere_version=versions,
    )
    for numero in range(1, versions + 1):
        contenu = pdf_reel(f"{modele} {candidat.numero} v{numero}")
        empreinte = hashlib.sha256(contenu).hexdigest()
        fichier, _ = Fichier.objects.get_or_create(
            empreinte=empreinte, defaults={"contenu": contenu, "taille": len(contenu)}
        )
        Version.objects.create(document=doc, numero=numero, donnees={"v": numero}, fichier=fichier, emise_par="test")
    return doc


@dataclass
class Espaces:
    convocation_lea: Document
    releve_lea: Document
    convocation_hugo: Document
    convocation_ines: Document
    piece_lea: Piece
    piece_ines: Piece
    reclamation_lea: Reclamation
    reclamation_ines: Reclamation
    periode_lea: PeriodeStage


def garnir(monde: Any) -> Espaces:
    """Des documents, des pièces, une période de stage sans attestation et des réclamations ; des dates limites."""
    ExamSession.objects.filter(pk=monde.session.pk).update(
        date_limite_dossiers=date(2022, 3, 31), date_limite_ccf=date(2022, 5, 31)
    )
    monde.session.refresh_from_db()
    with transaction.atomic():
        periode = PeriodeStage.objects.create(
            candidat=monde.lea,
            entreprise="Décathlon Clermont",
            debut=date(2021, 5, 3),
            fin=date(2021, 6, 25),
            piece_fournie=False,
        )
    pdf = verifier_televersement(nom="dossier-e4.pdf", contenu=pdf_reel())
    piece_lea = deposer_piece(candidat=monde.lea, nature=Piece.Nature.DOSSIER_E4, pdf=pdf, par="lycee")
    piece_ines = deposer_piece(candidat=monde.ines, nature=Piece.Nature.DOSSIER_E6, pdf=pdf, par="cfa")
    EvaluationEngagement.objects.create(
        candidat=monde.lea,
        commission="C-ENG-1",
        fiche_evaluation={"Présentation de l'engagement": "claire et structurée", "Réflexion": "approfondie"},
        appreciation="Engagement associatif solide.",
        grille={"secret": "critères de la grille, non communicables"},
        note=Decimal("15.5"),
        evaluee_par="commission",
    )
    return Espaces(
        convocation_lea=document(monde.session, monde.lea, "convocation-candidat", versions=2),
        releve_lea=document(monde.session, monde.lea, "releve-notes"),
        convocation_hugo=document(monde.session, monde.hugo, "convocation-candidat"),
        convocation_ines=document(monde.session, monde.ines, "convocation-candidat"),
        piece_lea=piece_lea,
        piece_ines=piece_ines,
        reclamation_lea=Reclamation.objects.create(
            candidat=monde.lea, epreuve="E4", motif="Ma note d'E4 me semble erronée.", deposee_par="candidat"
        ),
        reclamation_ines=Reclamation.objects.create(
            candidat=monde.ines, epreuve="", motif="Je conteste la décision.", deposee_par="ines"
        ),
        periode_lea=periode,
    )
