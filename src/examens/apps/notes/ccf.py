"""Cas d'usage : l'établissement de formation transmet les notes des situations de CCF (§2, §3 du règlement).

Un candidat de catégorie A est évalué en CCF aux épreuves que le règlement prévoit (E2 et E4 : deux
situations ; E6 : une) ; chaque situation est notée de 0 à 20 au pas du règlement (demi-point), et la note de
l'épreuve est la moyenne des situations **arrondie au pas supérieur** (`core.resultats.note_ccf`, exacte en
`Decimal`). La note de l'épreuve devient la note de l'examinateur du résultat de la session ; les notes des
situations sont gardées (`SituationCCF`). Tout est tracé dans la même transaction.

Refus (`TransmissionCCFImpossible`, message qui dit quoi faire) : épreuve non évaluée en CCF pour ce candidat,
nombre de situations faux, note illisible, hors bornes ou hors pas ; résultats publiés ; délibération
verrouillée ; date limite passée (sauf pour le gestionnaire) ; résultat déjà décidé ailleurs (NV, DI, note
conservée, note suspendue ou revue par le jury) ; candidat désisté.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from examens.apps.candidats.models import Candidat
from examens.apps.historique.models import Trace
from examens.apps.historique.services import tracer
from examens.apps.jury.services import verifier_deliberation_ouverte
from examens.apps.notes.models import Etat, Origine, Resultat, SituationCCF
from examens.core.erreurs import ErreurExamens
from examens.core.reglement import Reglement, TypeForme, reglement_fourni
from examens.core.resultats import NoteInvalide, lire_note, note_ccf


class TransmissionCCFImpossible(ErreurExamens):
    code = "transmission_ccf_impossible"


@dataclass(frozen=True, slots=True)
class EpreuveCCF:
    code: str
    intitule: str
    situations: int


def epreuves_ccf(candidat: Candidat, reglement: Reglement | None = None) -> list[EpreuveCCF]:
    """Les épreuves que le candidat passe en CCF (forme CCF de sa catégorie), dans l'ordre du règlement."""
    reglement = reglement or reglement_fourni(candidat.session.reglement)
    try:
        categorie = reglement.categorie_de(candidat.situation).code
    except KeyError:
        return []
    epreuves = []
    for e in reglement.epreuves.values():
        forme = e.formes.get(categorie)
        if forme is not None and forme.type is TypeForme.CCF and forme.situations:
            epreuves.append(EpreuveCCF(e.code, e.intitule, forme.situations))
    return epreuves


def _fr(valeur: Decimal) -> str:
    return f"{valeur:.2f}".rstrip("0").rstrip(".").replace(".", ",")


def _etat(resultat: Resultat | None, situations: Sequence[Decimal]) -> dict[str, object] | None:
    if resultat is None:
        return None
    return {
        "etat": resultat.etat,
        "note_examinateur": None if resultat.note_examinateur is None else f"{resultat.note_examinateur:.2f}",
        "situations": [f"{s:.2f}" for s in situations],
    }


@transaction.atomic
def transmettre_notes_ccf(
    *,
    candidat: Candidat,
    epreuve: str,
    notes: Sequence[str | Decimal],
    par: str,
    hors_delai_permis: bool = False,
    maintenant: dt.datetime | None = None,
) -> Resultat:
    """Enregistre les notes des situations de CCF d'une épreuve et la note de l'épreuve qui en résulte.

    `notes` : une note par situation, dans l'ordre (« 12,5 » ou Decimal). `hors_delai_permis` : le gestionnaire
    de l'académie transmet encore après la date limite de la session (`ExamSession.date_limite_ccf`)."""
    instant = maintenant or timezone.now()
    candidat = Candidat.objects.select_related("session", "etablissement").get(pk=candidat.pk)
    session, numero = candidat.session, candidat.numero
    reglement = reglement_fourni(session.reglement)
    if candidat.desiste_le is not None:
        raise TransmissionCCFImpossible(f"Candidat {numero} : désisté le {candidat.desiste_le:%d/%m/%Y}.")
    prevue = next((e for e in epreuves_ccf(candidat, reglement) if e.code == epreuve), None)
    if prevue is None:
        raise TransmissionCCFImpossible(
            f"Candidat {numero} : l'épreuve {epreuve} n'est pas évaluée en CCF pour lui (catégorie "
            f"{candidat.categorie.code}) ; sa note vient de l'épreuve ponctuelle."
        )
    aujourd_hui = timezone.localtime(instant).date()
    if session.date_resultats is not None and session.date_resultats <= aujourd_hui:
        raise TransmissionCCFImpossible(
            f"Les résultats de la session sont publiés depuis le {session.date_resultats:%d/%m/%Y} : les notes ne "
            "changent plus."
        )
    limite = session.date_limite_ccf
    if limite is not None and aujourd_hui > limite and not hors_delai_permis:
        raise TransmissionCCFImpossible(
            f"La date limite de transmission des notes de CCF ({limite:%d/%m/%Y}) est passée : adressez-vous au "
            "gestionnaire de l'académie."
        )
    if len(notes) != prevue.situations:
        raise TransmissionCCFImpossible(
            f"Candidat {numero}, {epreuve} : {prevue.situations} situation(s) de CCF attendue(s), "
            f"{len(notes)} note(s) reçue(s)."
        )
    valeurs: list[Decimal] = []
    erreurs = []
    for k, brute in enumerate(notes, 1):
        try:
            valeurs.append(lire_note(str(brute), maximum=reglement.notes.maximum, pas=reglement.notes.pas).valeur)
        except NoteInvalide as exc:
            erreurs.append(f"situation {k} : {exc.message}")
    if erreurs:
        raise TransmissionCCFImpossible(f"Candidat {numero}, {epreuve} : " + " ; ".join(erreurs) + ".")
    note = note_ccf(valeurs, pas=reglement.notes.pas).valeur.quantize(Decimal("0.01"))
    verifier_deliberation_ouverte(candidat=candidat)

    resultat = Resultat.objects.select_for_update().filter(candidat=candidat, epreuve=epreuve).first()
    anciennes = (
        [] if resultat is None else [s.note for s in SituationCCF.objects.filter(resultat=resultat).order_by("numero")]
    )
    if resultat is not None:
        if resultat.origine != Origine.SESSION:
            raise TransmissionCCFImpossible(
                f"Candidat {numero}, {epreuve} : une note conservée ({resultat.get_origine_display()}) tient lieu de "
                "note ; aucune note de CCF n'est attendue."
            )
        if resultat.etat in (Etat.NON_VALIDE, Etat.DISPENSE, Etat.ABSENT_JUSTIFIE):
            raise TransmissionCCFImpossible(
                f"Candidat {numero}, {epreuve} : l'épreuve est en {resultat.etat}, décidé par l'académie ; la note ne "
                "se transmet plus ici."
            )
        if resultat.suspendue or resultat.note_jury is not None:
            raise TransmissionCCFImpossible(
                f"Candidat {numero}, {epreuve} : la note est suspendue ou déjà revue par le jury ; une correction passe "
                "par l'académie."
            )
    avant = _etat(resultat, anciennes)
    if (
        resultat is not None
        and resultat.etat == Etat.NOTE
        and resultat.note_examinateur == note
        and anciennes == valeurs
    ):
        return resultat  # déjà transmise telle quelle : rien à écrire
    if resultat is None:
        resultat = Resultat.objects.create(
            candidat=candidat, epreuve=epreuve, etat=Etat.NOTE, note_examinateur=note, origine=Origine.SESSION
        )
    else:
        resultat.etat, resultat.note_examinateur = Etat.NOTE, note
        resultat.save(update_fields=["etat", "note_examinateur"])
        SituationCCF.objects.filter(resultat=resultat).delete()
    SituationCCF.objects.bulk_create(
        SituationCCF(resultat=resultat, numero=k, note=v) for k, v in enumerate(valeurs, 1)
    )
    tracer(
        acteur=par,
        action=Trace.Action.CREATION if avant is None else Trace.Action.MODIFICATION,
        objet_type="notes.resultat",
        objet_id=resultat.pk,
        objet_libelle=f"candidat {numero} — {epreuve} (CCF)",
        avant=avant,
        apres=_etat(resultat, valeurs),
        motif=f"notes de CCF transmises : {' ; '.join(_fr(v) for v in valeurs)} → {_fr(note)}",
    )
    return resultat
