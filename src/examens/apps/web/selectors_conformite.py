"""Lectures des écrans du contrôle de conformité (§6, §7) : la file des dossiers E4/E6 du périmètre, filtrée et
paginée en un nombre constant de requêtes (dernière décision et note suspendue en sous-requêtes), et la page d'un
dossier (pièces, périodes de stage et semaines comptées par le cœur, proposition du cœur, décisions, envois)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Exists, JSONField, OuterRef, Q, QuerySet, Subquery

from examens.apps.candidats.models import Candidat, PeriodeStage
from examens.apps.comptes.permissions import candidats_visibles
from examens.apps.dossiers.models import DecisionConformite, Dossier, FicheActivite, Piece
from examens.apps.dossiers.services import ControleDossier, examiner_dossier, objet_notification
from examens.apps.editions.models import Envoi
from examens.apps.notes.models import Resultat
from examens.apps.organisation.models import ExamSession
from examens.apps.web.selectors import LIBELLES_CAUSES
from examens.core.conformite import Periode, SituationStage, jours_couverts
from examens.core.reglement import Decompte, Reglement, reglement_fourni

STATUTS = {
    "a_decider": "à décider (aucune décision)",
    "non_conforme": "non conforme",
    "conforme": "conforme",
    "suspendue": "note suspendue (doute à lever)",
}


SITUATIONS_STAGE = {
    SituationStage.NORMALE: "stage de formation (exigence ordinaire)",
    SituationStage.REDUITE: "durée réduite (force majeure, aménagement de formation ou positionnement)",
    SituationStage.APPRENTI_OU_SALARIE: "apprenti ou salarié : certificats de travail",
    SituationStage.EXPERIENCE_PROFESSIONNELLE: "expérience professionnelle, prouvée par certificats de travail",
    SituationStage.DISPENSE: "aucun stage exigé (unités U4 et U6 acquises)",
}


@dataclass(frozen=True, slots=True)
class FiltresFile:
    statut: str = ""
    academie_id: int | None = None
    centre_id: int | None = None
    epreuve: str = ""


def dossiers_visibles(utilisateur: Any, session: ExamSession) -> QuerySet[Dossier]:
    """Les dossiers des candidats du périmètre de l'utilisateur dans la session (`comptes.permissions`)."""
    return Dossier.objects.filter(candidat__in=candidats_visibles(utilisateur, session=session))


def file_des_dossiers(*, dossiers: QuerySet[Dossier], filtres: FiltresFile) -> QuerySet[Dossier]:
    """La file : chaque dossier avec sa dernière décision (`conforme`, `causes`, `decidee_le`) et `suspendue`
    (une note suspendue à lever sur l'épreuve), par numéro de candidat. Une page = deux requêtes."""
    derniere = DecisionConformite.objects.filter(dossier=OuterRef("pk")).order_by("-decidee_le", "-pk")
    qs = dossiers.select_related("candidat__centre__academie", "candidat__etablissement").annotate(
        conforme=Subquery(derniere.values("conforme")[:1]),
        causes=Subquery(derniere.values("causes")[:1], output_field=JSONField()),
        decidee_le=Subquery(derniere.values("decidee_le")[:1]),
        suspendue=Exists(
            Resultat.objects.filter(candidat=OuterRef("candidat"), epreuve=OuterRef("epreuve"), suspendue=True)
        ),
    )
    if filtres.statut == "a_decider":
        qs = qs.filter(conforme__isnull=True)
    elif filtres.statut == "conforme":
        qs = qs.filter(conforme=True)
    elif filtres.statut == "non_conforme":
        qs = qs.filter(conforme=False)
    elif filtres.statut == "suspendue":
        qs = qs.filter(suspendue=True)
    if filtres.academie_id is not None:
        qs = qs.filter(
            Q(candidat__centre__academie_id=filtres.academie_id)
            | Q(candidat__centre__isnull=True, candidat__etablissement__academie_id=filtres.academie_id)
        )
    if filtres.centre_id is not None:
        qs = qs.filter(candidat__centre_id=filtres.centre_id)
    if filtres.epreuve:
        qs = qs.filter(epreuve=filtres.epreuve)
    return qs.order_by("candidat__numero", "epreuve", "pk")


def libelles_causes(causes: list[str] | None) -> list[str]:
    return [LIBELLES_CAUSES.get(c, c) for c in causes or ()]


# --------------------------------------------------------------------------- la page d'un dossier


@dataclass(frozen=True, slots=True)
class PeriodeLue:
    periode: PeriodeStage
    jours: int
    duree: str  # « 42 jours, soit 6 semaines »


@dataclass(frozen=True, slots=True)
class DecisionLue:
    decision: DecisionConformite
    causes: list[str]


@dataclass(frozen=True, slots=True)
class PageDossier:
    dossier: Dossier
    candidat: Candidat
    date_limite: date | None
    controle: ControleDossier | None  # proposition du cœur ; None : épreuve non présentée cette session
    periodes: list[PeriodeLue]
    total: str  # union des périodes dont la pièce est fournie, chevauchements comptés une fois
    fiches: list[FicheActivite]
    pieces: list[Piece]
    decisions: list[DecisionLue]
    resultat: Resultat | None
    envois: list[Envoi]

    @property
    def causes_proposees(self) -> list[str]:
        return self.controle.causes if self.controle else []

    @property
    def situation(self) -> str:
        return SITUATIONS_STAGE[self.controle.situation] if self.controle else ""

    @property
    def derniere(self) -> DecisionLue | None:
        return self.decisions[0] if self.decisions else None

    @property
    def doute_a_lever(self) -> bool:
        r = self.resultat
        return r is not None and r.suspendue and r.etat == "note"


def _duree(jours: int, reglement: Reglement) -> str:
    """« 45 jours, soit 6 semaines et 3 jours » (jours calendaires ÷ 7, ou jours ouvrés ÷ 5 selon le règlement)."""
    ouvres = reglement.stage.decompte is Decompte.JOURS_OUVRES
    par_semaine = 5 if ouvres else 7
    semaines, reste = divmod(jours, par_semaine)
    texte = f"{jours} jour{'s' if jours > 1 else ''}{' ouvrés' if ouvres else ''}, soit {semaines} semaine"
    texte += "s" if semaines > 1 else ""
    if reste:
        texte += f" et {reste} jour{'s' if reste > 1 else ''}"
    return texte


def page_dossier(*, dossier: Dossier, session: ExamSession) -> PageDossier:
    """Tout ce que la commission lit pour statuer. Nombre de requêtes constant."""
    reglement = reglement_fourni(session.reglement)
    date_limite = session.date_limite_dossiers
    candidat = dossier.candidat
    decompte = reglement.stage.decompte
    periodes = list(PeriodeStage.objects.filter(candidat=candidat).order_by("debut", "id"))
    lues = [
        PeriodeLue(p, n, _duree(n, reglement))
        for p in periodes
        for n in [jours_couverts([Periode(p.debut, p.fin)], decompte)]
    ]
    total = jours_couverts([Periode(p.debut, p.fin) for p in periodes if p.piece_fournie], decompte)
    decisions = [
        DecisionLue(d, libelles_causes(d.causes))
        for d in DecisionConformite.objects.filter(dossier=dossier).order_by("-decidee_le", "-pk")
    ]
    return PageDossier(
        dossier=dossier,
        candidat=candidat,
        date_limite=date_limite,
        controle=examiner_dossier(dossier=dossier, date_limite=date_limite),
        periodes=lues,
        total=_duree(total, reglement),
        fiches=list(FicheActivite.objects.filter(dossier=dossier).order_by("pk")),
        pieces=list(
            Piece.objects.filter(
                candidat=candidat, nature__in=[f"dossier_{dossier.epreuve.lower()}", "attestation_stage"]
            )
            .defer("contenu")
            .order_by("nature", "periode_id", "-version")
        ),
        decisions=decisions,
        resultat=Resultat.objects.filter(candidat=candidat, epreuve=dossier.epreuve).first(),
        envois=list(Envoi.objects.filter(objet=objet_notification(candidat, dossier.epreuve)).order_by("-envoye_le")),
    )
