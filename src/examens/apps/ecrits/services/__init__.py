"""Cas d'usage des épreuves écrites (écritures, typées, à arguments nommés, tracées). Un module par étape :

- `salles` : répartition, surveillants, présences, procès-verbaux d'incident ;
- `absences` : justificatif (dépôt, téléchargement tracé), décision AB / ABJ, notification ;
- `copies` : anonymat, lots (par épreuve ou par centre de correction), affectation aux correcteurs, suivi,
  double saisie, import de notes ;
- `harmonisation` : commission, ajustements, verrouillage, levée d'anonymat ;
- `documents` : bordereaux de lots et plans de salle (édition tracée) ;
- `anonymat` : lecture tracée de la table de correspondance.
"""

from examens.apps.ecrits.services.absences import (
    deposer_justificatif,
    statuer_absence,
    telecharger_justificatif,
    type_reel,
)
from examens.apps.ecrits.services.anonymat import consulter_correspondance
from examens.apps.ecrits.services.copies import (
    BilanSaisie,
    RapportLots,
    affecter_lot,
    affecter_lots,
    anonymiser,
    constituer_lots,
    importer_notes_copies,
    remettre_lot,
    rendre_lot,
    saisir_notes,
)
from examens.apps.ecrits.services.documents import editer_bordereaux, editer_plans_de_salle
from examens.apps.ecrits.services.harmonisation import (
    ajuster_lot,
    ajuster_notes,
    lever_anonymat,
    ouvrir_commission,
    rouvrir_harmonisation,
    verrouiller_harmonisation,
)
from examens.apps.ecrits.services.salles import (
    BilanPresences,
    RapportRepartition,
    affecter_surveillants,
    consigner_incident,
    deplacer_candidat,
    repartir_centre,
    saisir_presences,
)

__all__ = [
    "BilanPresences",
    "BilanSaisie",
    "RapportLots",
    "RapportRepartition",
    "affecter_lot",
    "affecter_lots",
    "affecter_surveillants",
    "ajuster_lot",
    "ajuster_notes",
    "anonymiser",
    "consigner_incident",
    "constituer_lots",
    "consulter_correspondance",
    "deplacer_candidat",
    "deposer_justificatif",
    "editer_bordereaux",
    "editer_plans_de_salle",
    "importer_notes_copies",
    "lever_anonymat",
    "ouvrir_commission",
    "remettre_lot",
    "rendre_lot",
    "repartir_centre",
    "rouvrir_harmonisation",
    "saisir_notes",
    "saisir_presences",
    "statuer_absence",
    "telecharger_justificatif",
    "type_reel",
    "verrouiller_harmonisation",
]
