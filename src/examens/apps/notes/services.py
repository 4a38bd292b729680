"""Cas d'usage des notes : saisie des notes de contrôle (second groupe, D.2022-850 ; §4.4 du règlement) ;
points de jury (note après jury, §4.6), séparée de la note de l'examinateur qui reste inchangée.

Les règles viennent du moteur, pas d'une copie : le candidat doit être « admissible aux épreuves de
contrôle » au premier groupe, l'épreuve parmi celles qu'il peut choisir (épreuves générales non dispensées),
et pas plus d'épreuves que le nombre dû. Chaque saisie est tracée dans la même transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from examens.apps.candidats.models import Candidat
from examens.apps.comptes.models import Role
from examens.apps.comptes.permissions import habilitations_de
from examens.apps.historique.models import Trace
from examens.apps.historique.services import tracer, tracer_en_masse
from examens.apps.jury.models import Jury
from examens.apps.jury.services import premier_groupe, verifier_deliberation_ouverte
from examens.apps.notes.models import Etat as EtatBase
from examens.apps.notes.models import NoteControle, Resultat, Saisie
from examens.apps.notes.models import Origine as OrigineBase
from examens.apps.notes.selectors import EtatCase, entrees_de_deliberation
from examens.apps.planification.epreuves import PREFIXE_CONTROLE, epreuve_du_controle
from examens.apps.planification.models import Passage, VersionPlanning
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
    verifier_deliberation_ouverte(candidat=candidat)  # délibération verrouillée : rien ne change

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
    verifier_deliberation_ouverte(candidat=resultat.candidat)  # délibération verrouillée : rien ne change
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


# --- Résultats posés par un autre cas d'usage (épreuves écrites : absences, levée d'anonymat) ---------------


class EcritureResultatImpossible(ErreurExamens):
    code = "ecriture_resultat_impossible"


@dataclass(frozen=True, slots=True)
class EcritureResultat:
    """Un résultat de la session à poser : une note (`etat` NOTE et `note`), AB ou ABJ ; `etat=None` retire le
    résultat de la session (par ex. une absence saisie par erreur)."""

    candidat_id: int
    epreuve: str
    etat: EtatBase | None
    note: Decimal | None = None


_ETATS_POSABLES = (EtatBase.NOTE, EtatBase.ABSENT, EtatBase.ABSENT_JUSTIFIE, None)
_LOT_RESULTATS = 2000


def _etat_ecrit(etat: str | None, note: Decimal | None) -> dict[str, str | None]:
    return {"etat": etat, "note_examinateur": None if note is None else f"{note:.2f}"}


@transaction.atomic
def ecrire_resultats(*, ecritures: Sequence[EcritureResultat], acteur: str, motif: str) -> int:
    """Pose en masse des résultats de la session (note de l'examinateur, AB ou ABJ), tracés dans la même
    transaction. Rend le nombre de résultats créés, modifiés ou retirés (un résultat identique est laissé).

    Tout ou rien : refuse (`EcritureResultatImpossible`, toutes les raisons) de remplacer un NV ou un DI
    (décidés ailleurs), une note conservée, une note suspendue ou une note déjà revue par le jury. Nombre de
    requêtes constant par tranche de 2 000 candidats.
    """
    if not ecritures:
        return 0
    if not acteur:
        raise ValueError("Une écriture de résultat nomme toujours son acteur.")
    ids = sorted({e.candidat_id for e in ecritures})
    candidats: dict[int, tuple[str, str]] = {}
    existants: dict[tuple[int, str], Resultat] = {}
    epreuves = {e.epreuve for e in ecritures}
    for i in range(0, len(ids), _LOT_RESULTATS):
        tranche = ids[i : i + _LOT_RESULTATS]
        candidats.update(
            (pk, (numero, reglement))
            for pk, numero, reglement in Candidat.objects.filter(pk__in=tranche).values_list(
                "id", "numero", "session__reglement"
            )
        )
        for r in Resultat.objects.select_for_update().filter(candidat_id__in=tranche, epreuve__in=epreuves):
            existants[(r.candidat_id, r.epreuve)] = r
    erreurs: list[str] = []
    a_creer: list[Resultat] = []
    a_modifier: list[Resultat] = []
    a_retirer: list[Resultat] = []
    traces: list[Trace] = []
    for e in ecritures:
        if e.etat not in _ETATS_POSABLES:
            raise ValueError(f"État « {e.etat} » : seuls une note, AB et ABJ se posent ici.")
        if (e.etat == EtatBase.NOTE) != (e.note is not None):
            raise ValueError("Une note va avec l'état NOTE, et seulement avec lui.")
        numero, code_reglement = candidats[e.candidat_id]
        note = None
        if e.note is not None:
            reglement = reglement_fourni(code_reglement)
            try:
                note = lire_note(str(e.note), maximum=reglement.notes.maximum, pas=reglement.notes.pas).valeur
            except NoteInvalide as exc:
                erreurs.append(f"Candidat {numero}, {e.epreuve} : {exc.message}")
                continue
            note = note.quantize(Decimal("0.01"))
        existant = existants.get((e.candidat_id, e.epreuve))
        avant = None if existant is None else _etat_ecrit(existant.etat, existant.note_examinateur)
        apres = _etat_ecrit(None if e.etat is None else str(e.etat), note)
        if avant == apres or (existant is None and e.etat is None):
            continue
        if existant is not None:
            if existant.origine != OrigineBase.SESSION:
                erreurs.append(
                    f"Candidat {numero}, {e.epreuve} : une note conservée ({existant.get_origine_display()}) ne se "
                    "remplace pas ici."
                )
                continue
            if existant.etat in (EtatBase.NON_VALIDE, EtatBase.DISPENSE):
                erreurs.append(
                    f"Candidat {numero}, {e.epreuve} : l'épreuve est en {existant.etat}, décidé par ailleurs ; "
                    "ce résultat ne se remplace pas ici."
                )
                continue
            if existant.note_jury is not None or existant.suspendue:
                erreurs.append(
                    f"Candidat {numero}, {e.epreuve} : la note est suspendue ou déjà revue par le jury ; une "
                    "correction passe par le jury."
                )
                continue
        libelle = f"candidat {numero} — {e.epreuve}"
        if e.etat is None:
            assert existant is not None
            a_retirer.append(existant)
            traces.append(_trace_resultat(acteur, Trace.Action.SUPPRESSION, existant.pk, libelle, avant, None, motif))
        elif existant is None:
            nouveau = Resultat(candidat_id=e.candidat_id, epreuve=e.epreuve, etat=e.etat, note_examinateur=note)
            a_creer.append(nouveau)
            traces.append(_trace_resultat(acteur, Trace.Action.CREATION, None, libelle, None, apres, motif))
        else:
            existant.etat, existant.note_examinateur = e.etat, note
            a_modifier.append(existant)
            traces.append(_trace_resultat(acteur, Trace.Action.MODIFICATION, existant.pk, libelle, avant, apres, motif))
    if erreurs:
        suite = f" (et {len(erreurs) - 10} autre(s))" if len(erreurs) > 10 else ""
        raise EcritureResultatImpossible(" ; ".join(erreurs[:10]) + suite + ".")
    if not traces:
        return 0
    # Une délibération verrouillée fige les notes de ses candidats (même règle que les autres écritures).
    vises = Candidat.objects.filter(pk__in={r.candidat_id for r in (*a_retirer, *a_modifier, *a_creer)})
    verifier_deliberation_ouverte(
        jurys=Jury.objects.filter(
            Q(session_id__in=vises.values("session_id"))
            & (Q(candidats__in=vises.values("pk")) | Q(centres__in=vises.values("centre_id")))
        )
    )
    if a_retirer:
        Resultat.objects.filter(pk__in=[r.pk for r in a_retirer]).delete()
    if a_modifier:
        Resultat.objects.bulk_update(a_modifier, ["etat", "note_examinateur"], batch_size=_LOT_RESULTATS)
    if a_creer:
        Resultat.objects.bulk_create(a_creer, batch_size=_LOT_RESULTATS)
        sans_id = [r for r in a_creer if r.pk is None]
        if sans_id:  # base qui ne rend pas les identifiants d'une insertion en masse : on les relit
            relus = {
                (c, ep): pk
                for c, ep, pk in Resultat.objects.filter(
                    candidat_id__in=[r.candidat_id for r in sans_id], epreuve__in=epreuves
                ).values_list("candidat_id", "epreuve", "id")
            }
            for r in sans_id:
                r.pk = relus[(r.candidat_id, r.epreuve)]
        creations = iter(a_creer)
        for t in traces:
            if t.action == Trace.Action.CREATION:
                t.objet_id = str(next(creations).pk)
    tracer_en_masse(traces)
    return len(traces)


def _trace_resultat(
    acteur: str,
    action: Trace.Action,
    pk: int | None,
    libelle: str,
    avant: dict[str, str | None] | None,
    apres: dict[str, str | None] | None,
    motif: str,
) -> Trace:
    return Trace(
        acteur=acteur,
        action=action,
        objet_type="notes.resultat",
        objet_id="" if pk is None else str(pk),
        objet_libelle=libelle,
        avant=avant,
        apres=apres,
        motif=motif,
    )


# --- Double saisie des notes d'oral : deux saisies concordantes valident le résultat -------------------------
#
# Les notes des oraux et pratiques (E2, E4, E5B, E6, facultatives, contrôle) sont saisies deux fois, par deux
# personnes, d'après la fiche d'évaluation signée : les deux membres de la commission ; pour une commission d'un
# seul membre, l'examinateur puis le chef de centre. Les deux saisies concordent (état, note, doute) : le
# résultat est validé, écrit et tracé. Sinon l'écart est signalé, rien n'est validé, et chacun revoit la sienne.
# Une saisie faite sur une version périmée de la même case est refusée (`SaisiePerimee`) : aucune écriture
# n'en écrase une autre en silence.


class SaisieRefusee(ErreurExamens):
    code = "saisie_refusee"


class SaisiePerimee(SaisieRefusee):
    """La case a changé depuis que la page a été lue (autre onglet, autre poste) : rien n'est écrit."""

    code = "saisie_perimee"


_CODES_ABSENT = frozenset({"AB", "ABS", "ABSENT"})
_CODES_DECIDES_AILLEURS = {
    "ABJ": (
        "l'absence justifiée (ABJ) est décidée par la division des examens, sur pièces : saisissez AB ; la division "
        "la justifiera si le candidat apporte un justificatif."
    ),
    "NV": (
        "le non-valide (NV) est décidé par la commission de conformité : en cas de doute sur le dossier, saisissez "
        "la note et cochez « doute sur le dossier » (la note sera suspendue)."
    ),
    "DI": "une dispense (DI) s'accorde à l'inscription, pas à la saisie des notes.",
}


@dataclass(frozen=True, slots=True)
class SaisieEnregistree:
    """L'issue d'une saisie : la saisie (créée, corrigée ou inchangée) et l'état de la case après elle."""

    saisie: Saisie
    etat: EtatCase
    modifiee: bool


def _heure_du_centre(instant: dt.datetime, fuseau: str) -> str:
    return f"{instant.astimezone(ZoneInfo(fuseau)):%d/%m/%Y à %H:%M}"


def _valeur_saisie(n: Saisie | None) -> dict[str, Any] | None:
    if n is None:
        return None
    return {
        "rang": n.rang,
        "etat": str(n.etat),
        "note": None if n.note is None else f"{n.note:.2f}",
        "doute": n.doute,
        "version": n.version,
    }


def _lire_saisie(texte: str, *, doute: bool, code_reglement: str, reglement: Any) -> tuple[EtatBase, Decimal | None]:
    brut = texte.strip()
    code = brut.upper()
    if not brut:
        raise SaisieRefusee("saisissez une note (par ex. 12,5) ou AB pour un candidat absent.")
    if code in _CODES_DECIDES_AILLEURS:
        raise SaisieRefusee(_CODES_DECIDES_AILLEURS[code])
    epreuve = reglement.epreuve(code_reglement)
    if doute and not epreuve.dossier:
        raise SaisieRefusee(
            f"le doute sur le dossier ne concerne que les épreuves à dossier "
            f"({', '.join(c for c, e in reglement.epreuves.items() if e.dossier)}) : décochez-le."
        )
    if code in _CODES_ABSENT:
        if doute:
            raise SaisieRefusee("un candidat absent n'a pas de note à suspendre : décochez « doute sur le dossier ».")
        return EtatBase.ABSENT, None
    try:
        note = lire_note(brut, maximum=reglement.notes.maximum, pas=reglement.notes.pas).valeur
    except NoteInvalide as exc:
        raise SaisieRefusee(f"{exc.message} Saisissez une note ou AB pour un absent.") from None
    return EtatBase.NOTE, note.quantize(Decimal("0.01"))


def _qualite_du_saisisseur(utilisateur: Any, passage: Passage, membres: set[int]) -> str:
    """Membre de la commission ; à défaut, chef du centre du passage (commission d'un seul membre)."""
    siennes = [h for h in habilitations_de(utilisateur) if h.session_id == passage.version.session_id]
    if any(h.role == Role.EXAMINATEUR and h.examinateur_id in membres for h in siennes):
        return Saisie.Qualite.EXAMINATEUR
    if any(h.role == Role.CHEF_DE_CENTRE and h.centre_id == passage.version.centre_id for h in siennes):
        if len(membres) != 1:
            raise SaisieRefusee(
                f"la commission {passage.commission.code} a {len(membres)} membres : les deux saisies reviennent "
                "à ses membres (le centre ne saisit que pour une commission d'un seul membre)."
            )
        return Saisie.Qualite.CENTRE
    raise SaisieRefusee(f"vous ne siégez pas dans la commission {passage.commission.code} : saisie impossible.")


def _decides(cases: set[tuple[int, str]]) -> dict[tuple[int, str], str]:
    """Les cases (candidat, code du passage) qui ont déjà un résultat posé hors de la double saisie (NV de la
    conformité, ABJ de la division, note conservée, note importée…), avec la raison. Requêtes : 1 ou 2."""
    candidats = {c for c, _ in cases}
    decides: dict[tuple[int, str], str] = {}
    controle = {code for _, code in cases if code.startswith(PREFIXE_CONTROLE)}
    if controle:
        for cid, ep, etat in NoteControle.objects.filter(
            candidat_id__in=candidats, epreuve__in=[epreuve_du_controle(c) for c in controle]
        ).values_list("candidat_id", "epreuve", "etat"):
            decides[(cid, PREFIXE_CONTROLE + ep)] = (
                f"une note de contrôle est déjà enregistrée ({EtatBase(etat).label})"
            )
    premier = {code for _, code in cases} - controle
    if premier:
        for r in Resultat.objects.filter(candidat_id__in=candidats, epreuve__in=premier).only(
            "candidat_id", "epreuve", "etat", "origine"
        ):
            if r.origine != OrigineBase.SESSION:
                raison = f"le candidat garde une note d'une session antérieure ({r.get_origine_display()})"
            elif r.etat == EtatBase.NON_VALIDE:
                raison = "l'épreuve est déclarée non valide (NV) par la commission de conformité"
            elif r.etat == EtatBase.ABSENT_JUSTIFIE:
                raison = "la division des examens a déjà enregistré une absence justifiée (ABJ)"
            elif r.etat == EtatBase.DISPENSE:
                raison = "le candidat est dispensé de l'épreuve (DI)"
            else:
                raison = "un résultat est déjà enregistré pour cette épreuve ; une correction passe par la division des examens"
            decides[(r.candidat_id, r.epreuve)] = raison
    return {cle: v for cle, v in decides.items() if cle in cases}


@dataclass(slots=True)
class _Etat:
    """Ce que la saisie d'une case lit, sous le verrou de son candidat : ses saisies, un résultat posé ailleurs."""

    saisies: list[Saisie]
    decide: str | None


def _verrouiller_et_lire(passages: Sequence[Passage]) -> dict[tuple[int, str], _Etat]:
    """Verrouille les candidats (dans l'ordre de leur identifiant : pas d'interblocage entre deux grilles) et lit
    l'état de leurs cases. Requêtes : 3 ou 4, quel que soit le nombre de cases."""
    cases = {(p.candidat_id, p.epreuve) for p in passages}
    ids = sorted({c for c, _ in cases})
    list(Candidat.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))
    etats = {cle: _Etat([], None) for cle in cases}
    for saisie in Saisie.objects.filter(candidat_id__in=ids, epreuve__in={code for _, code in cases}).order_by("rang"):
        if (saisie.candidat_id, saisie.epreuve) in etats:
            etats[(saisie.candidat_id, saisie.epreuve)].saisies.append(saisie)
    for cle, raison in _decides(cases).items():
        etats[cle].decide = raison
    return etats


def _concordent(a: Saisie, b: Saisie) -> bool:
    return a.valeur() == b.valeur()


def _texte(n: Saisie) -> str:
    if n.etat == EtatBase.ABSENT:
        return "AB"
    assert n.note is not None
    return _fr(n.note) + (" (doute sur le dossier)" if n.doute else "")


@transaction.atomic
def saisir_note_orale(
    *,
    passage: Passage,
    utilisateur: Any,
    valeur: str,
    version: int,
    doute: bool = False,
    maintenant: dt.datetime | None = None,
) -> SaisieEnregistree:
    """Une saisie du résultat d'un passage (« 12,5 », « AB » ; `doute` : doute sur le dossier, note suspendue).

    `version` est la version de **sa propre** saisie que la personne avait sous les yeux (0 : aucune) : si elle
    a changé depuis (autre onglet, autre poste), `SaisiePerimee` et rien n'est écrit. La première saisie d'une
    personne prend le rang libre (1, puis 2) ; la même personne ne fait jamais les deux. Quand les deux saisies
    existent : concordantes, le résultat est validé (`Resultat`, ou `NoteControle` pour le contrôle) ; sinon
    l'écart est signalé. Chaque écriture est tracée dans la même transaction ; une case validée ne se modifie
    plus ici (une correction passe par la division des examens ou le jury).
    """
    (charge,) = _passages_a_saisir([passage.pk])
    (lu,) = _verrouiller_et_lire([charge]).values()
    traces: list[Trace] = []
    fait = _saisir_case(
        passage=charge,
        lu=lu,
        utilisateur=utilisateur,
        valeur=valeur,
        version=version,
        doute=doute,
        instant=maintenant or timezone.now(),
        traces=traces,
    )
    tracer_en_masse(traces)
    return fait


@dataclass(frozen=True, slots=True)
class DemandeSaisie:
    """Une case d'une grille envoyée : le passage, ce qui a été tapé, la version de sa saisie affichée."""

    passage_id: int
    valeur: str
    version: int
    doute: bool = False


@transaction.atomic
def saisir_notes_orales(
    *, utilisateur: Any, demandes: Sequence[DemandeSaisie], maintenant: dt.datetime | None = None
) -> dict[int, SaisieEnregistree | SaisieRefusee]:
    """Les cases d'une grille, chacune comme `saisir_note_orale` : une case refusée (erreur, page périmée) n'empêche
    pas les autres (une case n'écrit rien avant d'avoir tout vérifié). Une seule transaction : les candidats sont
    verrouillés ensemble, dans l'ordre de leur identifiant (deux grilles envoyées en même temps ne s'interbloquent
    pas), leurs cases lues en trois requêtes, les traces écrites en une. Rend, par passage, la saisie enregistrée
    ou l'erreur."""
    instant = maintenant or timezone.now()
    passages = {p.pk: p for p in _passages_a_saisir([d.passage_id for d in demandes])}
    etats = _verrouiller_et_lire(list(passages.values()))
    issues: dict[int, SaisieEnregistree | SaisieRefusee] = {}
    traces: list[Trace] = []
    for d in sorted(demandes, key=lambda d: (passages[d.passage_id].candidat_id, d.passage_id)):
        p = passages[d.passage_id]
        celles_de_la_case: list[Trace] = []
        try:
            issues[d.passage_id] = _saisir_case(
                passage=p,
                lu=etats[(p.candidat_id, p.epreuve)],
                utilisateur=utilisateur,
                valeur=d.valeur,
                version=d.version,
                doute=d.doute,
                instant=instant,
                traces=celles_de_la_case,
            )
        except SaisieRefusee as erreur:
            issues[d.passage_id] = erreur
        else:
            traces += celles_de_la_case
    tracer_en_masse(traces)
    return issues


def _passages_a_saisir(ids: Sequence[int]) -> list[Passage]:
    """Les passages, avec ce que la saisie lit (centre, session, commission et ses membres, candidat). Requêtes : 2."""
    passages = list(
        Passage.objects.select_related("version__centre", "version__session", "commission", "candidat")
        .defer("version__instance", "version__resultat", "version__bornes")
        .prefetch_related("commission__membres")
        .filter(pk__in=ids)
    )
    if len(passages) != len(set(ids)):
        raise Passage.DoesNotExist("Passage introuvable.")
    return passages


def _saisir_case(
    *,
    passage: Passage,
    lu: _Etat,
    utilisateur: Any,
    valeur: str,
    version: int,
    doute: bool,
    instant: dt.datetime,
    traces: list[Trace],
) -> SaisieEnregistree:
    """Une case, son candidat verrouillé et son état lu (`_verrouiller_et_lire`) ; ses traces vont dans `traces`,
    que l'appelant écrit (`tracer_en_masse`) dans la même transaction si la case n'a pas échoué."""
    par = str(utilisateur.get_username()) if utilisateur is not None else ""
    candidat, code = passage.candidat, passage.epreuve
    fuseau = passage.version.centre.fuseau
    prefixe = f"Candidat {candidat.numero} ({candidat.nom} {candidat.prenoms}), {code}"
    if not par:
        raise SaisieRefusee(f"{prefixe} : une saisie nomme toujours la personne qui la fait.")
    if passage.version.statut != VersionPlanning.Statut.PUBLIE:
        raise SaisieRefusee(f"{prefixe} : ce passage n'appartient pas au planning publié du centre.")
    membres = {x.pk for x in passage.commission.membres.all()}
    try:
        qualite = _qualite_du_saisisseur(utilisateur, passage, membres)
        reglement = reglement_fourni(passage.version.session.reglement)
        code_reglement = epreuve_du_controle(code) if code.startswith(PREFIXE_CONTROLE) else code
        etat, note = _lire_saisie(valeur, doute=doute, code_reglement=code_reglement, reglement=reglement)
    except SaisieRefusee as exc:
        raise SaisieRefusee(f"{prefixe} : {exc.message}") from None
    if instant < passage.debut:
        raise SaisieRefusee(
            f"{prefixe} : l'épreuve commence le {_heure_du_centre(passage.debut, fuseau)} (heure du centre) ; "
            "sa note se saisit après le passage."
        )

    # Le candidat est verrouillé : les saisies simultanées d'une même case passent l'une après l'autre.
    saisies = lu.saisies
    sienne = next((s for s in saisies if s.saisie_par == par), None)
    vue = sienne.version if sienne is not None else 0
    if version != vue:
        if sienne is None:
            raise SaisiePerimee(
                f"{prefixe} : la page affichait une version de votre saisie qui n'existe plus ; rien n'a été "
                "enregistré. Rechargez la page et vérifiez la note."
            )
        raise SaisiePerimee(
            f"{prefixe} : votre saisie a changé depuis l'affichage de la page (version {sienne.version}, "
            f"« {_texte(sienne)} », enregistrée le {_heure_du_centre(sienne.saisie_le, fuseau)} depuis un autre "
            "onglet ou un autre poste) ; rien n'a été enregistré. Vérifiez la note affichée, puis enregistrez de "
            "nouveau si elle doit changer."
        )
    validee = next((s for s in saisies if s.validee_le is not None), None)
    if validee is not None:
        if sienne is not None and sienne.valeur() == (str(etat), note, doute):
            return SaisieEnregistree(sienne, EtatCase.VALIDEE, modifiee=False)
        raise SaisieRefusee(
            f"{prefixe} : le résultat est validé depuis le {_heure_du_centre(validee.validee_le, fuseau)} (deux "
            "saisies concordantes) ; une correction passe par la division des examens ou par le jury."
        )
    if lu.decide is not None:
        raise SaisieRefusee(f"{prefixe} : {lu.decide} ; pas de saisie ici.")

    nouvelle = (str(etat), note, doute)
    if sienne is not None:
        autre = next((s for s in saisies if s is not sienne), None)
        if sienne.valeur() == nouvelle:
            etat_case = EtatCase.UNE_SAISIE if autre is None else EtatCase.ECART
            return SaisieEnregistree(sienne, etat_case, modifiee=False)
    else:
        if len(saisies) >= 2:
            raise SaisieRefusee(
                f"{prefixe} : les deux saisies sont déjà faites, par d'autres personnes ; vous ne pouvez pas en "
                "ajouter une troisième."
            )
        if qualite == Saisie.Qualite.CENTRE and not any(s.qualite == Saisie.Qualite.EXAMINATEUR for s in saisies):
            raise SaisieRefusee(
                f"{prefixe} : la première saisie revient à l'examinateur de la commission ; le centre saisit "
                "ensuite, d'après la fiche signée."
            )
        autre = saisies[0] if saisies else None

    # Tout est vérifié : on écrit. Seule une validation peut encore échouer après l'écriture (un résultat posé
    # par ailleurs entre-temps, une note de contrôle refusée) : elle se fait dans un point de sauvegarde, qui
    # défait alors la saisie avec elle.
    validera = autre is not None and autre.valeur() == nouvelle
    with transaction.atomic() if validera else nullcontext():
        if sienne is not None:
            avant = _valeur_saisie(sienne)
            sienne.etat, sienne.note, sienne.doute = etat, note, doute
            sienne.version += 1
            sienne.saisie_le = instant
            sienne.passage = passage
            sienne.save(update_fields=["etat", "note", "doute", "version", "saisie_le", "passage"])
            action = Trace.Action.MODIFICATION
        else:
            avant = None
            sienne = Saisie.objects.create(
                candidat=candidat,
                epreuve=code,
                rang=2 if saisies else 1,
                passage=passage,
                commission=passage.commission.code,
                etat=etat,
                note=note,
                doute=doute,
                saisie_par=par,
                qualite=qualite,
                saisie_le=instant,
            )
            saisies.append(sienne)
            action = Trace.Action.CREATION
        traces.append(
            Trace(
                acteur=par,
                action=action,
                objet_type="notes.saisie",
                objet_id=str(sienne.pk),
                objet_libelle=f"candidat {candidat.numero} — {code} — saisie {sienne.rang}",
                avant=avant,
                apres=_valeur_saisie(sienne),
                motif=f"commission {passage.commission.code}, {Saisie.Qualite(qualite).label}",
            )
        )
        if autre is None:
            return SaisieEnregistree(sienne, EtatCase.UNE_SAISIE, modifiee=True)
        if not validera:
            traces.append(
                Trace(
                    acteur=par,
                    action=Trace.Action.DECISION,
                    objet_type="notes.saisie",
                    objet_id=str(sienne.pk),
                    objet_libelle=f"candidat {candidat.numero} — {code} — écart entre les deux saisies",
                    avant=_valeur_saisie(autre),
                    apres=_valeur_saisie(sienne),
                    motif="double saisie discordante : la note n'est pas validée",
                )
            )
            return SaisieEnregistree(sienne, EtatCase.ECART, modifiee=True)
        _valider(passage=passage, saisies=(autre, sienne), acteur=par, instant=instant, traces=traces)
        return SaisieEnregistree(sienne, EtatCase.VALIDEE, modifiee=True)


def _valider(
    *, passage: Passage, saisies: tuple[Saisie, Saisie], acteur: str, instant: dt.datetime, traces: list[Trace]
) -> None:
    """Les deux saisies concordent : le résultat officiel est écrit (et tracé), les saisies sont closes."""
    premiere, seconde = sorted(saisies, key=lambda s: s.rang)
    candidat, code = passage.candidat, passage.epreuve
    motif = (
        f"double saisie concordante : saisie 1 par {premiere.saisie_par} "
        f"({Saisie.Qualite(premiere.qualite).label}), saisie 2 par {seconde.saisie_par} "
        f"({Saisie.Qualite(seconde.qualite).label})"
    )
    if code.startswith(PREFIXE_CONTROLE):
        texte = "AB" if seconde.etat == EtatBase.ABSENT else f"{seconde.note}"
        try:
            saisir_note_controle(
                candidat=candidat, epreuve=epreuve_du_controle(code), valeur=texte, acteur=acteur, motif=motif
            )
        except ErreurExamens as exc:  # pas admissible au contrôle, délibération verrouillée… : rien n'est validé
            raise SaisieRefusee(f"{exc.message} Rien n'a été validé.") from None
    else:
        try:
            verifier_deliberation_ouverte(candidat=candidat)  # un jury verrouillé : plus de note nouvelle
        except ErreurExamens as exc:
            raise SaisieRefusee(f"{exc.message} Rien n'a été validé.") from None
        try:  # dans le point de sauvegarde ouvert par `_saisir_case` : l'erreur le défait
            resultat = Resultat.objects.create(
                candidat=candidat,
                epreuve=code,
                etat=seconde.etat,
                note_examinateur=seconde.note,
                suspendue=seconde.doute,
                origine=OrigineBase.SESSION,
            )
        except IntegrityError:
            # Un autre cas d'usage (conformité, division des examens) a posé un résultat pendant la saisie.
            raise SaisieRefusee(
                f"Candidat {candidat.numero}, {code} : un résultat vient d'être enregistré pour cette épreuve par "
                "ailleurs ; rien n'a été validé. Rechargez la page."
            ) from None
        traces.append(
            Trace(
                acteur=acteur,
                action=Trace.Action.CREATION,
                objet_type="notes.resultat",
                objet_id=str(resultat.pk),
                objet_libelle=f"candidat {candidat.numero} — {code}",
                avant=None,
                apres={
                    "etat": str(resultat.etat),
                    "note_examinateur": None
                    if resultat.note_examinateur is None
                    else f"{resultat.note_examinateur:.2f}",
                    "suspendue": resultat.suspendue,
                    "saisies": [premiere.pk, seconde.pk],
                },
                motif=motif,
            )
        )
    Saisie.objects.filter(pk__in=[premiere.pk, seconde.pk]).update(validee_le=instant)
    premiere.validee_le = seconde.validee_le = instant
