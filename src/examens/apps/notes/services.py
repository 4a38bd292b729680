"""Cas d'usage des notes : saisie des notes de contrôle (second groupe, D.2022-850 ; §4.4 du règlement) ;
points de jury (note après jury, §4.6), séparée de la note de l'examinateur qui reste inchangée.

Les règles viennent du moteur, pas d'une copie : le candidat doit être « admissible aux épreuves de
contrôle » au premier groupe, l'épreuve parmi celles qu'il peut choisir (épreuves générales non dispensées),
et pas plus d'épreuves que le nombre dû. Chaque saisie est tracée dans la même transaction.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from examens.apps.candidats.models import Candidat
from examens.apps.historique.models import Trace
from examens.apps.historique.services import tracer
from examens.apps.jury.services import premier_groupe
from examens.apps.notes.models import Etat as EtatBase
from examens.apps.notes.models import NoteControle, Resultat
from examens.apps.notes.selectors import entrees_de_deliberation
from examens.core.deliberation import Decision, DeliberationImpossible
from examens.core.erreurs import ErreurExamens
from examens.core.reglement import reglement_fourni
from examens.core.resultats import Etat, NoteInvalide, lire_note


class SaisieControleImpossible(ErreurExamens):
    code = "saisie_controle_impossible"


class PointsJuryImpossibles(ErreurExamens):
    code = "points_jury_impossibles"


_CODES_CONTROLE = {"AB": Etat.ABSENT, "ABJ": Etat.ABSENT_JUSTIFIE}


@transaction.atomic
def saisir_note_controle(
    *, candidat: Candidat, epreuve: str, valeur: str | Decimal, acteur: str, motif: str = ""
) -> NoteControle:
    """Enregistre (ou corrige) la note de contrôle d'une épreuve : une note « 12,5 », ou AB, ou ABJ."""
    reglement = reglement_fourni(candidat.session.reglement)
    numero = candidat.numero
    texte = str(valeur).strip()
    etat = _CODES_CONTROLE.get(texte.upper())
    note: Decimal | None = None
    if etat is None:
        try:
            note = lire_note(texte, maximum=reglement.notes.maximum, pas=reglement.notes.pas).valeur
        except NoteInvalide as exc:
            raise SaisieControleImpossible(
                f"Candidat {numero}, contrôle {epreuve} : {exc.message} Saisissez une note, AB ou ABJ."
            ) from None
    if candidat.desiste_le is not None:
        raise SaisieControleImpossible(f"Candidat {numero} : désisté le {candidat.desiste_le:%d/%m/%Y}.")

    # Verrouille les notes de contrôle du candidat : deux saisies simultanées ne dépassent pas le nombre dû.
    existantes = {n.epreuve: n for n in NoteControle.objects.select_for_update().filter(candidat=candidat)}
    (entree,) = entrees_de_deliberation(candidats=Candidat.objects.filter(pk=candidat.pk), reglement=reglement)
    try:
        premier = premier_groupe(reglement, entree.entree)
    except DeliberationImpossible as exc:
        raise SaisieControleImpossible(f"{exc.message} Corrigez ses notes avant le contrôle.") from None
    if premier.decision is not Decision.CONTROLE:
        raise SaisieControleImpossible(
            f"Candidat {numero} : pas admissible aux épreuves de contrôle (décision du premier groupe : "
            f"{premier.decision.label}{f', {premier.motif.label}' if premier.motif else ''})."
        )
    if epreuve not in premier.epreuves_controle_possibles:
        raise SaisieControleImpossible(
            f"Candidat {numero} : pas d'épreuve de contrôle en {epreuve} (possibles : "
            f"{', '.join(premier.epreuves_controle_possibles)})."
        )
    if epreuve not in existantes and len(existantes) >= premier.nombre_epreuves_controle:
        raise SaisieControleImpossible(
            f"Candidat {numero} : {premier.nombre_epreuves_controle} épreuve(s) de contrôle déjà choisie(s) "
            f"({', '.join(sorted(existantes))}) ; corrigez l'une d'elles plutôt que d'en ajouter une."
        )

    precedente = existantes.get(epreuve)
    avant = None if precedente is None else _etat_de(precedente)
    nouvel_etat = EtatBase.NOTE if etat is None else EtatBase(etat.value)
    if precedente is None:
        ligne = NoteControle.objects.create(candidat=candidat, epreuve=epreuve, etat=nouvel_etat, note=note)
    else:
        ligne = precedente
        ligne.etat, ligne.note = nouvel_etat, note
        ligne.save(update_fields=["etat", "note"])
    tracer(
        acteur=acteur,
        action=Trace.Action.CREATION if precedente is None else Trace.Action.MODIFICATION,
        objet_type="notes.notecontrole",
        objet_id=ligne.pk,
        objet_libelle=f"candidat {numero} — contrôle {epreuve}",
        avant=avant,
        apres=_etat_de(ligne),
        motif=motif,
    )
    return ligne


def _etat_de(n: NoteControle) -> dict[str, str | None]:
    return {"epreuve": n.epreuve, "etat": n.etat, "note": None if n.note is None else f"{n.note:.2f}"}


@transaction.atomic
def relever_note_jury(*, resultat: Resultat, note: str | Decimal, acteur: str, motif: str) -> Resultat:
    """Points de jury (§4.6) : le jury relève la note d'une épreuve, jamais en dessous de celle de
    l'examinateur, qui reste enregistrée à part. Motif obligatoire ; tracé dans la même transaction."""
    resultat = Resultat.objects.select_for_update().select_related("candidat__session").get(pk=resultat.pk)
    numero, epreuve = resultat.candidat.numero, resultat.epreuve
    if not motif.strip():
        raise PointsJuryImpossibles(f"Candidat {numero}, {epreuve} : indiquez le motif des points de jury.")
    if resultat.etat != EtatBase.NOTE or resultat.note_examinateur is None:
        raise PointsJuryImpossibles(
            f"Candidat {numero}, {epreuve} : l'épreuve est en {resultat.etat}, sans note à relever."
        )
    reglement = reglement_fourni(resultat.candidat.session.reglement)
    try:
        valeur = lire_note(str(note), maximum=reglement.notes.maximum, pas=reglement.notes.pas).valeur
    except NoteInvalide as exc:
        raise PointsJuryImpossibles(f"Candidat {numero}, {epreuve} : {exc.message}") from None
    if valeur < resultat.note_examinateur:
        raise PointsJuryImpossibles(
            f"Candidat {numero}, {epreuve} : la note après jury ({_fr(valeur)}) est inférieure à la note de "
            f"l'examinateur ({_fr(resultat.note_examinateur)}) ; des points de jury ne font que relever une note."
        )
    avant = {
        "note_jury": None if resultat.note_jury is None else f"{resultat.note_jury:.2f}",
        "motif_jury": resultat.motif_jury,
    }
    resultat.note_jury, resultat.motif_jury = valeur, motif.strip()
    resultat.save(update_fields=["note_jury", "motif_jury"])
    tracer(
        acteur=acteur,
        action=Trace.Action.MODIFICATION,
        objet_type="notes.resultat",
        objet_id=resultat.pk,
        objet_libelle=f"candidat {numero} — {epreuve} — points de jury",
        avant=avant,
        apres={"note_jury": f"{valeur:.2f}", "motif_jury": resultat.motif_jury},
        motif=resultat.motif_jury,
    )
    return resultat


def _fr(valeur: Decimal) -> str:
    """12.50 → « 12,5 » (écriture française, sans zéros inutiles)."""
    texte = f"{valeur.normalize():f}"
    return texte.replace(".", ",")
