"""Lectures des espaces personnels : l'espace établissement (ses candidats, l'état de leurs dossiers, les
pièces manquantes et leurs dates limites) et l'espace candidat (son dossier, ses documents, ses horaires).

Comme les autres sélecteurs web, chaque fonction reçoit des candidats **déjà filtrés par le périmètre**
(`comptes.permissions.candidats_visibles`) et lit la base en un nombre constant de requêtes, quel que soit
le nombre de candidats (préchargements, jamais une requête par ligne).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Exists, F, OuterRef, Prefetch, QuerySet
from django.utils import timezone

from examens.apps.candidats.models import Candidat, PeriodeStage
from examens.apps.dossiers.models import DecisionConformite, Dossier, Piece
from examens.apps.editions.models import Document, Envoi, Version
from examens.apps.jury.models import ExamenLivret, MentionPix
from examens.apps.notes.ccf import epreuves_ccf
from examens.apps.notes.models import Origine, Resultat
from examens.apps.organisation.models import ExamSession
from examens.apps.reclamations.models import Reclamation
from examens.apps.sujets.models import FicheEngagement
from examens.apps.sujets.selectors import reglages_de
from examens.apps.web.selectors import LIBELLES_CAUSES
from examens.core.reglement import Reglement, reglement_fourni

# Circ. 1.3 : le livret scolaire (avec la mention PIX depuis 2022) est celui des candidats sous statut scolaire
# des établissements publics et privés sous contrat.
SITUATIONS_AVEC_LIVRET = frozenset({"scolaire_public", "scolaire_prive_sous_contrat"})

CONVOCATION = "convocation-candidat"
DOCUMENTS_DE_RESULTATS = ("releve-notes", "attestation-blocs")
LIBELLES_DOCUMENTS = {
    CONVOCATION: "Convocation",
    "releve-notes": "Relevé de notes",
    "attestation-blocs": "Attestation de blocs de compétences",
}


# --- Ce qui manque, et pour quand ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PieceManquante:
    libelle: str
    limite: date | None
    aujourd_hui: date

    @property
    def depassee(self) -> bool:
        return self.limite is not None and self.limite < self.aujourd_hui


@dataclass(frozen=True, slots=True)
class EtatDossier:
    epreuve: str
    requis: bool  # l'épreuve est présentée cette session (ni dispensée, ni note conservée)
    depose_le: date | None
    conforme: bool | None  # None : pas encore contrôlé
    causes: tuple[str, ...]

    @property
    def libelle(self) -> str:
        if not self.requis:
            return "non requis"
        if self.depose_le is None:
            return "non déposé"
        return f"déposé le {self.depose_le:%d/%m/%Y}"


@dataclass
class Suivi:
    """L'état d'un candidat vu de son établissement (et de lui-même)."""

    candidat: Candidat
    categorie: str
    dossiers: list[EtatDossier]
    manquantes: list[PieceManquante] = field(default_factory=list)
    livret_requis: bool = False
    epreuves_ccf: list[Any] = field(default_factory=list)

    @property
    def complet(self) -> bool:
        return not self.manquantes

    @property
    def en_retard(self) -> bool:
        return any(m.depassee for m in self.manquantes)


@dataclass(frozen=True, slots=True)
class DatesLimites:
    dossiers: date | None
    ccf: date | None
    engagement: date | None


def dates_limites(session: ExamSession) -> DatesLimites:
    """Les dates limites de la session (réglages de la session et des sujets). Requêtes : 1."""
    return DatesLimites(
        dossiers=session.date_limite_dossiers,
        ccf=session.date_limite_ccf,
        engagement=reglages_de(session).limite_fiches_engagement,
    )


def _avec_suivi(candidats: QuerySet[Candidat]) -> QuerySet[Candidat]:
    return (
        candidats.select_related("session", "etablissement")
        .annotate(
            a_fiche_engagement=Exists(FicheEngagement.objects.filter(candidat=OuterRef("pk"))),
        )
        .prefetch_related(
            Prefetch("dossiers", queryset=Dossier.objects.prefetch_related("decisions").order_by("epreuve")),
            Prefetch("periodes_stage", queryset=PeriodeStage.objects.order_by("debut", "id")),
            "dispenses",
            "notes_conservees",
            Prefetch("resultats", queryset=Resultat.objects.only("id", "candidat_id", "epreuve", "etat", "origine")),
        )
        .order_by("nom", "prenoms", "numero")
    )


def _suivi(c: Candidat, reglement: Reglement, limites: DatesLimites, aujourd_hui: date) -> Suivi:
    dispensees = {d.unite for d in c.dispenses.all()}
    conservees = {n.epreuve for n in c.notes_conservees.all()}
    resultats = {r.epreuve: r for r in c.resultats.all()}
    conservees |= {e for e, r in resultats.items() if r.origine != Origine.SESSION}

    def presentee(epreuve: str) -> bool:
        return reglement.epreuve(epreuve).unite not in dispensees and epreuve not in conservees

    def manque(libelle: str, limite: date | None) -> PieceManquante:
        return PieceManquante(libelle, limite, aujourd_hui)

    try:
        categorie = reglement.categorie_de(c.situation).code
    except KeyError:
        categorie = "?"
    dossiers_en_base = {d.epreuve: d for d in c.dossiers.all()}
    dossiers: list[EtatDossier] = []
    manquantes: list[PieceManquante] = []
    for epreuve in reglement.conformite.epreuves_avec_dossier:
        d = dossiers_en_base.get(epreuve)
        derniere: DecisionConformite | None = (
            max(d.decisions.all(), key=lambda x: (x.decidee_le, x.pk), default=None) if d else None
        )
        requis = presentee(epreuve)
        dossiers.append(
            EtatDossier(
                epreuve=epreuve,
                requis=requis,
                depose_le=d.depose_le if d else None,
                conforme=None if derniere is None else derniere.conforme,
                causes=tuple(LIBELLES_CAUSES.get(x, x) for x in (derniere.causes if derniere else ())),
            )
        )
        if requis and (d is None or d.depose_le is None):
            manquantes.append(manque(f"dossier {epreuve}", limites.dossiers))
    dossier_requis = any(e.requis for e in dossiers)
    periodes = list(c.periodes_stage.all())
    for p in periodes:
        if not p.piece_fournie:
            manquantes.append(
                manque(
                    f"{p.get_piece_display()} — {p.entreprise} (du {p.debut:%d/%m/%Y} au {p.fin:%d/%m/%Y})",
                    limites.dossiers,
                )
            )
    if dossier_requis and not periodes and c.mode_preparation != Candidat.ModePreparation.EXPERIENCE_PROFESSIONNELLE:
        manquantes.append(manque("attestation de stage (aucune période déclarée)", limites.dossiers))
    livret_requis = c.situation in SITUATIONS_AVEC_LIVRET
    if livret_requis and not c.livret_scolaire:
        manquantes.append(manque("livret scolaire avec la mention PIX", limites.ccf))
    ccf = [e for e in epreuves_ccf(c, reglement) if presentee(e.code)]
    for e in ccf:
        if e.code not in resultats:
            manquantes.append(manque(f"notes de CCF {e.code}", limites.ccf))
    if c.engagement_etudiant and not c.a_fiche_engagement:  # type: ignore[attr-defined]
        manquantes.append(manque("fiche d'engagement étudiant", limites.engagement))
    return Suivi(c, categorie, dossiers, manquantes, livret_requis, ccf)


def suivi_des_candidats(
    *, candidats: QuerySet[Candidat], session: ExamSession, aujourd_hui: date | None = None
) -> list[Suivi]:
    """Le suivi de chaque candidat (non désisté), par nom. Requêtes : 8, quel que soit le nombre de candidats."""
    reglement = reglement_fourni(session.reglement)
    limites = dates_limites(session)
    jour = aujourd_hui or timezone.localdate()
    return [_suivi(c, reglement, limites, jour) for c in _avec_suivi(candidats.filter(desiste_le__isnull=True))]


def suivi_du_candidat(*, candidat: Candidat, aujourd_hui: date | None = None) -> Suivi:
    """Le suivi d'un candidat (désisté compris). Requêtes : 8."""
    reglement = reglement_fourni(candidat.session.reglement)
    limites = dates_limites(candidat.session)
    (c,) = _avec_suivi(Candidat.objects.filter(pk=candidat.pk))
    return _suivi(c, reglement, limites, aujourd_hui or timezone.localdate())


# --- Les pièces déposées -------------------------------------------------------------------------------


def pieces_du_candidat(candidat: Candidat) -> list[Piece]:
    """Les pièces déposées, sans leur contenu, la plus récente d'abord dans chaque nature. Requêtes : 1."""
    return list(
        Piece.objects.filter(candidat=candidat)
        .defer("contenu")
        .select_related("periode")
        .order_by("nature", "periode_id", "-version")
    )


def livret_examine(candidat: Candidat) -> bool:
    return ExamenLivret.objects.filter(candidat=candidat).exists()


def mention_pix_deposee(candidat: Candidat) -> str:
    """La mention PIX du dernier livret déposé (une valeur de `jury.MentionPix`, ou vide) : le jury la relève
    à l'examen du livret. Requêtes : 1."""
    return (
        Piece.objects.filter(candidat=candidat, nature=Piece.Nature.LIVRET_SCOLAIRE)
        .order_by("-version")
        .values_list("mention_pix", flat=True)
        .first()
        or ""
    )


LIBELLES_PIX = dict(MentionPix.choices)


# --- L'espace candidat : ses documents -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LigneDocument:
    document: Document
    version: Version
    libelle: str
    telecharge_le: Any  # instant du dernier téléchargement de cette version par l'utilisateur, ou None


def modeles_visibles(*, resultats_visibles: bool) -> tuple[str, ...]:
    """Les modèles de documents qu'un candidat télécharge : sa convocation ; ses relevé et attestation une fois
    les résultats publiés."""
    return (CONVOCATION, *DOCUMENTS_DE_RESULTATS) if resultats_visibles else (CONVOCATION,)


def documents_du_candidat(*, candidat: Candidat, resultats_visibles: bool, identifiant: str) -> list[LigneDocument]:
    """Les documents émis pour le candidat (dernière version de chacun), avec le dernier téléchargement de cette
    version par `identifiant`. Requêtes : 2."""
    versions = (
        Version.objects.filter(
            document__candidat=candidat,
            document__session_id=candidat.session_id,
            document__modele__in=modeles_visibles(resultats_visibles=resultats_visibles),
            document__derniere_version__gt=0,
        )
        .filter(numero=F("document__derniere_version"))
        .select_related("document")
        .defer("donnees")
        .order_by("document__modele", "document__format", "document__cle")
    )
    lignes = list(versions)
    telechargements: dict[int, Any] = {}
    for version_id, quand in (
        Envoi.objects.filter(
            version__in=[v.pk for v in lignes], canal=Envoi.Canal.TELECHARGEMENT, destinataire=identifiant
        )
        .order_by("envoye_le")
        .values_list("version_id", "envoye_le")
    ):
        telechargements[version_id] = quand
    ordre = {CONVOCATION: 0, "releve-notes": 1, "attestation-blocs": 2}
    lignes.sort(key=lambda v: (ordre.get(v.document.modele, 9), v.document.format))
    return [
        LigneDocument(
            v.document,
            v,
            LIBELLES_DOCUMENTS.get(v.document.modele, v.document.intitule)
            + ("" if v.document.format == "pdf" else f" ({v.document.format.upper()})"),
            telechargements.get(v.pk),
        )
        for v in lignes
    ]


def reclamations_du_candidat(candidat: Candidat) -> list[Reclamation]:
    return list(Reclamation.objects.filter(candidat=candidat).order_by("-deposee_le", "-id"))
