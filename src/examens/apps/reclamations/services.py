"""Déposer et instruire une réclamation. Chaque écriture est tracée dans la même transaction ; le texte du
motif et de la réponse ne va pas dans l'historique (il peut contenir une identité), seulement les statuts."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from examens.apps.candidats.models import Candidat
from examens.apps.comptes.permissions import resultats_publies
from examens.apps.historique.models import Trace
from examens.apps.historique.services import tracer
from examens.apps.reclamations.models import Reclamation
from examens.core.erreurs import ErreurExamens
from examens.core.reglement import reglement_fourni

LONGUEUR_MAX = 5000
OBJET_COURRIEL = "Votre réclamation — BTS NDRC session 2022"


class ReclamationRefusee(ErreurExamens):
    code = "reclamation_refusee"


def _libelle(r: Reclamation) -> str:
    return f"candidat {r.candidat.numero} — réclamation sur {r.objet}"


@transaction.atomic
def deposer_reclamation(
    *, candidat: Candidat, epreuve: str, motif: str, par: str, maintenant: dt.datetime | None = None
) -> Reclamation:
    """Le candidat réclame sur une note (`epreuve`) ou sur la décision du jury (`epreuve` vide), une fois les
    résultats publiés. Une seule réclamation ouverte par objet."""
    instant = maintenant or timezone.now()
    if not resultats_publies(candidat.session, aujourd_hui=timezone.localtime(instant).date()):
        raise ReclamationRefusee(
            "Les résultats ne sont pas encore publiés : une réclamation se dépose après leur publication."
        )
    epreuve = epreuve.strip()
    if epreuve and epreuve not in reglement_fourni(candidat.session.reglement).epreuves:
        raise ReclamationRefusee(f"« {epreuve} » n'est pas une épreuve de la session.")
    motif = motif.strip()
    if not motif:
        raise ReclamationRefusee("Indiquez le motif de votre réclamation.")
    if len(motif) > LONGUEUR_MAX:
        raise ReclamationRefusee(
            f"Le motif compte {len(motif)} caractères : {LONGUEUR_MAX} au plus ; résumez-le, les pièces suivront."
        )
    # Verrouille les réclamations ouvertes du candidat : deux dépôts simultanés n'en ouvrent pas deux.
    ouvertes = Reclamation.objects.select_for_update().filter(
        candidat=candidat, epreuve=epreuve, statut__in=Reclamation.OUVERTES
    )
    if ouvertes.exists():
        objet = f"l'épreuve {epreuve}" if epreuve else "la décision du jury"
        raise ReclamationRefusee(
            f"Une réclamation sur {objet} est déjà en cours d'instruction : attendez sa réponse avant d'en déposer "
            "une autre."
        )
    reclamation = Reclamation.objects.create(
        candidat=candidat, epreuve=epreuve, motif=motif, deposee_par=par, deposee_le=instant
    )
    tracer(
        acteur=par,
        action=Trace.Action.CREATION,
        objet_type="reclamations.reclamation",
        objet_id=reclamation.pk,
        objet_libelle=_libelle(reclamation),
        apres={"epreuve": epreuve or None, "statut": reclamation.statut},
    )
    return reclamation


@transaction.atomic
def instruire_reclamation(
    *, reclamation: Reclamation, statut: Reclamation.Statut | str, reponse: str, par: str
) -> Reclamation:
    """Le gestionnaire de l'académie fait avancer une réclamation : en instruction, puis fondée ou non fondée
    (réponse obligatoire). Une réclamation close ne change plus. La réponse est envoyée au candidat par
    courriel (s'il en a un), après l'enregistrement."""
    statut = Reclamation.Statut(statut)
    reclamation = Reclamation.objects.select_for_update().select_related("candidat").get(pk=reclamation.pk)
    if not reclamation.ouverte:
        raise ReclamationRefusee(
            f"Cette réclamation est close ({reclamation.get_statut_display()}) : elle ne change plus. Le candidat "
            "peut en déposer une nouvelle."
        )
    if statut == Reclamation.Statut.DEPOSEE:
        raise ReclamationRefusee("Une réclamation instruite ne revient pas à l'état « déposée ».")
    reponse = reponse.strip()
    close = statut not in Reclamation.OUVERTES
    if close and not reponse:
        raise ReclamationRefusee("Rédigez la réponse au candidat avant de clore la réclamation.")
    avant = {"statut": reclamation.statut, "reponse": "rédigée" if reclamation.reponse else None}
    reclamation.statut, reclamation.reponse = statut, reponse
    reclamation.traitee_par, reclamation.traitee_le = par, timezone.now()
    reclamation.save(update_fields=["statut", "reponse", "traitee_par", "traitee_le"])
    tracer(
        acteur=par,
        action=Trace.Action.DECISION if close else Trace.Action.MODIFICATION,
        objet_type="reclamations.reclamation",
        objet_id=reclamation.pk,
        objet_libelle=_libelle(reclamation),
        avant=avant,
        apres={"statut": reclamation.statut, "reponse": "rédigée" if reponse else None},
    )
    adresse = reclamation.candidat.courriel
    if close and adresse:
        from examens.apps.editions.services import notifier

        corps = (
            f"Madame, Monsieur,\n\nVotre réclamation sur {reclamation.objet} a été examinée : "
            f"{reclamation.get_statut_display()}.\n\n{reponse}\n\nVous la retrouvez dans votre espace candidat."
        )
        transaction.on_commit(lambda: notifier(destinataires=[adresse], objet=OBJET_COURRIEL, corps=corps, par=par))
    return reclamation
