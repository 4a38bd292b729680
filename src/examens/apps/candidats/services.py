"""Cas d'usage des candidats : changement de centre, désistement, purge des données personnelles (RGPD).

Chaque acte est tracé dans l'historique, dans la même transaction. Les traces ne portent que le numéro du
candidat, jamais son identité : l'historique est pseudonyme par construction, et la purge des données
personnelles n'a pas à le réécrire (il est inaltérable).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from examens.apps.candidats.models import Candidat
from examens.apps.historique.models import Trace
from examens.apps.historique.services import tracer
from examens.apps.organisation.models import Centre, ExamSession

PURGE = "[donnée purgée]"


@transaction.atomic
def changer_centre(*, candidat: Candidat, centre: Centre, acteur: str, motif: str) -> Candidat:
    """Affecte le candidat à un autre centre d'examen, avec le motif (tracé)."""
    if not motif.strip():
        raise ValueError("Indiquez le motif du changement de centre.")
    avant = candidat.centre.code if candidat.centre else None
    candidat.centre = centre
    candidat.save(update_fields=["centre"])
    tracer(
        acteur=acteur,
        action=Trace.Action.MODIFICATION,
        objet_type="candidats.candidat",
        objet_id=candidat.pk,
        objet_libelle=f"candidat {candidat.numero} — centre",
        avant={"centre": avant},
        apres={"centre": centre.code},
        motif=motif,
    )
    return candidat


@transaction.atomic
def desister(*, candidat: Candidat, le: date, acteur: str, motif: str = "") -> Candidat:
    """Enregistre le désistement d'un candidat (tracé). Ses résultats et son historique sont conservés."""
    if candidat.desiste_le is not None:
        raise ValueError(f"Le candidat {candidat.numero} s'est déjà désisté le {candidat.desiste_le:%d/%m/%Y}.")
    candidat.desiste_le = le
    candidat.save(update_fields=["desiste_le"])
    tracer(
        acteur=acteur,
        action=Trace.Action.MODIFICATION,
        objet_type="candidats.candidat",
        objet_id=candidat.pk,
        objet_libelle=f"candidat {candidat.numero} — désistement",
        avant={"desiste_le": None},
        apres={"desiste_le": le.isoformat()},
        motif=motif,
    )
    return candidat


@dataclass(frozen=True)
class RapportPurge:
    session: str
    echeance: date | None
    candidats: int
    applique: bool

    def __str__(self) -> str:
        if self.echeance is None:
            return f"Session {self.session} : date de publication des résultats non renseignée ; rien à purger."
        verbe = "purgés" if self.applique else "à purger"
        return (
            f"Session {self.session} : conservation jusqu'au {self.echeance:%d/%m/%Y} ; "
            f"{self.candidats} candidat(s) {verbe}."
        )


def echeance_conservation(session: ExamSession) -> date | None:
    """Fin de la durée de conservation : publication des résultats + `conservation_donnees_mois`."""
    if session.date_resultats is None:
        return None
    mois = session.date_resultats.month - 1 + session.conservation_donnees_mois
    annee = session.date_resultats.year + mois // 12
    mois = mois % 12 + 1
    jour = min(session.date_resultats.day, 28 if mois == 2 else 30 if mois in (4, 6, 9, 11) else 31)
    return date(annee, mois, jour)


@transaction.atomic
def purger_donnees_personnelles(
    *, session: ExamSession, aujourd_hui: date, acteur: str, appliquer: bool = False
) -> RapportPurge:
    """Au terme de la conservation, efface l'identité des candidats (nom, prénoms, naissance, courriel), les pièces
    déposées en ligne et le texte des réclamations.

    Les numéros, résultats et décisions restent (statistiques, bénéfices) ; l'historique, qui ne porte que
    les numéros, reste entier. Sans `appliquer`, ne fait que compter.
    """
    echeance = echeance_conservation(session)
    if echeance is None or aujourd_hui < echeance:
        return RapportPurge(session.code, echeance, 0, appliquer)
    a_purger = Candidat.objects.filter(session=session).exclude(nom=PURGE)
    nombre = a_purger.count()
    if appliquer and nombre:
        a_purger.update(nom=PURGE, prenoms=PURGE, courriel="", date_naissance=date(1900, 1, 1))
        # Ce que les candidats et leurs établissements ont déposé ou écrit porte aussi leur identité.
        from examens.apps.dossiers.models import Piece
        from examens.apps.reclamations.models import Reclamation

        Piece.objects.filter(candidat__session=session).delete()
        Reclamation.objects.filter(candidat__session=session).update(motif=PURGE, reponse=PURGE)
        tracer(
            acteur=acteur,
            action=Trace.Action.SUPPRESSION,
            objet_type="organisation.examsession",
            objet_id=session.pk,
            objet_libelle=f"session {session.code} — données personnelles",
            apres={"candidats_purges": nombre, "echeance": echeance.isoformat()},
            motif="fin de la durée de conservation des données personnelles (RGPD)",
        )
    return RapportPurge(session.code, echeance, nombre, appliquer)
