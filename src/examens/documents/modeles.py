"""Le registre des modèles de documents : code → titre, classe des données, fonctions de rendu."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from examens.documents.commissions import (
    EvaluationEngagement,
    FicheSujetE4,
    GrilleE5B,
    PlanningCommission,
    rendre_evaluation_engagement,
    rendre_fiche_sujet_e4,
    rendre_grille_e5b,
    rendre_planning_commission,
)
from examens.documents.convocations import (
    ConvocationCandidat,
    ConvocationExaminateur,
    rendre_convocation_candidat,
    rendre_convocation_examinateur,
)
from examens.documents.donnees import Donnees
from examens.documents.ecrits import BordereauLot, PlanSalle, rendre_bordereau_lot, rendre_plan_salle
from examens.documents.emargement import Emargement, rendre_emargement
from examens.documents.ics import rendre_ics
from examens.documents.resultats import (
    AttestationBlocs,
    ListeResultats,
    PVDeliberation,
    ReleveNotes,
    rendre_attestation_blocs,
    rendre_liste_resultats,
    rendre_liste_resultats_xlsx,
    rendre_pv_deliberation,
    rendre_releve_notes,
)

TYPE_PDF = "application/pdf"
TYPE_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TYPE_ICS = "text/calendar"


@dataclass(frozen=True, slots=True)
class Modele[D: Donnees]:
    """Un modèle de document. `rendre_pdf(donnees)` → octets du PDF ; XLSX et ICS quand le modèle les a."""

    code: str
    titre: str
    classe_donnees: type[D]
    rendre_pdf: Callable[[D], bytes]
    rendre_xlsx: Callable[[D], bytes] | None = None
    rendre_ics: Callable[[D], str] | None = None

    def charger(self, d: Mapping[str, Any]) -> D:
        """Les données d'un JSON écrit par `en_json` (par ex. une version enregistrée)."""
        return self.classe_donnees.depuis_json(d)

    @property
    def formats(self) -> tuple[str, ...]:
        """Types MIME disponibles, le PDF d'abord."""
        autres = [(self.rendre_xlsx, TYPE_XLSX), (self.rendre_ics, TYPE_ICS)]
        return (TYPE_PDF, *(mime for fonction, mime in autres if fonction is not None))


def _registre(*modeles: Modele[Any]) -> dict[str, Modele[Any]]:
    return {m.code: m for m in modeles}


MODELES: dict[str, Modele[Any]] = _registre(
    Modele("convocation-candidat", "Convocation du candidat", ConvocationCandidat, rendre_convocation_candidat),
    Modele(
        "convocation-examinateur",
        "Convocation de l'examinateur",
        ConvocationExaminateur,
        rendre_convocation_examinateur,
        rendre_ics=rendre_ics,
    ),
    Modele("emargement", "Feuille d'émargement", Emargement, rendre_emargement),
    Modele("planning-commission", "Planning d'une commission", PlanningCommission, rendre_planning_commission),
    Modele("fiche-sujet-e4", "Fiche-sujet E4", FicheSujetE4, rendre_fiche_sujet_e4),
    Modele("grille-e5b", "Grille d'évaluation E5B", GrilleE5B, rendre_grille_e5b),
    Modele(
        "evaluation-engagement",
        "Fiche d'évaluation de l'engagement étudiant",
        EvaluationEngagement,
        rendre_evaluation_engagement,
    ),
    Modele("pv-deliberation", "Procès-verbal de délibération", PVDeliberation, rendre_pv_deliberation),
    Modele("releve-notes", "Relevé de notes", ReleveNotes, rendre_releve_notes),
    Modele("attestation-blocs", "Attestation de blocs de compétences", AttestationBlocs, rendre_attestation_blocs),
    Modele(
        "liste-resultats",
        "Liste des résultats",
        ListeResultats,
        rendre_liste_resultats,
        rendre_xlsx=rendre_liste_resultats_xlsx,
    ),
    Modele("bordereau-lot", "Bordereau de lot de copies", BordereauLot, rendre_bordereau_lot),
    Modele("plan-salle", "Plan de salle", PlanSalle, rendre_plan_salle),
)
