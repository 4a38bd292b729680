"""Lectures des réclamations : la liste d'un périmètre et ce que le règlement communique au candidat."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from examens.apps.candidats.models import Candidat, NoteConservee
from examens.apps.notes.models import Etat, Resultat
from examens.apps.reclamations.models import Reclamation
from examens.apps.sujets.selectors import FicheEvaluationCommunicable, evaluation_communicable
from examens.core.reglement import reglement_fourni

ENGAGEMENT = "ENGAGEMENT"


def reclamations_des(candidats: QuerySet[Candidat]) -> QuerySet[Reclamation]:
    """Les réclamations des candidats donnés (déjà filtrés par le périmètre), les plus récentes d'abord."""
    return Reclamation.objects.filter(candidat__in=candidats).select_related("candidat")


@dataclass(frozen=True, slots=True)
class DetailNote:
    """Le détail communicable d'une note : ce que l'on montre au candidat qui réclame, et au gestionnaire qui
    instruit. Pour l'engagement étudiant, la fiche d'évaluation (jamais la grille, Circ. 1.14)."""

    epreuve: str
    intitule: str
    etat: str  # « note », « absent »…
    note_examinateur: Decimal | None
    note_jury: Decimal | None
    origine: str
    situations: tuple[tuple[int, Decimal], ...]  # situations de CCF : (numéro, note)
    fiche_engagement: FicheEvaluationCommunicable | None


def detail_communicable(*, candidat: Candidat, epreuve: str) -> DetailNote | None:
    """Le détail de la note du candidat à une épreuve ; None s'il n'en a aucune. Requêtes : 3 au plus."""
    reglement = reglement_fourni(candidat.session.reglement)
    intitule = reglement.epreuves[epreuve].intitule if epreuve in reglement.epreuves else epreuve
    fiche = evaluation_communicable(candidat) if epreuve == ENGAGEMENT else None
    resultat = Resultat.objects.filter(candidat=candidat, epreuve=epreuve).prefetch_related("situations").first()
    if resultat is not None:
        return DetailNote(
            epreuve=epreuve,
            intitule=intitule,
            etat=resultat.get_etat_display(),
            note_examinateur=resultat.note_examinateur if resultat.etat == Etat.NOTE else None,
            note_jury=resultat.note_jury,
            origine=resultat.get_origine_display() + (f" {resultat.annee}" if resultat.annee else ""),
            situations=tuple((s.numero, s.note) for s in sorted(resultat.situations.all(), key=lambda s: s.numero)),
            fiche_engagement=fiche,
        )
    conservee = NoteConservee.objects.filter(candidat=candidat, epreuve=epreuve).first()
    if conservee is not None:
        return DetailNote(
            epreuve,
            intitule,
            "note",
            conservee.note,
            None,
            f"{conservee.get_origine_display()} {conservee.annee}",
            (),
            None,
        )
    if fiche is not None:
        return DetailNote(epreuve, intitule, "note", fiche.note, None, "session en cours", (), fiche)
    return None
