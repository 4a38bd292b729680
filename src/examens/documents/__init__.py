"""Documents PDF, XLSX et ICS produits à partir de données figées (aucun accès à la base).

Chaque modèle (`MODELES`, par code) a une dataclass de données figée, sérialisable en JSON
(`en_json` / `depuis_json`, aller-retour exact), et des fonctions de rendu déterministes : mêmes
données, mêmes octets. Format et conventions : docs/formats/documents.md.

    from examens.documents import MODELES
    modele = MODELES["convocation-candidat"]
    pdf = modele.rendre_pdf(modele.charger(version.donnees))
"""

from examens.documents.commissions import (
    ActiviteDossier,
    CritereEngagement,
    CritereEvaluation,
    EvaluationEngagement,
    FicheSujetE4,
    GrilleE5B,
    MembreCommission,
    NatureActivite,
    PassageCommission,
    PlanningCommission,
    StatutFicheSujet,
    Support,
)
from examens.documents.commun import Centre, Edition, IdentiteCandidat
from examens.documents.convocations import (
    ConvocationCandidat,
    ConvocationEcrit,
    ConvocationExaminateur,
    ConvocationOral,
    IdentiteExaminateur,
    PassageExaminateur,
)
from examens.documents.donnees import Donnees, DonneesInvalides
from examens.documents.ecrits import BordereauLot, CopieBordereau, PlanSalle, TablePlan
from examens.documents.emargement import CandidatEmargement, Emargement
from examens.documents.ics import rendre_ics
from examens.documents.modeles import MODELES, TYPE_ICS, TYPE_PDF, TYPE_XLSX, Modele
from examens.documents.resultats import (
    AttestationBlocs,
    BlocObtenu,
    GroupeResultats,
    LignePV,
    LigneResultat,
    ListeResultats,
    MembreJury,
    PVDeliberation,
    ReleveNotes,
    ResultatEpreuve,
    UniteObtenue,
    Variante,
)

__all__ = [
    "MODELES",
    "TYPE_ICS",
    "TYPE_PDF",
    "TYPE_XLSX",
    "ActiviteDossier",
    "AttestationBlocs",
    "BlocObtenu",
    "BordereauLot",
    "CandidatEmargement",
    "Centre",
    "ConvocationCandidat",
    "ConvocationEcrit",
    "ConvocationExaminateur",
    "ConvocationOral",
    "CopieBordereau",
    "CritereEngagement",
    "CritereEvaluation",
    "Donnees",
    "DonneesInvalides",
    "Edition",
    "Emargement",
    "EvaluationEngagement",
    "FicheSujetE4",
    "GrilleE5B",
    "GroupeResultats",
    "IdentiteCandidat",
    "IdentiteExaminateur",
    "LignePV",
    "LigneResultat",
    "ListeResultats",
    "MembreCommission",
    "MembreJury",
    "Modele",
    "NatureActivite",
    "PVDeliberation",
    "PassageCommission",
    "PassageExaminateur",
    "PlanSalle",
    "PlanningCommission",
    "ReleveNotes",
    "ResultatEpreuve",
    "StatutFicheSujet",
    "Support",
    "TablePlan",
    "UniteObtenue",
    "Variante",
    "rendre_ics",
]
