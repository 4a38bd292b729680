"""Lectures des notes : les entrées du moteur de délibération (`examens.core.deliberation`) depuis la base.

Le nombre de requêtes SQL est constant (six), quel que soit le nombre de candidats : une requête par table,
filtrée par une sous-requête sur les candidats concernés, lue en tuples (`values_list`) plutôt qu'en objets
du modèle — 25 000 candidats, c'est 200 000 résultats, et construire autant d'objets coûterait plus que la
délibération elle-même.

Règles de lecture (§3 et §5 du règlement) :
- une dispense d'unité (`candidats.Dispense`) met toutes les épreuves de l'unité en DI, et prime ;
- sinon le résultat de la session (`notes.Resultat`) : une note (avec son origine, son année et sa
  suspension) ou un état (AB, ABJ, NV, DI) ; la note après jury (`note_jury`) devient des points de jury,
  que le moteur applique (§4.6) ;
- sinon la note conservée d'une session antérieure (`candidats.NoteConservee`), bénéfice ou report. Un
  résultat de la session prime sur une note conservée : le candidat qui a repassé l'épreuve a renoncé au
  bénéfice, et la nouvelle note compte même plus basse (§5) ;
- une épreuve obligatoire sans rien de tout cela n'a pas été présentée (le moteur le refuse en forme
  globale ; en forme progressive, le parcours est incomplet) ;
- notes de contrôle (`notes.NoteControle`) : note, AB ou ABJ ;
- livret scolaire : fourni (`Candidat.livret_scolaire`), examiné s'il existe un `jury.ExamenLivret`.

Les candidats désistés (`desiste_le` renseigné) ne sont pas délibérés.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Q, QuerySet

from examens.apps.candidats.models import Candidat, Dispense, NoteConservee
from examens.apps.jury.models import ExamenLivret, Jury
from examens.apps.notes.models import Etat as EtatBase
from examens.apps.notes.models import NoteControle, Resultat, Saisie
from examens.apps.planification.epreuves import PREFIXE_CONTROLE
from examens.core.deliberation import CandidatADeliberer, Parcours
from examens.core.reglement import Reglement, reglement_fourni
from examens.core.resultats import Etat, Note, Origine
from examens.core.resultats import Resultat as ResultatCore

if TYPE_CHECKING:
    from examens.apps.organisation.models import ExamSession


@dataclass(frozen=True, slots=True)
class EntreeDeliberation:
    """Un candidat à délibérer, avec sa clé en base (pour enregistrer la décision)."""

    candidat_id: int
    entree: CandidatADeliberer


def candidats_concernes(*, session: ExamSession, jury: Jury | None = None) -> QuerySet[Candidat]:
    """Les candidats non désistés de la session ; avec `jury`, ceux de ses centres et ceux qu'on lui a confiés."""
    qs = Candidat.objects.filter(session=session, desiste_le__isnull=True)
    if jury is not None:
        centres = Jury.centres.through.objects.filter(jury=jury).values("centre_id")
        confies = Jury.candidats.through.objects.filter(jury=jury).values("candidat_id")
        qs = qs.filter(Q(centre__in=centres) | Q(pk__in=confies))
    return qs


def candidats_a_deliberer(*, session: ExamSession, jury: Jury | None = None) -> list[CandidatADeliberer]:
    """Les entrées du moteur pour la session (ou un jury), triées par numéro de candidat. Requêtes : 6."""
    return [e.entree for e in entrees_de_deliberation(candidats=candidats_concernes(session=session, jury=jury))]


def entrees_de_deliberation(
    *, candidats: QuerySet[Candidat], reglement: Reglement | None = None
) -> list[EntreeDeliberation]:
    """Comme `candidats_a_deliberer`, pour un ensemble quelconque de candidats d'une même session."""
    lignes = list(
        candidats.order_by("numero").values_list("id", "numero", "parcours", "livret_scolaire", "session__reglement")
    )
    if not lignes:
        return []
    reglement = reglement or reglement_fourni(lignes[0][4])
    ids = candidats.values("id")
    epreuves_de_unite = {u.code: u.epreuves for u in reglement.unites.values()}

    resultats: dict[int, dict[str, ResultatCore]] = {}
    points_jury: dict[int, dict[str, Note]] = {}
    notes = _FabriqueDeNotes()
    for cid, epreuve, etat, note, note_jury, suspendue, origine, annee in Resultat.objects.filter(
        candidat__in=ids
    ).values_list("candidat_id", "epreuve", "etat", "note_examinateur", "note_jury", "suspendue", "origine", "annee"):
        if etat == EtatBase.NOTE:
            resultats.setdefault(cid, {})[epreuve] = notes.note(note, origine, annee, suspendue)
            if note_jury is not None:
                points_jury.setdefault(cid, {})[epreuve] = notes.note(note_jury, Origine.SESSION, None, False)
        else:
            resultats.setdefault(cid, {})[epreuve] = Etat(etat)

    for cid, epreuve, note, origine, annee in NoteConservee.objects.filter(candidat__in=ids).values_list(
        "candidat_id", "epreuve", "note", "origine", "annee"
    ):
        resultats.setdefault(cid, {}).setdefault(epreuve, notes.note(note, origine, annee, False))

    for cid, unite in Dispense.objects.filter(candidat__in=ids).values_list("candidat_id", "unite"):
        r = resultats.setdefault(cid, {})
        for epreuve in epreuves_de_unite.get(unite, ()):
            r[epreuve] = Etat.DISPENSE
            points_jury.get(cid, {}).pop(epreuve, None)

    controles: dict[int, dict[str, ResultatCore]] = {}
    for cid, epreuve, etat, note in NoteControle.objects.filter(candidat__in=ids).values_list(
        "candidat_id", "epreuve", "etat", "note"
    ):
        controles.setdefault(cid, {})[epreuve] = (
            notes.note(note, Origine.SESSION, None, False) if etat == EtatBase.NOTE else Etat(etat)
        )

    examines = set(ExamenLivret.objects.filter(candidat__in=ids).values_list("candidat_id", flat=True))
    vide: dict[str, ResultatCore] = {}
    globale, progressive = Parcours.GLOBALE, Parcours.PROGRESSIVE
    return [
        EntreeDeliberation(
            cid,
            CandidatADeliberer(
                candidat=numero,
                resultats=resultats.get(cid, vide),
                parcours=progressive if parcours == Parcours.PROGRESSIVE else globale,
                controle=controles.get(cid, vide),
                points_jury=points_jury.get(cid, {}),
                livret_fourni=livret,
                livret_examine=not livret or cid in examines,
            ),
        )
        for cid, numero, parcours, livret, _ in lignes
    ]


class _FabriqueDeNotes:
    """Décimal de la base → `Note` en centièmes, une instance par valeur distincte (peu de valeurs distinctes)."""

    def __init__(self) -> None:
        self._cache: dict[tuple[Decimal, str, int | None, bool], Note] = {}

    def note(self, valeur: Decimal, origine: str, annee: int | None, suspendue: bool) -> Note:
        cle = (valeur, origine, annee, suspendue)
        n = self._cache.get(cle)
        if n is None:
            o = Origine(origine)
            n = Note(centiemes_de(valeur), o, None if o is Origine.SESSION else annee, suspendue)
            self._cache[cle] = n
        return n


def centiemes_de(valeur: Decimal) -> int:
    """Une note de la base (deux décimales au plus) en centièmes, exactement."""
    c = valeur * 100
    if c != c.to_integral_value():
        raise ValueError(f"La note « {valeur} » a plus de deux décimales.")
    return int(c)


# --- Double saisie des notes d'oral : l'état de chaque case ----------------------------------------------------


class EtatCase(models.TextChoices):
    """Où en est la double saisie du résultat d'un passage."""

    A_SAISIR = "a_saisir", "à saisir"
    UNE_SAISIE = "une_saisie", "une saisie sur deux"
    ECART = "ecart", "écart entre les deux saisies"
    VALIDEE = "validee", "validée"
    DECIDE_AILLEURS = "decide_ailleurs", "décidé ailleurs"


@dataclass(frozen=True, slots=True)
class Case:
    """La case d'un passage dans une grille de saisie, vue par une personne : sa propre saisie (jamais celle de
    l'autre, pour que les deux restent indépendantes), le nombre de saisies faites et l'état de la case."""

    etat: EtatCase
    sienne: Saisie | None
    saisies: int
    decide_ailleurs: str = ""  # AB, ABJ, NV, DI, note conservée… posé hors de la double saisie
    valeur_validee: str = ""  # la valeur officielle, une fois validée

    @property
    def version(self) -> int:
        return self.sienne.version if self.sienne is not None else 0

    @property
    def valeur_sienne(self) -> str:
        s = self.sienne
        if s is None:
            return ""
        if s.etat == EtatBase.ABSENT:
            return "AB"
        assert s.note is not None
        return f"{s.note.normalize():f}".replace(".", ",")


def _texte_resultat(etat: str, note: Decimal | None, suspendue: bool) -> str:
    if etat != EtatBase.NOTE or note is None:
        return str(etat)
    texte = f"{note.normalize():f}".replace(".", ",")
    return f"{texte} (suspendue)" if suspendue else texte


def cases_des_passages(passages: Sequence[Any], *, par: str) -> dict[int, Case]:
    """L'état de la double saisie de chaque passage (clé : identifiant du passage), vu par `par`.

    Requêtes : 2 (saisies, résultats), plus 1 s'il y a des passages de contrôle ; jamais une par passage.
    """
    if not passages:
        return {}
    candidats = {p.candidat_id for p in passages}
    codes = {p.epreuve for p in passages}
    saisies: dict[tuple[int, str], list[Saisie]] = {}
    for s in Saisie.objects.filter(candidat_id__in=candidats, epreuve__in=codes).order_by("rang"):
        saisies.setdefault((s.candidat_id, s.epreuve), []).append(s)
    premier_groupe = {c for c in codes if not c.startswith(PREFIXE_CONTROLE)}
    resultats = {
        (cid, ep): (etat, note, suspendue, origine)
        for cid, ep, etat, note, suspendue, origine in Resultat.objects.filter(
            candidat_id__in=candidats, epreuve__in=premier_groupe
        ).values_list("candidat_id", "epreuve", "etat", "note_examinateur", "suspendue", "origine")
    }
    controle = sorted(codes - premier_groupe)
    if controle:
        for cid, ep, etat, note in NoteControle.objects.filter(
            candidat_id__in=candidats, epreuve__in=[c.removeprefix(PREFIXE_CONTROLE) for c in controle]
        ).values_list("candidat_id", "epreuve", "etat", "note"):
            resultats[(cid, PREFIXE_CONTROLE + ep)] = (etat, note, False, "session")
    cases = {}
    for p in passages:
        lues = saisies.get((p.candidat_id, p.epreuve), [])
        sienne = next((s for s in lues if s.saisie_par == par), None)
        resultat = resultats.get((p.candidat_id, p.epreuve))
        valeur = "" if resultat is None else _texte_resultat(*resultat[:3])
        if any(s.validee_le is not None for s in lues):
            etat = EtatCase.VALIDEE
        elif resultat is not None:
            cases[p.pk] = Case(EtatCase.DECIDE_AILLEURS, sienne, len(lues), decide_ailleurs=_decide(resultat))
            continue
        elif len(lues) == 2:
            etat = EtatCase.VALIDEE if lues[0].valeur() == lues[1].valeur() else EtatCase.ECART
        else:
            etat = EtatCase.UNE_SAISIE if lues else EtatCase.A_SAISIR
        cases[p.pk] = Case(etat, sienne, len(lues), valeur_validee=valeur if etat == EtatCase.VALIDEE else "")
    return cases


def _decide(resultat: tuple[str, Decimal | None, bool, str]) -> str:
    etat, note, suspendue, origine = resultat
    if origine != "session":
        return f"note conservée ({Origine(origine).label})"
    libelles = {
        "NV": "NV — non valide (commission de conformité)",
        "ABJ": "ABJ — absence justifiée (division des examens)",
        "DI": "DI — dispensé",
        "AB": "AB — absent (déjà enregistré)",
    }
    return libelles.get(etat, f"{_texte_resultat(etat, note, suspendue)} (déjà enregistrée)")
